#include "CSimdJSON.h"
#include "Tape.h"

#include <cstring>
#include <string_view>

namespace {

// Returns whether two byte runs are equal. Field name segments are a few bytes long, and calling
// memcmp for each member key cost more than the comparison itself.
inline bool same_bytes(const char *left, const char *right, size_t length) {
  for (size_t index = 0; index < length; ++index) {
    if (left[index] != right[index]) {
      return false;
    }
  }
  return true;
}

// Reads the first 8 bytes at `bytes`, a position in a key in simdjson's string buffer. Each
// string there ends in a NUL byte and the buffer has SIMDJSON_PADDING bytes to spare, so the
// read stays inside it. Bytes past the key are masked off by an edge's head mask, or, where the
// key is shorter than the edge's head, the NUL already differs from the edge.
inline uint64_t key_head(const char *bytes) {
  uint64_t word;
  std::memcpy(&word, bytes, sizeof(word));
  return word;
}

// The state of one csj_collect_fields call. `TracksPresence` is true when the trie has presence
// slots. It is a template parameter so that a trie without them walks without any of their checks.
template <bool TracksPresence> struct FieldCollector {
  csj::Tape tape;
  const csj_field_trie *trie;
  csj_field_hit *hits;
  size_t capacity;
  size_t count = 0;

  void record(int32_t slot, size_t index) {
    csj_field_hit hit{};
    hit.slot = static_cast<uint32_t>(slot);
    switch (csj::Tape::type_of(tape.words[index])) {
    case '"': {
      std::string_view text = tape.string(index);
      hit.type = CSJ_STRING;
      hit.string = text.data();
      hit.length = text.size();
      break;
    }
    case 'l':
      hit.type = CSJ_INT64;
      hit.integer = tape.payload<int64_t>(index);
      break;
    case 'u':
      hit.type = CSJ_UINT64;
      hit.unsigned_integer = tape.payload<uint64_t>(index);
      break;
    case 'd':
      hit.type = CSJ_DOUBLE;
      hit.number = tape.payload<double>(index);
      break;
    case 't':
    case 'f':
      hit.type = CSJ_BOOL;
      hit.boolean = csj::Tape::type_of(tape.words[index]) == 't';
      break;
    default:
      return;
    }
    if (count < capacity) {
      hits[count] = hit;
    }
    ++count;
  }

  // Returns the tape index of the first scalar in the value at `index` (the value itself when
  // it is a scalar), or 0 when it contains none: null and empty arrays and objects are no value.
  size_t first_scalar(size_t index) const {
    switch (csj::Tape::type_of(tape.words[index])) {
    case '[': {
      size_t end = tape.closing(index);
      for (size_t item = index + 1; item < end; item = tape.after(item)) {
        if (size_t found = first_scalar(item)) {
          return found;
        }
      }
      return 0;
    }
    case '{': {
      size_t end = tape.closing(index);
      for (size_t key = index + 1; key < end; key = tape.after(key + 1)) {
        if (size_t found = first_scalar(key + 1)) {
          return found;
        }
      }
      return 0;
    }
    case 'n':
      return 0;
    default:
      return index;
    }
  }

  // Records the first scalar of the value at `index` for `presence_slot`, if there is one.
  void record_presence(int32_t presence_slot, size_t index) {
    if (size_t found = first_scalar(index)) {
      record(presence_slot, found);
    }
  }

  // Visits the value at tape `index`, which the path up to `node` leads to.
  void visit(uint32_t node, size_t index) {
    const csj_trie_node &current = trie->nodes[node];
    switch (csj::Tape::type_of(tape.words[index])) {
    case '[': {
      size_t end = tape.closing(index);
      for (size_t item = index + 1; item < end; item = tape.after(item)) {
        visit(node, item);
      }
      return;
    }
    case '{': {
      if constexpr (TracksPresence) {
        if (int32_t presence_slot = trie->presence_slots[node]; presence_slot >= 0) {
          record_presence(presence_slot, index);
        }
      }
      if (current.edge_count == 0) {
        return;
      }
      size_t end = tape.closing(index);
      for (size_t key = index + 1; key < end; key = tape.after(key + 1)) {
        visit_member(node, tape.string(key), key + 1);
      }
      return;
    }
    case 'n':
      return;
    default:
      if (current.slot >= 0) {
        record(current.slot, index);
      }
      if constexpr (TracksPresence) {
        if (int32_t presence_slot = trie->presence_slots[node]; presence_slot >= 0) {
          record(presence_slot, index);
        }
      }
      return;
    }
  }

  // Matches a member key against the edges below `node`, one dotted segment at a time, and
  // visits the value at tape `index` where the whole key matches.
  void visit_member(uint32_t node, std::string_view key, size_t index) {
    for (bool reached_by_key = false;; reached_by_key = true) {
      const csj_trie_node &current = trie->nodes[node];
      if constexpr (TracksPresence) {
        // The key runs on below this node's field, as "parent.name" does below "process.parent",
        // so the member's value is a sub-field value. The object that contains the member was
        // already checked as a whole when its own node has a presence slot.
        if (int32_t presence_slot = trie->presence_slots[node]; reached_by_key && presence_slot >= 0) {
          record_presence(presence_slot, index);
        }
      }
      uint64_t head = key_head(key.data());
      bool advanced = false;
      for (uint32_t edge_index = 0; edge_index < current.edge_count; ++edge_index) {
        const csj_trie_edge &edge = trie->edges[current.first_edge + edge_index];
        // One comparison of the first 8 bytes rules out most keys. A branch per byte or on
        // the lengths, as before, was mispredicted often enough to cost more than the walk.
        if ((head & edge.head_mask) != edge.head) {
          continue;
        }
        if (key.size() < edge.length || (key.size() > edge.length && key[edge.length] != '.') ||
            (edge.length > 8 && !same_bytes(key.data() + 8, edge.segment + 8, edge.length - 8))) {
          continue;
        }
        if (key.size() == edge.length) {
          visit(edge.node, index);
          return;
        }
        key.remove_prefix(edge.length + 1);
        node = edge.node;
        advanced = true;
        break;
      }
      if (!advanced) {
        return;
      }
    }
  }
};

template <bool TracksPresence>
size_t collect_fields(csj_element object, const csj_field_trie *trie, csj_field_hit *hits, size_t capacity) {
  size_t index;
  csj::Tape tape = csj::Tape::of(object, index);
  if (csj::Tape::type_of(tape.words[index]) != '{') {
    return 0;
  }
  FieldCollector<TracksPresence> collector{tape, trie, hits, capacity};
  collector.visit(0, index);
  return collector.count;
}

template <bool TracksPresence>
size_t collect_event_fields(
    csj_element object, const csj_field_trie *trie, csj_field_hit *hits, size_t capacity, bool *is_hit, csj_element *source,
    bool *looks_like_search_output) {
  *is_hit = false;
  *looks_like_search_output = false;
  size_t index;
  csj::Tape tape = csj::Tape::of(object, index);
  if (csj::Tape::type_of(tape.words[index]) != '{') {
    return 0;
  }
  FieldCollector<TracksPresence> collector{tape, trie, hits, capacity};
  bool has_fields = trie->nodes[0].edge_count > 0;
  size_t end = tape.closing(index);
  if (index + 1 < end) {
    std::string_view first = tape.string(index + 1);
    *looks_like_search_output = (!first.empty() && first[0] == '_') || (first.size() == 4 && (same_bytes(first.data(), "took", 4) ||
                                                                                              same_bytes(first.data(), "hits", 4)));
  }
  for (size_t key = index + 1; key < end; key = tape.after(key + 1)) {
    std::string_view name = tape.string(key);
    if (name.size() == 7 && same_bytes(name.data(), "_source", 7)) {
      *is_hit = true;
      *source = csj::Tape::element_at(object, key + 1);
      return 0;
    }
    if (has_fields) {
      collector.visit_member(0, name, key + 1);
    }
  }
  return collector.count;
}

} // namespace

extern "C" size_t csj_collect_fields(csj_element object, const csj_field_trie *trie, csj_field_hit *hits, size_t capacity) {
  return trie->presence_slots != nullptr ? collect_fields<true>(object, trie, hits, capacity)
                                         : collect_fields<false>(object, trie, hits, capacity);
}

extern "C" size_t csj_collect_event_fields(
    csj_element object, const csj_field_trie *trie, csj_field_hit *hits, size_t capacity, bool *is_hit, csj_element *source,
    bool *looks_like_search_output) {
  return trie->presence_slots != nullptr
             ? collect_event_fields<true>(object, trie, hits, capacity, is_hit, source, looks_like_search_output)
             : collect_event_fields<false>(object, trie, hits, capacity, is_hit, source, looks_like_search_output);
}

#ifndef CSIMDJSON_TAPE_H
#define CSIMDJSON_TAPE_H

// Direct reads of the tape that simdjson 3.0.1's DOM parser writes, for the walks that run on
// every event. simdjson's element API reloads the document's tape pointer and rechecks the type
// on every call; these reads keep both in registers.
//
// The layout, as simdjson's doc/tape.md describes it: one 64-bit word per value, with the type
// character in the top byte and a 56-bit payload. `{` and `[` carry the index just past their
// closing word in the low 32 bits. A string (value or key) carries an offset into the string
// buffer, where a 32-bit little-endian length precedes the bytes. Numbers (`l`, `u`, `d`) take a
// second word with the value; `t`, `f` and `n` take one word. An object's members follow its
// `{` as key word, value.

#include "CSimdJSON.h"

#include <simdjson.h>

#include <cstdint>
#include <cstring>
#include <string_view>
#include <type_traits>

namespace csj {

// NOTE: the tape is internal to simdjson and was checked against 3.0.1 only (Debian 12's).
static_assert(simdjson::SIMDJSON_VERSION_MAJOR == 3, "Tape.h reads simdjson 3's internal tape; check it against the installed version's doc/tape.md");
static_assert(sizeof(simdjson::internal::tape_ref) == sizeof(csj_element), "csj_element must hold a tape_ref");
static_assert(std::is_trivially_copyable<simdjson::internal::tape_ref>::value, "tape_ref must be trivially copyable");

// The tape and string buffer of one document, and the word index of one value on it.
struct Tape {
  const uint64_t *words;
  const uint8_t *strings;

  // Splits an element into its document's tape and the value's index. A `dom::element` contains
  // only a `tape_ref`: the document pointer and the index.
  static Tape of(csj_element element, size_t &index) {
    simdjson::internal::tape_ref reference;
    std::memcpy(static_cast<void *>(&reference), &element, sizeof(reference));
    index = reference.json_index;
    return Tape{reference.doc->tape.get(), reference.doc->string_buf.get()};
  }

  // The element for the value at `index` of the same document as `element`.
  static csj_element element_at(csj_element element, size_t index) {
    simdjson::internal::tape_ref reference;
    std::memcpy(static_cast<void *>(&reference), &element, sizeof(reference));
    reference.json_index = index;
    csj_element result;
    std::memcpy(&result, static_cast<const void *>(&reference), sizeof(result));
    return result;
  }

  static char type_of(uint64_t word) { return static_cast<char>(word >> 56); }

  // The index just past the value that starts at `index`.
  size_t after(size_t index) const {
    uint64_t word = words[index];
    switch (type_of(word)) {
    case '{':
    case '[':
      return static_cast<uint32_t>(word);
    case 'l':
    case 'u':
    case 'd':
      return index + 2;
    default:
      return index + 1;
    }
  }

  // The index of the closing word of the object or array that starts at `index`.
  size_t closing(size_t index) const { return static_cast<uint32_t>(words[index]) - 1; }

  std::string_view string(size_t index) const {
    const uint8_t *start = strings + (words[index] & simdjson::internal::JSON_VALUE_MASK);
    uint32_t length;
    std::memcpy(&length, start, sizeof(length));
    return std::string_view(reinterpret_cast<const char *>(start + sizeof(length)), length);
  }

  template <typename T> T payload(size_t index) const {
    static_assert(sizeof(T) == sizeof(uint64_t), "a number's payload is one word");
    T value;
    std::memcpy(&value, &words[index + 1], sizeof(value));
    return value;
  }
};

} // namespace csj

#endif

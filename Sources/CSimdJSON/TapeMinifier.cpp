// Writes a parsed value as minified JSON straight from simdjson's tape.
//
// The text is byte for byte what simdjson 3's string_builder<mini_formatter> writes: the same
// string escapes and the same number spellings, with doubles formatted by simdjson's own
// to_chars. That builder appends through std::vector::insert for every token and escapes
// strings a byte at a time, which made it the largest cost of building an alert.

#include "CSimdJSON.h"
#include "Tape.h"

#include <simdjson.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string_view>

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "the string checks read bytes as little-endian words");

namespace {

// A byte buffer that grows by doubling and is written through a raw pointer: callers reserve
// the most bytes a token can take, write, and commit what they wrote.
class TextBuffer {
public:
  TextBuffer() = default;
  TextBuffer(const TextBuffer &) = delete;
  TextBuffer &operator=(const TextBuffer &) = delete;
  ~TextBuffer() { std::free(bytes_); }

  // Returns where the next `extra` bytes go, or nullptr when memory cannot be allocated.
  char *reserve(size_t extra) {
    if (capacity_ - size_ >= extra) {
      return bytes_ + size_;
    }
    size_t new_capacity = capacity_ == 0 ? 4096 : capacity_ * 2;
    while (new_capacity - size_ < extra) {
      new_capacity *= 2;
    }
    auto *grown = static_cast<char *>(std::realloc(bytes_, new_capacity));
    if (grown == nullptr) {
      return nullptr;
    }
    bytes_ = grown;
    capacity_ = new_capacity;
    return bytes_ + size_;
  }

  void commit(const char *end) { size_ = static_cast<size_t>(end - bytes_); }
  void clear() { size_ = 0; }
  void release() {
    std::free(bytes_);
    bytes_ = nullptr;
    size_ = capacity_ = 0;
  }
  const char *data() const { return bytes_; }
  size_t size() const { return size_; }

private:
  char *bytes_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

// Whether a byte must be escaped in a JSON string: `"`, `\` and the control characters.
// Everything else, DEL and multi-byte UTF-8 included, is copied as it is, as simdjson does.
inline bool needs_escape(unsigned char byte) { return byte < 0x20 || byte == '"' || byte == '\\'; }

// Whether any of the 8 bytes in `word` needs escaping, tested on all of them at once: a byte
// below 0x20, or equal to `"` (0x22) or `\` (0x5C). A test can flag a byte that is no match
// only above one that is, through the borrow, so the combined test is exact for "any".
inline bool word_needs_escape(uint64_t word) {
  constexpr uint64_t ones = 0x0101010101010101ULL;
  constexpr uint64_t highs = 0x8080808080808080ULL;
  uint64_t quote = word ^ (ones * '"');
  uint64_t backslash = word ^ (ones * '\\');
  uint64_t below_space = (word - ones * 0x20) & ~word;
  uint64_t is_quote = (quote - ones) & ~quote;
  uint64_t is_backslash = (backslash - ones) & ~backslash;
  return ((below_space | is_quote | is_backslash) & highs) != 0;
}

class TapeMinifier {
public:
  TapeMinifier(const csj::Tape &tape, TextBuffer &out) : tape_(tape), out_(out) {}

  // Writes the value at tape `index` and returns the index just past it, or 0 when memory
  // cannot be allocated (no value starts at index 0, which is the document's root word).
  size_t value(size_t index) {
    uint64_t word = tape_.words[index];
    switch (csj::Tape::type_of(word)) {
    case '{':
      return object(index);
    case '[':
      return array(index);
    case '"':
      return string(tape_.string(index)) ? index + 1 : 0;
    case 'l':
      return integer(tape_.payload<int64_t>(index)) ? index + 2 : 0;
    case 'u':
      return unsigned_integer(tape_.payload<uint64_t>(index)) ? index + 2 : 0;
    case 'd':
      return real(tape_.payload<double>(index)) ? index + 2 : 0;
    case 't':
      return literal("true", 4) ? index + 1 : 0;
    case 'f':
      return literal("false", 5) ? index + 1 : 0;
    default:
      return literal("null", 4) ? index + 1 : 0;
    }
  }

private:
  const csj::Tape &tape_;
  TextBuffer &out_;

  size_t object(size_t index) {
    size_t end = tape_.closing(index);
    if (!literal("{", 1)) {
      return 0;
    }
    for (size_t key = index + 1; key < end;) {
      if ((key != index + 1 && !literal(",", 1)) || !string(tape_.string(key)) || !literal(":", 1)) {
        return 0;
      }
      key = value(key + 1);
      if (key == 0) {
        return 0;
      }
    }
    return literal("}", 1) ? end + 1 : 0;
  }

  size_t array(size_t index) {
    size_t end = tape_.closing(index);
    if (!literal("[", 1)) {
      return 0;
    }
    for (size_t item = index + 1; item < end;) {
      if (item != index + 1 && !literal(",", 1)) {
        return 0;
      }
      item = value(item);
      if (item == 0) {
        return 0;
      }
    }
    return literal("]", 1) ? end + 1 : 0;
  }

  bool literal(const char *text, size_t length) {
    char *target = out_.reserve(length);
    if (target == nullptr) {
      return false;
    }
    std::memcpy(target, text, length);
    out_.commit(target + length);
    return true;
  }

  // Writes a quoted string. Most strings need no escape: they are checked and copied 8 bytes
  // at a time, reading up to 7 bytes past their end. The text lives in simdjson's string
  // buffer, where every string ends in a NUL byte and the buffer has SIMDJSON_PADDING bytes to
  // spare, so the reads stay inside it. The bytes past the end are masked off.
  bool string(std::string_view text) {
    const char *bytes = text.data();
    size_t size = text.size();
    // An escape takes at most 6 bytes (\u001f); the quotes take 2, and a whole-word copy
    // writes up to 7 bytes past the string.
    char *target = out_.reserve(size * 6 + 2 + 8);
    if (target == nullptr) {
      return false;
    }
    *target++ = '"';
    if (!any_escape(bytes, size)) {
      for (size_t offset = 0; offset < size; offset += 8) {
        std::memcpy(target + offset, bytes + offset, 8);
      }
      target += size;
    } else {
      for (size_t index = 0; index < size; ++index) {
        auto byte = static_cast<unsigned char>(bytes[index]);
        if (needs_escape(byte)) {
          target = escape(byte, target);
        } else {
          *target++ = static_cast<char>(byte);
        }
      }
    }
    *target++ = '"';
    out_.commit(target);
    return true;
  }

  // Whether any of the `size` bytes at `bytes`, a string in simdjson's string buffer, needs
  // an escape.
  static bool any_escape(const char *bytes, size_t size) {
    size_t offset = 0;
    uint64_t word;
    for (; offset + 8 <= size; offset += 8) {
      std::memcpy(&word, bytes + offset, sizeof(word));
      if (word_needs_escape(word)) {
        return true;
      }
    }
    if (offset == size) {
      return false;
    }
    std::memcpy(&word, bytes + offset, sizeof(word));
    // The first bytes of the string are the low bytes of the word; the others become `a`.
    uint64_t tail_mask = (uint64_t(1) << (8 * (size - offset))) - 1;
    word = (word & tail_mask) | (0x6161616161616161ULL & ~tail_mask);
    return word_needs_escape(word);
  }

  static char *escape(unsigned char byte, char *target) {
    static constexpr char hex[] = "0123456789abcdef";
    *target++ = '\\';
    switch (byte) {
    case '"':
      *target++ = '"';
      break;
    case '\\':
      *target++ = '\\';
      break;
    case '\b':
      *target++ = 'b';
      break;
    case '\t':
      *target++ = 't';
      break;
    case '\n':
      *target++ = 'n';
      break;
    case '\f':
      *target++ = 'f';
      break;
    case '\r':
      *target++ = 'r';
      break;
    default:
      *target++ = 'u';
      *target++ = '0';
      *target++ = '0';
      *target++ = hex[byte >> 4];
      *target++ = hex[byte & 0x0f];
      break;
    }
    return target;
  }

  bool unsigned_integer(uint64_t value) {
    char digits[20];
    char *start = digits + sizeof(digits);
    do {
      *--start = static_cast<char>('0' + value % 10);
      value /= 10;
    } while (value != 0);
    size_t length = static_cast<size_t>(digits + sizeof(digits) - start);
    return literal(start, length);
  }

  bool integer(int64_t value) {
    if (value >= 0) {
      return unsigned_integer(static_cast<uint64_t>(value));
    }
    // Negated as an unsigned value, which also covers INT64_MIN.
    uint64_t magnitude = ~static_cast<uint64_t>(value) + 1;
    return literal("-", 1) && unsigned_integer(magnitude);
  }

  bool real(double value) {
    // simdjson's own shortest round-trip formatting, which its builder uses; 24 bytes are
    // enough for any double, and the end pointer is not read.
    char digits[32];
    char *end = simdjson::internal::to_chars(digits, nullptr, value);
    return literal(digits, static_cast<size_t>(end - digits));
  }
};

// One buffer per thread keeps its capacity from call to call, so that minifying an alert's
// event allocates nothing once the buffer has grown to the largest event.
thread_local TextBuffer thread_buffer;
// The length of the longest text thread_buffer has held since it was made or freed. Its
// capacity is under twice this length, or 4 KiB.
thread_local size_t thread_buffer_longest = 0;

} // namespace

extern "C" {

const char *csj_minify_view(csj_element value, size_t *length) {
  thread_buffer.clear();
  size_t index;
  csj::Tape tape = csj::Tape::of(value, index);
  TapeMinifier minifier(tape, thread_buffer);
  if (minifier.value(index) == 0) {
    // The buffer may have grown before running out of memory.
    csj_minify_release_large();
    return nullptr;
  }
  thread_buffer_longest = std::max(thread_buffer_longest, thread_buffer.size());
  *length = thread_buffer.size();
  return thread_buffer.data();
}

void csj_minify_release_large(void) {
  if (thread_buffer_longest > CSJ_MINIFY_KEPT_TEXT_BYTES) {
    thread_buffer.release();
    thread_buffer_longest = 0;
  }
}

size_t csj_minify_longest_kept(void) { return thread_buffer_longest; }

} // extern "C"

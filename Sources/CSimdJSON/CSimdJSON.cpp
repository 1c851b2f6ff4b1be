#include "CSimdJSON.h"
#include "Tape.h"

#include <simdjson.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <type_traits>

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

struct csj_parser {
  simdjson::dom::parser parser;
};

// The C structs carry simdjson's values byte for byte, which is sound only while these hold.
static_assert(sizeof(element) == sizeof(csj_element), "csj_element must hold a dom::element");
static_assert(std::is_trivially_copyable<element>::value, "dom::element must be trivially copyable");
static_assert(sizeof(object::iterator) * 2 <= sizeof(csj_iterator), "csj_iterator must hold two object iterators");
static_assert(sizeof(array::iterator) * 2 <= sizeof(csj_iterator), "csj_iterator must hold two array iterators");
static_assert(std::is_trivially_copyable<object::iterator>::value, "object iterators must be trivially copyable");
static_assert(std::is_trivially_copyable<array::iterator>::value, "array iterators must be trivially copyable");

static element to_element(csj_element value) {
  element result;
  std::memcpy(static_cast<void *>(&result), &value, sizeof(result));
  return result;
}

static csj_element from_element(element value) {
  csj_element result;
  std::memcpy(&result, static_cast<const void *>(&value), sizeof(value));
  return result;
}

template <typename Iterator>
static void store_iterators(csj_iterator *target, const Iterator &position, const Iterator &end) {
  std::memset(target, 0, sizeof(*target));
  auto *bytes = reinterpret_cast<unsigned char *>(target);
  std::memcpy(bytes, static_cast<const void *>(&position), sizeof(Iterator));
  std::memcpy(bytes + sizeof(Iterator), static_cast<const void *>(&end), sizeof(Iterator));
}

template <typename Iterator>
static void load_iterators(const csj_iterator *source, Iterator &position, Iterator &end) {
  const auto *bytes = reinterpret_cast<const unsigned char *>(source);
  std::memcpy(static_cast<void *>(&position), bytes, sizeof(Iterator));
  std::memcpy(static_cast<void *>(&end), bytes + sizeof(Iterator), sizeof(Iterator));
}


extern "C" {

size_t csj_padding(void) { return simdjson::SIMDJSON_PADDING; }

csj_parser *csj_parser_create(size_t max_depth) {
  auto *handle = new (std::nothrow) csj_parser();
  if (handle == nullptr) {
    return nullptr;
  }
  // Allocating now fixes the depth limit: later growth keeps the parser's max_depth(), but a
  // parser without an implementation reports simdjson's default of 1024.
  if (handle->parser.allocate(simdjson::dom::MINIMAL_DOCUMENT_CAPACITY, max_depth) != simdjson::SUCCESS) {
    delete handle;
    return nullptr;
  }
  return handle;
}

void csj_parser_destroy(csj_parser *parser) { delete parser; }

int csj_parser_parse(csj_parser *parser, const uint8_t *bytes, size_t length, csj_element *root, bool *root_is_object) {
  element document;
  auto error = parser->parser.parse(bytes, length, false).get(document);
  if (error != simdjson::SUCCESS) {
    return static_cast<int>(error);
  }
  *root = from_element(document);
  size_t index;
  csj::Tape tape = csj::Tape::of(*root, index);
  *root_is_object = csj::Tape::type_of(tape.words[index]) == '{';
  return 0;
}

const char *csj_error_message(int code) { return simdjson::error_message(static_cast<simdjson::error_code>(code)); }

bool csj_error_is_depth(int code) { return code == simdjson::DEPTH_ERROR; }

bool csj_error_is_utf8(int code) { return code == simdjson::UTF8_ERROR; }

csj_type csj_element_type(csj_element value) {
  switch (to_element(value).type()) {
  case simdjson::dom::element_type::ARRAY:
    return CSJ_ARRAY;
  case simdjson::dom::element_type::OBJECT:
    return CSJ_OBJECT;
  case simdjson::dom::element_type::INT64:
    return CSJ_INT64;
  case simdjson::dom::element_type::UINT64:
    return CSJ_UINT64;
  case simdjson::dom::element_type::DOUBLE:
    return CSJ_DOUBLE;
  case simdjson::dom::element_type::STRING:
    return CSJ_STRING;
  case simdjson::dom::element_type::BOOL:
    return CSJ_BOOL;
  case simdjson::dom::element_type::NULL_VALUE:
    return CSJ_NULL;
  }
  return CSJ_NULL;
}

bool csj_element_string(csj_element value, const char **bytes, size_t *length) {
  std::string_view text;
  if (to_element(value).get_string().get(text) != simdjson::SUCCESS) {
    return false;
  }
  *bytes = text.data();
  *length = text.size();
  return true;
}

bool csj_element_int64(csj_element value, int64_t *result) {
  return to_element(value).get_int64().get(*result) == simdjson::SUCCESS;
}

bool csj_element_uint64(csj_element value, uint64_t *result) {
  return to_element(value).get_uint64().get(*result) == simdjson::SUCCESS;
}

bool csj_element_double(csj_element value, double *result) {
  return to_element(value).get_double().get(*result) == simdjson::SUCCESS;
}

bool csj_element_bool(csj_element value, bool *result) {
  return to_element(value).get_bool().get(*result) == simdjson::SUCCESS;
}

bool csj_object_begin(csj_element value, csj_iterator *iterator) {
  // Copy the object out of its simdjson_result first: iterating value_unsafe() of a temporary
  // result reads memory that is already gone.
  object members;
  if (to_element(value).get_object().get(members) != simdjson::SUCCESS) {
    return false;
  }
  store_iterators(iterator, members.begin(), members.end());
  return true;
}

bool csj_object_next(csj_iterator *iterator, const char **key, size_t *key_length, csj_element *value) {
  object::iterator position, end;
  load_iterators(iterator, position, end);
  if (!(position != end)) {
    return false;
  }
  std::string_view name = position.key();
  *key = name.data();
  *key_length = name.size();
  *value = from_element(position.value());
  ++position;
  store_iterators(iterator, position, end);
  return true;
}

bool csj_object_find(csj_element value, const char *key, size_t key_length, csj_element *result) {
  // Walks the tape: simdjson's at_key() costs several times more per member, and this runs
  // on every event to look for a search hit's `_source`.
  size_t index;
  csj::Tape tape = csj::Tape::of(value, index);
  if (csj::Tape::type_of(tape.words[index]) != '{') {
    return false;
  }
  std::string_view wanted(key, key_length);
  size_t end = tape.closing(index);
  for (size_t member = index + 1; member < end; member = tape.after(member + 1)) {
    if (tape.string(member) == wanted) {
      *result = csj::Tape::element_at(value, member + 1);
      return true;
    }
  }
  return false;
}

bool csj_array_begin(csj_element value, csj_iterator *iterator) {
  array elements;
  if (to_element(value).get_array().get(elements) != simdjson::SUCCESS) {
    return false;
  }
  store_iterators(iterator, elements.begin(), elements.end());
  return true;
}

bool csj_array_next(csj_iterator *iterator, csj_element *value) {
  array::iterator position, end;
  load_iterators(iterator, position, end);
  if (!(position != end)) {
    return false;
  }
  *value = from_element(*position);
  ++position;
  store_iterators(iterator, position, end);
  return true;
}

size_t csj_array_count(csj_element value) {
  array elements;
  if (to_element(value).get_array().get(elements) != simdjson::SUCCESS) {
    return 0;
  }
  return elements.size();
}

size_t csj_minify(csj_element value, char *buffer, size_t capacity) {
  std::string text;
  try {
    text = simdjson::minify(to_element(value));
  } catch (const std::bad_alloc &) {
    return SIZE_MAX;
  }
  if (text.size() <= capacity && buffer != nullptr) {
    std::memcpy(buffer, text.data(), text.size());
  }
  return text.size();
}

} // extern "C"

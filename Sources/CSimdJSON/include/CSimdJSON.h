#ifndef CSIMDJSON_H
#define CSIMDJSON_H

// A plain C API over the DOM parser of simdjson 3.0.1, for Swift.
//
// A parser is not thread-safe: use one per thread. Every element, iterator and string pointer
// refers to the parser's current document and becomes invalid at the next parse or when the
// parser is destroyed.

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct csj_parser csj_parser;

/// One JSON value in the parser's current document: a copy of simdjson's `dom::element`.
typedef struct csj_element {
  uintptr_t storage[2];
} csj_element;

/// A position in an object or an array and its end: copies of two simdjson iterators.
typedef struct csj_iterator {
  uintptr_t storage[4];
} csj_iterator;

typedef enum csj_type {
  CSJ_ARRAY,
  CSJ_OBJECT,
  CSJ_INT64,
  CSJ_UINT64,
  CSJ_DOUBLE,
  CSJ_STRING,
  CSJ_BOOL,
  CSJ_NULL
} csj_type;

/// The number of readable bytes that must follow the input of `csj_parser_parse`.
size_t csj_padding(void);

/// Creates a parser that rejects documents nested deeper than `max_depth` arrays and objects.
/// Returns NULL when memory cannot be allocated.
csj_parser *csj_parser_create(size_t max_depth);
void csj_parser_destroy(csj_parser *parser);

/// Parses `length` bytes at `bytes`, which must be followed by `csj_padding()` readable bytes.
/// Returns 0 and sets `*root` and `*root_is_object` on success, else simdjson's error code.
/// Telling whether the root is an object here saves a call per NDJSON line.
int csj_parser_parse(csj_parser *parser, const uint8_t *bytes, size_t length, csj_element *root, bool *root_is_object);

/// simdjson's message for an error code from `csj_parser_parse`.
const char *csj_error_message(int code);
/// Whether `code` is simdjson's error for a document nested deeper than the parser's limit.
bool csj_error_is_depth(int code);
/// Whether `code` is simdjson's error for invalid UTF-8.
bool csj_error_is_utf8(int code);

csj_type csj_element_type(csj_element element);

/// Sets `*bytes` and `*length` to the UTF-8 bytes of a string (not NUL-terminated).
bool csj_element_string(csj_element element, const char **bytes, size_t *length);
bool csj_element_int64(csj_element element, int64_t *value);
bool csj_element_uint64(csj_element element, uint64_t *value);
bool csj_element_double(csj_element element, double *value);
bool csj_element_bool(csj_element element, bool *value);

/// Starts iterating an object. Returns false when `object` is not an object.
bool csj_object_begin(csj_element object, csj_iterator *iterator);
/// Returns the next member and advances, or false at the end.
bool csj_object_next(csj_iterator *iterator, const char **key, size_t *key_length, csj_element *value);
/// Finds the first member named `key` (compared byte for byte). Returns false when there is
/// none or when `object` is not an object.
bool csj_object_find(csj_element object, const char *key, size_t key_length, csj_element *value);

/// Starts iterating an array. Returns false when `array` is not an array.
bool csj_array_begin(csj_element array, csj_iterator *iterator);
/// Returns the next element and advances, or false at the end.
bool csj_array_next(csj_iterator *iterator, csj_element *value);
/// The number of elements of an array, or 0 when `array` is not an array.
size_t csj_array_count(csj_element array);

/// Writes the minified JSON text of `element` to `buffer` when it fits in `capacity` bytes, with
/// simdjson's own serializer. Returns the text's length either way (no NUL is written), or
/// SIZE_MAX when memory for the text cannot be allocated. Slower than `csj_minify_view`, which
/// is tested to write the same bytes.
size_t csj_minify(csj_element element, char *buffer, size_t capacity);
/// Minifies `element` into a buffer that belongs to the calling thread and returns its text (not
/// NUL-terminated), or NULL when memory cannot be allocated. The text is byte for byte what
/// `csj_minify` writes. It stays valid until the thread's next call of `csj_minify_view` or
/// `csj_minify_release_large`.
const char *csj_minify_view(csj_element element, size_t *length);
/// The longest minified text, in bytes, for which the calling thread keeps its buffer.
#define CSJ_MINIFY_KEPT_TEXT_BYTES ((size_t)512 * 1024)
/// Frees the calling thread's minify buffer when it has held a text longer than
/// `CSJ_MINIFY_KEPT_TEXT_BYTES`, so that a long-lived thread keeps at most about 1 MiB for it.
/// Call it once the text of `csj_minify_view` has been copied.
void csj_minify_release_large(void);
/// The length of the longest text that the calling thread's minify buffer has held since it
/// was made or last freed.
size_t csj_minify_longest_kept(void);


/// One edge of a field trie: a field name segment (such as `registry`) and the node it leads to.
///
/// `head` is the segment's first bytes (up to 8) as a little-endian word, and `head_mask`
/// keeps those bytes of a word, so that most member keys are ruled out with one comparison.
typedef struct csj_trie_edge {
  const char *segment;
  size_t length;
  uint64_t head;
  uint64_t head_mask;
  uint32_t node;
} csj_trie_edge;

/// One node of a field trie: its outgoing edges `edges[first_edge ..< first_edge + edge_count]`
/// and the slot of the field that ends here, or -1 when no field does.
typedef struct csj_trie_node {
  uint32_t first_edge;
  uint32_t edge_count;
  int32_t slot;
} csj_trie_node;

/// The dotted field names a query reads, as a trie of their segments. Node 0 is the root.
///
/// `presence_slots`, when not NULL, has one entry per node: the presence slot of the field
/// that ends at that node, or -1. A presence slot gets one hit for each value found at the field
/// or below it. Such a value is a scalar of the field itself, the first scalar inside an object or
/// array value, or the first scalar of a member whose dotted key reaches below the field. This is
/// Elasticsearch's `exists` on an object field, which matches when any sub-field has a value.
/// Presence slots sit apart from the nodes so that a trie without them walks the same nodes,
/// with the same layout, as before they existed.
typedef struct csj_field_trie {
  const csj_trie_node *nodes;
  const csj_trie_edge *edges;
  const int32_t *presence_slots;
} csj_field_trie;

/// One scalar value found for a slot. Strings point into the parser's document; only the member
/// that `type` names is set.
typedef struct csj_field_hit {
  uint32_t slot;
  csj_type type;
  const char *string;
  size_t length;
  int64_t integer;
  uint64_t unsigned_integer;
  double number;
  bool boolean;
} csj_field_hit;

/// Walks `object` once and records every scalar value of every field in `trie`, in document
/// order, with Elasticsearch's field semantics: a member key may spell one segment or several
/// joined with dots, arrays are walked element by element at any level, and null is no value.
/// Presence slots get the hits that `csj_trie_node` describes.
/// Writes at most `capacity` hits and returns how many there are in all, so a result above
/// `capacity` asks for a larger buffer.
size_t csj_collect_fields(csj_element object, const csj_field_trie *trie, csj_field_hit *hits, size_t capacity);

/// Collects like `csj_collect_fields` from the root object of an event that may come as a search
/// hit, and looks for the hit's `_source` in the same pass over the root's members. At the first
/// member named `_source`, stops, sets `*is_hit` to true and `*source` to that member's value
/// (of any type), and returns 0: the caller collects again from the source. Otherwise sets
/// `*is_hit` to false, and sets `*looks_like_search_output` when the root's first member is one
/// that Elasticsearch writes first in a search hit or response (`_index`, or another name
/// starting with `_`, `took` or `hits`). Only the first member is looked at, because testing
/// every member for those names cost about 3% of the engine's time.
size_t csj_collect_event_fields(
    csj_element object, const csj_field_trie *trie, csj_field_hit *hits, size_t capacity, bool *is_hit, csj_element *source,
    bool *looks_like_search_output);

#ifdef __cplusplus
}
#endif

#endif

// The engine benchmark's practical limit: a plain loop over simdjson's DOM parser that does the
// same work as the rule "registry where registry.path : PATTERN" and nothing else.
//
// Usage: engine_simdjson FILE.ndjson PATTERN
//
// Each line is parsed, event.category must contain "registry", and some value of registry.path
// must match PATTERN, where '*' matches any run of bytes, '?' one byte, and ASCII letters
// compare without case. Nested objects, dotted keys and arrays are all looked up, as in detectd.
// Prints "events=N matches=M seconds=S", where S is the thread's CPU time for the loop.

#include <simdjson.h>

#include <ctime>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

using simdjson::dom::element;

static unsigned char fold(unsigned char c) { return (c >= 'A' && c <= 'Z') ? c | 0x20 : c; }

// Greedy wildcard match that backtracks only to the last '*'.
static bool wildcard(std::string_view pattern, std::string_view text) {
  size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (p < pattern.size() && (pattern[p] == '?' || fold(pattern[p]) == fold(text[t]))) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

// Calls visit(string) for each string value of the dotted path below value, until it returns true.
template <typename Visit>
static bool find(element value, std::string_view path, Visit &visit) {
  switch (value.type()) {
  case simdjson::dom::element_type::ARRAY: {
    // Copy the array out of its result first: ranging over value_unsafe() of a temporary
    // result reads memory that is already gone.
    simdjson::dom::array items = value.get_array().value_unsafe();
    for (element item : items) {
      if (find(item, path, visit)) return true;
    }
    return false;
  }
  case simdjson::dom::element_type::OBJECT: {
    if (path.empty()) return false;
    simdjson::dom::object members = value.get_object().value_unsafe();
    for (auto field : members) {
      std::string_view key = field.key;
      if (key.size() > path.size() || path.compare(0, key.size(), key) != 0) continue;
      if (key.size() == path.size()) {
        if (find(field.value, std::string_view(), visit)) return true;
      } else if (path[key.size()] == '.') {
        if (find(field.value, path.substr(key.size() + 1), visit)) return true;
      }
    }
    return false;
  }
  case simdjson::dom::element_type::STRING:
    return path.empty() && visit(value.get_string().value_unsafe());
  default:
    return false;
  }
}

// CPU time of this thread, which other processes on a busy machine do not stretch.
static double thread_cpu_seconds() {
  timespec time{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time);
  return double(time.tv_sec) + double(time.tv_nsec) / 1e9;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: engine_simdjson FILE.ndjson PATTERN\n");
    return 2;
  }
  simdjson::padded_string file;
  if (simdjson::padded_string::load(argv[1]).get(file) != simdjson::SUCCESS) {
    std::fprintf(stderr, "cannot read %s\n", argv[1]);
    return 1;
  }
  std::string_view pattern(argv[2]);
  simdjson::dom::parser parser;
  size_t events = 0, matches = 0;

  auto start = thread_cpu_seconds();
  const char *data = file.data();
  size_t size = file.size(), offset = 0;
  while (offset < size) {
    const char *end = static_cast<const char *>(std::memchr(data + offset, '\n', size - offset));
    size_t length = (end ? size_t(end - data) : size) - offset;
    if (length > 0) {
      element root;
      if (parser.parse(data + offset, length, false).get(root) != simdjson::SUCCESS) {
        std::fprintf(stderr, "invalid JSON at byte %zu\n", offset);
        return 1;
      }
      ++events;
      auto isRegistry = [](std::string_view v) { return v == "registry"; };
      auto pathMatches = [&](std::string_view v) { return wildcard(pattern, v); };
      if (find(root, "event.category", isRegistry) && find(root, "registry.path", pathMatches)) ++matches;
    }
    offset += length + 1;
  }
  double seconds = thread_cpu_seconds() - start;
  std::printf("events=%zu matches=%zu seconds=%.3f\n", events, matches, seconds);
  return 0;
}

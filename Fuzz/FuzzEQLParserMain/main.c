// libFuzzer entry point for the EQL parser. Built with -sanitize=fuzzer, libFuzzer supplies
// main(); in any other build the main() below runs each file named on the command line once,
// which reproduces a crash from a saved input.
#include "FuzzEQLParserMain.h"

#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { return detectd_fuzz_eql_parser(data, size); }

#if !defined(__has_feature) || !__has_feature(coverage_sanitizer)
int main(int argc, char **argv) {
  for (int index = 1; index < argc; ++index) {
    FILE *file = fopen(argv[index], "rb");
    if (file == NULL) {
      perror(argv[index]);
      return 1;
    }
    static uint8_t buffer[1 << 20];
    size_t size = fread(buffer, 1, sizeof buffer, file);
    fclose(file);
    LLVMFuzzerTestOneInput(buffer, size);
  }
  return 0;
}
#endif

// libFuzzer entry point for the event decoder. Built with -sanitize=fuzzer, libFuzzer supplies
// main(); in any other build the main() below runs each file named on the command line once,
// which reproduces a crash from a saved input.
#include "FuzzEventDecoderMain.h"

#include <stdio.h>
#include <stdlib.h>

// The target compiles the bundled rule once into a Swift global. LeakSanitizer reports parts of
// that compiled rule as leaked when the process exits although the global still holds them, so
// leak detection is off for this target; AddressSanitizer's other checks stay on.
const char *__asan_default_options(void) { return "detect_leaks=0"; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { return detectd_fuzz_event_decoder(data, size); }

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

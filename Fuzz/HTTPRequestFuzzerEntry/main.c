// Entry point of `fuzz-http-request`. libFuzzer calls LLVMFuzzerTestOneInput; the Swift target
// exports the test itself under a C name, because SwiftPM gives a Swift executable target its
// own `main`, which would clash with libFuzzer's.
//
// Built without DETECTD_LIBFUZZER (a plain `swift build`), the program has a `main` of its own
// that runs each file named on the command line once, to replay a finding without libFuzzer.
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int detectd_fuzz_http_request(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    return detectd_fuzz_http_request(data, size);
}

#ifndef DETECTD_LIBFUZZER
int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        FILE *file = fopen(argv[i], "rb");
        if (file == NULL) {
            perror(argv[i]);
            return 1;
        }
        uint8_t *data = NULL;
        size_t size = 0;
        uint8_t chunk[65536];
        size_t count;
        while ((count = fread(chunk, 1, sizeof chunk, file)) > 0) {
            uint8_t *grown = realloc(data, size + count);
            if (grown == NULL) {
                fprintf(stderr, "%s: out of memory\n", argv[i]);
                return 1;
            }
            data = grown;
            for (size_t j = 0; j < count; j++) {
                data[size + j] = chunk[j];
            }
            size += count;
        }
        fclose(file);
        LLVMFuzzerTestOneInput(data, size);
        free(data);
        printf("%s: passed\n", argv[i]);
    }
    return 0;
}
#endif

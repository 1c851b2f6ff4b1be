#include <stddef.h>
#include <stdint.h>

/// Defined in Swift by the FuzzEQLParser target.
int detectd_fuzz_eql_parser(const uint8_t *data, size_t size);

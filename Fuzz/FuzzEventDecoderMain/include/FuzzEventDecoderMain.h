#include <stddef.h>
#include <stdint.h>

/// Defined in Swift by the FuzzEventDecoder target.
int detectd_fuzz_event_decoder(const uint8_t *data, size_t size);

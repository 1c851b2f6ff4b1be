#ifndef CSIMDJSON_H
#define CSIMDJSON_H
// Placeholder: the C API over simdjson is defined by the Detection work.
#endif

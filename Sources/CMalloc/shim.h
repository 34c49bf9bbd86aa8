// glibc's malloc tuning (mallopt), for `gloss build` (Linux only):
// Glibc's Swift module does not export this header.
#include <malloc.h>

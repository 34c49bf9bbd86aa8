#ifndef CJEMALLOC_OPTIONS_H
#define CJEMALLOC_OPTIONS_H
// jemalloc's options for `gloss`: see jemalloc_options.c.
extern const char *malloc_conf;
#endif

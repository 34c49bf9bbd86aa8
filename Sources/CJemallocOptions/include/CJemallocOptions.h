#ifndef CJEMALLOC_OPTIONS_H
#define CJEMALLOC_OPTIONS_H
// jemalloc's options for the executables: see jemalloc_options.c.
extern const char *malloc_conf;

// From now on, no transparent huge pages for this process (those it has
// stay): `gloss-serve` after its first build. Returns prctl's result.
int gloss_small_pages_from_now_on(void);
#endif

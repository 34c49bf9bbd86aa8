// jemalloc's options for the executables: see jemalloc_options.c.
extern const char *malloc_conf;

// jemalloc reads its options from this symbol when the process starts (the
// MALLOC_CONF environment variable, read after it, still overrides them).
// Linked into `gloss` (and the test bundle, which links gloss's target),
// not into `gloss-serve`.
//
// thp:always: the heap in transparent huge pages. A build touches hundreds
// of megabytes of fresh memory, and each 4 KB page of it cost a page fault:
// a one-change build of 10,000 articles took 43,000 faults (7,600 with huge
// pages), one of 100,000 articles 515,000 (16,000-38,000), and a build of
// 100,000 then took a third less time (README, Performance).
//
// Not for `gloss-serve`: its rebuilds were slower with them (medians of ten
// saves, 211 and 249 ms against 184 and 227), likely because a server gives
// freed memory back and takes it again, and a huge page is zeroed whole.
// On a kernel without transparent huge pages, the option does nothing.
const char *malloc_conf = "thp:always";

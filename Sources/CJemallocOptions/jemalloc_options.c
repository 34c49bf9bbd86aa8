// jemalloc reads its options from this symbol when the process starts (the
// MALLOC_CONF environment variable, read after it, still overrides them).
// Linked into both executables (and the test bundle, which links theirs).
//
// thp:always: the heap in transparent huge pages. A build touches hundreds
// of megabytes of fresh memory, and each 4 KB page of it cost a page fault:
// a one-change build of 10,000 articles took 43,000 faults (7,600 with huge
// pages), one of 100,000 articles 515,000 (16,000-38,000), and a build of
// 100,000 then took a third less time (README, Performance).
//
// `gloss-serve` uses them for its first build only: with huge pages all
// along, its rebuilds were slower (medians of ten saves, 211 and 249 ms
// against 184 and 227). Turned off for what it allocates after the first
// build (`gloss_small_pages_from_now_on`), the rebuilds were faster than
// with small pages all along (median of ten rounds of ten saves: 204 against
// 224 ms) and the first build too (12.2 against 12.9 s), for some 60 MB more.
// On a kernel without transparent huge pages, the option does nothing.
const char *malloc_conf = "thp:always";

#include "CJemallocOptions.h"
#ifdef __linux__
#include <sys/prctl.h>
#endif

// The whole process, from now on, and the processes it starts; huge pages
// it has stay until jemalloc gives their memory back. Linux 5.0 or later
// (before, jemalloc's madvise would undo it).
int gloss_small_pages_from_now_on(void) {
#ifdef __linux__
    return prctl(PR_SET_THP_DISABLE, 1UL, 0UL, 0UL, 0UL);
#else
    return 0;
#endif
}

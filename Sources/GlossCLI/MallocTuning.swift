#if canImport(CMalloc) && canImport(Glibc)
import CMalloc
#endif

/// glibc's malloc, tuned for one long build.
enum MallocTuning {
    /// A block of 256 KB or more that the heap's free space cannot hold gets
    /// pages of its own, which go back to the system when it is freed. By
    /// default glibc raises that threshold (up to 32 MB) each time such a
    /// block is freed, so that a build's large arrays, made and dropped
    /// stage after stage, came from the heap instead and left it fragmented.
    /// A one-change build of 100,000 articles peaked at 1,439 MB without
    /// the fixed threshold and 1,416 MB with it (1,527 against 1,454 MB in
    /// builds that still held the loaded cache to the end). Speed did not
    /// change at 10,000 articles, within this machine's noise.
    static func returnLargeBlocks() {
        #if canImport(CMalloc) && canImport(Glibc)  // musl has no mallopt
        _ = mallopt(M_MMAP_THRESHOLD, 256 << 10)
        #endif
    }
}

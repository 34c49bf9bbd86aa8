#if canImport(CMalloc) && canImport(Glibc)
import CMalloc
#endif

/// glibc's malloc, tuned for one long build.
enum MallocTuning {
    /// A block of 256 KB or more that the heap's free space cannot hold gets
    /// pages of its own, which go back to the system when it is freed. By default glibc raises that threshold
    /// (up to 32 MB) each time such a block is freed, so that a build's
    /// large arrays, made and dropped stage after stage, came from the
    /// heap instead and left it fragmented: the memory a one-change build
    /// of 100,000 articles freed by dropping the loaded cache stayed
    /// resident, and saving the new one then took 110 MB more (peak 1,527
    /// against 1,464 MB with the threshold fixed). Speed did not change at
    /// 10,000 articles, within this machine's noise.
    static func returnLargeBlocks() {
        #if canImport(CMalloc) && canImport(Glibc)  // musl has no mallopt
        _ = mallopt(M_MMAP_THRESHOLD, 256 << 10)
        #endif
    }
}

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The part of a `BuildCache` that outlives one `gloss build`: decoded
/// content files, annotated articles, entity descriptions, feeds, items of
/// the data exports, the search index, and the key of every page (and of
/// the sitemap) in the output folder. The next build then decodes, annotates and renders only
/// what changed, and keeps the other pages as published.
///
/// Two files beside the output folder, like the staging folder (never in
/// content/, never published): the cache file (`.public.gloss-cache` for
/// `public/`) and its text pack (`.public.gloss-texts`), where the large
/// texts are, each named by the cache file with its place and checksum.
/// Anything unexpected (another format, another gloss binary, a damaged
/// file, another pack) makes the build start from nothing: the cache can
/// cost time, never correctness.
enum PersistentCache {
    /// Changes whenever the layout of `CacheCoding` or the meaning of a key does.
    static let formatVersion = 13
    static let magic = "gloss build cache\n"

    static func location(for output: URL) -> URL {
        output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).gloss-cache")
    }

    /// The cache of the last good build into `output` (or an empty one),
    /// and its text pack, locked for this build: the build's own texts go
    /// there too, and `save` is given it. No pack if another process holds
    /// it: that build then neither reads nor saves a cache.
    static func load(for output: URL) -> (cache: BuildCache, pack: TextSpill?) {
        // The build makes the output's folder anyway; the pack goes beside it from the start.
        try? FileManager.default.createDirectory(at: output.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard toolIdentity != nil, let pack = TextSpill(pack: packLocation(for: output).path) else { return (BuildCache(), nil) }
        // A pack an interrupted compaction left.
        _ = SiteWriter.workPath(beside: output, kind: "gloss-texts.tmp")
        if let cache = read(location(for: output), outputIdentity: identity(of: output.path), pack: pack) { return (cache, pack) }
        // Its texts are of no use, and no cache file may name those that replace them.
        remove(for: output)
        pack.removeAll()
        return (BuildCache(), pack)
    }

    static func read(_ file: URL, outputIdentity: Int, pack: TextSpill) -> BuildCache? {
        let fd = open(file.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_size > 0,
              let base = mmap(nil, Int(info.st_size), PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else { return nil }
        defer { munmap(base, Int(info.st_size)) }
        let buffer = Buffer(bytes: UnsafeRawBufferPointer(start: base, count: Int(info.st_size)), mapped: true)
        return try? decode(buffer, outputIdentity: outputIdentity, pack: pack, file: fd)
    }

    /// Stores `cache`, written next to the cache file and renamed over it, so
    /// that a reader never sees half a file. Called only after the site was
    /// published: the page keys describe the output folder as it now is.
    ///
    /// A build that changed nothing encodes the same bytes as the file
    /// already holds: they are compared as they are made, and the file is
    /// written only from the first difference on (with the equal prefix).
    /// The old file is read a chunk at a time, not mapped: mapping it put
    /// all of it in the process's memory beside the cache being saved.
    ///
    /// Texts not yet in `pack` are added to it. When most of the pack is
    /// texts no cache refers to any more (edits leave the old ones behind),
    /// the cache is written again with a new pack of only the live ones.
    static func save(_ cache: BuildCache, for output: URL, pack: TextSpill, slack: Int = 64 << 20) throws {
        guard toolIdentity != nil else { return remove(for: output, withTexts: true) }
        let live = try write(cache, for: output, pack: pack, renaming: nil)
        guard pack.length > 2 * live + slack else { return }
        let path = SiteWriter.workPath(beside: output, kind: "gloss-texts.tmp")
        guard let fresh = TextSpill(pack: path.path) else { throw SiteWriter.WriteError.cannotWrite(path.path) }
        fresh.removeAll()
        defer { unlink(path.path) }
        try write(cache, for: output, pack: fresh, renaming: path)
    }

    /// Writes the cache file; first renames `newPack`, if given, to the
    /// pack's place. Returns how many bytes of the pack the texts take.
    @discardableResult
    private static func write(_ cache: BuildCache, for output: URL, pack: TextSpill, renaming newPack: URL?) throws -> Int {
        let target = location(for: output)
        // `.public.gloss-cache.tmp-PID`; those of interrupted saves (hundreds
        // of megabytes each) are removed first.
        let temporary = SiteWriter.workPath(beside: output, kind: "gloss-cache.tmp")
        let old = open(target.path, O_RDONLY | O_CLOEXEC)
        defer { if old >= 0 { close(old) } }
        var same = old >= 0, offset = 0
        var fd: Int32 = -1, written = true
        var scratch: [UInt8] = []
        func write(_ bytes: UnsafeRawBufferPointer) {
            if fd < 0 { fd = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644) }
            written = written && fd >= 0 && SiteWriter.writeAll(fd, bytes)
        }
        /// The old file's first `count` bytes, which equal what was encoded so far.
        func copyOldPrefix(_ count: Int) {
            var copied = 0
            while copied < count {
                let block = readOld(at: copied, count: min(1 << 20, count - copied))
                guard !block.isEmpty else { written = false; return }
                block.withUnsafeBytes { write($0) }
                copied += block.count
            }
        }
        func readOld(at position: Int, count: Int) -> ArraySlice<UInt8> {
            if scratch.count < count { scratch = [UInt8](repeating: 0, count: count) }
            let got = scratch.withUnsafeMutableBytes { pread(old, $0.baseAddress!, count, off_t(position)) }
            return got > 0 ? scratch[..<got] : []
        }
        let live = encode(cache, outputIdentity: identity(of: output.path), pack: pack) { bytes in
            if same {
                let previous = readOld(at: offset, count: bytes.count)
                if previous.count == bytes.count, previous.withUnsafeBytes({ a in
                    bytes.withUnsafeBytes { b in memcmp(a.baseAddress!, b.baseAddress!, b.count) == 0 }
                }) {
                    offset += bytes.count
                    return
                }
                copyOldPrefix(offset)
                same = false
            }
            bytes.withUnsafeBytes { write($0) }
        }
        if same, readOld(at: offset, count: 1).isEmpty { return live }  // the same bytes, and no more
        if same { copyOldPrefix(offset) }  // a prefix of the old file
        if fd >= 0 { close(fd) }
        guard written, fd >= 0, newPack.map({ rename($0.path, packLocation(for: output).path) == 0 }) ?? true,
              rename(temporary.path, target.path) == 0 else {
            unlink(temporary.path)
            throw SiteWriter.WriteError.cannotWrite(target.path)
        }
        return live
    }

    /// Removes the cache, whose file must not outlive the site it described;
    /// `withTexts`, its text pack too (a build told not to use a cache).
    /// The pack alone is of no use, but a build that holds it may save a
    /// cache that refers to it.
    static func remove(for output: URL, withTexts: Bool = false) {
        unlink(location(for: output).path)
        // Not from under a build that holds it.
        if withTexts, let pack = TextSpill(pack: packLocation(for: output).path) { withExtendedLifetime(pack) { _ = unlink(packLocation(for: output).path) } }
    }

    /// Beside the cache file: `.public.gloss-texts` for `public/`.
    static func packLocation(for output: URL) -> URL {
        output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).gloss-texts")
    }

    /// Which gloss made the cache: its executable's size and modification
    /// time. A new build of gloss may render differently, so its first
    /// build starts from nothing.
    /// Nil where the executable cannot be found: builds of gloss could then
    /// not be told apart, and no cache is used.
    static let toolIdentity: String? = {
        var info = stat()
        guard stat("/proc/self/exe", &info) == 0 else { return nil }
        return "\(info.st_size)-\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
    }()

    /// The output folder's inode: after a swap the published folder is the
    /// staging folder renamed, so a folder replaced by anything else (or
    /// deleted) has another identity and its page keys are not trusted.
    static func identity(of folder: String) -> Int {
        var info = stat()
        return stat(folder, &info) == 0 ? Int(bitPattern: UInt(info.st_ino)) : -1
    }

    /// The mapped file, read only.
    struct Buffer: @unchecked Sendable {
        let bytes: UnsafeRawBufferPointer
        /// Whether `bytes` is a mapping of the file (for anything else,
        /// `MADV_DONTNEED` would zero memory that is still in use).
        var mapped = false

        /// Lets the kernel drop the pages before `offset`, once decoded:
        /// mapped pages count in the process's memory, and the decoded
        /// values are a copy of them.
        func release(before offset: Int) {
            let page = Int(sysconf(Int32(_SC_PAGESIZE)))
            guard mapped, let base = bytes.baseAddress, offset >= page else { return }
            madvise(UnsafeMutableRawPointer(mutating: base), offset / page * page, MADV_DONTNEED)
        }
    }
}

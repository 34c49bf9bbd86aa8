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
    static let formatVersion = 24
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
        // Unmapped once the last section is decoded, maybe after this returns.
        let mapping = Mapping(Buffer(bytes: UnsafeRawBufferPointer(start: base, count: Int(info.st_size)), mapped: true))
        return try? decode(mapping.buffer, outputIdentity: outputIdentity, pack: pack, file: fd, mapping: mapping)
    }

    /// Stores `cache`. Called only after the site was published: the page
    /// keys describe the output folder as it now is.
    ///
    /// Saved in place when the cache was loaded from the file there: the
    /// records that changed and a new directory are appended, and the header
    /// then names it (`RecordFile`). Otherwise, and once more than half the
    /// file is what earlier saves left behind, the file is written anew next
    /// to the cache file and renamed over it, so that a reader never sees
    /// half a file. A build that changed nothing leaves the file as it was.
    ///
    /// Texts not yet in `pack` are added to it. When most of the pack is
    /// texts no cache refers to any more (edits leave the old ones behind),
    /// the cache is written again with a new pack of only the live ones.
    ///
    /// `fileSlack`: how much larger than twice what it holds the cache file
    /// may grow by saves in place.
    static func save(_ cache: BuildCache, for output: URL, pack: TextSpill, slack: Int = 64 << 20,
                     fileSlack: Int = 8 << 20) throws {
        guard toolIdentity != nil else { return remove(for: output, withTexts: true) }
        let live = try write(cache, for: output, pack: pack, renaming: nil, fileSlack: fileSlack)
        guard pack.length > 2 * live + slack else { return }
        let path = SiteWriter.workPath(beside: output, kind: "gloss-texts.tmp")
        guard let fresh = TextSpill(pack: path.path) else { throw SiteWriter.WriteError.cannotWrite(path.path) }
        fresh.removeAll()
        defer { unlink(path.path) }
        try write(cache, for: output, pack: fresh, renaming: path, fileSlack: fileSlack)
    }

    /// Writes the cache file, in place if it can; a new file first renames
    /// `newPack`, if given, to the pack's place. Returns how many bytes of
    /// the pack the texts take.
    @discardableResult
    private static func write(_ cache: BuildCache, for output: URL, pack: TextSpill, renaming newPack: URL?,
                              fileSlack: Int) throws -> Int {
        let target = location(for: output), identity = identity(of: output.path)
        if newPack == nil, let loaded = cache.loaded,
           let (fd, end) = loaded.openForAppending(target.path, pack: pack, slack: fileSlack) {
            defer { close(fd) }
            let file = RecordFile(appendingTo: fd, at: end)
            let directory = encode(cache, outputIdentity: identity, pack: pack, into: file)
            let checksum = directory.withUnsafeBytes(ByteReader.checksum)
            let same = file.added == 0 && directory.count == loaded.directory.range.count && checksum == loaded.directory.checksum
            // The same directory is named again: the header may have been cleared meanwhile (`invalidate`).
            let written = same ? RecordFile.header(directory: loaded.directory.range, checksum: checksum)
                .withUnsafeBytes { RecordFile.writeAll(fd, $0, at: 0) } : file.finish(directory: directory, checksum: checksum)
            guard written else {
                unlink(target.path)
                throw SiteWriter.WriteError.cannotWrite(target.path)
            }
            return file.packed
        }
        // `.public.gloss-cache.tmp-PID`; those of interrupted saves (hundreds
        // of megabytes each) are removed first.
        let temporary = SiteWriter.workPath(beside: output, kind: "gloss-cache.tmp")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SiteWriter.WriteError.cannotWrite(target.path) }
        let file = RecordFile(fresh: fd)
        let written = file.finish(directory: encode(cache, outputIdentity: identity, pack: pack, into: file))
        close(fd)
        guard written, newPack.map({ rename($0.path, packLocation(for: output).path) == 0 }) ?? true,
              rename(temporary.path, target.path) == 0 else {
            unlink(temporary.path)
            throw SiteWriter.WriteError.cannotWrite(target.path)
        }
        return file.packed
    }

    /// Makes the cache file describe no output folder, before the build
    /// changes the folder; the save after it names the new one. Its records
    /// stay, for that save to name again.
    static func invalidate(for output: URL) {
        RecordFile.invalidate(location(for: output).path)
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

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The part of a `BuildCache` that outlives one `gloss build`: decoded
/// content files, annotated articles, entity descriptions, feeds, items of
/// the data exports, and the key of every page in the output folder. The next build then decodes, annotates
/// and renders only what changed, and keeps the other pages as published.
///
/// One file beside the output folder (`.public.gloss-cache` for `public/`),
/// like the staging folder: never in content/, never published. Anything
/// unexpected (another format, another gloss binary, a damaged file) makes
/// the build start from nothing: the cache can cost time, never correctness.
enum PersistentCache {
    /// Changes whenever the layout of `CacheCoding` or the meaning of a key does.
    static let formatVersion = 2
    static let magic = "gloss build cache\n"

    static func location(for output: URL) -> URL {
        output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).gloss-cache")
    }

    /// The cache of the last good build into `output`, or an empty one.
    static func load(for output: URL) -> BuildCache {
        guard toolIdentity != nil, let data = try? Data(contentsOf: location(for: output), options: .alwaysMapped) else { return BuildCache() }
        return data.withUnsafeBytes { bytes in
            (try? decode(Buffer(bytes: bytes), outputIdentity: identity(of: output.path))) ?? BuildCache()
        }
    }

    /// Stores `cache`, written next to the cache file and renamed over it, so
    /// that a reader never sees half a file. Called only after the site was
    /// published: the page keys describe the output folder as it now is.
    ///
    /// A build that changed nothing encodes the same bytes as the file
    /// already holds: they are compared as they are made, and the file is
    /// written only from the first difference on (with the equal prefix).
    static func save(_ cache: BuildCache, for output: URL) throws {
        guard toolIdentity != nil else { return remove(for: output) }
        let target = location(for: output)
        // Left by saves that were interrupted: hundreds of megabytes each.
        SiteWriter.removeAbandoned(beside: output, prefix: "\(target.lastPathComponent).tmp-")
        let temporary = target.deletingLastPathComponent()
            .appendingPathComponent("\(target.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
        let old = try? Data(contentsOf: target, options: .alwaysMapped)
        var same = old != nil, offset = 0
        var fd: Int32 = -1, written = true
        func write(_ bytes: UnsafeRawBufferPointer) {
            if fd < 0 { fd = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644) }
            written = written && fd >= 0 && SiteWriter.writeAll(fd, bytes)
        }
        encode(cache, outputIdentity: identity(of: output.path)) { bytes in
            if same, let old, offset + bytes.count <= old.count, old.withUnsafeBytes({ previous in
                bytes.withUnsafeBytes { memcmp(previous.baseAddress! + offset, $0.baseAddress!, $0.count) == 0 }
            }) {
                offset += bytes.count
                return
            }
            if same, let old { old.withUnsafeBytes { write(UnsafeRawBufferPointer(rebasing: $0[..<offset])) } }
            same = false
            bytes.withUnsafeBytes { write($0) }
        }
        if same, offset == old?.count { return }
        if same, let old { old.withUnsafeBytes { write(UnsafeRawBufferPointer(rebasing: $0[..<offset])) } }  // a shorter file
        if fd >= 0 { close(fd) }
        guard written, fd >= 0, rename(temporary.path, target.path) == 0 else {
            unlink(temporary.path)
            throw SiteWriter.WriteError.cannotWrite(target.path)
        }
    }

    /// Removes the cache, for a build told not to use one: a stale file
    /// must not outlive the site it described.
    static func remove(for output: URL) { unlink(location(for: output).path) }

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

    struct Buffer: @unchecked Sendable {  // read only, within `withUnsafeBytes`
        let bytes: UnsafeRawBufferPointer
    }
}

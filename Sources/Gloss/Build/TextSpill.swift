import Foundation

/// Text a build makes once and reads back once or a few times, kept in a
/// file instead of memory: an article's HTML and search text are needed when
/// its page, its feed entries and the search index are made, but for the
/// rest of the build only listings and backlinks need to know about it.
///
/// The file sits beside the output folder (where the build cache and the
/// staging folder go, never inside the site) and is unlinked as soon as it
/// is open, so it disappears with the process however the build ends.
final class TextSpill: @unchecked Sendable {
    private let descriptor: Int32
    private let lock = NSLock()
    /// Where the next text goes; guarded by `lock`.
    private var end = 0
    /// The first read that failed (an I/O error on the output's disk);
    /// guarded by `lock`. The build reports it and publishes nothing.
    private var readFailure: String?

    /// Nil when no file can be made there: the build then keeps its text in memory.
    init?(beside output: URL) {
        // Also removes one left by a process killed between creating and unlinking it.
        let path = SiteWriter.workPath(beside: output.standardizedFileURL, kind: "gloss-spill").path
        let descriptor = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return nil }
        unlink(path)
        self.descriptor = descriptor
    }

    /// An existing file, read only: the cache file of the last build, whose
    /// texts are read where they are (a copy of `descriptor` is kept, so
    /// the file can be replaced meanwhile).
    init?(reading descriptor: Int32) {
        let copy = dup(descriptor)
        guard copy >= 0 else { return nil }
        self.descriptor = copy
        _ = fcntl(copy, F_SETFD, FD_CLOEXEC)
    }

    deinit { close(descriptor) }

    /// `count` bytes at `offset` of the file, as text, not read yet.
    func text(at offset: Int, count: Int) -> StoredText {
        count == 0 ? StoredText("") : StoredText(spill: self, offset: offset, count: count)
    }

    /// `count` bytes at `offset` of the file, not read yet.
    func bytes(at offset: Int, count: Int) -> StoredBytes {
        count == 0 ? StoredBytes([]) : StoredBytes(spill: self, offset: offset, count: count)
    }

    /// The text, written to the file; in memory if the write fails (a full
    /// disk costs memory, not the build).
    func store(_ text: String) -> StoredText {
        var text = text
        return text.withUTF8 { bytes in
            guard let offset = append(UnsafeRawBufferPointer(bytes)) else { return StoredText(String(decoding: bytes, as: UTF8.self)) }
            return StoredText(spill: self, offset: offset, count: bytes.count)
        }
    }

    /// The bytes, written to the file; in memory if the write fails.
    func store(bytes: [UInt8]) -> StoredBytes {
        guard let offset = bytes.withUnsafeBytes(append) else { return StoredBytes(bytes) }
        return StoredBytes(spill: self, offset: offset, count: bytes.count)
    }

    /// Where `bytes` now are in the file; nil if empty or not written.
    private func append(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard bytes.count > 0 else { return nil }
        let offset = lock.withLock {
            defer { end += bytes.count }
            return end
        }
        var written = 0
        while written < bytes.count {
            let result = pwrite(descriptor, bytes.baseAddress! + written, bytes.count - written, off_t(offset + written))
            if result < 0 && errno == EINTR { continue }
            guard result > 0 else { return nil }
            written += result
        }
        return offset
    }

    /// Empties the file, as a failing disk might: for tests of what a
    /// build does when a text cannot be read back.
    func discardContentsForTesting() { _ = ftruncate(descriptor, 0) }

    /// Why a text could not be read back, if one could not.
    var failure: String? { lock.withLock { readFailure } }

    fileprivate func read(offset: Int, count: Int) -> String {
        String(unsafeUninitializedCapacity: count) { read(offset: offset, into: UnsafeMutableRawBufferPointer($0)) ? count : 0 }
    }

    fileprivate func readBytes(offset: Int, count: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { buffer, done in
            done = read(offset: offset, into: UnsafeMutableRawBufferPointer(buffer)) ? count : 0
        }
    }

    /// Fills `buffer` from `offset`; false (and the failure recorded) if it cannot.
    private func read(offset: Int, into buffer: UnsafeMutableRawBufferPointer) -> Bool {
        var done = 0
        while done < buffer.count {
            let result = pread(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
            if result < 0 && errno == EINTR { continue }
            // Our own file, written in full before: only an I/O error gets here.
            guard result > 0 else {
                let reason = result < 0 ? String(cString: strerror(errno)) : "the file is shorter than what was written"
                lock.withLock { if readFailure == nil { readFailure = reason } }
                return false
            }
            done += result
        }
        return true
    }
}

/// A string in memory, or in a `TextSpill`, read on each use.
public struct StoredText: Sendable {
    private enum Storage: Sendable {
        case memory(String)
        case spilled(TextSpill, offset: Int, count: Int)
    }

    private let storage: Storage

    init(_ text: String) { storage = .memory(text) }

    /// `text` in `spill` if there is one, else in memory.
    init(_ text: String, in spill: TextSpill?) { self = spill?.store(text) ?? StoredText(text) }

    fileprivate init(spill: TextSpill, offset: Int, count: Int) { storage = .spilled(spill, offset: offset, count: count) }

    public var value: String {
        switch storage {
        case .memory(let text): return text
        case .spilled(let spill, let offset, let count): return spill.read(offset: offset, count: count)
        }
    }

    /// The length of `value` in UTF-8, without reading it.
    var utf8Count: Int {
        switch storage {
        case .memory(let text): return text.utf8.count
        case .spilled(_, _, let count): return count
        }
    }

    var isSpilled: Bool {
        if case .spilled = storage { return true }
        return false
    }
}

/// Bytes in memory or in a `TextSpill`, read on each use: a search
/// document's terms or a bucket of posting lists, kept packed for the next
/// build and unpacked only when a change needs them.
struct StoredBytes: Sendable {
    private enum Storage: Sendable {
        case memory([UInt8])
        case spilled(TextSpill, offset: Int, count: Int)
    }

    private let storage: Storage

    init(_ bytes: [UInt8]) { storage = .memory(bytes) }

    /// `bytes` in `spill` if there is one, else in memory.
    init(_ bytes: [UInt8], in spill: TextSpill?) { self = spill?.store(bytes: bytes) ?? StoredBytes(bytes) }

    fileprivate init(spill: TextSpill, offset: Int, count: Int) { storage = .spilled(spill, offset: offset, count: count) }

    var bytes: [UInt8] {
        switch storage {
        case .memory(let bytes): return bytes
        case .spilled(let spill, let offset, let count): return spill.readBytes(offset: offset, count: count)
        }
    }
}

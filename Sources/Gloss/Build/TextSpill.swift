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

    deinit { close(descriptor) }

    /// The text, written to the file; in memory if the write fails (a full
    /// disk costs memory, not the build).
    func store(_ text: String) -> StoredText {
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.count > 0 else { return StoredText("") }
            let offset = lock.withLock {
                defer { end += bytes.count }
                return end
            }
            var written = 0
            while written < bytes.count {
                let result = pwrite(descriptor, bytes.baseAddress! + written, bytes.count - written, off_t(offset + written))
                if result < 0 && errno == EINTR { continue }
                guard result > 0 else { return StoredText(String(decoding: bytes, as: UTF8.self)) }
                written += result
            }
            return StoredText(spill: self, offset: offset, count: bytes.count)
        }
    }

    /// Empties the file, as a failing disk might: for tests of what a
    /// build does when a text cannot be read back.
    func discardContentsForTesting() { _ = ftruncate(descriptor, 0) }

    /// Why a text could not be read back, if one could not.
    var failure: String? { lock.withLock { readFailure } }

    fileprivate func read(offset: Int, count: Int) -> String {
        String(unsafeUninitializedCapacity: count) { (buffer: UnsafeMutableBufferPointer<UInt8>) -> Int in
            var done = 0
            while done < count {
                let result = pread(descriptor, buffer.baseAddress! + done, count - done, off_t(offset + done))
                if result < 0 && errno == EINTR { continue }
                // Our own file, written in full before: only an I/O error gets here.
                guard result > 0 else {
                    let reason = result < 0 ? String(cString: strerror(errno)) : "the file is shorter than what was written"
                    lock.withLock { if readFailure == nil { readFailure = reason } }
                    return 0
                }
                done += result
            }
            return count
        }
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

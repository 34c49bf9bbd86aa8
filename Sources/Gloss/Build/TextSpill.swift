import Foundation

/// Text a build makes once and reads back once or a few times, kept in a
/// file instead of memory: an article's HTML and search text are needed when
/// its page, its feed entries and the search index are made, but for the
/// rest of the build only listings and backlinks need to know about it.
///
/// Either a file of its own beside the output folder (never inside the
/// site), unlinked as soon as it is open so it disappears with the process
/// however the build ends; or the build cache's text pack
/// (`PersistentCache`), where the texts of earlier builds are too and those
/// of this build stay for the next one.
///
/// Every text is stored with a checksum and checked when read back.
final class TextSpill: @unchecked Sendable {
    private let descriptor: Int32
    private let lock = NSLock()
    /// Where the next text goes; guarded by `lock`.
    private var end = 0
    /// The first read that failed (an I/O error on the output's disk, or a
    /// text that is not what was written); guarded by `lock`. The build
    /// reports it and publishes nothing.
    private var readFailure: String?
    /// Which pack this is, as the cache file names it: a random number in
    /// its first bytes, drawn again whenever it is emptied, so a cache
    /// file from before cannot name texts that have since been replaced.
    private(set) var generation = 0

    /// Nil when no file can be made there: the build then keeps its text in memory.
    convenience init?(beside output: URL) {
        // Also removes one left by a process killed between creating and unlinking it.
        let path = SiteWriter.workPath(beside: output.standardizedFileURL, kind: "gloss-spill").path
        self.init(descriptor: open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600))
        unlink(path)
    }

    /// The file at `path`, made if missing, locked for this process (nil if
    /// another holds it for more than a few seconds). New texts go after
    /// what it holds.
    convenience init?(pack path: String) {
        guard let descriptor = Self.lockedFile(at: path) else { return nil }
        self.init(descriptor: descriptor)
        var number: UInt64 = 0
        if end >= 8, pread(descriptor, &number, 8, 0) == 8 {
            generation = Int(bitPattern: UInt(number))
        } else {
            removeAll()
        }
    }

    /// A descriptor of the file at `path`, locked. The lock is the file's:
    /// one locked here just before it was replaced or removed (compaction,
    /// `--no-cache`) is not the pack, and is opened again.
    private static func lockedFile(at path: String) -> Int32? {
        // A moment's wait: a process just started elsewhere in this one may
        // share the lock of a build that has finished, until it runs its program.
        for _ in 0..<300 {
            let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else { return nil }
            if flock(descriptor, LOCK_EX | LOCK_NB) == 0 {
                var held = stat(), named = stat()
                if fstat(descriptor, &held) == 0, stat(path, &named) == 0, held.st_ino == named.st_ino, held.st_dev == named.st_dev {
                    return descriptor
                }
                close(descriptor)
                continue
            }
            close(descriptor)
            usleep(10_000)
        }
        return nil
    }

    /// Empties the file (what it held is of no use) under a new generation.
    func removeAll() {
        var number = UInt64.random(in: 1...UInt64.max)
        lock.withLock {
            end = 8
            generation = Int(bitPattern: UInt(number))
            _ = ftruncate(descriptor, 0)
            _ = pwrite(descriptor, &number, 8, 0)
        }
    }

    private init?(descriptor: Int32) {
        var info = stat()
        guard descriptor >= 0 else { return nil }
        guard fstat(descriptor, &info) == 0 else {
            close(descriptor)
            return nil
        }
        self.descriptor = descriptor
        end = Int(info.st_size)
    }

    deinit { close(descriptor) }

    /// How far the file is filled.
    var length: Int { lock.withLock { end } }

    /// The text, written to the file; in memory if the write fails (a full
    /// disk costs memory, not the build).
    func store(_ text: String) -> StoredText {
        var text = text
        return text.withUTF8 { bytes in
            guard let place = append(UnsafeRawBufferPointer(bytes)) else { return StoredText(String(decoding: bytes, as: UTF8.self)) }
            return StoredText(spill: self, place)
        }
    }

    /// The bytes, written to the file; in memory if the write fails.
    func store(bytes: [UInt8]) -> StoredBytes {
        guard let place = bytes.withUnsafeBytes(append) else { return StoredBytes(bytes) }
        return StoredBytes(spill: self, place)
    }

    /// Several byte strings, written to the file with one write (an
    /// article's backlink passages, a dozen small ones); empty ones stay in memory.
    func store(all parts: [[UInt8]]) -> [StoredBytes] {
        guard let place = Array(parts.joined()).withUnsafeBytes(append) else {
            return parts.map(StoredBytes.init)
        }
        var offset = place.offset
        return parts.map { part in
            defer { offset += part.count }
            guard !part.isEmpty else { return StoredBytes(part) }
            return StoredBytes(spill: self, Place(offset: offset, count: part.count, checksum: part.withUnsafeBytes(ByteReader.checksum)))
        }
    }

    /// A text the cache's index says is at `place` in this file.
    func text(at place: Place) -> StoredText? { holds(place) ? StoredText(spill: self, place) : nil }

    func bytes(at place: Place) -> StoredBytes? { holds(place) ? StoredBytes(spill: self, place) : nil }

    /// Whether `place` lies within what the file holds.
    private func holds(_ place: Place) -> Bool {
        place.offset >= 0 && place.count > 0 && place.offset <= length - place.count
    }

    /// Where `bytes` now are in the file; nil if empty or not written.
    private func append(_ bytes: UnsafeRawBufferPointer) -> Place? {
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
        return Place(offset: offset, count: bytes.count, checksum: ByteReader.checksum(bytes))
    }

    /// Empties the file, as a failing disk might: for tests of what a
    /// build does when a text cannot be read back.
    func discardContentsForTesting() { _ = ftruncate(descriptor, 0) }

    /// Why a text could not be read back, if one could not.
    var failure: String? { lock.withLock { readFailure } }

    fileprivate func read(_ place: Place) -> String {
        String(unsafeUninitializedCapacity: place.count) { read(place, into: UnsafeMutableRawBufferPointer($0)) ? place.count : 0 }
    }

    fileprivate func readBytes(_ place: Place) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: place.count) { buffer, done in
            done = read(place, into: UnsafeMutableRawBufferPointer(buffer)) ? place.count : 0
        }
    }

    /// Fills `buffer` from `place`; false (and the failure recorded) if it cannot.
    private func read(_ place: Place, into buffer: UnsafeMutableRawBufferPointer) -> Bool {
        var done = 0
        while done < buffer.count {
            let result = pread(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(place.offset + done))
            if result < 0 && errno == EINTR { continue }
            // Written in full before: only an I/O error or a damaged file gets here.
            guard result > 0 else { return failed(result < 0 ? String(cString: strerror(errno)) : "the file is shorter than what was written") }
            done += result
        }
        return ByteReader.checksum(UnsafeRawBufferPointer(buffer)) == place.checksum || failed("a text is not what was written")
    }

    private func failed(_ reason: String) -> Bool {
        lock.withLock { if readFailure == nil { readFailure = reason } }
        return false
    }

    /// Where a text is in the file, and the checksum of its bytes.
    struct Place: Sendable {
        let offset: Int, count: Int, checksum: Int
    }
}

/// Where a stored value is: in memory, or at a place in a `TextSpill`.
/// `StoredText` and `StoredBytes` differ only in what memory holds.
private enum Storage<Memory: Sendable>: Sendable {
    case memory(Memory)
    case spilled(TextSpill, TextSpill.Place)

    func place(in spill: TextSpill) -> TextSpill.Place? {
        if case .spilled(let holder, let place) = self, holder === spill { return place }
        return nil
    }
}

/// A string in memory, or in a `TextSpill`, read on each use.
public struct StoredText: Sendable {
    private let storage: Storage<String>

    init(_ text: String) { storage = .memory(text) }

    /// `text` in `spill` if there is one, else in memory.
    init(_ text: String, in spill: TextSpill?) { self = spill?.store(text) ?? StoredText(text) }

    fileprivate init(spill: TextSpill, _ place: TextSpill.Place) { storage = .spilled(spill, place) }

    public var value: String {
        switch storage {
        case .memory(let text): return text
        case .spilled(let spill, let place): return spill.read(place)
        }
    }

    /// The length of `value` in UTF-8, without reading it.
    var utf8Count: Int {
        switch storage {
        case .memory(let text): return text.utf8.count
        case .spilled(_, let place): return place.count
        }
    }

    var isSpilled: Bool {
        if case .spilled = storage { return true }
        return false
    }

    /// Where the text is in `spill`, if it is there.
    func place(in spill: TextSpill) -> TextSpill.Place? { storage.place(in: spill) }
}

/// Bytes in memory or in a `TextSpill`, read on each use: a search
/// document's terms or a bucket of posting lists, kept packed for the next
/// build and unpacked only when a change needs them.
struct StoredBytes: Sendable {
    private let storage: Storage<[UInt8]>

    init(_ bytes: [UInt8]) { storage = .memory(bytes) }

    /// `bytes` in `spill` if there is one, else in memory.
    init(_ bytes: [UInt8], in spill: TextSpill?) { self = spill?.store(bytes: bytes) ?? StoredBytes(bytes) }

    fileprivate init(spill: TextSpill, _ place: TextSpill.Place) { storage = .spilled(spill, place) }

    var bytes: [UInt8] {
        switch storage {
        case .memory(let bytes): return bytes
        case .spilled(let spill, let place): return spill.readBytes(place)
        }
    }

    func place(in spill: TextSpill) -> TextSpill.Place? { storage.place(in: spill) }
}

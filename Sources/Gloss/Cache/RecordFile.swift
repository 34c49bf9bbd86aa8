import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The cache file's layout: a fixed header, records in no particular order,
/// and a directory that says which records make up each section.
///
///     header (48 bytes): magic, format version, the directory's offset, length and checksum
///     records
///     directory (see `PersistentCache.encode`), last
///
/// A save after an edit appends the records that changed and a new
/// directory to the loaded file, then points the header at it: every other
/// record stays where it is, and saving costs what changed rather than the
/// whole file. Until the header is written it names the old directory, whose
/// records are all still in the file, so a save cut short leaves only bytes
/// no directory names; the next full write drops them.
final class RecordFile {
    static let headerSize = 48

    /// Where the bytes go; -1: memory (`bytes`).
    private let fd: Int32
    /// Not yet written; they start at the file offset `flushed`.
    private var buffer: [UInt8]
    private var flushed: Int
    /// Whether the records already in the file may be named again (an in-place save).
    let appending: Bool
    private(set) var failed = false
    /// The bytes of the text pack the directory's records' texts take.
    private(set) var packed = 0
    /// Bytes of records this save added.
    private(set) var added = 0

    /// A new file, or memory with `fd` -1: the header's place is left for `finish`.
    init(fresh fd: Int32) {
        self.fd = fd
        buffer = [UInt8](repeating: 0, count: Self.headerSize)
        flushed = 0
        appending = false
    }

    /// The loaded cache file, open for writing, to append to after its `end`.
    init(appendingTo fd: Int32, at end: Int) {
        self.fd = fd
        buffer = []
        flushed = end
        appending = true
    }

    var end: Int { flushed + buffer.count }

    /// The whole file, for one kept in memory.
    var bytes: [UInt8] { buffer }

    /// Appends a record; returns where it is.
    func add(_ record: [UInt8], checksum: Int, packed: Int) -> LoadedRecords.Span {
        let span = LoadedRecords.Span(range: end..<end + record.count, checksum: checksum, packed: packed)
        buffer.append(contentsOf: record)
        added += record.count
        keep(span)
        if fd >= 0, buffer.count >= 1 << 20 { flush() }
        return span
    }

    /// Names a record the file already holds.
    func keep(_ span: LoadedRecords.Span) {
        packed += span.packed
    }

    private func flush() {
        guard !buffer.isEmpty else { return }
        failed = failed || !buffer.withUnsafeBytes { Self.writeAll(fd, $0, at: flushed) }
        flushed += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    /// Appends the directory and points the header at it (`checksum`: the
    /// directory's, if the caller has it). False if a write failed.
    func finish(directory: [UInt8], checksum: Int? = nil) -> Bool {
        let offset = end
        buffer.append(contentsOf: directory)
        let header = Self.header(directory: offset..<offset + directory.count,
                                 checksum: checksum ?? directory.withUnsafeBytes(ByteReader.checksum))
        guard fd >= 0 else {
            buffer.replaceSubrange(0..<Self.headerSize, with: header)
            return true
        }
        flush()
        // The header last: until then it names the old directory.
        failed = failed || !header.withUnsafeBytes { Self.writeAll(fd, $0, at: 0) }
        return !failed
    }

    static func header(directory: Range<Int>, checksum: Int) -> [UInt8] {
        var header = Array(PersistentCache.magic.utf8)
        header += [0, 0]
        withUnsafeBytes(of: UInt32(PersistentCache.formatVersion).littleEndian) { header += $0 }
        for value in [UInt64(directory.lowerBound), UInt64(directory.count), UInt64(bitPattern: Int64(checksum))] {
            withUnsafeBytes(of: value.littleEndian) { header += $0 }
        }
        return header
    }

    /// Where the directory is, if `bytes` starts with a header of this format.
    static func directory(in bytes: UnsafeRawBufferPointer) -> (range: Range<Int>, checksum: Int)? {
        guard bytes.count >= headerSize,
              bytes[0..<headerSize - 24].elementsEqual(header(directory: 0..<0, checksum: 0)[0..<headerSize - 24]) else { return nil }
        func word(_ at: Int) -> UInt64 { UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self)) }
        let offset = word(24), count = word(32)
        guard offset >= UInt64(headerSize), count <= UInt64(bytes.count), offset <= UInt64(bytes.count) - count else { return nil }
        return (Int(offset)..<Int(offset + count), Int(Int64(bitPattern: word(40))))
    }

    /// Makes the file's header name no directory: its records no longer
    /// describe the output folder. A later save in place names a new one.
    static func invalidate(_ path: String) {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        // A file that cannot be written is removed instead: only its folder need be writable.
        guard fd >= 0 else {
            if errno != ENOENT { unlink(path) }
            return
        }
        defer { close(fd) }
        let zeros = [UInt8](repeating: 0, count: 24)
        if !zeros.withUnsafeBytes({ writeAll(fd, $0, at: 24) }) { unlink(path) }
    }

    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int) -> Bool {
        var done = 0
        while done < bytes.count {
            let wrote = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done))
            if wrote < 0, errno == EINTR { continue }
            guard wrote > 0 else { return false }
            done += wrote
        }
        return true
    }
}

extension ByteWriter {
    /// Where a section's records are: each as its distance from the end of
    /// the one before (0 for a file written in one go), length, checksum,
    /// and the bytes of the pack its texts take.
    mutating func write(spans: [LoadedRecords.Span]) {
        write(spans.count)
        var previous = 0
        for span in spans {
            write(span.range.lowerBound - previous)
            write(span.range.count)
            write(span.checksum)
            write(span.packed)
            previous = span.range.upperBound
        }
    }
}

extension ByteReader {
    /// `ByteWriter.write(spans:)`, each span within a file of `size` bytes, after its header.
    mutating func readSpans(in size: Int) throws -> [LoadedRecords.Span] {
        let count = try readCount()
        var spans: [LoadedRecords.Span] = []
        spans.reserveCapacity(count)
        var previous = 0
        for _ in 0..<count {
            let (start, overflow) = previous.addingReportingOverflow(try read(Int.self))
            let count: Int = try read(), checksum: Int = try read(), packed: Int = try read()
            guard !overflow, start >= RecordFile.headerSize, count >= 0, count <= size - start, packed >= 0 else { throw Damaged() }
            spans.append(LoadedRecords.Span(range: start..<start + count, checksum: checksum, packed: packed))
            previous = start + count
        }
        return spans
    }
}

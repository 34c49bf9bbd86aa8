import Foundation

/// Appends values in the persistent cache's binary form: integers as
/// zigzag LEB128, strings as a length and their UTF-8 bytes. Positional,
/// with no field names: the reader reads in the order the writer wrote, and
/// `PersistentCache.formatVersion` changes whenever that order does.
struct ByteWriter {
    private(set) var bytes: [UInt8] = []
    /// Where texts go, if anywhere: the cache's text pack. Each is then
    /// written as its place there, and stored there if it is not yet.
    let pack: TextSpill?
    /// The bytes of the pack the texts written so far take.
    private(set) var packed = 0
    /// The file the record being written is about (`SourceLocation`).
    var recordPath: String?

    init(pack: TextSpill? = nil) { self.pack = pack }

    mutating func write(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    mutating func write(_ value: Int) {
        let wide = Int64(value)
        write(UInt64(bitPattern: (wide << 1) ^ (wide >> 63)))
    }

    mutating func write(_ value: Bool) { bytes.append(value ? 1 : 0) }

    mutating func write(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            write(utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func write(_ value: Data) {
        write(value.count)
        bytes.append(contentsOf: value)
    }

    /// A text: its place in `pack` if there is one, else inline.
    mutating func write(text: StoredText) {
        guard let pack else { return write(text.value) }
        if let place = text.place(in: pack) { return write(place: place) }
        let value = text.value
        if value.isEmpty { return write(0) }
        write(place: pack.store(value).place(in: pack))
    }

    mutating func write(stored: StoredBytes) {
        guard let pack else { return write(bytes: stored.bytes) }
        if let place = stored.place(in: pack) { return write(place: place) }
        let bytes = stored.bytes
        if bytes.isEmpty { return write(0) }
        write(place: pack.store(bytes: bytes).place(in: pack))
    }

    /// A text the pack could not take (a full disk) gets a place no reader
    /// accepts: the next build then starts from nothing.
    private mutating func write(place: TextSpill.Place?) {
        guard let place else {
            write(1)
            write(-1)
            return write(0)
        }
        write(place.count)
        write(place.offset)
        write(place.checksum)
        packed += place.count
    }

    /// A length and the bytes, as `ByteReader.readBytes` reads them.
    mutating func write(bytes value: [UInt8]) {
        write(value.count)
        bytes.append(contentsOf: value)
    }

    mutating func write(_ value: some CacheCodable) { value.encode(to: &self) }

    /// Bytes another writer wrote, as they are.
    mutating func append(raw: UnsafeRawBufferPointer) { bytes.append(contentsOf: raw) }
}

/// Reads what `ByteWriter` wrote, checking every length against the end of
/// the buffer: a truncated or damaged file throws, and is then ignored.
struct ByteReader {
    struct Damaged: Error {
        let file: String, line: Int
        init(file: String = #fileID, line: Int = #line) { self.file = file; self.line = line }
    }

    private let buffer: UnsafeRawBufferPointer
    private(set) var offset: Int
    /// The cache's text pack, where texts are, if the writer had one.
    let pack: TextSpill?
    /// The file the record being read is about (`SourceLocation`).
    var recordPath: String?
    /// The bytes of the pack the texts read so far take.
    private(set) var packed = 0
    /// Where strings read are shared with other readers', if anywhere.
    let strings: SharedStrings?
    /// In front of `strings`, for a reader that is one thread's alone.
    let recent: RecentStrings?

    /// Reads `buffer` from `offset`, to `end` if given: a record's reader
    /// cannot run into the next record.
    init(_ buffer: UnsafeRawBufferPointer, offset: Int = 0, end: Int? = nil, pack: TextSpill? = nil,
         strings: SharedStrings? = nil, recent: RecentStrings? = nil) {
        self.buffer = UnsafeRawBufferPointer(rebasing: buffer[..<(end ?? buffer.count)])
        self.offset = offset
        self.pack = pack
        self.strings = strings
        self.recent = recent
    }

    var atEnd: Bool { offset == buffer.count }

    /// Leaves the rest of a record unread, on purpose.
    mutating func skipToEnd() { offset = buffer.count }

    /// The bytes read since `start`, as they are.
    func bytes(since start: Int) -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: buffer[start..<offset]) }

    /// A count of items that follow, each at least one byte long: a damaged
    /// count fails here instead of asking for a huge allocation.
    mutating func readCount() throws -> Int {
        let count: Int = try read()
        guard count >= 0, count <= buffer.count - offset else { throw Damaged() }
        return count
    }

    mutating func read() throws -> UInt64 {
        var value: UInt64 = 0, shift: UInt64 = 0
        while true {
            guard offset < buffer.count, shift < 64 else { throw Damaged() }
            let byte = buffer[offset]
            offset += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }

    mutating func read() throws -> Int {
        let raw: UInt64 = try read()
        return Int(Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1))
    }

    mutating func read() throws -> Bool {
        guard offset < buffer.count else { throw Damaged() }
        offset += 1
        switch buffer[offset - 1] {
        case 0: return false
        case 1: return true
        default: throw Damaged()
        }
    }

    mutating func read() throws -> String {
        let count = try readCount()
        defer { offset += count }
        return String(decoding: UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + count]), as: UTF8.self)
    }

    /// A string that many records repeat (an entity id, a slug, a path):
    /// the copy the reader's table shares, where it has one.
    mutating func readShared() throws -> String {
        let count = try readCount()
        let bytes = UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + count])
        offset += count
        if count >= SharedStrings.minimumLength {
            if let recent { return recent.string(bytes) }
            if let strings { return strings.string(bytes) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A list of strings as `[String]` is written, each shared.
    mutating func readSharedList() throws -> [String] {
        try (0..<readCount()).map { _ in try readShared() }
    }

    mutating func read() throws -> Data {
        let count = try readCount()
        defer { offset += count }
        return Data(UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + count]))
    }

    /// A text as `ByteWriter.write(text:)` wrote it, left in the pack until read.
    mutating func readText() throws -> StoredText {
        guard let pack else { return StoredText(try read(String.self)) }
        guard let place = try readPlace() else { return StoredText("") }
        guard let text = pack.text(at: place) else { throw Damaged() }
        return text
    }

    mutating func readStoredBytes() throws -> StoredBytes {
        guard let pack else { return StoredBytes(try readBytes()) }
        guard let place = try readPlace() else { return StoredBytes([]) }
        guard let bytes = pack.bytes(at: place) else { throw Damaged() }
        return bytes
    }

    private mutating func readPlace() throws -> TextSpill.Place? {
        let count: Int = try read()
        guard count != 0 else { return nil }
        packed += count
        return TextSpill.Place(offset: try read(), count: count, checksum: try read())
    }

    mutating func readBytes() throws -> [UInt8] {
        let count = try readCount()
        defer { offset += count }
        return [UInt8](UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + count]))
    }

    mutating func read<Value: CacheCodable>(_: Value.Type = Value.self) throws -> Value { try Value(from: &self) }

    /// A reader of one record, after checking its bytes against their checksum.
    func record(_ range: Range<Int>, checksum: Int) throws -> ByteReader {
        guard Self.checksum(UnsafeRawBufferPointer(rebasing: buffer[range])) == checksum else { throw Damaged() }
        return ByteReader(buffer, offset: range.lowerBound, end: range.upperBound, pack: pack, strings: strings, recent: recent)
    }

    static func checksum(_ bytes: UnsafeRawBufferPointer) -> Int {
        var hasher = StableHasher()
        hasher.combine(bytes: bytes)
        return hasher.finalize()
    }
}

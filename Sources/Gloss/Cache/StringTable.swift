import Foundation

/// The distinct strings of one record, written once at its start; each
/// use is then an index into them.
///
/// The cache's last record names the same strings over and over: a page's
/// output path among the page keys and again among the published files, an
/// article's slug in the related lists of its neighbours, an entity's id in
/// every co-mention row. Reading each use as a string of its own, looked up
/// in `SharedStrings`, was most of the time to load that record.
///
/// Strings are told apart by their UTF-8 bytes, hashed eight at a time
/// (`SharedStrings.hash`), and kept as bytes: a `[String: Int]` hashed each
/// of the 90,000 uses at 10,000 articles with SipHash, which made writing
/// the record slower than the strings it saved.
struct StringTable {
    /// The strings' bytes, one after another, and where each starts.
    private var bytes: [UInt8] = []
    private var starts: [Int] = [0]
    /// Open addressing with linear probing: a string's index plus one, 0 if free.
    private var slots: [Int]
    private var hashes: [UInt64]

    /// Room for `count` strings without growing.
    init(capacity count: Int = 0) {
        var size = 64
        while size < count * 2 { size *= 2 }
        slots = [Int](repeating: 0, count: size)
        hashes = [UInt64](repeating: 0, count: size)
    }

    var count: Int { starts.count - 1 }

    var strings: [String] { (0..<count).map { String(decoding: bytes[starts[$0]..<starts[$0 + 1]], as: UTF8.self) } }

    /// The string's index, adding it if it is new.
    mutating func index(of string: String) -> Int {
        var string = string
        return string.withUTF8 { utf8 in
            let bytes = UnsafeRawBufferPointer(utf8)
            let (found, slot, hash) = find(bytes)
            if let found { return found }
            self.bytes.append(contentsOf: bytes)
            starts.append(self.bytes.count)
            slots[slot] = count
            hashes[slot] = hash
            if count * 2 > slots.count { grow() }
            return count - 1
        }
    }

    func contains(_ string: String) -> Bool {
        var string = string
        return string.withUTF8 { find(UnsafeRawBufferPointer($0)).index != nil }
    }

    /// The string's index if it is in the table, else the free slot where it goes.
    private func find(_ string: UnsafeRawBufferPointer) -> (index: Int?, slot: Int, hash: UInt64) {
        let hash = SharedStrings.hash(string)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 {
            let index = slots[slot] - 1
            if hashes[slot] == hash, equal(index, string) { return (index, slot, hash) }
            slot = (slot + 1) & mask
        }
        return (nil, slot, hash)
    }

    private func equal(_ index: Int, _ string: UnsafeRawBufferPointer) -> Bool {
        let start = starts[index], length = starts[index + 1] - start
        guard length == string.count else { return false }
        return length == 0 || bytes.withUnsafeBytes { memcmp($0.baseAddress! + start, string.baseAddress!, length) == 0 }
    }

    private mutating func grow() {
        let old = (slots, hashes)
        slots = [Int](repeating: 0, count: old.0.count * 2)
        hashes = [UInt64](repeating: 0, count: old.0.count * 2)
        let mask = slots.count - 1
        for (entry, hash) in zip(old.0, old.1) where entry != 0 {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = entry
            hashes[slot] = hash
        }
    }

    /// Writes the table as `count` strings, each as `ByteWriter.write(_: String)` does.
    fileprivate func write(to writer: inout ByteWriter) {
        writer.write(count)
        bytes.withUnsafeBytes { bytes in
            for index in 0..<count {
                writer.write(starts[index + 1] - starts[index])
                writer.append(raw: UnsafeRawBufferPointer(rebasing: bytes[starts[index]..<starts[index + 1]]))
            }
        }
    }
}

extension ByteWriter {
    /// A use of `string`: its index in `table`.
    mutating func write(_ string: String, in table: inout StringTable) {
        write(table.index(of: string))
    }

    mutating func write(_ list: [String], in table: inout StringTable) {
        write(list.count)
        for string in list { write(string, in: &table) }
    }

    /// The table, to be followed by the bytes that use it.
    mutating func write(table: StringTable) { table.write(to: &self) }
}

extension ByteReader {
    /// The strings `ByteWriter.write(table:)` wrote, each shared with the
    /// rest of the cache (the same paths and slugs are in other sections).
    mutating func readTable() throws -> [String] {
        let count = try readCount()
        var strings: [String] = []
        strings.reserveCapacity(count)
        for _ in 0..<count { strings.append(try readShared()) }
        return strings
    }

    mutating func read(in table: [String]) throws -> String {
        let index: Int = try read()
        guard table.indices.contains(index) else { throw Damaged() }
        return table[index]
    }

    mutating func readList(in table: [String]) throws -> [String] {
        let count = try readCount()
        var list: [String] = []
        list.reserveCapacity(count)
        for _ in 0..<count { list.append(try read(in: table)) }
        return list
    }
}

/// The distinct strings of one record, written once at its start; each
/// use is then an index into them.
///
/// The cache's last record names the same strings over and over: a page's
/// output path among the page keys and again among the published files, an
/// article's slug in the related lists of its neighbours, an entity's id in
/// every co-mention row. Reading each use as a string of its own, looked up
/// in `SharedStrings`, was most of the time to load that record.
struct StringTable {
    private var indices: [String: Int] = [:]
    private(set) var strings: [String] = []

    /// Room for `count` strings without growing.
    init(capacity count: Int = 0) { indices.reserveCapacity(count) }

    /// The string's index, adding it if it is new.
    mutating func index(of string: String) -> Int {
        if let index = indices[string] { return index }
        indices[string] = strings.count
        strings.append(string)
        return strings.count - 1
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
    mutating func write(table: StringTable) {
        write(table.strings.count)
        for string in table.strings { write(string) }
    }
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

/// The site graph's shape, a record of its own inside the cache's last
/// record (see `SiteGraph.Shape`):
///
///     string table (see `StringTable`), then, each string as its index:
///     slugs; then backlinks, claims by, claims about, articles by, involving:
///     each a count, then per entity its id and its numbers; then the claims'
///     numbers; article counts; entity ids per kind
///
/// Lists are sorted by id, so that a shape encodes the same bytes each
/// time. With its own string table, the bytes a shape was read from are
/// written back as they are while it is unchanged (`SiteGraph.Cache.shapeRecord`):
/// at 100,000 articles it is millions of numbers.
extension SiteGraph.Shape {
    var record: [UInt8] {
        var table = StringTable(capacity: slugs.count + backlinks.count)
        var body = ByteWriter()
        encode(to: &body, table: &table)
        var record = ByteWriter()
        record.write(table: table)
        body.bytes.withUnsafeBytes { record.append(raw: $0) }
        return record.bytes
    }

    init(record: [UInt8]) throws {
        self = try record.withUnsafeBytes { buffer in
            var reader = ByteReader(buffer)
            let table = try reader.readTable()
            let shape = try Self(from: &reader, table: table)
            guard reader.atEnd else { throw ByteReader.Damaged() }
            return shape
        }
    }

    private func encode(to body: inout ByteWriter, table: inout StringTable) {
        body.write(slugs, in: &table)
        for lists in [backlinks, claimsBy, claimsAbout, articlesBy, involving] {
            body.write(lists.count)
            for (id, numbers) in lists.sorted(by: { $0.key < $1.key }) {
                body.write(id, in: &table)
                Self.write(numbers, to: &body)
            }
        }
        Self.write(claims, to: &body)
        let counts = articleCounts.sorted { $0.key < $1.key }
        body.write(counts.map(\.key), in: &table)
        body.write(counts.map(\.value))
        body.write(kinds.count)
        for (kind, ids) in kinds.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            body.write(kind)
            body.write(ids, in: &table)
        }
    }

    private init(from tail: inout ByteReader, table: [String]) throws {
        self.init()
        slugs = try tail.readList(in: table)
        var lists: [[String: [Int32]]] = []
        for _ in 0..<5 {
            var list: [String: [Int32]] = [:]
            for _ in 0..<(try tail.readCount()) { list[try tail.read(in: table)] = try Self.readNumbers(&tail) }
            lists.append(list)
        }
        (backlinks, claimsBy, claimsAbout, articlesBy, involving) = (lists[0], lists[1], lists[2], lists[3], lists[4])
        claims = try Self.readNumbers(&tail)
        let ids = try tail.readList(in: table), counts: [Int] = try tail.read()
        guard ids.count == counts.count else { throw ByteReader.Damaged() }
        articleCounts = Dictionary(zip(ids, counts), uniquingKeysWith: { $1 })
        for _ in 0..<(try tail.readCount()) { kinds[try tail.read(EntityKind.self)] = try tail.readList(in: table) }
    }

    private static func write(_ numbers: [Int32], to body: inout ByteWriter) {
        body.write(numbers.count)
        for number in numbers { body.write(Int(number)) }
    }

    private static func readNumbers(_ tail: inout ByteReader) throws -> [Int32] {
        let count = try tail.readCount()
        var numbers: [Int32] = []
        numbers.reserveCapacity(count)
        for _ in 0..<count {
            guard let number = Int32(exactly: try tail.read() as Int) else { throw ByteReader.Damaged() }
            numbers.append(number)
        }
        return numbers
    }
}

/// The site graph's shape in the cache's last record (see `SiteGraph.Shape`):
///
///     slugs; then backlinks, claims by, claims about, articles by, involving:
///     each a count, then per entity its id and its numbers; then the claims'
///     numbers; article counts; entity ids per kind
///
/// Strings are indexes into the record's string table; lists are sorted by
/// id, so that an unchanged shape encodes the same bytes.
extension SiteGraph.Shape {
    func encode(to body: inout ByteWriter, table: inout StringTable) {
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

    init(from tail: inout ByteReader, table: [String]) throws {
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

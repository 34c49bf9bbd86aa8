/// The cache file's last record: what describes the output folder and the
/// site as a whole rather than one source file.
///
///     string table (see `StringTable`), then, each string as its index:
///     pages:        output path, key (pages in the output folder only)
///     published:    every path in the output folder (optional)
///     related:      slug, key, slugs
///     co-mentions:  key of every article's entity list (optional), then id, ids, counts
///     graph shape:  optional, its record's bytes (`SiteGraph.Shape`)
///     sitemap:      key of its inputs, its files' paths (optional)
///     page inputs:  the site key (optional), each entity's backlink structure and key
extension PersistentCache {
    static func encodeTail(_ cache: BuildCache, loaded: LoadedRecords?) -> [UInt8] {
        // Pages held in memory (a preview server's) were never written to the folder.
        let all = cache.pages.pages
        let pages = (all.values.contains { $0.file != nil } ? all.filter { $0.value.file == nil } : all)
            .sortedByKey(known: loaded?.order(.pages))
        // Most strings are paths of the published files, and the slugs of articles.
        var table = StringTable(capacity: (cache.published?.count ?? pages.count) + cache.pages.related.count)
        var body = ByteWriter()
        body.write(pages.count)
        for (path, page) in pages {
            body.write(path, in: &table)
            body.write(page.key)
        }
        // Made from a set: sorted, so that an unchanged cache encodes the same bytes.
        let published = cache.published?.sorted(known: loaded?.order(.published))
        body.write(published != nil)
        if let published { body.write(published, in: &table) }
        let related = cache.pages.related.sortedByKey(known: loaded?.order(.related))
        body.write(related.count)
        for (slug, list) in related {
            body.write(slug, in: &table)
            body.write(list.key)
            body.write(list.slugs, in: &table)
        }
        body.write(cache.graph.named)
        let coMentions = cache.graph.related.sorted { $0.key < $1.key }
        body.write(coMentions.count)
        for (id, row) in coMentions {
            body.write(id, in: &table)
            body.write(row.map(\.id), in: &table)
            body.write(row.map(\.count))
        }
        body.write(cache.graph.shapeRecord != nil)
        if let shape = cache.graph.shapeRecord { body.write(bytes: shape) }
        body.write(cache.sitemap != nil)
        if let sitemap = cache.sitemap {
            body.write(sitemap.key)
            body.write(sitemap.paths, in: &table)
        }
        body.write(cache.pages.siteKey)
        let structures = cache.pages.structures.sorted { $0.key < $1.key }
        body.write(structures.map(\.key), in: &table)
        body.write(structures.map(\.value))
        let entityKeys = cache.pages.entityKeys.sorted { $0.key < $1.key }
        body.write(entityKeys.map(\.key), in: &table)
        body.write(entityKeys.map(\.value))
        var tail = ByteWriter()
        tail.write(table: table)
        body.bytes.withUnsafeBytes { tail.append(raw: $0) }
        return tail.bytes
    }

    /// What the last record holds, as the cache keeps it.
    struct DecodedTail: Sendable {
        var pages = PageRenderer.Cache()
        var published: [String]?
        var graph = SiteGraph.Cache()
        var sitemap: Sitemap.Built?
        var orders: [LoadedRecords.Section: [String]] = [:]
    }

    /// `sameOutput`: whether the output folder is the one the cache's build
    /// wrote; if not, its page keys, list of files and sitemap are not taken.
    static func decodeTail(_ tail: inout ByteReader, sameOutput: Bool) throws -> DecodedTail {
        var decoded = DecodedTail()
        let table = try tail.readTable()
        var pages: [String] = []
        let pageCount = try tail.readCount()
        pages.reserveCapacity(pageCount)
        if sameOutput { decoded.pages.pages.reserveCapacity(pageCount) }
        for _ in 0..<pageCount {
            let path = try tail.read(in: table), key: Int = try tail.read()
            if sameOutput { decoded.pages.pages[path] = (key, nil) }
            pages.append(path)
        }
        if sameOutput { decoded.orders[.pages] = pages }
        let published = try tail.read(Bool.self) ? try tail.readList(in: table) : nil
        // Paths an update removes: one that could leave the folder means the
        // file is not ours to trust.
        for path in (published ?? []) + pages where !SiteWriter.isInside(path) { throw ByteReader.Damaged() }
        if sameOutput {
            decoded.published = published
            decoded.orders[.published] = published
        }
        var related: [String] = []
        for _ in 0..<(try tail.readCount()) {
            let slug = try tail.read(in: table)
            decoded.pages.related[slug] = (try tail.read(), try tail.readList(in: table))
            related.append(slug)
        }
        decoded.orders[.related] = related
        let named: Int? = try tail.read()
        var coMentions: [String: [(id: String, count: Int)]] = [:]
        for _ in 0..<(try tail.readCount()) {
            let id = try tail.read(in: table), others = try tail.readList(in: table), counts: [Int] = try tail.read()
            guard others.count == counts.count else { throw ByteReader.Damaged() }
            coMentions[id] = zip(others, counts).map { (id: $0, count: $1) }
        }
        let shape = try tail.read(Bool.self) ? try tail.readBytes() : nil
        if let named {
            decoded.graph = SiteGraph.Cache(named: named, related: coMentions)
            decoded.graph.shapeRecord = shape
        }
        if try tail.read(Bool.self) {
            let key: Int = try tail.read(), paths = try tail.readList(in: table)
            for path in paths where !SiteWriter.isInside(path) { throw ByteReader.Damaged() }
            if sameOutput { decoded.sitemap = Sitemap.Built(key: key, paths: paths) }
        }
        decoded.pages.siteKey = try tail.read()
        let ids = try tail.readList(in: table), structures: [Int] = try tail.read()
        guard ids.count == structures.count else { throw ByteReader.Damaged() }
        decoded.pages.structures = Dictionary(zip(ids, structures), uniquingKeysWith: { $1 })
        let keyed = try tail.readList(in: table), keys: [Int] = try tail.read()
        guard keyed.count == keys.count else { throw ByteReader.Damaged() }
        decoded.pages.entityKeys = Dictionary(zip(keyed, keys), uniquingKeysWith: { $1 })
        guard tail.atEnd else { throw ByteReader.Damaged() }
        return decoded
    }
}

/// The search index's part of the cache file, after the data items:
///
///     documents:  key, version, kind, year, row (title, URL, snippet), entity, packed terms
///     postings:   one record per bucket, packed
///     shards:     shard count, postings listed, document files; then one record per term shard, packed
///
/// Packed parts stay in the file until read, and are unpacked only for the
/// documents an edit changes.
extension PersistentCache {
    static func encodeSearch(_ search: SearchIndex.Cache, into writer: inout ByteWriter, _ output: ([UInt8]) -> Void,
                             loaded: LoadedRecords? = nil) {
        writer.write(search.environment)
        let documents = Array(zip(search.keys, zip(search.versions, search.indexed)))
        let environment = search.environment
        let old = loaded.map { LoadedRecords.Finder($0, $0.contents.documents, keys: search.keys) }
        records(documents, into: &writer, output, copying: { index, item, pack in
            let (key, (version, _)) = item
            return old?.copy(at: index, key, madeFrom: version.map { .document(version: $0, environment: environment) }, pack: pack)
        }) { item, writer in
            let (key, (version, indexed)) = item
            key.encode(to: &writer)
            writer.write(version)
            let document = indexed.document
            writer.write(document.kind)
            writer.write(document.year)
            writer.write(text: document.row)
            writer.write(indexed.entity?.names)
            writer.write(indexed.entity?.id)
            writer.write(stored: indexed.terms.stored)
        }
        records(search.postings, into: &writer, output) { bucket, writer in writer.write(stored: bucket.stored) }
        writer.write(search.output.shardCount)
        writer.write(search.output.listed)
        writer.write(search.output.documentFiles.count)
        records(search.output.shards, into: &writer, output) { shard, writer in writer.write(stored: shard.stored) }
    }

    /// `published`: whether the output folder is the one the cache's build
    /// wrote; if not, its shard files are not kept, only its documents' terms.
    /// `skipSearch` follows the same layout.
    static func decodeSearch(_ buffer: Buffer, _ reader: inout ByteReader, published: Bool,
                             into contents: inout LoadedRecords.Contents) throws -> SearchIndex.Cache {
        var search = SearchIndex.Cache()
        search.environment = try reader.read()
        let environment = search.environment
        let documents = try spannedRecords(buffer, &reader) { reader in
            let key = try SearchIndex.DocumentKey(from: &reader)
            let version: Int? = try reader.read()
            let document = SearchIndex.Document(kind: try reader.read(), year: try reader.read(), row: try reader.readText())
            let names: [String]? = try reader.read(), id: String? = try reader.read()
            let terms = SearchIndex.PackedTerms(stored: try reader.readStoredBytes())
            let entity = names.flatMap { names in id.map { (names: names, id: $0) } }
            return (key, version, SearchIndex.Indexed(document: document, terms: terms, entity: entity))
        }
        search.keys = documents.map(\.value.0)
        search.versions = documents.map(\.value.1)
        search.indexed = documents.map(\.value.2)
        for ((key, version, _), span) in documents {
            contents.documents.append(key, version.map { (.document(version: $0, environment: environment), span) })
        }
        search.postings = try records(buffer, &reader) { reader in
            SearchIndex.PostingBucket.packed(try reader.readStoredBytes())
        }
        guard search.postings.isEmpty || search.postings.count == SearchIndex.buckets else { throw ByteReader.Damaged() }
        var output = SearchIndex.Output()
        output.shardCount = try reader.read()
        output.listed = try reader.read()
        let documentFiles = try reader.readCount()
        output.shards = try records(buffer, &reader) { reader in
            SearchIndex.ShardEntries.packed(try reader.readStoredBytes())
        }
        guard output.shards.count == output.shardCount else { throw ByteReader.Damaged() }
        output.termFiles = Array(repeating: nil, count: output.shardCount)
        output.documentFiles = Array(repeating: nil, count: documentFiles)
        if published { search.output = output }
        return search
    }
}

extension PersistentCache {
    /// Moves `reader` past what `decodeSearch` reads.
    static func skipSearch(_ reader: inout ByteReader) throws {
        _ = try reader.read(Int.self)  // environment
        try skipRecords(&reader)  // documents
        try skipRecords(&reader)  // postings
        _ = try reader.read(Int.self)  // shard count
        _ = try reader.read(Int.self)  // postings listed
        _ = try reader.readCount()  // document files
        try skipRecords(&reader)  // term shards
    }
}

extension SearchIndex.DocumentKey {
    func encode(to writer: inout ByteWriter) {
        switch self {
        case .entity(let id):
            writer.write(0)
            writer.write(id)
        case .article(let slug):
            writer.write(1)
            writer.write(slug)
        case .claim(let article, let id):
            writer.write(2)
            writer.write(article)
            writer.write(id)
        }
    }

    init(from reader: inout ByteReader) throws {
        switch try reader.read(Int.self) {
        case 0: self = .entity(try reader.readShared())
        case 1: self = .article(try reader.readShared())
        case 2: self = .claim(article: try reader.readShared(), id: try reader.readShared())
        default: throw ByteReader.Damaged()
        }
    }
}

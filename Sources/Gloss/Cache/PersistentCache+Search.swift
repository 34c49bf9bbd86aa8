/// The search index's part of the cache file, after the data items:
///
///     directory:  environment, documents, postings, shard count, postings listed, document files, term shards
///     documents:  a record each: key, version, kind, year, row (title, URL, snippet), entity, packed terms
///     postings:   a record per bucket, packed
///     shards:     a record per term shard, packed
///
/// Packed parts stay in the pack until read, and are unpacked only for the
/// documents an edit changes.
extension PersistentCache {
    static func encodeSearch(_ search: SearchIndex.Cache, into file: RecordFile, directory: inout ByteWriter,
                             pack: TextSpill?, loaded: LoadedRecords?) {
        directory.write(search.environment)
        // By number, not as 36,000 tuples of the three lists.
        let (keys, versions, documents) = (search.keys, search.versions, search.indexed)
        let environment = search.environment
        let old = loaded.map { LoadedRecords.Finder($0, $0.contents.documents, keys: keys) }
        directory.write(spans: records(Array(keys.indices), into: file, pack: pack, loaded: loaded, old: { index, _ in
            old?.old(at: index, keys[index], madeFrom: versions[index].map { .document(version: $0, environment: environment) }, pack: pack)
        }) { index, writer in
            let (key, version, indexed) = (keys[index], versions[index], documents[index])
            key.encode(to: &writer)
            writer.write(version)
            let document = indexed.document
            writer.write(document.kind)
            writer.write(document.year)
            writer.write(text: document.row)
            writer.write(indexed.entity?.names)
            writer.write(indexed.entity?.id)
            writer.write(stored: indexed.terms.stored)
        })
        let oldPostings = loaded.map { LoadedRecords.Finder($0, $0.contents.postings, keys: Array(search.postings.indices)) }
        directory.write(spans: records(Array(search.postings.enumerated()), into: file, pack: pack, loaded: loaded, old: { index, _ in
            oldPostings?.old(at: index, index, madeFrom: nil, pack: pack)
        }) { bucket, writer in writer.write(stored: bucket.element.stored) })
        directory.write(search.output.shardCount)
        directory.write(search.output.listed)
        directory.write(search.output.documentFiles.count)
        let shards = search.output.shards
        let oldShards = loaded.map { LoadedRecords.Finder($0, $0.contents.shards, keys: Array(shards.indices)) }
        directory.write(spans: records(Array(shards.enumerated()), into: file, pack: pack, loaded: loaded, old: { index, _ in
            oldShards?.old(at: index, index, madeFrom: nil, pack: pack)
        }) { shard, writer in writer.write(stored: shard.element.stored) })
    }

    /// What the directory says of the search index.
    struct SearchDirectory {
        let environment: Int, documents: [LoadedRecords.Span], postings: [LoadedRecords.Span]
        let shardCount: Int, listed: Int, documentFiles: Int, shards: [LoadedRecords.Span]

        init(_ reader: inout ByteReader, in size: Int) throws {
            environment = try reader.read()
            documents = try reader.readSpans(in: size)
            postings = try reader.readSpans(in: size)
            shardCount = try reader.read()
            listed = try reader.read()
            documentFiles = try reader.readCount()
            shards = try reader.readSpans(in: size)
        }
    }

    /// `published`: whether the output folder is the one the cache's build
    /// wrote; if not, its shard files are not kept, only its documents' terms.
    static func decodeSearch(_ buffer: Buffer, _ directory: SearchDirectory, _ reader: ByteReader, published: Bool,
                             into contents: inout LoadedRecords.Contents) throws -> SearchIndex.Cache {
        var search = SearchIndex.Cache()
        search.environment = directory.environment
        let environment = search.environment
        let documents = try records(buffer, directory.documents, reader) { reader in
            let key = try SearchIndex.DocumentKey(from: &reader)
            let version: Int? = try reader.read()
            let document = SearchIndex.Document(kind: try reader.read(), year: try reader.read(), row: try reader.readText())
            let names: [String]? = try reader.read(), id: String? = try reader.read()
            let terms = SearchIndex.PackedTerms(stored: try reader.readStoredBytes())
            let entity = names.flatMap { names in id.map { (names: names, id: $0) } }
            return (key, version, SearchIndex.Indexed(document: document, terms: terms, entity: entity))
        }
        search.keys = documents.map(\.0)
        search.versions = documents.map(\.1)
        search.indexed = documents.map(\.2)
        // The keys as one array with the cache's (see `SearchIndex.files`).
        contents.documents.keys = search.keys
        contents.documents.records = zip(documents, directory.documents).map { document, span in
            (document.1.map { .document(version: $0, environment: environment) }, span)
        }
        search.postings = try records(buffer, directory.postings, reader) { reader in
            SearchIndex.PostingBucket.packed(try reader.readStoredBytes())
        }
        guard search.postings.isEmpty || search.postings.count == SearchIndex.buckets else { throw ByteReader.Damaged() }
        for (index, span) in directory.postings.enumerated() { contents.postings.append(index, (nil, span)) }
        var output = SearchIndex.Output()
        output.shardCount = directory.shardCount
        output.listed = directory.listed
        output.shards = try records(buffer, directory.shards, reader) { reader in
            SearchIndex.ShardEntries.packed(try reader.readStoredBytes())
        }
        guard output.shards.count == output.shardCount else { throw ByteReader.Damaged() }
        for (index, span) in directory.shards.enumerated() { contents.shards.append(index, (nil, span)) }
        output.termFiles = Array(repeating: nil, count: output.shardCount)
        output.documentFiles = Array(repeating: nil, count: directory.documentFiles)
        if published { search.output = output }
        return search
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

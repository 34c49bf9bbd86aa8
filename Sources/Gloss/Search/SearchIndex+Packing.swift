/// What the index keeps for the next build, packed: a document's terms, a
/// bucket of posting lists, a term shard's entries. An edit of one article
/// unpacks its document's old terms, and rewrites the terms whose weight
/// changed in their buckets and shards (`SearchIndex+Update`); everything
/// else passes from the previous build's cache to the next as bytes (in the
/// cache's text pack during a `gloss build`).
extension SearchIndex {
    /// A document's terms with summed weights, split by `bucket(_:)`.
    typealias Terms = [[(term: String, weight: Int)]]

    /// A document's terms, packed.
    struct PackedTerms: Sendable {
        let stored: StoredBytes

        init(_ terms: Terms, in spill: TextSpill?) {
            var writer = ByteWriter()
            writer.write(terms.count)
            for bucket in terms {
                writer.write(bucket.count)
                for (term, weight) in bucket {
                    writer.write(term)
                    writer.write(weight)
                }
            }
            stored = StoredBytes(writer.bytes, in: spill)
        }

        init(stored: StoredBytes) { self.stored = stored }

        /// Empty where the bytes cannot be read back: the spill then records
        /// the failure, and the build publishes nothing.
        var terms: Terms {
            let bytes = stored.bytes
            return (try? bytes.withUnsafeBytes { buffer -> Terms in
                var reader = ByteReader(buffer)
                return try (0..<reader.readCount()).map { _ in
                    try (0..<reader.readCount()).map { _ in (term: try reader.read(String.self), weight: try reader.read(Int.self)) }
                }
            }) ?? Array(repeating: [], count: SearchIndex.buckets)
        }
    }

    /// One bucket's posting lists: as lists while a full build puts them
    /// together (and in a preview server's memory), packed while they wait
    /// for a later build.
    enum PostingBucket: Sendable {
        case lists([String: [Posting]])
        case packed(StoredBytes)

        var lists: [String: [Posting]] {
            switch self {
            case .lists(let lists): return lists
            case .packed(let stored):
                let bytes = stored.bytes
                return (try? bytes.withUnsafeBytes { buffer -> [String: [Posting]] in
                    var reader = ByteReader(buffer)
                    var lists: [String: [Posting]] = [:]
                    for _ in 0..<(try reader.readCount()) {
                        let term: String = try reader.read()
                        lists[term] = try Self.readList(from: &reader)
                    }
                    return lists
                }) ?? [:]
            }
        }

        var stored: StoredBytes {
            if case .packed(let stored) = self { return stored }
            return StoredBytes(bytes)
        }

        /// Terms in String `<` order, so that an unchanged bucket packs to
        /// the same bytes (an update merges edited terms in that order).
        private var bytes: [UInt8] {
            let lists = self.lists
            var writer = ByteWriter()
            writer.write(lists.count)
            for term in lists.keys.sorted() { Self.write(term, lists[term]!, to: &writer) }
            return writer.bytes
        }

        /// A term and its list as a packed bucket holds them.
        static func write(_ term: String, _ list: [Posting], to writer: inout ByteWriter) {
            writer.write(term)
            writer.write(list.count)
            var previous: Int32 = 0
            for posting in list {
                writer.write(Int(posting.doc - previous))  // document numbers as gaps: small
                writer.write(Int(posting.weight))
                previous = posting.doc
            }
        }

        /// A term's list as `write` wrote it, after its term.
        static func readList(from reader: inout ByteReader) throws -> [Posting] {
            var doc = 0
            return try (0..<reader.readCount()).map { _ in
                doc += try reader.read(Int.self)
                return (Int32(doc), Int32(try reader.read(Int.self)))
            }
        }

        /// Its bytes, in `spill` if there is one, else in memory.
        func stored(in spill: TextSpill?) -> StoredBytes {
            if case .packed(let stored) = self { return stored }
            return StoredBytes(bytes, in: spill)
        }

        /// Packed into `spill`; as it is without one (a preview server's
        /// cache stays in memory, ready to change).
        func packed(in spill: TextSpill?) -> PostingBucket {
            guard let spill, case .lists = self else { return self }
            return .packed(StoredBytes(bytes, in: spill))
        }
    }

    /// A term shard's entries, sorted by term.
    enum ShardEntries: Sendable {
        case entries([(term: String, value: [Int])])
        case packed(StoredBytes)

        var entries: [(term: String, value: [Int])] {
            switch self {
            case .entries(let entries): return entries
            case .packed(let stored):
                let bytes = stored.bytes
                return (try? bytes.withUnsafeBytes { buffer in
                    var reader = ByteReader(buffer)
                    return try (0..<reader.readCount()).map { _ in (term: try reader.read(String.self), value: try reader.read([Int].self)) }
                }) ?? []
            }
        }

        var stored: StoredBytes {
            if case .packed(let stored) = self { return stored }
            return StoredBytes(bytes)
        }

        private var bytes: [UInt8] {
            var writer = ByteWriter()
            writer.write(entries.count)
            for entry in entries {
                writer.write(entry.term)
                writer.write(entry.value)
            }
            return writer.bytes
        }

        func packed(in spill: TextSpill?) -> ShardEntries {
            guard let spill, case .entries = self else { return self }
            return .packed(StoredBytes(bytes, in: spill))
        }
    }
}

import Foundation

/// Writing the index: term shards and document shards as JSON. A rebuild
/// that changed a few documents rewrites only the shards holding their terms
/// and their rows; the others are the previous build's files.
extension SearchIndex {
    /// The index's files, and the shard contents they were made from.
    struct Output: Sendable {
        var shardCount = 0
        var shards: [ShardEntries] = []
        /// Postings listed over all terms, which sets the shard count.
        var listed = 0
        /// Nil where the file is as the previous build published it: a
        /// `gloss build` keeps it there and holds no copy.
        var termFiles: [OutputFile?] = []
        var documentFiles: [OutputFile?] = []
        var head: [OutputFile] = []

        var files: [OutputFile] { head + termFiles.compactMap { $0 } + documentFiles.compactMap { $0 } }

        /// What the next build starts from: shards packed into `spill`, and
        /// no file held that is already on disk.
        func forNextBuild(spill: TextSpill?, published: Bool) -> Output {
            var next = self
            next.shards = shards.map { $0.packed(in: spill) }
            if published {
                next.termFiles = termFiles.map { _ in nil }
                next.documentFiles = documentFiles.map { _ in nil }
            }
            next.head = []
            return next
        }
    }

    /// Which documents a rebuild changed, in a document order equal to the
    /// previous build's, and the terms whose weight in them changed.
    struct Changes {
        let documents: [Int]
        let terms: Set<String>

        init(_ changed: [Change], edits: [[String: TermEdits]]) {
            documents = changed.map(\.doc)
            terms = Set(edits.lazy.flatMap(\.keys))
        }
    }

    /// The files of the index. With `changes`, only the shards holding
    /// changed terms or documents are made again; the others are the
    /// previous build's files, kept as published if `keepPublished` says
    /// they are there, else made from the previous build's entries.
    ///
    /// With `stream`, shards are handed there as they are made, a batch at a
    /// time, and the output holds none (the caller publishes them); the
    /// entries kept for the next build go to `spill` as they are made.
    func write(documents: [Document], entries: TermEntries, entities: [JSONValue], changes: Changes?,
               previous: Output, keepPublished: ((String) -> Bool)?, spill: TextSpill? = nil,
               stream: (([OutputFile]) -> Void)? = nil) -> Output {
        var output = Output()
        // The previous entries of the shards the changed terms are in, unpacked once.
        var before: [Int: [String: [Int]]] = [:]
        // The changed terms' new entries (nil: gone), made once: a common
        // term's entry sorts all its postings.
        let changed = Dictionary(uniqueKeysWithValues: (changes?.terms ?? []).map { ($0, entries.entry(of: $0)) })
        // About 1,500 postings a shard keeps each term file near 10 KB.
        if let changes, previous.shardCount > 0 {
            output.listed = previous.listed
            for term in changes.terms {
                let shard = SearchTokenizer.shard(term, of: previous.shardCount)
                if before[shard] == nil {
                    before[shard] = Dictionary(previous.shards[shard].entries.map { ($0.term, $0.value) }, uniquingKeysWith: { $1 })
                }
                output.listed -= min(before[shard]?[term]?[0] ?? 0, Self.postingsPerTerm)
                output.listed += min(changed[term]??[0] ?? 0, Self.postingsPerTerm)
            }
        } else {
            output.listed = entries.listed
        }
        output.shardCount = max(1, min(4096, output.listed / 1500))
        if let changes, output.shardCount == previous.shardCount {
            output.shards = previous.shards
            output.termFiles = previous.termFiles
            var touched: [Int: [String]] = [:]
            for term in changes.terms { touched[SearchTokenizer.shard(term, of: output.shardCount), default: []].append(term) }
            for (shard, terms) in touched {
                var made = before[shard] ?? [:]
                for term in terms { made[term] = changed[term] ?? nil }
                let sorted = made.map { (term: $0.key, value: $0.value) }.sorted { $0.term < $1.term }
                output.shards[shard] = .entries(sorted)
                output.termFiles[shard] = Self.termFile(shard, sorted)
            }
            for shard in output.termFiles.indices where output.termFiles[shard] == nil {
                let path = Self.termPath(shard)
                if keepPublished?(path) != true {
                    output.termFiles[shard] = Self.termFile(shard, output.shards[shard].entries)
                }
            }
        } else {
            let count = output.shardCount
            // Each shard's terms; a term's entry is unpacked with its shard's file.
            let all = entries.all
            var terms = [[String]](repeating: [], count: count)
            for bucket in all { for term in bucket.terms { terms[SearchTokenizer.shard(term, of: count)].append(term) } }
            (output.shards, output.termFiles) = Self.make(count, stream: stream) { [terms] shard in
                let made = terms[shard].sorted().map { term in
                    (term: term, value: all[SearchTokenizer.shard(term, of: Self.buckets)].entry(of: term)!)
                }
                return (ShardEntries.entries(made).packed(in: spill), Self.termFile(shard, made))
            }
        }

        let shardStarts = Array(stride(from: 0, to: documents.count, by: Self.documentsPerShard))
        if let changes, previous.documentFiles.count == shardStarts.count {
            output.documentFiles = previous.documentFiles
            for shard in Set(changes.documents.map { $0 / Self.documentsPerShard }) {
                output.documentFiles[shard] = documentFile(documents, from: shardStarts[shard])
            }
            for shard in output.documentFiles.indices where output.documentFiles[shard] == nil {
                let path = Self.documentPath(shard)
                if keepPublished?(path) != true {
                    output.documentFiles[shard] = documentFile(documents, from: shardStarts[shard])
                }
            }
        } else {
            output.documentFiles = Self.make(shardStarts.count, stream: stream) { shard in ((), documentFile(documents, from: shardStarts[shard])) }.files
        }
        output.head = [OutputFile(path: "search/meta.json", text: meta(documents, shardCount: output.shardCount)),
                       OutputFile(path: "search/entities.json", text: JSONValue.array(entities).serialized())]
        if let stream {
            // The few an update made again.
            stream(output.termFiles.compactMap { $0 } + output.documentFiles.compactMap { $0 })
            output.termFiles = output.termFiles.map { _ in nil }
            output.documentFiles = output.documentFiles.map { _ in nil }
        }
        return output
    }

    /// `count` files, each with what is kept of it, made on all cores; with
    /// `stream`, handed there a batch at a time and not held.
    private static func make<Kept: Sendable>(_ count: Int, stream: (([OutputFile]) -> Void)?,
                                             _ make: @Sendable (Int) -> (Kept, OutputFile)) -> (kept: [Kept], files: [OutputFile?]) {
        guard let stream else {
            let made = Array(0..<count).parallelMap(make)
            return (made.map(\.0), made.map(\.1))
        }
        var kept: [Kept] = []
        kept.reserveCapacity(count)
        for start in stride(from: 0, to: count, by: 128) {
            let made = Array(start..<min(start + 128, count)).parallelMap(make)
            kept += made.map(\.0)
            stream(made.map(\.1))
        }
        return (kept, Array(repeating: nil, count: count))
    }

    static func termPath(_ shard: Int) -> String { "search/terms/\(shard).json" }
    static func documentPath(_ shard: Int) -> String { "search/docs/\(shard).json" }

    /// Documents are ordered by kind, and articles and claims newest first,
    /// so filters by kind and year are ranges: no metadata to download.
    private func meta(_ documents: [Document], shardCount: Int) -> String {
        struct KindYear: Hashable { let kind: String, year: Int }
        var kinds: [String: [Int]] = [:]
        var ranges: [KindYear: [Int]] = [:]
        // Each kind's (and year's) first document and the one after its
        // last, noted once for each run of documents of the same kind and
        // year, not for each of 37,000 documents after every save.
        var start = 0
        for end in 1..<documents.count + 1 where end == documents.count
            || documents[end].kind != documents[start].kind || documents[end].year != documents[start].year {
            let doc = documents[start]
            kinds[doc.kind] = [kinds[doc.kind]?[0] ?? start, end]
            if let year = doc.year { ranges[KindYear(kind: doc.kind, year: year), default: [start, end]][1] = end }
            start = end
        }
        let years = Dictionary(uniqueKeysWithValues: ranges.map { ("\($0.key.kind):\($0.key.year)", $0.value) })
        return Self.json([
            "version": 1, "documents": documents.count, "documentsPerShard": Self.documentsPerShard, "termShards": shardCount,
            "kinds": kinds, "years": years,
        ] as [String: Any])
    }

    private func documentFile(_ documents: [Document], from start: Int) -> OutputFile {
        // A JSON array of the rows, as `JSONValue` writes one.
        let rows = documents[start..<min(start + Self.documentsPerShard, documents.count)].map(\.row.value)
        return OutputFile(path: Self.documentPath(start / Self.documentsPerShard), text: "[" + rows.joined(separator: ",") + "]")
    }

    /// `{"term":[count,doc,weight,…],…}`, entries sorted by term (code-point order), written directly.
    private static func termFile(_ index: Int, _ entries: [(term: String, value: [Int])]) -> OutputFile {
        var out: [UInt8] = [UInt8(ascii: "{")]
        for (position, entry) in entries.enumerated() {
            if position > 0 { out.append(UInt8(ascii: ",")) }
            JSONValue.quote(entry.term, into: &out, escaping: .standard)
            out += ":[".utf8
            for (i, number) in entry.value.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                out += String(number).utf8
            }
            out.append(UInt8(ascii: "]"))
        }
        out.append(UInt8(ascii: "}"))
        return OutputFile(path: termPath(index), contents: Data(out))
    }
}

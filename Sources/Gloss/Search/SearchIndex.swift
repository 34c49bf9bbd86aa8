import Foundation

/// Stage 5b: the static search index, built from the site graph (text we
/// already have, no re-reading of pages). Written as small JSON shards so a
/// first query downloads little: `meta.json`, `entities.json`, the shard of
/// each query term, and the document shards of the results shown.
struct SearchIndex {
    struct Document: Sendable {
        let kind: String
        let year: Int?
        /// What the page shows of it: its row of a document shard,
        /// `[kind,title,URL,year,snippet]` in JSON. One text, in the spill
        /// when the build has one: the documents' titles and snippets were a
        /// large part of the search stage's memory.
        let row: StoredText

        init(kind: String, title: String, url: String, year: Int?, snippet: String, in spill: TextSpill? = nil) {
            let row: JSONValue = [.string(kind), .string(title), .string(url), .int(year ?? 0), .string(snippet)]
            self.init(kind: kind, year: year, row: StoredText(row.serialized(), in: spill))
        }

        init(kind: String, year: Int?, row: StoredText) {
            self.kind = kind
            self.year = year
            self.row = row
        }
    }

    static let documentsPerShard = 100
    /// Postings kept per term: enough for every realistic query, and it
    /// keeps words that are everywhere from dominating the download.
    static let postingsPerTerm = 400

    let graph: SiteGraph
    let urls: SiteURLs

    /// The indexed documents of a previous build, in order, with the source
    /// version each was indexed from: a rebuild tokenizes only what changed.
    /// When the documents are the same ones in the same order (an edit that
    /// adds, removes and reorders none), each is found at its own position,
    /// and the posting lists are updated for the changed documents only.
    struct Cache: Sendable {
        var environment = 0
        var keys: [DocumentKey] = []
        var versions: [Int?] = []
        var indexed: [Indexed] = []
        var postings: [PostingBucket] = []
        /// The files written from them, to keep the shards no change touched.
        var output = Output()
    }

    /// Which source a document is made from.
    enum DocumentKey: Hashable, Sendable {
        case entity(String)
        case article(String)
        case claim(article: String, id: String)
    }

    /// A document and its packed terms.
    struct Indexed: Sendable {
        let document: Document
        let terms: PackedTerms
        /// For entities: their names as search terms, and their id.
        var entity: (names: [String], id: String)?

        /// A document's row of `entities.json`, if it is an entity.
        static func entityRow(_ doc: Int, _ entity: (names: [String], id: String)?) -> JSONValue? {
            entity.map { [.int(doc), .strings($0.names), .string($0.id)] }
        }
    }

    private enum Source: Sendable {
        case entity(EntityKind, EntitySource)
        case article(AnnotatedArticle)
        case claim(SiteGraph.Claim)
    }

    /// Terms are merged in this many independent groups, one core each.
    static let buckets = 64

    /// The index files; documents whose source version is as in `cache`
    /// (and built in the same environment: settings, entity names) are not
    /// tokenized again.
    ///
    /// `keep: false` (a build without a cache) returns no cache. With a
    /// `spill`, what the cache keeps waits there; `keepPublished` (for a
    /// build into a folder) keeps files no change touched as published.
    /// With `emit`, shards are handed there as they are made, and only the
    /// others are returned, unless the cache must hold them (an in-memory
    /// build's next update reuses its files).
    func files(versions: SourceVersions, environment: Int, reusing cache: Cache, keep: Bool = true,
               spill: TextSpill? = nil, keepPublished: ((String) -> Bool)? = nil,
               emit: (([OutputFile]) -> Void)? = nil) -> (files: [OutputFile], cache: Cache) {
        // Entities by kind, then articles and claims newest first: the document numbers.
        let sources: [Source] = {
            var list: [Source] = []
            list.reserveCapacity(graph.registry.entities.count + graph.articles.count + graph.claims.count)
            for kind in EntityKind.allCases { list += graph.entities(of: kind).lazy.map { .entity(kind, $0) } }
            list += graph.articles.lazy.map { .article($0) }
            list += graph.claims.lazy.map { .claim($0) }
            return list
        }()
        let keys = sources.map(Self.key)
        let known = sources.map { Self.version(of: $0, versions) }
        let reuse = keep && cache.environment == environment
        let samePlaces = reuse && keys == cache.keys
        // Only when documents moved: where each was last time.
        let positions = reuse && !samePlaces
            ? Dictionary(zip(cache.keys, cache.keys.indices), uniquingKeysWith: { first, _ in first }) : [:]
        let inPlace = samePlaces && !cache.postings.isEmpty && !known.contains(nil)
        @Sendable func previous(_ doc: Int) -> Int? {
            guard reuse, let version = known[doc], let old = samePlaces ? doc : positions[keys[doc]],
                  cache.versions[old] == version else { return nil }
            return old
        }

        var indexed: [Indexed] = [], changed: [Change] = [], documents: [Document] = [], entities: [JSONValue] = []
        documents.reserveCapacity(sources.count)
        if keep { indexed.reserveCapacity(sources.count) }
        // A chunk of documents at a time: their postings packed as a run of
        // each bucket, in the spill when there is one, and their terms
        // dropped. The posting lists of every term were the peak of a build's
        // memory; they are now put together one bucket at a time, at the end.
        // A chunk's terms are about 9 KB a document (19 MB for 2,048, the
        // peak of a 10,000-article build), so chunks are small. Small sites
        // get several chunks too, so their tests cover the seams.
        var runs = [[StoredBytes]](repeating: [], count: inPlace ? 0 : Self.buckets)
        let size = min(512, max(16, sources.count / 8))
        for start in stride(from: 0, to: sources.count, by: size) {
            let docs = start..<min(start + size, sources.count)
            // In place, a chunk of documents all as last time (all chunks but
            // the edited one's) is taken as it is, on this core: made on all
            // cores and copied as tuples, their shared parts were counted up
            // and down from both, a tenth of a preview's rebuild.
            if inPlace, docs.allSatisfy({ previous($0) != nil }) {
                for doc in docs {
                    let item = cache.indexed[doc]
                    documents.append(item.document)
                    if let row = Indexed.entityRow(doc, item.entity) { entities.append(row) }
                    indexed.append(item)
                }
                continue
            }
            // Each document's own part, its packed terms (to keep), and its
            // terms (to merge, or as the change of an update in place).
            let chunk = Array(docs).parallelMap { doc -> (Head, PackedTerms?, Terms?) in
                if let old = previous(doc) {
                    let item = cache.indexed[old]
                    return ((item.document, item.entity), item.terms, inPlace ? nil : item.terms.terms)
                }
                let (head, terms) = index(sources[doc], spill: spill)
                return (head, keep ? PackedTerms(terms, in: spill) : nil, terms)
            }
            for (offset, (head, packed, terms)) in chunk.enumerated() {
                let doc = start + offset
                documents.append(head.document)
                if let row = Indexed.entityRow(doc, head.entity) { entities.append(row) }
                if let packed { indexed.append(Indexed(document: head.document, terms: packed, entity: head.entity)) }
                if inPlace, let terms { changed.append((doc, cache.indexed[doc].terms.terms, terms)) }
            }
            if !inPlace {
                let terms = chunk.map { $0.2 ?? [] }
                let packed = Array(0..<Self.buckets).parallelMap { bucket in
                    var lists: [String: [Posting]] = [:]
                    Self.append(terms, numberedFrom: start, bucket: bucket, to: &lists)
                    return PostingBucket.lists(lists).stored(in: spill)
                }
                for (bucket, run) in packed.enumerated() { runs[bucket].append(run) }
            }
        }
        let entries: TermEntries, postings: [PostingBucket]
        let edits = inPlace ? Self.edits(changed) : []
        if inPlace {
            let updated = Self.update(cache.postings, edits: edits, spill: spill)
            postings = updated.postings
            entries = .updated(postings, edited: updated.edited)
        } else {
            let buckets = Self.finish(runs, keep: keep, spill: spill)
            postings = buckets.map(\.postings)
            entries = .all(buckets.map(\.entries), listed: buckets.reduce(0) { $0 + $1.listed })
        }
        // Only an update in place says which documents changed; else all did.
        let published = !keep || spill != nil || keepPublished != nil
        let output = write(documents: documents, entries: entries, entities: entities,
                           changes: inPlace ? Changes(changed, edits: edits) : nil, previous: cache.output, keepPublished: keepPublished,
                           spill: spill, stream: published ? emit : nil)
        guard keep else { return (output.files, Cache()) }
        // The same keys as last time are kept as that array: the next save
        // compares them with the loaded file's, and the same array compares at once.
        let next = Cache(environment: environment, keys: samePlaces ? cache.keys : keys, versions: known, indexed: indexed,
                         postings: postings.map { $0.packed(in: spill) },
                         output: output.forNextBuild(spill: spill, published: spill != nil || keepPublished != nil))
        return (output.files, next)
    }

    private static func key(_ source: Source) -> DocumentKey {
        switch source {
        case .entity(_, let entity): return .entity(entity.id)
        case .article(let article): return .article(article.source.slug.value)
        case .claim(let claim): return .claim(article: claim.article.source.slug.value, id: claim.source.id.value)
        }
    }

    /// The version of the file a document is made from (a claim's is its article's).
    private static func version(of source: Source, _ versions: SourceVersions) -> Int? {
        switch source {
        case .entity(_, let entity): return versions.entities[entity.id]
        case .article(let article): return versions.articles[article.source.slug.value]
        case .claim(let claim): return versions.articles[claim.article.source.slug.value]
        }
    }

    /// A document's own part: what it shows, and for an entity its names.
    private typealias Head = (document: Document, entity: (names: [String], id: String)?)

    private func index(_ source: Source, spill: TextSpill?) -> (head: Head, terms: Terms) {
        var counter = TermCounter()
        let document: Document
        var entityRow: (names: [String], id: String)?
        switch source {
        case .entity(let kind, let entity):
            document = Document(kind: kind.rawValue, title: entity.name, url: urls.entity(kind, entity.id), year: nil,
                                snippet: Self.clip(entity.description ?? ""), in: spill)
            let names = [entity.name] + entity.aliases.map(\.value)
            entityRow = (names.map { SearchTokenizer.terms($0).joined(separator: " ") }, entity.id)
            for name in names { counter.add(name, weight: 20) }
            counter.add(entity.description ?? "", weight: 2)
        case .article(let article):
            let s = article.source
            document = Document(kind: "article", title: s.title, url: urls.article(s.slug.value), year: s.date.year,
                                snippet: Self.clip(s.summary ?? article.lede), in: spill)
            counter.add(s.title, weight: 10)
            counter.add(s.summary ?? "", weight: 3)
            counter.add(article.text, weight: 1)
            let about = Set(s.about.values.flatMap { $0.map(\.value) })
            for id in Set(article.mentionedIDs).union(about) {
                counter.add(term: "@" + id, weight: about.contains(id) ? 3 : 1)
            }
        case .claim(let claim):
            let speaker = graph.registry[claim.source.by.value]?.name ?? claim.source.by.value
            document = Document(kind: "claim", title: "\(speaker): “\(Self.clip(claim.source.quote.value, 120))”",
                                url: urls.claim(article: claim.article.source.slug.value, id: claim.source.id.value),
                                year: claim.date.year, snippet: Self.clip(claim.article.source.title), in: spill)
            counter.add(claim.source.quote.value, weight: 4)
            counter.add(speaker, weight: 2)
            // Claims by or about an entity rank above articles that merely mention it.
            counter.add(term: "@" + claim.source.by.value, weight: 10)
            for ref in claim.source.about { counter.add(term: "@" + ref.value, weight: 5) }
        }
        let terms: Terms = counter.byShard(Self.buckets)
        return ((document, entityRow), terms)
    }

    static func clip(_ text: String, _ limit: Int = 200) -> String {
        guard text.count > limit else { return text }
        let cut = text.prefix(limit)
        return (cut.lastIndex(of: " ").map { String(cut[..<$0]) } ?? String(cut)) + "…"
    }

    /// Compact JSON with keys in code-point order (deterministic output).
    /// Not `JSONSerialization`: its `.sortedKeys` compares with NSString's
    /// locale-aware compare, which made this stage slower than all the rest.
    static func json(_ root: Any) -> String {
        return value(root).serialized()

        func value(_ any: Any) -> JSONValue {
            switch any {
            case let text as String: return .string(text)
            case let number as Int: return .int(number)
            case let flag as Bool: return .bool(flag)
            case let numbers as [Int]: return .array(numbers.map { .int($0) })
            case let postings as [String: [Int]]:
                return .object(JSONObject(postings.keys.sorted().map { ($0, .array(postings[$0]!.map { .int($0) })) }))
            case let object as [String: Any]:
                return .object(JSONObject(object.keys.sorted().map { ($0, value(object[$0]!)) }))
            case let list as [Any]: return .array(list.map(value))
            default: return .string(String(describing: any))
            }
        }
    }
}

import Foundation

/// Stage 5b: the static search index, built from the site graph (text we
/// already have, no re-reading of pages). Written as small JSON shards so a
/// first query downloads little: `meta.json`, `entities.json`, the shard of
/// each query term, and the document shards of the results shown.
struct SearchIndex {
    struct Document {
        let kind: String
        let title: String
        let url: String
        let year: Int?
        let snippet: String
    }

    static let documentsPerShard = 100
    /// Postings kept per term: enough for every realistic query, and it
    /// keeps words that are everywhere from dominating the download.
    static let postingsPerTerm = 400

    let graph: SiteGraph
    let urls: SiteURLs

    /// Indexed documents of a previous build, by source, with the version
    /// they were indexed from: a rebuild tokenizes only what changed. With
    /// the documents' order and the posting lists made from them, a rebuild
    /// whose documents are the same ones in the same order (an edit that adds
    /// or removes none) updates the lists for the changed documents only.
    struct Cache: Sendable {
        var entries: [String: (version: Int, indexed: Indexed)] = [:]
        var environment = 0
        var order: [String] = []
        var postings: Postings = []
        /// The files written from them, to keep the shards no change touched.
        var output = Output()
    }

    /// A document and its terms with summed weights, split by `bucket(_:)`.
    struct Indexed: Sendable {
        let document: Document
        let terms: [[(term: String, weight: Int)]]
        /// For entities: their names as search terms, and their id.
        var entity: (names: [String], id: String)?
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
    func files(versions: SourceVersions, environment: Int, reusing cache: Cache) -> (files: [OutputFile], cache: Cache) {
        // Entities by kind, then articles and claims newest first: the document numbers.
        var sources: [Source] = []
        for kind in EntityKind.allCases { sources += graph.entities(of: kind).map { .entity(kind, $0) } }
        sources += graph.articles.map { .article($0) } + graph.claims.map { .claim($0) }
        let reuse = cache.environment == environment
        let results = sources.parallelMap { source -> (key: (name: String, version: Int)?, indexed: Indexed, reused: Bool) in
            let key = Self.key(source, versions)
            if reuse, let key, let hit = cache.entries[key.name], hit.version == key.version { return (key, hit.indexed, true) }
            return (key, index(source), false)
        }
        var next = Cache()
        next.environment = environment
        for result in results { if let key = result.key { next.entries[key.name] = (key.version, result.indexed) } }
        let indexed = results.map(\.indexed)
        let order = results.compactMap { $0.key?.name }
        let inPlace = reuse && order.count == results.count && order == cache.order && !cache.postings.isEmpty
        let changed = results.indices.filter { !results[$0].reused }
        if inPlace {
            next.postings = Self.update(cache.postings, changing: changed.map { ($0, cache.entries[order[$0]]?.indexed, indexed[$0]) })
        } else {
            next.postings = Self.merge(indexed)
        }
        next.order = order.count == results.count ? order : []
        let entities = indexed.enumerated().compactMap { doc, item in
            item.entity.map { JSONValue.array([.int(doc), .strings($0.names), .string($0.id)]) }
        }
        // Only an update in place says which documents changed; else all did.
        let changes = inPlace ? Changes(documents: changed, old: cache.entries, order: order, new: indexed) : nil
        next.output = write(documents: indexed.map(\.document), postings: next.postings, entities: entities,
                            changes: changes, previous: cache.output)
        return (next.output.files, next)
    }

    /// A document's cache key: which source it is and that source's version.
    private static func key(_ source: Source, _ versions: SourceVersions) -> (name: String, version: Int)? {
        switch source {
        case .entity(_, let entity): return versions.entities[entity.id].map { ("e:" + entity.id, $0) }
        case .article(let article):
            let slug = article.source.slug.value
            return versions.articles[slug].map { ("a:" + slug, $0) }
        case .claim(let claim):
            let slug = claim.article.source.slug.value
            return versions.articles[slug].map { ("c:" + slug + "/" + claim.source.id.value, $0) }
        }
    }

    private func index(_ source: Source) -> Indexed {
        var weights: [String: Int] = [:]
        func add(_ terms: [String], weight: Int) { for term in terms { weights[term, default: 0] += weight } }
        let document: Document
        var entityRow: (names: [String], id: String)?
        switch source {
        case .entity(let kind, let entity):
            document = Document(kind: kind.rawValue, title: entity.name, url: urls.entity(kind, entity.id), year: nil,
                                snippet: Self.clip(entity.description ?? ""))
            let names = [entity.name] + entity.aliases.map(\.value)
            entityRow = (names.map { SearchTokenizer.terms($0).joined(separator: " ") }, entity.id)
            add(names.flatMap(SearchTokenizer.terms), weight: 20)
            add(SearchTokenizer.terms(entity.description ?? ""), weight: 2)
        case .article(let article):
            let s = article.source
            document = Document(kind: "article", title: s.title, url: urls.article(s.slug.value), year: s.date.year,
                                snippet: Self.clip(s.summary ?? article.lede))
            add(SearchTokenizer.terms(s.title), weight: 10)
            add(SearchTokenizer.terms(s.summary ?? ""), weight: 3)
            add(SearchTokenizer.terms(article.text), weight: 1)
            let about = Set(s.about.values.flatMap { $0.map(\.value) })
            for id in Set(article.mentions.map(\.entityID)).union(about) {
                add(["@" + id], weight: about.contains(id) ? 3 : 1)
            }
        case .claim(let claim):
            let speaker = graph.registry[claim.source.by.value]?.name ?? claim.source.by.value
            document = Document(kind: "claim", title: "\(speaker): “\(Self.clip(claim.source.quote.value, 120))”",
                                url: urls.claim(article: claim.article.source.slug.value, id: claim.source.id.value),
                                year: claim.date.year, snippet: Self.clip(claim.article.source.title))
            add(SearchTokenizer.terms(claim.source.quote.value), weight: 4)
            add(SearchTokenizer.terms(speaker), weight: 2)
            // Claims by or about an entity rank above articles that merely mention it.
            add(["@" + claim.source.by.value], weight: 10)
            for ref in claim.source.about { add(["@" + ref.value], weight: 5) }
        }
        var terms = [[(term: String, weight: Int)]](repeating: [], count: Self.buckets)
        for (term, weight) in weights { terms[SearchTokenizer.shard(term, of: Self.buckets)].append((term, weight)) }
        return Indexed(document: document, terms: terms, entity: entityRow)
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

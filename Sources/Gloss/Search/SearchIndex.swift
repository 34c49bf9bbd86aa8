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

    func files() -> [OutputFile] {
        var documents: [Document] = []
        // Terms of the current document are summed locally, then appended
        // once: documents arrive in order, so each posting list stays sorted.
        var postings: [String: [(doc: Int, weight: Int)]] = [:]
        var pending: [String: Int] = [:]
        var pendingDoc = -1
        func flush() {
            for (term, weight) in pending { postings[term, default: []].append((pendingDoc, weight)) }
            pending.removeAll(keepingCapacity: true)
        }
        func add(_ terms: [String], weight: Int, to doc: Int) {
            if doc != pendingDoc { flush(); pendingDoc = doc }
            for term in terms { pending[term, default: 0] += weight }
        }
        var entityDocs: [String: Int] = [:]
        var entities: [[Any]] = []
        for kind in EntityKind.allCases {
            for entity in graph.entities(of: kind) {
                let doc = documents.count
                entityDocs[entity.id] = doc
                documents.append(Document(kind: kind.rawValue, title: entity.name, url: urls.entity(kind, entity.id), year: nil,
                                          snippet: Self.clip(entity.description ?? "")))
                let names = [entity.name] + entity.aliases.map(\.value)
                entities.append([doc, names.map { SearchTokenizer.terms($0).joined(separator: " ") }, entity.id])
                add(names.flatMap(SearchTokenizer.terms), weight: 20, to: doc)
                add(SearchTokenizer.terms(entity.description ?? ""), weight: 2, to: doc)
            }
        }
        for article in graph.articles {
            let doc = documents.count
            let s = article.source
            documents.append(Document(kind: "article", title: s.title, url: urls.article(s.slug.value), year: s.date.year,
                                      snippet: Self.clip(s.summary ?? article.lede)))
            add(SearchTokenizer.terms(s.title), weight: 10, to: doc)
            add(SearchTokenizer.terms(s.summary ?? ""), weight: 3, to: doc)
            add(SearchTokenizer.terms(article.text), weight: 1, to: doc)
            for id in Set(article.mentions.map(\.entityID) + s.about.values.flatMap { $0.map(\.value) }) {
                add(["@" + id], weight: s.about.values.contains { $0.contains { $0.value == id } } ? 3 : 1, to: doc)
            }
        }
        for claim in graph.claims {
            let doc = documents.count
            let speaker = graph.registry[claim.source.by.value]?.name ?? claim.source.by.value
            documents.append(Document(kind: "claim", title: "\(speaker): “\(Self.clip(claim.source.quote.value, 120))”",
                                      url: urls.claim(article: claim.article.source.slug.value, id: claim.source.id.value),
                                      year: claim.date.year, snippet: Self.clip(claim.article.source.title)))
            add(SearchTokenizer.terms(claim.source.quote.value), weight: 4, to: doc)
            add(SearchTokenizer.terms(speaker), weight: 2, to: doc)
            // Claims by or about an entity rank above articles that merely mention it.
            add(["@" + claim.source.by.value], weight: 10, to: doc)
            for ref in claim.source.about { add(["@" + ref.value], weight: 5, to: doc) }
        }
        flush()
        return write(documents: documents, postings: postings, entities: entities)
    }

    private func write(documents: [Document], postings: [String: [(doc: Int, weight: Int)]], entities: [[Any]]) -> [OutputFile] {
        // About 1,500 postings a shard keeps each term file near 10 KB.
        let total = postings.values.reduce(0) { $0 + min($1.count, Self.postingsPerTerm) }
        let shardCount = max(1, min(4096, total / 1500))
        var shards = [[String: [Int]]](repeating: [:], count: shardCount)
        for (term, docs) in postings {
            let best = docs.count <= Self.postingsPerTerm ? docs[...]
                : docs.sorted { ($0.weight, $1.doc) > ($1.weight, $0.doc) }.prefix(Self.postingsPerTerm)
            // First the number of documents with the term, so the page can say
            // "more than N results" when only the best are listed.
            shards[SearchTokenizer.shard(term, of: shardCount)][term] = [docs.count] + best.sorted { $0.doc < $1.doc }.flatMap { [$0.doc, $0.weight] }
        }
        // Documents are ordered by kind, and articles and claims newest first,
        // so filters by kind and year are ranges: no metadata to download.
        var kinds: [String: [Int]] = [:]
        var years: [String: [Int]] = [:]
        for (index, doc) in documents.enumerated() {
            kinds[doc.kind] = [kinds[doc.kind]?[0] ?? index, index + 1]
            if let year = doc.year { years["\(doc.kind):\(year)", default: [index, index + 1]][1] = index + 1 }
        }
        var files = [OutputFile(path: "search/meta.json", text: Self.json([
            "version": 1, "documents": documents.count, "documentsPerShard": Self.documentsPerShard, "termShards": shardCount,
            "kinds": kinds, "years": years,
        ] as [String: Any])),
                     OutputFile(path: "search/entities.json", text: Self.json(entities))]
        for (index, shard) in shards.enumerated() {
            files.append(OutputFile(path: "search/terms/\(index).json", text: Self.json(shard)))
        }
        for start in stride(from: 0, to: documents.count, by: Self.documentsPerShard) {
            let rows: [[Any]] = documents[start..<min(start + Self.documentsPerShard, documents.count)].map {
                [$0.kind, $0.title, $0.url, $0.year ?? 0, $0.snippet]
            }
            files.append(OutputFile(path: "search/docs/\(start / Self.documentsPerShard).json", text: Self.json(rows)))
        }
        return files
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

/// Stage 4: the cross-link graph of articles, entities and claims, with
/// backlinks as derived indexes. Immutable once built; rendering reads it.
public struct SiteGraph: Sendable {
    public struct Backlink: Sendable {
        public let article: AnnotatedArticle
        public let sentences: [String]
        /// Listed in the article's front matter as what it is about.
        public let isAbout: Bool
    }

    public struct Claim: Sendable {
        public let source: ClaimSource
        public let article: AnnotatedArticle
        public var date: SimpleDate { source.date ?? article.source.date }
    }

    public let config: SiteConfig
    public let registry: EntityRegistry
    /// Newest first; ties broken by title so the order is stable.
    public let articles: [AnnotatedArticle]
    public let claims: [Claim]
    public let backlinks: [String: [Backlink]]
    public let claimsBy: [String: [Claim]]
    public let claimsAbout: [String: [Claim]]
    /// Position of each article in `articles`, by slug.
    public let articleIndex: [String: Int]
    /// Articles by their `author`, newest first.
    public let articlesBy: [String: [AnnotatedArticle]]
    /// For each entity, others that appear in the same articles, with counts.
    public let related: [String: [(id: String, count: Int)]]

    public init(config: SiteConfig, registry: EntityRegistry, articles: [AnnotatedArticle]) {
        self.config = config
        self.registry = registry
        let sorted = articles.sorted {
            ($0.source.date, $1.source.title, $1.source.slug.value) > ($1.source.date, $0.source.title, $0.source.slug.value)
        }
        self.articles = sorted
        articleIndex = Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($1.source.slug.value, $0) })
        var authored: [String: [AnnotatedArticle]] = [:]
        for article in sorted { if let author = article.source.author { authored[author.value, default: []].append(article) } }
        articlesBy = authored

        var backlinks: [String: [Backlink]] = [:]
        var related: [String: [String: Int]] = [:]
        for article in sorted {
            let about = Set(article.source.about.values.flatMap { $0.map(\.value) })
            var sentences: [String: [String]] = [:]
            for mention in article.mentions {
                // One excerpt per passage: skip a sentence already inside another shown one.
                var list = sentences[mention.entityID] ?? []
                if list.contains(where: { $0.contains(mention.sentence) }) { continue }
                list.removeAll { mention.sentence.contains($0) }
                list.append(mention.sentence)
                sentences[mention.entityID] = list
            }
            for id in about where sentences[id] == nil { sentences[id] = [] }
            for (id, list) in sentences {
                backlinks[id, default: []].append(Backlink(article: article, sentences: list, isAbout: about.contains(id)))
                for other in sentences.keys where other != id { related[id, default: [:]][other, default: 0] += 1 }
            }
        }
        self.backlinks = backlinks
        self.related = related.mapValues { counts in
            counts.map { (id: $0.key, count: $0.value) }.sorted { ($0.count, $1.id) > ($1.count, $0.id) }
        }

        var claims: [Claim] = []
        for article in sorted { claims += article.claims.map { Claim(source: $0, article: article) } }
        claims.sort { ($0.date, $1.source.id.value) > ($1.date, $0.source.id.value) }
        self.claims = claims
        var by: [String: [Claim]] = [:], about: [String: [Claim]] = [:]
        for claim in claims {
            by[claim.source.by.value, default: []].append(claim)
            for ref in Set(claim.source.about.map(\.value)) { about[ref, default: []].append(claim) }
        }
        claimsBy = by
        claimsAbout = about
    }

    /// How many distinct articles mention, are about, or are written by an entity.
    public func articleCount(_ id: String) -> Int {
        Set((backlinks[id] ?? []).map(\.article.source.slug.value) + (articlesBy[id] ?? []).map(\.source.slug.value)).count
    }

    public func entities(of kind: EntityKind) -> [EntitySource] {
        registry.entities.values.filter { $0.kind == kind }
            .sorted { (Self.sortKey($0.name), $0.id) < (Self.sortKey($1.name), $1.id) }
    }

    /// Alphabetical order for readers: case and accents ignored ("Çelik" before "Dmitri").
    public static func sortKey(_ name: String) -> String {
        String(String.UnicodeScalarView(name.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars
            .filter { $0.properties.generalCategory != .nonspacingMark }))
    }
}

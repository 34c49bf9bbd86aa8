import Foundation

/// Stage 4: the cross-link graph of articles, entities and claims, with
/// backlinks as derived indexes. Immutable once built; rendering reads it.
/// A class: every page's closure and every export item holds the graph,
/// and copying a struct of a dozen collections was a retain for each.
public final class SiteGraph: Sendable {
    /// 24 bytes: an archive has a dozen backlinks per article.
    public struct Backlink: Sendable {
        /// Shared by all of an article's backlinks: copying a backlink is then
        /// a couple of retains, not one for every field of the article.
        private let box: ArticleBox
        public var article: AnnotatedArticle { box.article }
        /// Which of the article's excerpts this is.
        private let excerpt: Int32
        var excerptIndex: Int { Int(excerpt) }
        /// Position of the article in `articles`.
        private let position: Int32
        private let mentions: Int32
        /// Listed in the article's front matter as what it is about.
        public let isAbout: Bool

        /// The passages around its mentions, at most `Excerpts.shown`.
        public var sentences: [String] { box.article.excerpts[Int(excerpt)].sentences }
        var index: Int { Int(position) }
        /// How many of the article's mentions are of this entity.
        var mentionCount: Int { Int(mentions) }

        init(_ box: ArticleBox, excerpt: Int) {
            let excerpts = box.article.excerpts[excerpt]
            self.box = box
            self.excerpt = Int32(excerpt)
            position = Int32(box.index)
            mentions = Int32(clamping: excerpts.mentionCount)
            isAbout = excerpts.isAbout
        }
    }

    final class ArticleBox: Sendable {
        let article: AnnotatedArticle
        let index: Int
        init(_ article: AnnotatedArticle, index: Int) { self.article = article; self.index = index }
    }

    /// A class for the same reason as `AnnotatedArticle`: 25,000 claims are
    /// sorted, grouped and listed many times over, and a copy of the struct
    /// was a dozen retains.
    public final class Claim: Sendable {
        public let source: ClaimSource
        public let article: AnnotatedArticle
        /// `slug/id`: a claim is known by its article and its id (ids are
        /// unique per article). Made once: the data exports name every
        /// claim on every build, and a preview's graph keeps its claims.
        public let key: String
        /// Its id hashed (`StableHasher`), for page keys: the claims pages
        /// and data exports hash every claim's id on every build, and
        /// reading each id's string (a retain of an object cold in memory)
        /// was most of that time.
        let idHash: Int
        public var date: SimpleDate { source.date ?? article.source.date }

        init(source: ClaimSource, article: AnnotatedArticle) {
            self.source = source
            self.article = article
            key = Self.key(article.source.slug.value, source.id.value)
            var hasher = StableHasher()
            hasher.combine(source.id.value)
            idHash = hasher.finalize()
        }

        /// `slug/id` in one allocation: a build makes one for every claim,
        /// and `+` made two (interpolation cost three times as much).
        private static func key(_ slug: String, _ id: String) -> String {
            var slug = slug, id = id
            return slug.withUTF8 { slug in
                id.withUTF8 { id in
                    String(unsafeUninitializedCapacity: slug.count + 1 + id.count) { buffer in
                        var end = buffer.initialize(fromContentsOf: slug)
                        buffer[end] = UInt8(ascii: "/")
                        end += 1
                        return buffer[end...].initialize(fromContentsOf: id)
                    }
                }
            }
        }
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
    /// For each entity, the others that share most articles with it (at most `relatedShown`), with counts.
    public let related: [String: [(id: String, count: Int)]]
    /// Derived once here because rendering and publishing ask for them per
    /// page or per entity; see `entities(of:)`, `articleCount(_:)` and
    /// `articles(involving:)`.
    let entitiesByKind: [EntityKind: [EntitySource]]
    let articleCounts: [String: Int]
    let involving: [String: [Int]]
    let listings: Listings

    /// What the next build may take over; see `SiteGraph.Cache`.
    let cache: Cache

    public convenience init(config: SiteConfig, registry: EntityRegistry, articles: [AnnotatedArticle]) {
        self.init(config: config, registry: registry, articles: articles, reusing: Cache())
    }

    /// The graph; co-mention counts are kept while every article names the
    /// same entities.
    init(config: SiteConfig, registry: EntityRegistry, articles: [AnnotatedArticle], reusing previous: Cache) {
        self.config = config
        self.registry = registry
        // Sorted by keys taken out once: comparing the articles themselves
        // read (and retained) three fields of two objects per comparison.
        let keys = articles.map { (date: $0.source.date.ordinal, title: $0.source.title, slug: $0.source.slug.value) }
        let sorted = articles.indices.sorted { a, b in
            (keys[a].date, keys[b].title, keys[b].slug) > (keys[b].date, keys[a].title, keys[a].slug)
        }.map { articles[$0] }
        self.articles = sorted
        articleIndex = Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($1.source.slug.value, $0) })
        var authored: [String: [AnnotatedArticle]] = [:]
        var authoredIndices: [String: [Int]] = [:]
        for (index, article) in sorted.enumerated() {
            guard let author = article.source.author else { continue }
            authored[author.value, default: []].append(article)
            authoredIndices[author.value, default: []].append(index)
        }
        articlesBy = authored

        // The claims' indexes are made on another core meanwhile: they read
        // only the sorted articles.
        let claimIndex = Background { ClaimIndex(sorted) }
        let listings = Background { Listings(sorted) }

        // Each article's excerpts were worked out when it was annotated.
        let boxes = sorted.enumerated().map { ArticleBox($1, index: $0) }
        let excerpts = boxes.map(\.article.excerpts)
        // The co-mention counts (or the key that keeps last build's) and the
        // entities in reading order, on other cores while the backlinks are listed.
        let coMentions = Background { () -> Cache in
            let named = excerpts.map { $0.map(\.id) }
            let namedKey = Cache.key(named)
            return Cache(named: namedKey, related: previous.named == namedKey ? previous.related : Self.coOccurrences(named))
        }
        let readingOrder = Background { Self.byKind(registry) }
        var backlinks: [String: [Backlink]] = [:]
        for (box, links) in zip(boxes, excerpts) {
            for (excerpt, link) in links.enumerated() { backlinks[link.id, default: []].append(Backlink(box, excerpt: excerpt)) }
        }
        self.backlinks = backlinks
        cache = coMentions.value
        related = cache.related
        entitiesByKind = readingOrder.value

        let claims = claimIndex.value
        self.claims = claims.claims
        claimsBy = claims.by
        claimsAbout = claims.about
        let claimArticles = claims.articles

        // Article positions per entity: `articles` is already in the order
        // wanted, so sorting positions sorts the articles.
        // Each entity's on all cores: thousands of sets.
        let ids = Array(Set(backlinks.keys).union(authoredIndices.keys).union(claimArticles.keys))
        let rows = ids.parallelMap { [backlinks, authoredIndices] id -> (count: Int, involving: [Int]) in
            let shown = Set((backlinks[id] ?? []).map(\.index)).union(authoredIndices[id] ?? [])
            return (shown.count, shown.union(claimArticles[id] ?? []).sorted())
        }
        var counts: [String: Int] = [:], involving: [String: [Int]] = [:]
        counts.reserveCapacity(ids.count)
        involving.reserveCapacity(ids.count)
        for (id, row) in zip(ids, rows) {
            counts[id] = row.count
            involving[id] = row.involving
        }
        articleCounts = counts
        self.involving = involving
        self.listings = listings.value
    }

    /// A graph's indexes, as `patched(from:)` and `init(shape:)` put them together.
    struct Parts {
        var articles: [AnnotatedArticle]
        var articleIndex: [String: Int]
        var claims: [Claim]
        var backlinks: [String: [Backlink]]
        var claimsBy: [String: [Claim]]
        var claimsAbout: [String: [Claim]]
        var articlesBy: [String: [AnnotatedArticle]]
        var entitiesByKind: [EntityKind: [EntitySource]]
        var articleCounts: [String: Int]
        var involving: [String: [Int]]
        var listings: Listings
        var cache: Cache
    }

    var parts: Parts {
        Parts(articles: articles, articleIndex: articleIndex, claims: claims, backlinks: backlinks, claimsBy: claimsBy,
              claimsAbout: claimsAbout, articlesBy: articlesBy, entitiesByKind: entitiesByKind, articleCounts: articleCounts,
              involving: involving, listings: listings, cache: cache)
    }

    init(config: SiteConfig, registry: EntityRegistry, parts: Parts) {
        self.config = config
        self.registry = registry
        articles = parts.articles
        articleIndex = parts.articleIndex
        claims = parts.claims
        backlinks = parts.backlinks
        claimsBy = parts.claimsBy
        claimsAbout = parts.claimsAbout
        articlesBy = parts.articlesBy
        entitiesByKind = parts.entitiesByKind
        articleCounts = parts.articleCounts
        involving = parts.involving
        listings = parts.listings
        cache = parts.cache
        related = parts.cache.related
    }

    /// Each kind's entities in reading order (`sortKey` of their names),
    /// sorted as keys and ids: sorting the entities themselves copied every
    /// field of two of them for each comparison.
    static func byKind(_ registry: EntityRegistry) -> [EntityKind: [EntitySource]] {
        var byKind: [EntityKind: [(key: String, id: String)]] = [:]
        for entity in registry.entities.values { byKind[entity.kind, default: []].append((Self.sortKey(entity.name), entity.id)) }
        return byKind.mapValues { list in list.sorted { $0 < $1 }.map { registry.entities[$0.id]! } }
    }

    /// One article's backlinks: each entity it mentions or is about, with
    /// one excerpt per passage (a sentence inside another shown one is skipped).
    static func excerpts(_ mentions: [Mention], about refs: [EntityKind: [Located<String>]]) -> [Excerpts] {
        // Entities in the order first mentioned, each with its passages: the
        // lists are changed in place (a list taken out of a dictionary and
        // put back was copied on every mention).
        var slots: [String: Int] = [:]
        var found: [(id: String, sentences: [String], mentions: Int)] = []
        for mention in mentions {
            let slot = slots[mention.entityID] ?? {
                slots[mention.entityID] = found.count
                found.append((mention.entityID, [], 0))
                return found.count - 1
            }()
            found[slot].mentions += 1
            let sentence = mention.sentence
            if found[slot].sentences.contains(where: { Self.contains($0, sentence) }) { continue }
            found[slot].sentences.removeAll { Self.contains(sentence, $0) }
            found[slot].sentences.append(sentence)
        }
        var about = Set<String>()
        for kind in EntityKind.allCases {
            for ref in refs[kind] ?? [] where about.insert(ref.value).inserted && slots[ref.value] == nil {
                slots[ref.value] = found.count
                found.append((ref.value, [], 0))
            }
        }
        return found.map { Excerpts(id: $0.id, sentences: $0.sentences, isAbout: about.contains($0.id), mentionCount: $0.mentions) }
    }

    /// Whether `needle`'s bytes occur in `text`'s. Excerpts are cut from the
    /// same text, so this is Foundation's `contains` without its locale-aware
    /// (and, here, quadratic-in-time) search.
    static func contains(_ text: String, _ needle: String) -> Bool {
        var text = text, needle = needle
        return text.withUTF8 { hay in
            needle.withUTF8 { pin in
                guard pin.count <= hay.count else { return false }
                guard let first = pin.first else { return true }
                var start = 0
                while start + pin.count <= hay.count {
                    if hay[start] == first, memcmp(hay.baseAddress! + start, pin.baseAddress!, pin.count) == 0 { return true }
                    start += 1
                }
                return false
            }
        }
    }

    /// How many related entities an entity's page lists.
    public static let relatedShown = 12

    /// How many distinct articles mention, are about, or are written by an entity.
    public func articleCount(_ id: String) -> Int { articleCounts[id] ?? 0 }

    /// Articles that mention an entity, are about it, are written by it, or
    /// hold a claim by or about it; newest first, in the order of `articles`.
    func articles(involving id: String) -> [AnnotatedArticle] {
        (involving[id] ?? []).map { articles[$0] }
    }

    public func entities(of kind: EntityKind) -> [EntitySource] { entitiesByKind[kind] ?? [] }
}

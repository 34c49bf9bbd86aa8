/// What an article's or an entity's page is made from, hashed without making
/// its view model: every source file the page shows something of (the article
/// and the articles it lists, the entities it names, and their versions).
/// With the site key (templates, settings, entity names) it decides whether
/// a page can be reused as it is. Nil when a version is unknown: the page is
/// then compared by its full view model.
struct PageInputs: Sendable {
    let graph: SiteGraph
    let versions: SourceVersions
    /// Each article's slug and version hashed, by position in `graph.articles`
    /// (nil: version unknown).
    private let articleKeys: [Int?]
    /// Per entity, its backlinks' order and kind: what related-article lists
    /// are scored from. An article's own sort key (date, title, slug) is in
    /// it, so any change that could reorder or re-rank shows here.
    let backlinkStructure: [String: Int]
    /// `entity(_:)` for every entity, made once: its page, its mention pages
    /// and its `entities.json` item all ask.
    let entityKeys: [String: Int]
    /// How many entities' keys were the last build's (`CarriedEntityKeys`).
    let carriedKeys: Int
    /// Each article's position in `graph.articles`, by object: pages look up
    /// hundreds of thousands of articles, and hashing a pointer is cheaper
    /// than hashing a slug.
    private let positions: IdentityIndex
    /// Per entity, its id and version hashed (nil: version unknown), and its
    /// id and backlink structure: made once, so that each of 10,000 article
    /// pages looks an entity up once and hashes an integer, not its id.
    private let entityTokens: [String: Int?]
    private let structureTokens: [String: Int]

    /// `carrying`: the last build's entity keys, kept for the entities no
    /// change touched.
    init(graph: SiteGraph, versions: SourceVersions, carrying carried: CarriedEntityKeys? = nil) {
        self.graph = graph
        self.versions = versions
        // Each article's key and what places it in a list (slug, date,
        // title), hashed once rather than for each of its backlinks, on all cores.
        let hashed = graph.articles.parallelMap { article -> (key: Int?, place: Int) in
            let slug = article.source.slug.value
            var place = StableHasher()
            place.combine(slug)
            place.combine(article.source.date)
            place.combine(article.source.title)
            return (versions.articles[slug].map { var h = StableHasher(); h.combine(slug); h.combine($0); return h.finalize() },
                    place.finalize())
        }
        let articleKeys = hashed.map(\.key), placeKeys = hashed.map(\.place)
        self.articleKeys = articleKeys
        let positions = IdentityIndex(graph.articles)
        self.positions = positions
        let ids = Array(graph.registry.entities.keys)
        let computed = ids.parallelMap { id -> (structure: Int, key: Int?, carried: Bool) in
            if let entry = carried?.entry(id) { return (entry.structure, entry.key, true) }
            let made = Self.entityHashes(id, graph: graph, versions: versions, articleKeys: articleKeys, placeKeys: placeKeys,
                                         positions: positions)
            return (made.structure, made.key, false)
        }
        carriedKeys = computed.count(where: \.carried)
        var structure: [String: Int] = [:], keys: [String: Int] = [:]
        for (id, hashes) in zip(ids, computed) {
            structure[id] = hashes.structure
            if let key = hashes.key { keys[id] = key }
        }
        backlinkStructure = structure
        entityKeys = keys
        entityTokens = Dictionary(uniqueKeysWithValues: ids.map { id in
            (id, versions.entities[id].map { var h = StableHasher(); h.combine(id); h.combine($0); return h.finalize() })
        })
        structureTokens = Dictionary(uniqueKeysWithValues: structure.map { id, value in
            var h = StableHasher(); h.combine(id); h.combine(value); return (id, h.finalize())
        })
    }

    func entity(_ entity: EntitySource) -> Int? { entityKeys[entity.id] }

    private static func entityHashes(_ id: String, graph: SiteGraph, versions: SourceVersions,
                                     articleKeys: [Int?], placeKeys: [Int],
                                     positions: IdentityIndex) -> (structure: Int, key: Int?) {
        let links = graph.backlinks[id] ?? []
        var structure = StableHasher()
        for link in links {
            structure.combine(placeKeys[link.index])
            structure.combine(link.isAbout)
        }
        func key() -> Int? {
            guard let entity = graph.registry[id], let own = versions.entities[id] else { return nil }
            var hasher = StableHasher()
            hasher.combine(id)
            hasher.combine(own)
            for party in entity.parties {
                guard graph.registry[party.value] == nil || versions.entities[party.value] != nil else { return nil }
                hasher.combine(party.value)
                hasher.combine(versions.entities[party.value] ?? 0)
            }
            func combine(_ index: Int?) -> Bool {
                guard let index, let article = articleKeys[index] else { return false }
                hasher.combine(article)
                return true
            }
            for link in links {
                guard combine(link.index) else { return nil }
                hasher.combine(link.isAbout)
            }
            for article in graph.articlesBy[id] ?? [] { guard combine(positions[article]) else { return nil } }
            for list in [graph.claimsBy[id] ?? [], graph.claimsAbout[id] ?? []] {
                hasher.combine(list.count)
                for claim in list {
                    guard combine(positions[claim.article]) else { return nil }
                    hasher.combine(claim.idHash)
                }
            }
            for pair in graph.related[id] ?? [] {
                hasher.combine(pair.id)
                hasher.combine(pair.count)
            }
            return hasher.finalize()
        }
        return (structure.finalize(), key())
    }

    /// What `SiteGraph.related(to:)` reads for this article: its own
    /// weighted entities and their backlinks. Equal keys, equal lists.
    func relatedKey(_ article: AnnotatedArticle) -> Int {
        var hasher = StableHasher()
        hasher.combine(article.source.slug.value)
        hasher.combine(article.source.date)
        hasher.combine(article.source.title)
        // Its excerpts name each entity it mentions or is about, once, in
        // an order that follows from the article (first mention first).
        for excerpt in article.excerpts {
            if let token = structureTokens[excerpt.id] {
                hasher.combine(token)
            } else {
                hasher.combine(excerpt.id)  // not an entity: no backlinks
            }
            hasher.combine(excerpt.isAbout)
        }
        return hasher.finalize()
    }

    /// A page listing these articles (a listing page): their versions in order.
    func listing(_ articles: some Sequence<AnnotatedArticle>) -> Int? {
        var hasher = StableHasher()
        for article in articles { guard combine(article, into: &hasher) else { return nil } }
        return hasher.finalize()
    }

    /// A page of claim cards: the claims' articles and ids, and the entities
    /// the cards name.
    func claims(_ claims: some Sequence<SiteGraph.Claim>) -> Int? {
        var hasher = StableHasher()
        for claim in claims {
            guard combine(claim.article, into: &hasher) else { return nil }
            hasher.combine(claim.idHash)
        }
        return hasher.finalize()
    }

    func article(_ article: AnnotatedArticle, related: [AnnotatedArticle]) -> Int? {
        var hasher = StableHasher()
        guard combine(article, into: &hasher) else { return nil }
        for other in related { guard combine(other, into: &hasher) else { return nil } }
        // The entities it shows: what it mentions or is about, its author,
        // its claims' speakers, subjects and reviewers. In the order the
        // article gives them, repeats included: that order follows from the
        // article and the entity names, both in the key already, and neither
        // a set nor a sort is made for 10,000 pages.
        for excerpt in article.excerpts { guard combine(entity: excerpt.id, into: &hasher) else { return nil } }
        if let author = article.source.author, !combine(entity: author.value, into: &hasher) { return nil }
        for claim in article.claims {
            guard combine(entity: claim.by.value, into: &hasher) else { return nil }
            for subject in claim.about { guard combine(entity: subject.value, into: &hasher) else { return nil } }
            if let reviewer = claim.review?.by, !combine(entity: reviewer.value, into: &hasher) { return nil }
        }
        return hasher.finalize()
    }

    private func combine(_ article: AnnotatedArticle, into hasher: inout StableHasher) -> Bool {
        guard let index = positions[article], let key = articleKeys[index] else { return false }
        hasher.combine(key)
        return true
    }

    private func combine(entity id: String, into hasher: inout StableHasher) -> Bool {
        guard let token = entityTokens[id] else { hasher.combine(id); return true }  // not an entity: shown as its id
        guard let token else { return false }
        hasher.combine(token)
        return true
    }
}

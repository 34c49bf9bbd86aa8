/// The content versions of the site's source files: a hash of each file's
/// bytes, by article slug and by entity id. A rebuild compares them with the
/// previous build's to find the pages it need not make again.
public struct SourceVersions: Sendable {
    public var articles: [String: Int] = [:]
    public var entities: [String: Int] = [:]

    public init() {}

    init(_ sources: SiteSources) {
        for article in sources.articles {
            if let digest = sources.stamps[article.path]?.digest { articles[article.slug.value] = digest }
        }
        for entity in sources.entities {
            if let digest = sources.stamps[entity.path]?.digest { entities[entity.id] = digest }
        }
    }
}

/// What an article's or an entity's page is made from, hashed without making
/// its view model: every source file the page shows something of (the article
/// and the articles it lists, the entities it names, and their versions).
/// With the site key (templates, settings, entity names) it decides whether
/// a page can be reused as it is. Nil when a version is unknown: the page is
/// then compared by its full view model.
struct PageInputs {
    let graph: SiteGraph
    let versions: SourceVersions
    /// Per entity, its backlinks' order and kind: what related-article lists
    /// are scored from. An article's own sort key (date, title, slug) is in
    /// it, so any change that could reorder or re-rank shows here.
    let backlinkStructure: [String: Int]

    init(graph: SiteGraph, versions: SourceVersions) {
        self.graph = graph
        self.versions = versions
        var structure: [String: Int] = [:]
        for (id, links) in graph.backlinks {
            var hasher = Hasher()
            for link in links {
                let s = link.article.source
                hasher.combine(s.slug.value)
                hasher.combine(s.date.description)
                hasher.combine(s.title)
                hasher.combine(link.isAbout)
            }
            structure[id] = hasher.finalize()
        }
        backlinkStructure = structure
    }

    /// What `SiteGraph.related(to:)` reads for this article: its own
    /// weighted entities and their backlinks. Equal keys, equal lists.
    func relatedKey(_ article: AnnotatedArticle) -> Int {
        var hasher = Hasher()
        hasher.combine(article.source.slug.value)
        hasher.combine(article.source.date.description)
        hasher.combine(article.source.title)
        let about = Set(article.source.about.values.flatMap { $0.map(\.value) })
        for id in Set(article.mentions.map(\.entityID)).union(about).sorted() {
            hasher.combine(id)
            hasher.combine(about.contains(id))
            hasher.combine(backlinkStructure[id] ?? 0)
        }
        return hasher.finalize()
    }

    /// A page listing these articles (a listing page): their versions in order.
    func listing(_ articles: some Sequence<AnnotatedArticle>) -> Int? {
        var hasher = Hasher()
        for article in articles { guard combine(article, into: &hasher) else { return nil } }
        return hasher.finalize()
    }

    /// A page of claim cards: the claims' articles and ids, and the entities
    /// the cards name.
    func claims(_ claims: some Sequence<SiteGraph.Claim>) -> Int? {
        var hasher = Hasher()
        for claim in claims {
            guard combine(claim.article, into: &hasher) else { return nil }
            hasher.combine(claim.source.id.value)
        }
        return hasher.finalize()
    }

    func article(_ article: AnnotatedArticle, related: [AnnotatedArticle]) -> Int? {
        var hasher = Hasher()
        guard combine(article, into: &hasher) else { return nil }
        for other in related { guard combine(other, into: &hasher) else { return nil } }
        let s = article.source
        var entities = Set(article.mentions.map(\.entityID))
        for refs in s.about.values { entities.formUnion(refs.map(\.value)) }
        if let author = s.author { entities.insert(author.value) }
        for claim in article.claims {
            entities.insert(claim.by.value)
            entities.formUnion(claim.about.map(\.value))
            if let reviewer = claim.review?.by { entities.insert(reviewer.value) }
        }
        for id in entities.sorted() { guard combine(entity: id, into: &hasher) else { return nil } }
        return hasher.finalize()
    }

    func entity(_ entity: EntitySource) -> Int? {
        var hasher = Hasher()
        guard combine(entity: entity.id, into: &hasher) else { return nil }
        for party in entity.parties { guard combine(entity: party.value, into: &hasher) else { return nil } }
        for link in graph.backlinks[entity.id] ?? [] {
            guard combine(link.article, into: &hasher) else { return nil }
            hasher.combine(link.isAbout)
        }
        for article in graph.articlesBy[entity.id] ?? [] { guard combine(article, into: &hasher) else { return nil } }
        for list in [graph.claimsBy[entity.id] ?? [], graph.claimsAbout[entity.id] ?? []] {
            hasher.combine(list.count)
            for claim in list {
                guard combine(claim.article, into: &hasher) else { return nil }
                hasher.combine(claim.source.id.value)
            }
        }
        for pair in graph.related[entity.id] ?? [] {
            hasher.combine(pair.id)
            hasher.combine(pair.count)
        }
        return hasher.finalize()
    }

    private func combine(_ article: AnnotatedArticle, into hasher: inout Hasher) -> Bool {
        guard let version = versions.articles[article.source.slug.value] else { return false }
        hasher.combine(article.source.slug.value)
        hasher.combine(version)
        return true
    }

    private func combine(entity id: String, into hasher: inout Hasher) -> Bool {
        guard graph.registry[id] != nil else { hasher.combine(id); return true }  // not an entity: shown as its id
        guard let version = versions.entities[id] else { return false }
        hasher.combine(id)
        hasher.combine(version)
        return true
    }
}

extension SiteGraph {
    /// A graph's indexes as numbers: articles by position in the graph's
    /// order, claims by their number in their article. The persistent cache
    /// stores it, so that the next `gloss build`, when every article keeps its
    /// place (`samePlace`), makes the graph from it and the articles instead
    /// of sorting, grouping and indexing them all again: what the preview
    /// server does with the graph it holds (`patched(from:)`).
    struct Shape: Sendable {
        /// Article slugs in the graph's order.
        var slugs: [String] = []
        /// Per entity, each backlink's article position and excerpt number.
        var backlinks: [String: [Int32]] = [:]
        /// Every claim in the graph's order, as its article's position and
        /// its number in the article's claims, two numbers each.
        var claims: [Int32] = []
        /// Positions in `claims`.
        var claimsBy: [String: [Int32]] = [:], claimsAbout: [String: [Int32]] = [:]
        /// Article positions.
        var articlesBy: [String: [Int32]] = [:], involving: [String: [Int32]] = [:]
        var articleCounts: [String: Int] = [:]
        var kinds: [EntityKind: [String]] = [:]
    }

    var shape: Shape {
        var shape = Shape()
        shape.slugs = articles.map(\.source.slug.value)
        shape.backlinks = backlinks.mapValues { links in links.flatMap { [Int32($0.index), Int32($0.excerptIndex)] } }
        let positions = IdentityIndex(articles), numbers = IdentityIndex(claims)
        for claim in claims {
            let order = claim.article.claimOrder
            let index = order.firstIndex { claim.article.source.claims[$0] === claim.source }!
            shape.claims += [Int32(positions[claim.article]!), Int32(index)]
        }
        shape.claimsBy = claimsBy.mapValues { $0.map { Int32(numbers[$0]!) } }
        shape.claimsAbout = claimsAbout.mapValues { $0.map { Int32(numbers[$0]!) } }
        shape.articlesBy = articlesBy.mapValues { $0.map { Int32(positions[$0]!) } }
        shape.involving = involving.mapValues { $0.map { Int32($0) } }
        shape.articleCounts = articleCounts
        shape.kinds = entitiesByKind.mapValues { $0.map(\.id) }
        return shape
    }

    /// The graph `shape` describes, over `articles` (by slug): nil when it
    /// does not fit them (an article or entity it names is missing, or a
    /// number is out of range). Whether each article keeps its place is the
    /// caller's to know.
    convenience init?(shape: Shape, config: SiteConfig, registry: EntityRegistry, articles bySlug: [String: AnnotatedArticle],
                      cache: Cache) {
        guard shape.slugs.count == bySlug.count else { return nil }
        var articles: [AnnotatedArticle] = []
        articles.reserveCapacity(shape.slugs.count)
        for slug in shape.slugs {
            guard let article = bySlug[slug] else { return nil }
            articles.append(article)
        }
        // Made on another core meanwhile: they read only the articles.
        let listings = Background { [articles] in Listings(articles) }
        // So are the backlinks, while the claims are placed here: this
        // stage was the longest stretch of a one-change build with one core idle.
        let backlinksJob = Background { [articles] in Self.backlinks(shape.backlinks, articles) }
        func position(_ number: Int32) -> Int? { Self.position(number, in: articles) }
        var placed: [(article: Int, claim: Int)] = []
        placed.reserveCapacity(shape.claims.count / 2)
        for k in stride(from: 0, to: shape.claims.count - 1, by: 2) {
            guard let at = position(shape.claims[k]), case let order = articles[at].claimOrder,
                  order.indices.contains(Int(shape.claims[k + 1])) else { return nil }
            placed.append((at, order[Int(shape.claims[k + 1])]))
        }
        // On all cores: each claim makes its key.
        let claims = placed.parallelMap { [articles] place in
            Claim(source: articles[place.article].source.claims[place.claim], article: articles[place.article])
        }
        func claimLists(_ lists: [String: [Int32]]) -> [String: [Claim]]? {
            var result: [String: [Claim]] = [:]
            for (id, numbers) in lists {
                guard numbers.allSatisfy({ claims.indices.contains(Int($0)) }) else { return nil }
                result[id] = numbers.map { claims[Int($0)] }
            }
            return result
        }
        var articlesBy: [String: [AnnotatedArticle]] = [:], involving: [String: [Int]] = [:]
        for (id, numbers) in shape.articlesBy {
            guard numbers.allSatisfy({ position($0).map { articles[$0].source.author?.value == id } == true }) else { return nil }
            articlesBy[id] = numbers.map { articles[Int($0)] }
        }
        for (id, numbers) in shape.involving {
            guard numbers.allSatisfy({ position($0) != nil }) else { return nil }
            involving[id] = numbers.map { Int($0) }
        }
        var kinds: [EntityKind: [EntitySource]] = [:]
        for (kind, ids) in shape.kinds {
            let entities = ids.compactMap { registry.entities[$0] }
            guard entities.count == ids.count else { return nil }
            kinds[kind] = entities
        }
        // Each entity once, in its own kind.
        guard Set(shape.kinds.values.joined()).count == registry.entities.count,
              kinds.allSatisfy({ kind, entities in entities.allSatisfy { $0.kind == kind } }),
              kinds.values.reduce(0, { $0 + $1.count }) == registry.entities.count,
              let by = claimLists(shape.claimsBy), let about = claimLists(shape.claimsAbout),
              let backlinks = backlinksJob.value else { return nil }
        let index = Dictionary(shape.slugs.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        self.init(config: config, registry: registry, parts: Parts(
            articles: articles, articleIndex: index, claims: claims, backlinks: backlinks, claimsBy: by, claimsAbout: about,
            articlesBy: articlesBy, entitiesByKind: kinds, articleCounts: shape.articleCounts, involving: involving,
            listings: listings.value, cache: cache))
    }

    /// Each entity's backlinks, from the article positions and excerpt
    /// numbers of `pairs`; nil if one does not fit the articles.
    private static func backlinks(_ pairs: [String: [Int32]], _ articles: [AnnotatedArticle]) -> [String: [Backlink]]? {
        let boxes = articles.enumerated().map { ArticleBox($1, index: $0) }
        var backlinks: [String: [Backlink]] = [:]
        backlinks.reserveCapacity(pairs.count)
        for (id, pairs) in pairs {
            var links: [Backlink] = []
            links.reserveCapacity(pairs.count / 2)
            for k in stride(from: 0, to: pairs.count - 1, by: 2) {
                guard let at = position(pairs[k], in: articles), case let excerpts = articles[at].excerpts,
                      excerpts.indices.contains(Int(pairs[k + 1])), excerpts[Int(pairs[k + 1])].id == id else { return nil }
                links.append(Backlink(boxes[at], excerpt: Int(pairs[k + 1])))
            }
            backlinks[id] = links
        }
        return backlinks
    }

    /// An article's position in the shape's numbers, if `articles` has it.
    private static func position(_ number: Int32, in articles: [AnnotatedArticle]) -> Int? {
        articles.indices.contains(Int(number)) ? Int(number) : nil
    }
}

/// The feeds of a site: the whole archive, and one per entity so a reader
/// can follow a person or a treaty.
struct SiteFeeds {
    let graph: SiteGraph
    let address: SiteAddress

    /// The newest articles only: a feed is for following, the site for reading back.
    static let siteLimit = 50
    static let entityLimit = 20

    /// Feeds keyed by the versions of what they list (`inputs`); a feed
    /// whose key is as in `cache` is reused. `environment` covers settings
    /// and entity names.
    /// Feeds are kept for the next build by output path, in `spill` if
    /// given: one per entity, so their number grows with the archive. They
    /// go to `emit` a few hundred at a time, so that not all are held as files.
    /// A feed made as last time is not read back at all if `keepPublished`
    /// keeps the published file (at 10,000 articles the feeds are 50 MB).
    func files(inputs: PageInputs, environment: Int, reusing cache: ReuseCache<StoredText>, spill: TextSpill? = nil,
               keepPublished: (String) -> Bool = { _ in false }, emit: ([OutputFile]) -> Void) -> ReuseCache<StoredText> {
        let entities = graph.registry.entities.values.sorted { ($0.kind, $0.id) < ($1.kind, $1.id) }
        // The site's feed first, then one per entity.
        let made = ReuseRun(count: entities.count + 1, reusing: cache) { index in
            guard index > 0 else { return (SiteAddress.siteFeedPath, key(graph.articles.prefix(Self.siteLimit), nil, inputs, environment)) }
            let entity = entities[index - 1]
            return (SiteAddress.feedPath(entity), key(graph.articles(involving: entity.id).prefix(Self.entityLimit), entity, inputs, environment))
        } make: { index in
            StoredText(index == 0 ? siteFeed().xml() : entityFeed(entities[index - 1]).xml(), in: spill)
        }
        let written = made.items.indices.filter { !made.items[$0].reused || !keepPublished(made.items[$0].name) }
        for start in stride(from: 0, to: written.count, by: 512) {
            let chunk = Array(written[start..<min(start + 512, written.count)])
            emit(chunk.parallelMap { OutputFile(path: made.items[$0].name, text: made.items[$0].value.value) })
        }
        return made.cache
    }

    /// A feed shows the site's title, description and language, its articles,
    /// their authors and subjects (names, from the environment), the feed's
    /// entity, and the newest article's date.
    private func key(_ articles: some Sequence<AnnotatedArticle>, _ entity: EntitySource?, _ inputs: PageInputs,
                     _ environment: Int) -> Int? {
        var hasher = StableHasher()
        hasher.combine(environment)
        hasher.combine(config.title)
        hasher.combine(config.description)
        hasher.combine(config.language)
        hasher.combine(newestDate.description)
        if let entity {
            guard let version = inputs.versions.entities[entity.id] else { return nil }
            hasher.combine(entity.id)
            hasher.combine(version)
        }
        guard let listed = inputs.listing(articles) else { return nil }
        hasher.combine(listed)
        return hasher.finalize()
    }

    private var urls: SiteURLs { address.urls }
    private var config: SiteConfig { graph.config }
    private var publisher: AtomFeed.Person { AtomFeed.Person(name: config.title, uri: address.home) }
    private var newestDate: SimpleDate { graph.articles.first?.source.date ?? SimpleDate(year: 1970, month: 1, day: 1)! }

    func siteFeed() -> AtomFeed {
        let link = address.absolute(urls.asset(SiteAddress.siteFeedPath))
        return AtomFeed(id: link, title: config.title, subtitle: config.description, language: config.language,
                        xmlBase: address.isAbsolute ? address.base : nil, alternate: address.home, selfLink: link,
                        author: publisher, entries: graph.articles.prefix(Self.siteLimit).map { entry($0, content: true) },
                        emptyDate: newestDate)
    }

    func entityFeed(_ entity: EntitySource) -> AtomFeed {
        let page = address.entity(entity)
        let link = page + "feed.xml"
        let articles = graph.articles(involving: entity.id).prefix(Self.entityLimit)
        return AtomFeed(id: link, title: "\(entity.name) · \(config.title)", subtitle: entity.description,
                        language: config.language, xmlBase: address.isAbsolute ? address.base : nil, alternate: page,
                        selfLink: link, author: publisher, entries: articles.map { entry($0, content: false) },
                        emptyDate: newestDate)
    }

    func entry(_ article: AnnotatedArticle, content: Bool) -> AtomFeed.Entry {
        let s = article.source
        let author = s.author.flatMap { graph.registry[$0.value] }.map {
            AtomFeed.Person(name: $0.name, uri: address.entity($0))
        }
        var categories: [AtomFeed.Category] = []
        for kind in EntityKind.allCases {
            for id in s.about[kind] ?? [] {
                guard let entity = graph.registry[id.value] else { continue }
                categories.append(AtomFeed.Category(term: entity.id, label: entity.name,
                                                    scheme: address.absolute(urls.index(kind))))
            }
        }
        categories += s.tags.map { AtomFeed.Category(term: $0, label: nil, scheme: nil) }
        let summary = s.summary ?? article.lede
        return AtomFeed.Entry(id: address.article(s.slug.value), title: s.title, link: address.article(s.slug.value),
                              date: s.date, author: author, summary: summary,
                              html: content ? article.html : nil, categories: categories)
    }
}

extension SiteGraph {
    /// What an article contributes to one entity's backlinks, before it has
    /// a position in the site.
    struct Excerpts: Sendable {
        let id: String
        let sentences: [String]
        let isAbout: Bool
        let mentionCount: Int
    }

    /// The per-article work of a previous graph, for the preview server's
    /// rebuilds: finding excerpts means scanning every mention's sentence,
    /// and co-mention counts are quadratic in the entities per article.
    struct Cache: Sendable {
        /// Excerpts by article slug, with the annotation they came from.
        private var entries: [String: (article: AnnotatedArticle, excerpts: [Excerpts])] = [:]
        /// The entities each article names, in the graph's article order.
        private(set) var named: [[String]] = []
        private(set) var related: [String: [(id: String, count: Int)]] = [:]

        init() {}

        init(articles: [AnnotatedArticle], excerpts: [[Excerpts]], named: [[String]],
             related: [String: [(id: String, count: Int)]]) {
            entries.reserveCapacity(articles.count)
            for (article, list) in zip(articles, excerpts) { entries[article.source.slug.value] = (article, list) }
            self.named = named
            self.related = related
        }

        /// The excerpts found last time, if `article` is the same annotation
        /// (an unchanged article's annotation is reused, not made again).
        func excerpts(of article: AnnotatedArticle) -> [Excerpts]? {
            guard let entry = entries[article.source.slug.value], entry.article === article else { return nil }
            return entry.excerpts
        }
    }
}

extension SiteGraph {
    /// What an article contributes to one entity's backlinks, before it has
    /// a position in the site.
    struct Excerpts: Sendable {
        let id: String
        let sentences: [String]
        let isAbout: Bool
        let mentionCount: Int
    }

    /// What a previous graph worked out over all articles, for the preview
    /// server's rebuilds: co-mention counts are quadratic in the entities
    /// per article.
    struct Cache: Sendable {
        /// The entities each article names, in the graph's article order.
        private(set) var named: [[String]] = []
        private(set) var related: [String: [(id: String, count: Int)]] = [:]

        init() {}

        init(named: [[String]], related: [String: [(id: String, count: Int)]]) {
            self.named = named
            self.related = related
        }
    }
}

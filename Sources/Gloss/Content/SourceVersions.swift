/// The content versions of the site's source files: a hash of each file's
/// bytes, by article slug and by entity id. A rebuild compares them with the
/// previous build's to find the pages it need not make again.
public struct SourceVersions: Sendable {
    public var articles: [String: Int] = [:]
    public var entities: [String: Int] = [:]

    public init() {}

    /// The versions of the files a cache holds: what the page keys a saved
    /// cache holds were made from, as it is saved only after a build that
    /// succeeded. Drafts left out: whether that build had them is not
    /// known, and a draft may share a published article's slug (only the
    /// published are checked for that); a draft page made by `--drafts`
    /// is then taken as new, which costs its rendering, never a stale page.
    init(_ cache: SourceCache) {
        for entry in cache.entries.values {
            if let article = entry.article, !article.draft { articles[article.slug.value] = entry.stamp.digest }
            if let entity = entry.entity { entities[entity.id] = entry.stamp.digest }
        }
    }

    init(_ sources: SiteSources) {
        for article in sources.articles {
            if let digest = sources.stamps[article.path]?.digest { articles[article.slug.value] = digest }
        }
        for entity in sources.entities {
            if let digest = sources.stamps[entity.path]?.digest { entities[entity.id] = digest }
        }
    }
}

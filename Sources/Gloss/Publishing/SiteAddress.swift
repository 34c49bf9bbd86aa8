import Foundation

/// Absolute URLs, for what is read away from the site: feeds, the sitemap,
/// JSON-LD and the JSON exports. `SiteURLs` gives paths that already start
/// with the base path (`/watch/articles/x/`); this puts the scheme and host
/// of `base_url` in front.
struct SiteAddress: Sendable {
    let urls: SiteURLs
    /// `base_url` ending in `/`, such as `https://example.org/watch/`.
    let base: String
    /// Whether `base_url` names a scheme and a host. A path-only base (`/watch/`)
    /// can only give path-only URLs, and no sitemap (which needs full URLs).
    let isAbsolute: Bool

    init(config: SiteConfig, urls: SiteURLs) {
        self.urls = urls
        base = config.absoluteBase
        let lower = base.lowercased()
        isAbsolute = (lower.hasPrefix("http://") || lower.hasPrefix("https://"))
            && URLComponents(string: base)?.host?.isEmpty == false
    }

    /// The absolute form of a path under the base path.
    func absolute(_ path: String) -> String {
        guard isAbsolute else { return path }
        if path.hasPrefix(urls.basePath) { return base + path.dropFirst(urls.basePath.count) }
        guard var origin = URLComponents(string: base) else { return path }
        origin.path = ""
        origin.query = nil
        origin.fragment = nil
        return (origin.string ?? "") + path
    }

    var home: String { absolute(urls.home) }
    func article(_ slug: String) -> String { absolute(urls.article(slug)) }
    func entity(_ entity: EntitySource) -> String { absolute(urls.entity(entity.kind, entity.id)) }
    func claim(_ claim: SiteGraph.Claim) -> String {
        absolute(urls.claim(article: claim.article.source.slug.value, id: claim.source.id.value))
    }

    /// Output paths (relative to the output folder) of the feeds.
    static let siteFeedPath = "feed.xml"
    static func feedPath(_ entity: EntitySource) -> String { "\(entity.kind.folder)/\(entity.id)/feed.xml" }
}

extension SiteGraph {
    /// The display name of an entity id (the id itself if unknown).
    func name(of id: String) -> String { registry[id]?.name ?? id }
}

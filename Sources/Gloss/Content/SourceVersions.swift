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

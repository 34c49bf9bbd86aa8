/// Every URL the site links to, as paths under the base path, so a site
/// published at `https://example.org/watch/` works there.
public struct SiteURLs: Sendable {
    public let basePath: String

    public init(basePath: String) { self.basePath = basePath }

    public var home: String { basePath }
    public func article(_ slug: String) -> String { "\(basePath)articles/\(slug)/" }
    public func entity(_ kind: EntityKind, _ id: String) -> String { "\(basePath)\(kind.folder)/\(id)/" }
    public func index(_ kind: EntityKind) -> String { "\(basePath)\(kind.folder)/" }
    public var claims: String { "\(basePath)claims/" }
    public func claim(article slug: String, id: String) -> String { "\(article(slug))#claim-\(id)" }
    public func asset(_ name: String) -> String { "\(basePath)\(name)" }

    /// A link the author wrote as `/about/` is site-relative: prefix the base path.
    public func siteRelative(_ url: String) -> String? {
        guard url.hasPrefix("/"), !url.hasPrefix("//"), basePath != "/" else { return nil }
        return basePath + url.dropFirst()
    }
}

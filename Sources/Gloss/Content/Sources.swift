/// Front matter and body of an entity file, decoded but not yet checked
/// against the rest of the site.
public struct EntitySource: Sendable {
    public let kind: EntityKind
    public let id: String
    public let path: String
    public let name: String
    public let aliases: [Located<String>]
    public let description: String?
    public let sameAs: [String]
    /// Treaties only: the lifecycle dates, status and parties.
    public let signed: SimpleDate?, inForce: SimpleDate?, expires: SimpleDate?
    public let status: String?
    public let parties: [Located<String>]
    /// Any other scalar fields, in file order, shown as facts on the page.
    public let facts: [Fact]
    public let body: String
    public let bodyLineOffset: Int

    public struct Fact: Sendable, Hashable {
        public let label: String
        public let value: String
    }
}

public struct ArticleSource: Sendable {
    public let path: String
    public let slug: Located<String>
    public let title: String
    public let date: SimpleDate
    public let author: Located<String>?
    public let summary: String?
    public let tags: [String]
    public let draft: Bool
    /// Entities the article is *about*, by kind, as written.
    public let about: [EntityKind: [Located<String>]]
    public let claims: [ClaimSource]
    public let body: String
    public let bodyLineOffset: Int
}

public struct ClaimSource: Sendable {
    public let id: Located<String>
    public let quote: Located<String>
    public let prefix: String?
    public let suffix: String?
    public let by: Located<String>
    public let about: [Located<String>]
    public let date: SimpleDate?
    public let source: String?
    public let context: String?
    public let review: ReviewSource?
}

public struct ReviewSource: Sendable {
    public let rating: String
    public let by: Located<String>?
    public let note: String?
}

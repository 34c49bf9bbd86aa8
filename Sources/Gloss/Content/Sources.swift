/// Front matter and body of an entity file, decoded but not yet checked
/// against the rest of the site. A class, though immutable: the registry,
/// the lists by kind, pages and search documents all hold the same one, and
/// a copy of its fields (some 250 bytes, a dozen references) was made at
/// every lookup.
public final class EntitySource: Sendable {
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

    public init(kind: EntityKind, id: String, path: String, name: String, aliases: [Located<String>], description: String?,
                sameAs: [String], signed: SimpleDate?, inForce: SimpleDate?, expires: SimpleDate?, status: String?,
                parties: [Located<String>], facts: [Fact], body: String, bodyLineOffset: Int) {
        self.kind = kind
        self.id = id
        self.path = path
        self.name = name
        self.aliases = aliases
        self.description = description
        self.sameAs = sameAs
        self.signed = signed
        self.inForce = inForce
        self.expires = expires
        self.status = status
        self.parties = parties
        self.facts = facts
        self.body = body
        self.bodyLineOffset = bodyLineOffset
    }

    public struct Fact: Sendable, Hashable {
        public let label: String
        public let value: String
    }
}

/// A class, though immutable: the content's list, the source cache and
/// every annotated article hold the same one, and three copies of its
/// fields were a large part of what a build held per article.
public final class ArticleSource: Sendable {
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
    /// The Markdown, read when the article is annotated: in a `TextSpill`
    /// rather than memory when the build streams its pages.
    let storedBody: StoredText
    public var body: String { storedBody.value }
    public let bodyLineOffset: Int

    public convenience init(path: String, slug: Located<String>, title: String, date: SimpleDate, author: Located<String>?,
                            summary: String?, tags: [String], draft: Bool, about: [EntityKind: [Located<String>]],
                            claims: [ClaimSource], body: String, bodyLineOffset: Int) {
        self.init(path: path, slug: slug, title: title, date: date, author: author, summary: summary, tags: tags,
                  draft: draft, about: about, claims: claims, body: StoredText(body), bodyLineOffset: bodyLineOffset)
    }

    init(path: String, slug: Located<String>, title: String, date: SimpleDate, author: Located<String>?,
         summary: String?, tags: [String], draft: Bool, about: [EntityKind: [Located<String>]],
         claims: [ClaimSource], body: StoredText, bodyLineOffset: Int) {
        self.path = path
        self.slug = slug
        self.title = title
        self.date = date
        self.author = author
        self.summary = summary
        self.tags = tags
        self.draft = draft
        self.about = about
        self.claims = claims
        self.storedBody = body
        self.bodyLineOffset = bodyLineOffset
    }

    /// The same article with its body in `spill`.
    func spilled(into spill: TextSpill?) -> ArticleSource {
        guard let spill, !storedBody.isSpilled else { return self }
        return ArticleSource(path: path, slug: slug, title: title, date: date, author: author, summary: summary, tags: tags,
                             draft: draft, about: about, claims: claims, body: spill.store(body), bodyLineOffset: bodyLineOffset)
    }
}

/// A class for the same reason as `ArticleSource`: the article's list and
/// the site graph's claim hold the same one.
public final class ClaimSource: Sendable {
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

    init(id: Located<String>, quote: Located<String>, prefix: String?, suffix: String?, by: Located<String>,
         about: [Located<String>], date: SimpleDate?, source: String?, context: String?, review: ReviewSource?) {
        self.id = id
        self.quote = quote
        self.prefix = prefix
        self.suffix = suffix
        self.by = by
        self.about = about
        self.date = date
        self.source = source
        self.context = context
        self.review = review
    }
}

public struct ReviewSource: Sendable {
    public let rating: String
    public let by: Located<String>?
    public let note: String?
}

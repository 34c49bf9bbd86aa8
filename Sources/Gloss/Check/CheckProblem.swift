/// One thing wrong with the built site, found by `gloss check`: on which
/// page (output path, and line in it), from which source file, and what.
public struct CheckProblem: Sendable, Hashable, Comparable, CustomStringConvertible {
    public enum Kind: String, Sendable, CaseIterable {
        /// A link or asset URL that names no file of the output.
        case brokenLink = "broken link"
        /// A `#fragment` that names no element of the target page.
        case brokenFragment = "broken fragment"
        /// A path on the site's host but not under its base path.
        case outsideBase = "outside base path"
        /// A page no chain of links from the home page reaches.
        case orphan
        /// An id defined twice on one page (a fragment to it is ambiguous).
        case duplicateID = "duplicate id"
        /// A claim whose `id="claim-…"` anchor is not on its article's page.
        case missingClaimAnchor = "missing claim anchor"
        /// An entity reference, or an article or entity, without its page.
        case missingPage = "missing page"
    }

    public let kind: Kind
    /// The output path of the page, e.g. `articles/a/index.html`.
    public let page: String
    /// The line in the page, when the problem is at one place in it.
    public let line: Int?
    /// The source file the page came from (`content/articles/a.md`, with
    /// `:line` or `:line:column` when the place is known), or the template
    /// of a generated page; nil when the page has no single source.
    public let source: String?
    public let message: String
    /// The URL at fault, as written in the page, if any.
    public let url: String?

    public init(_ kind: Kind, page: String, line: Int? = nil, source: String? = nil, message: String, url: String? = nil) {
        self.kind = kind
        self.page = page
        self.line = line
        self.source = source
        self.message = message
        self.url = url
    }

    /// `articles/a/index.html:12 (content/articles/a.md:7): broken link …`
    public var description: String {
        "\(page)\(line.map { ":\($0)" } ?? "") (\(source ?? "generated")): \(kind.rawValue): \(message)"
    }

    public static func < (a: CheckProblem, b: CheckProblem) -> Bool {
        (a.page, a.line ?? 0, a.kind.rawValue, a.message) < (b.page, b.line ?? 0, b.kind.rawValue, b.message)
    }

    func with(source: String?) -> CheckProblem {
        CheckProblem(kind, page: page, line: line, source: source, message: message, url: url)
    }
}

import Foundation

/// `site.yml`: the settings of one archive.
public struct SiteConfig: Sendable {
    public enum MentionLinking: String, Sendable, CaseIterable { case none, first, all }
    /// What a claim quote found more than once means: an error (default), or
    /// the first occurrence with a warning (for archives imported from tools
    /// that recorded quotes without context).
    public enum AmbiguousQuotes: String, Sendable, CaseIterable { case error, first }

    public var title: String
    /// Absolute URL the site is published at; its path (`/watch/`) prefixes every link.
    public var baseURL: String
    public var language: String
    public var description: String
    /// Which automatic mentions become links: none, the first per entity (default), or all.
    public var mentionLinks: MentionLinking
    /// Raw HTML and `javascript:` links in Markdown pass through only if the site opts in.
    public var unsafeHTML: Bool
    public var ambiguousQuotes: AmbiguousQuotes = .error
    /// Articles per page on the home page and tag pages.
    public var perPage: Int = 20

    public init(title: String = "Untitled archive", baseURL: String = "/", language: String = "en",
                description: String = "", mentionLinks: MentionLinking = .first, unsafeHTML: Bool = false) {
        self.title = title
        self.baseURL = baseURL
        self.language = language
        self.description = description
        self.mentionLinks = mentionLinks
        self.unsafeHTML = unsafeHTML
    }

    /// The path part of `baseURL`, always starting and ending with `/`.
    public var basePath: String {
        var path = URL(string: baseURL)?.path ?? "/"
        if baseURL.hasPrefix("/") { path = baseURL }
        if !path.hasPrefix("/") { path = "/" + path }
        if !path.hasSuffix("/") { path += "/" }
        return path
    }

    /// Absolute base URL ending with `/` (for feeds and canonical links).
    public var absoluteBase: String { baseURL.hasSuffix("/") ? baseURL : baseURL + "/" }

    static let knownFields: Set<String> = ["title", "base_url", "language", "description", "mentions", "unsafe_html", "ambiguous_quotes", "per_page"]

    static func decode(_ file: SourceFile) -> (SiteConfig?, [Diagnostic]) {
        var fields: YAMLFields
        switch YAMLFields.parse(file.text, path: file.path, firstLine: 1) {
        case .success(let f): fields = f
        case .failure(let d): return (nil, [d])
        }
        var config = SiteConfig()
        fields.warnUnknownKeys(known: knownFields, what: "setting")
        if let title = fields.string("title", required: true) { config.title = title.value }
        if let base = fields.string("base_url") {
            let lower = base.value.lowercased()
            if lower.hasPrefix("http://") || lower.hasPrefix("https://") || base.value.hasPrefix("/") {
                config.baseURL = base.value
            } else {
                fields.report(.error("'base_url' must be an absolute URL such as https://example.org/watch/", at: base.location))
            }
        }
        if let language = fields.string("language") { config.language = language.value }
        if let description = fields.string("description") { config.description = description.value }
        if let mentions = fields.string("mentions") {
            if let mode = MentionLinking(rawValue: mentions.value) {
                config.mentionLinks = mode
            } else {
                fields.report(.error("'mentions' must be one of none, first, all", at: mentions.location,
                                     suggestion: Suggestion.closest(to: mentions.value, in: MentionLinking.allCases.map(\.rawValue))))
            }
        }
        if let mode = fields.string("ambiguous_quotes") {
            if let value = AmbiguousQuotes(rawValue: mode.value) {
                config.ambiguousQuotes = value
            } else {
                fields.report(.error("'ambiguous_quotes' must be error or first", at: mode.location,
                                     suggestion: Suggestion.closest(to: mode.value, in: AmbiguousQuotes.allCases.map(\.rawValue))))
            }
        }
        if let perPage = fields.string("per_page") {
            if let n = Int(perPage.value), n > 0 { config.perPage = n } else {
                fields.report(.error("'per_page' must be a positive whole number", at: perPage.location))
            }
        }
        config.unsafeHTML = fields.bool("unsafe_html")
        return (fields.diagnostics.hasErrors ? nil : config, fields.diagnostics.all)
    }
}

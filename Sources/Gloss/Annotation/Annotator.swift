/// Stage 3: parse an article's Markdown and annotate it — claims anchored
/// to their quotes, entity mentions found and linked — then render its HTML.
/// Pure per article: safe to run for many articles at once.
public struct Annotator: Sendable {
    public let registry: EntityRegistry
    /// The registry's, taken once: each text of each article asks for it.
    let matcher: NameMatcher
    public let config: SiteConfig
    public let hooks: AnnotationHooks
    public let urls: SiteURLs
    /// Markup of an automatic and of an explicit mention of each entity,
    /// rendered once per build: the hook sees only the entity, its URL and
    /// the explicit flag, so every mention of an entity renders the same.
    /// Empty for an annotator made for a few articles (a rebuild after an
    /// edit): each of their mentions is rendered when found instead.
    let mentionMarkup: [String: (open: String, close: String)]
    let explicitMentionMarkup: [String: (open: String, close: String)]

    /// `forMany`: whether the markup of every entity's mentions is worth
    /// rendering up front (3,000 renders for 1,550 entities, more than a
    /// rebuild's one article costs).
    public init(registry: EntityRegistry, config: SiteConfig, hooks: AnnotationHooks, forMany: Bool = true) {
        self.registry = registry
        matcher = registry.matcher
        self.config = config
        self.hooks = hooks
        let urls = SiteURLs(basePath: config.basePath)
        self.urls = urls
        func markup(explicit: Bool) -> [String: (open: String, close: String)] {
            guard forMany else { return [:] }
            return registry.entities.mapValues { entity in
                hooks.mention(MentionContext(entity: entity, href: urls.entity(entity.kind, entity.id), explicit: explicit))
            }
        }
        mentionMarkup = markup(explicit: false)
        explicitMentionMarkup = markup(explicit: true)
    }

    /// - Parameter excluded: an entity whose own name is not a mention (on its own page).
    public func annotate(_ article: ArticleSource, excluding excluded: String? = nil) -> (AnnotatedArticle, [Diagnostic]) {
        let document = CommonMarkDocument(markdown: article.body,
                                          options: .init(unsafe: config.unsafeHTML, tableStyleAttributes: true))
        let tree = document.markup()
        var context = ArticleContext(article: article, tree: tree)
        var edits: [MarkupEdit] = []
        var diagnostics = Diagnostics()

        let (claimOrder, claimEdits, claimSpans) = anchorClaims(article, context: context, diagnostics: &diagnostics)
        edits += claimEdits
        edits += mentions(in: &context, avoiding: claimSpans, excluding: excluded, diagnostics: &diagnostics)
        for (id, url) in context.siteRelativeLinks { edits.append(.setURL(node: id, url: url)) }

        document.apply(edits)
        let lede = context.runs.first { $0.block.kind == .paragraph }?.text ?? ""
        let words = context.runs.reduce(0) { $0 + $1.wordCount }
        return (AnnotatedArticle(source: article, html: document.renderHTML(), mentions: context.mentions,
                                 claimOrder: claimOrder, lede: lede, wordCount: words,
                                 text: context.runs.map(\.text).joined(separator: "\n")),
                diagnostics.all)
    }

    /// Location in the article file of a body node (cmark lines are body-relative).
    static func location(_ article: ArticleSource, _ node: Markup, extraColumns: Int = 0) -> SourceLocation {
        SourceLocation(path: article.path, line: article.bodyLineOffset + max(node.line, 1),
                       column: max(node.column, 1) + extraColumns)
    }
}

/// What the annotator learns about one article's tree while it works.
struct ArticleContext {
    let article: ArticleSource
    var runs: [TextRun] = []
    /// By node id: inside a link, image or raw HTML (text there is never
    /// auto-mentioned). Ids are pre-order indices, so an array suffices.
    private var linked: [Bool] = []
    var explicitLinks: [(link: Markup, run: Int?)] = []
    var siteRelativeLinks: [(Int, String)] = []
    var mentions: [Mention] = []

    init(article: ArticleSource, tree: Markup) {
        self.article = article
        visit(tree, run: nil, linked: false)
    }

    func isLinked(_ node: Int) -> Bool { node < linked.count && linked[node] }

    /// One pre-order pass: `run` is the nearest enclosing block's run (for
    /// explicit links), `linked` whether a link or image encloses the node.
    private mutating func visit(_ node: Markup, run: Int?, linked inLink: Bool) {
        let isLink = node.kind == .link || node.kind == .image
        if linked.count <= node.id { linked += repeatElement(false, count: node.id + 1 - linked.count) }
        linked[node.id] = inLink || isLink
        var childRun = run
        if node.kind.holdsInlineText {
            childRun = runs.count
            runs.append(TextRun(block: node))
        }
        if node.kind == .link { explicitLinks.append((node, run)) }
        for child in node.children { visit(child, run: childRun, linked: inLink || isLink) }
    }
}

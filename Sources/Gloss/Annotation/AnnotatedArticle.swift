/// One recognised mention of an entity in an article, while it is
/// annotated: an annotated article keeps only what the site needs of its
/// mentions, its backlink excerpts.
public struct Mention: Sendable, Hashable {
    public let entityID: String
    /// The sentence around the mention, for backlink excerpts.
    public let sentence: String
    /// Written as `[text](person:id)` rather than found by name.
    public let explicit: Bool
}

/// The article after the Markdown stage: HTML with mentions and claims
/// marked up, plus what the site graph needs to know about it. A class,
/// though immutable: the graph, pages, feeds and caches hold it in many
/// places, and copying a dozen fields each time was a tenth of a rebuild.
public final class AnnotatedArticle: Sendable {
    public let source: ArticleSource
    /// Claims whose quote was anchored in the text (all of them, in a good
    /// build), in reading order: positions in the front matter's list, which
    /// the source holds once for every part of the build.
    let claimOrder: [Int]
    public var claims: [ClaimSource] { claimOrder.map { source.claims[$0] } }
    /// Plain text of the first paragraph, for listings when there is no summary.
    public let lede: String
    public let wordCount: Int
    /// The two large texts, each read a few times in a build: in a file
    /// rather than memory when the build streams its pages (`TextSpill`).
    let storedHTML: StoredText
    let storedText: StoredText
    /// What the article contributes to each entity's backlinks, worked out
    /// once from its mentions when it is annotated, and kept with it in the
    /// build cache: every build's site graph reads them for every article.
    /// The mentions themselves are not kept: at 100,000 articles they were
    /// a tenth of a build's memory, and nothing after annotation read more
    /// of them than which entities they name.
    let excerpts: [SiteGraph.Excerpts]

    /// The entities the text names, in the order first named.
    public var mentionedIDs: [String] { excerpts.compactMap { $0.mentionCount > 0 ? $0.id : nil } }

    public var html: String { storedHTML.value }
    /// The readable text, one block per line: what search indexes.
    public var text: String { storedText.value }

    convenience init(source: ArticleSource, html: String, mentions: [Mention], claimOrder: [Int], lede: String, wordCount: Int, text: String) {
        self.init(source: source, html: StoredText(html), mentions: mentions, claimOrder: claimOrder, lede: lede,
                  wordCount: wordCount, text: StoredText(text))
    }

    convenience init(source: ArticleSource, html: StoredText, mentions: [Mention], claimOrder: [Int], lede: String,
                     wordCount: Int, text: StoredText) {
        self.init(source: source, html: html, excerpts: SiteGraph.excerpts(mentions, about: source.about), claimOrder: claimOrder,
                  lede: lede, wordCount: wordCount, text: text)
    }

    init(source: ArticleSource, html: StoredText, excerpts: [SiteGraph.Excerpts], claimOrder: [Int], lede: String,
         wordCount: Int, text: StoredText) {
        self.excerpts = excerpts
        self.source = source
        self.storedHTML = html
        self.claimOrder = claimOrder
        self.lede = lede
        self.wordCount = wordCount
        self.storedText = text
    }

    /// The same article with its HTML and text in `spill`, if there is one.
    func spilled(into spill: TextSpill?) -> AnnotatedArticle {
        guard let spill, !storedHTML.isSpilled else { return self }
        let passages = spill.store(all: excerpts.map(\.passages.bytes))
        let excerpts = zip(excerpts, passages).map { excerpt, passages in
            SiteGraph.Excerpts(id: excerpt.id, passages: passages, isAbout: excerpt.isAbout, mentionCount: excerpt.mentionCount)
        }
        return AnnotatedArticle(source: source, html: spill.store(html), excerpts: excerpts, claimOrder: claimOrder, lede: lede,
                                wordCount: wordCount, text: spill.store(text))
    }
}

/// What a mention render hook is given: Hugo-style typed context.
public struct MentionContext: Sendable {
    public let entity: EntitySource
    public let href: String
    public let explicit: Bool
}

/// What a claim render hook is given, once per piece of highlighted text.
public struct ClaimContext: Sendable {
    public let claim: ClaimSource
    public let speaker: String
    /// The first piece carries the `id="claim-…"` anchor; a quote that crosses
    /// formatting is highlighted in several pieces.
    public let isFirstPiece: Bool
    /// The last piece is followed by a link to the claim's details.
    public let isLastPiece: Bool
}

/// Markup for annotations, supplied by the rendering stage's templates.
public struct AnnotationHooks: Sendable {
    public var mention: @Sendable (MentionContext) -> (open: String, close: String)
    public var claim: @Sendable (ClaimContext) -> (open: String, close: String)

    public init(mention: @escaping @Sendable (MentionContext) -> (open: String, close: String),
                claim: @escaping @Sendable (ClaimContext) -> (open: String, close: String)) {
        self.mention = mention
        self.claim = claim
    }
}

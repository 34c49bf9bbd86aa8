import Foundation
import Testing
@testable import Gloss

/// Annotation on small fixture sites: claims anchored to quotes, mentions
/// found and linked, all through the real templates.
@Suite struct AnnotationTests {
    func page(_ frontMatter: String, _ body: String, config: String = SiteFixture.minimalConfig) throws -> (String, BuildReport) {
        let site = try SiteFixture(["content/articles/a.md": article(frontMatter, body)], config: config)
        defer { site.remove() }
        let (files, report) = site.generate()
        let html = files["articles/a/index.html"] ?? ""
        guard let start = html.range(of: "<div class=\"body\">\n"), let end = html.range(of: "\n</div>", range: start.upperBound..<html.endIndex) else {
            return ("", report)
        }
        return (String(html[start.upperBound..<end.lowerBound]).trimmingCharacters(in: .newlines), report)
    }

    let head = "title: T\ndate: 2020-06-22"

    /// An annotator made for a few articles renders each mention's markup
    /// when it finds it; one made for many renders every entity's once. The
    /// articles come out the same (the example archive: its automatic and
    /// explicit mentions, with the site's own mention template).
    @Test func mentionMarkupIsTheSameMadeAheadOrWhenFound() throws {
        let sources = try #require(ContentLoader(root: PersistentCacheTests.exampleSite).load().0)
        let registry = EntityRegistry(sources.entities)
        let hooks = try #require(TemplateSet.load(siteTemplates: sources.templatesDirectory).0).annotationHooks()
        let many = Annotator(registry: registry, config: sources.config, hooks: hooks, forMany: true)
        let few = Annotator(registry: registry, config: sources.config, hooks: hooks, forMany: false)
        #expect(!many.mentionMarkup.isEmpty && few.mentionMarkup.isEmpty)
        #expect(sources.articles.count > 5)
        for article in sources.articles {
            let (a, b) = (many.annotate(article).0, few.annotate(article).0)
            #expect(a.html == b.html && !a.mentionedIDs.isEmpty, "\(article.path)")
        }
    }

    @Test func firstMentionIsLinkedAndLongestNameWins() throws {
        let (html, report) = try page(head, "New START talks in Vienna. Russian envoys in Vienna.\n")
        #expect(report.succeeded)
        #expect(html == """
            <p><a class="mention mention-treaty" href="/treaties/new-start/" title="New START">New START</a> talks in \
            <a class="mention mention-place" href="/places/vienna/" title="Vienna">Vienna</a>. Russian envoys in Vienna.</p>
            """)
    }

    /// A file saved with Windows line endings builds as its Unix twin does:
    /// the same mentions, claim and paragraphs, and errors on the right line.
    @Test func windowsLineEndingsBuildLikeUnixOnes() throws {
        let unix = article(head + "\nclaims:\n  - id: c1\n    quote: \"talks in Vienna\"\n    by: sergei-ryabkov",
                           "New START talks in Vienna.\n\nSecond *paragraph*.\n")
        let crlf = { (text: String) in text.replacingOccurrences(of: "\n", with: "\r\n") }
        #expect(crlf(unix).hasPrefix("---\r\ntitle: T\r\n") && !crlf(unix).contains("\r\r"))
        let site = try SiteFixture(["content/articles/a.md": unix, "content/articles/b.md": crlf(unix).replacingOccurrences(of: "title: T", with: "title: U"),
                                    "content/articles/c.md": crlf("---\ntitle: C\ndate: 2020-02-30\n---\nBody.\n")])
        defer { site.remove() }
        #expect(site.generate().report.errorLines == ["content/articles/c.md:3:7: error: 'date' is not a valid date '2020-02-30'; write YYYY-MM-DD"])
        try FileManager.default.removeItem(at: site.root.appendingPathComponent("content/articles/c.md"))
        let (built, report) = site.generate()
        #expect(report.succeeded)
        func body(_ slug: String) -> String {
            let html = built["articles/\(slug)/index.html"] ?? ""
            guard let start = html.range(of: "<div class=\"body\">"), let end = html.range(of: "</div>", range: start.upperBound..<html.endIndex) else { return "" }
            return String(html[start.upperBound..<end.lowerBound])
        }
        #expect(body("a").contains("id=\"claim-c1\"") && body("a").contains("mention-treaty") && body("a").contains("<em>paragraph</em>"))
        #expect(body("b").replacingOccurrences(of: "\r", with: "") == body("a"))
    }

    @Test func noMentionsInCodeOrLinks() throws {
        let (html, _) = try page(head, "`Vienna` and [Vienna](https://example.org) and <https://vienna.example/Vienna>\n")
        #expect(!html.contains("mention"))
    }

    @Test func explicitLinkBecomesAMention() throws {
        let (html, report) = try page(head, "Talks with [the envoy](person:marshall-billingslea).\n")
        #expect(report.succeeded)
        #expect(html.contains("<a class=\"mention mention-person\" href=\"/people/marshall-billingslea/\" title=\"Marshall Billingslea\">the envoy</a>"))
    }

    @Test func allAndNoneLinkingModes() throws {
        let all = try page(head, "Vienna, Vienna.\n", config: SiteFixture.minimalConfig + "mentions: all\n").0
        #expect(all.components(separatedBy: "mention-place").count == 3)
        let none = try page(head, "Vienna, Vienna.\n", config: SiteFixture.minimalConfig + "mentions: none\n").0
        #expect(!none.contains("mention"))
    }

    @Test func claimCrossingEmphasisIsHighlightedInPieces() throws {
        let fm = head + "\nclaims:\n  - id: c1\n    quote: \"extension is not a given\"\n    by: marshall-billingslea"
        let (html, report) = try page(fm, "He said the extension is *not a* given today.\n")
        #expect(report.succeeded, "\(report.printed)")
        #expect(html.contains("<mark class=\"claim\" id=\"claim-c1\" data-claim=\"c1\" title=\"Marshall Billingslea\">extension is </mark>"))
        #expect(html.contains("<em><mark class=\"claim\" data-claim=\"c1\" title=\"Marshall Billingslea\">not a</mark></em>"))
        #expect(html.components(separatedBy: "id=\"claim-c1\"").count == 2)
    }

    @Test func claimMatchesAcrossLineBreaksAndCurlyQuotes() throws {
        let fm = head + "\nclaims:\n  - id: c2\n    quote: \"we know that's not\"\n    by: sergei-ryabkov"
        let (html, report) = try page(fm, "But we know\nthat’s not happening.\n")
        #expect(report.succeeded, "\(report.printed)")
        #expect(html.contains("id=\"claim-c2\""))
    }

    @Test func prefixPicksOneOfTwoOccurrences() throws {
        let fm = head + "\nclaims:\n  - id: c3\n    quote: not a given\n    prefix: Ryabkov said\n    by: sergei-ryabkov"
        let (html, report) = try page(fm, "Billingslea said not a given. Ryabkov said not a given.\n")
        #expect(report.succeeded, "\(report.printed)")
        #expect(html.contains("Ryabkov</a> said <mark class=\"claim\" id=\"claim-c3\""))
    }

    @Test func mentionInsideClaimIsNested() throws {
        let fm = head + "\nclaims:\n  - id: c4\n    quote: Russia will not wait\n    by: sergei-ryabkov"
        let (html, _) = try page(fm, "He said Russia will not wait.\n")
        #expect(html.contains("<mark class=\"claim\" id=\"claim-c4\" data-claim=\"c4\" title=\"Sergei Ryabkov\"><a class=\"mention mention-place\" href=\"/places/russia/\" title=\"Russia\">Russia</a> will not wait</mark>"))
    }

    @Test func contentIsEscapedEverywhere() throws {
        let fm = "title: \"<script>x</script> & co\"\ndate: 2020-01-01\nsummary: \"\\\"quoted\\\" <b>\""
        let site = try SiteFixture(["content/articles/a.md": article(fm, "Body <img src=x onerror=alert(1)>\n")])
        defer { site.remove() }
        let html = site.generate().files["articles/a/index.html"] ?? ""
        #expect(html.contains("&lt;script&gt;x&lt;/script&gt; &amp; co"))
        #expect(!html.contains("<script>x"))
        #expect(html.contains("&quot;quoted&quot; &lt;b&gt;"))
        #expect(!html.contains("onerror"))
    }

    @Test func sharedAliasWarnsUnlessFrontMatterChooses() throws {
        let entities = [
            "content/people/a-smith.md": "---\nname: Alice Smith\naliases: [Smith]\n---\n",
            "content/people/b-smith.md": "---\nname: Bob Smith\naliases: [Smith]\n---\n",
        ]
        let ambiguous = try SiteFixture(entities.merging(["content/articles/a.md": article(head, "Smith spoke.\n")]) { $1 })
        defer { ambiguous.remove() }
        let report = ambiguous.generate().report
        #expect(report.succeeded)
        #expect(report.printed.contains("content/articles/a.md:5:1: warning: 'Smith' is a name of a-smith and b-smith; not linked. List one of them in the front matter or link it explicitly"))

        let chosen = try SiteFixture(entities.merging(["content/articles/a.md": article(head + "\npeople: [b-smith]", "Smith spoke.\n")]) { $1 })
        defer { chosen.remove() }
        let (files, _) = chosen.generate()
        #expect(files["articles/a/index.html"]?.contains("href=\"/people/b-smith/\" title=\"Bob Smith\">Smith</a>") == true)
    }
}

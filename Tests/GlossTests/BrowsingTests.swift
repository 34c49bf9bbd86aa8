import Foundation
import Testing
@testable import Gloss

/// Listings and navigation: pagination, archive, tags, A–Z, related
/// articles, claims by verdict, timelines.
@Suite struct BrowsingTests {
    /// A long listing links its first and last pages and two on each side
    /// of the current one, with gaps between.
    @Test func pagerShowsAWindowWithGaps() {
        func numbers(_ count: Int, _ current: Int) -> [String] {
            PageRenderer.pagerLinks(count: count, current: current) { "/page/\($0)/" }
                .map { link -> String in
                    if link["gap"] == .bool(true) { return "…" }
                    guard case .int(let number)? = link["number"] else { return "?" }
                    return "\(number)"
                }
        }
        #expect(numbers(50, 10) == ["1", "…", "8", "9", "10", "11", "12", "…", "50"])
        #expect(numbers(50, 1) == ["1", "2", "3", "…", "50"])
        #expect(numbers(5, 3) == ["1", "2", "3", "4", "5"])
        #expect(numbers(1, 1) == ["1"])
    }

    static func articles(_ count: Int) -> [String: String] {
        var files: [String: String] = [:]
        for i in 1...count {
            let month = i % 12 + 1
            files["content/articles/a\(i).md"] = article(
                "title: Article \(i)\ndate: \(2019 + i % 3)-\(month < 10 ? "0" : "")\(month)-10\ntags: [New START, \(i % 2 == 0 ? "even" : "odd")]\ntreaties: [new-start]",
                "Vienna talks \(i) on New START\(i % 3 == 0 ? " with Ryabkov" : "").\n")
        }
        return files
    }

    @Test func homeAndTagPagesArePaginated() throws {
        let site = try SiteFixture(Self.articles(5), config: SiteFixture.minimalConfig + "per_page: 2\n")
        defer { site.remove() }
        let (files, report) = site.generate(baseURL: "https://example.org/watch/")
        #expect(report.succeeded)
        #expect(files["index.html"] != nil && files["page/2/index.html"] != nil && files["page/3/index.html"] != nil)
        #expect(files["page/4/index.html"] == nil)
        let second = try #require(files["page/2/index.html"])
        #expect(second.contains("<a rel=\"prev\" href=\"/watch/\">"))
        #expect(second.contains("<a rel=\"next\" href=\"/watch/page/3/\">"))
        #expect(second.contains("<span aria-current=\"page\">2</span>"))
        #expect(files["tags/new-start/index.html"] != nil && files["tags/new-start/page/3/index.html"] != nil)
        #expect(files["tags/even/page/2/index.html"] == nil)
        #expect(files["tags/index.html"]?.contains("<a href=\"/watch/tags/new-start/\">New START</a> <span class=\"count\">5</span>") == true)
    }

    @Test func archiveByYearAndMonth() throws {
        let site = try SiteFixture(Self.articles(4))
        defer { site.remove() }
        let files = site.generate().files
        let archive = try #require(files["archive/index.html"])
        #expect(archive.contains("<a href=\"/archive/2021/\">2021</a>"))
        #expect(files["archive/2020/index.html"]?.contains("<h2><a href=\"/archive/2020/02/\">February 2020</a></h2>") == true)
        #expect(files["archive/2020/02/index.html"]?.contains("Article 1") == true)
    }

    @Test func relatedArticlesRankByWhatTheyAreAbout() {
        func make(_ slug: String, _ about: String, _ body: String) -> ArticleSource {
            FrontMatterDecoder.article(SourceFile(path: "\(slug).md", text: "---\ntitle: \(slug)\ndate: 2020-01-01\n\(about)\n---\n\(body)\n"),
                                              defaultSlug: slug).0!
        }
        let registry = EntityRegistry(SiteFixture.entities.compactMap { path, text -> EntitySource? in
            let kind = EntityKind(folder: String(path.split(separator: "/")[1]))!
            let id = String(path.split(separator: "/")[2].dropLast(3))
            return FrontMatterDecoder.entity(SourceFile(path: path, text: text), kind: kind, id: id).0
        })
        let hooks = AnnotationHooks(mention: { _ in ("", "") }, claim: { _ in ("", "") })
        let annotator = Annotator(registry: registry, config: SiteConfig(), hooks: hooks)
        let target = annotator.annotate(make("target", "treaties: [new-start]", "New START in Vienna.")).0
        let aboutSame = annotator.annotate(make("about-same", "treaties: [new-start]", "Nothing else.")).0
        let mentionsOnly = annotator.annotate(make("mentions-only", "", "New START in passing.")).0
        let unrelated = annotator.annotate(make("unrelated", "", "Ryabkov.")).0
        let graph = SiteGraph(config: SiteConfig(), registry: registry, articles: [target, aboutSame, mentionsOnly, unrelated])
        #expect(graph.related(to: target).map(\.source.slug.value) == ["about-same", "mentions-only"])
    }

    /// A backlink keeps the passages its entity page shows, the first three,
    /// and counts every mention; spilled, it reads the same passages back.
    @Test func backlinksKeepTheFirstThreePassages() throws {
        let registry = EntityRegistry(SiteFixture.entities.compactMap { path, text -> EntitySource? in
            let kind = EntityKind(folder: String(path.split(separator: "/")[1]))!
            return FrontMatterDecoder.entity(SourceFile(path: path, text: text), kind: kind,
                                             id: String(path.split(separator: "/")[2].dropLast(3))).0
        })
        let annotator = Annotator(registry: registry, config: SiteConfig(), hooks: AnnotationHooks(mention: { _ in ("", "") }, claim: { _ in ("", "") }))
        let sentences = (1...5).map { "Talk number \($0) was about New START again." }
        let source = FrontMatterDecoder.article(SourceFile(path: "a.md", text: "---\ntitle: A\ndate: 2020-01-01\n---\n" + sentences.joined(separator: " ") + "\n"),
                                                defaultSlug: "a").0!
        let article = annotator.annotate(source).0
        let excerpt = try #require(article.excerpts.first { $0.id == "new-start" })
        #expect(excerpt.sentences == Array(sentences.prefix(SiteGraph.Excerpts.shown)))
        #expect(excerpt.mentionCount == 5)
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-passages-\(UUID().uuidString)")
        let spill = try #require(TextSpill(beside: output))
        let spilled = try #require(article.spilled(into: spill).excerpts.first { $0.id == "new-start" })
        #expect(spilled.passages.place(in: spill) != nil)
        #expect(spilled.sentences == excerpt.sentences)
        let graph = SiteGraph(config: SiteConfig(), registry: registry, articles: [article.spilled(into: spill)])
        #expect(graph.backlinks["new-start"]?.first?.sentences == excerpt.sentences)
    }

    /// An entity's related entities are the ones it shares most articles
    /// with, most first and ties by id, and no more than its page lists.
    @Test func relatedEntitiesAreTheMostSharedOnes() throws {
        let places = (1...15).map { String(format: "place-%02d", $0) }
        let registry = EntityRegistry([FrontMatterDecoder.entity(SourceFile(path: "content/treaties/hub.md", text: "---\nname: Hub Treaty\n---\n"), kind: .treaty, id: "hub").0!]
            + places.map { FrontMatterDecoder.entity(SourceFile(path: "content/places/\($0).md", text: "---\nname: \($0)\n---\n"), kind: .place, id: $0).0! })
        let annotator = Annotator(registry: registry, config: SiteConfig(), hooks: AnnotationHooks(mention: { _ in ("", "") }, claim: { _ in ("", "") }))
        // Place n shares n articles with the hub.
        var articles: [AnnotatedArticle] = []
        for (n, place) in places.enumerated() {
            for copy in 0...n {
                let slug = "\(place)-\(copy)"
                let text = "---\ntitle: \(slug)\ndate: 2020-01-01\ntreaties: [hub]\nplaces: [\(place)]\n---\nText.\n"
                articles.append(annotator.annotate(FrontMatterDecoder.article(SourceFile(path: "\(slug).md", text: text), defaultSlug: slug).0!).0)
            }
        }
        let graph = SiteGraph(config: SiteConfig(), registry: registry, articles: articles)
        let related = graph.related["hub"] ?? []
        #expect(related.count == SiteGraph.relatedShown)
        #expect(related.map(\.id) == places.reversed().prefix(SiteGraph.relatedShown).map { $0 })
        #expect(related.map(\.count) == Array((4...15).reversed()))
        #expect(graph.related["place-01"]?.map(\.id) == ["hub"])

        // A later graph takes the counts over only while every article names
        // the same entities (a cache with other counts under the same key
        // shows they are taken, not counted again); with one article fewer,
        // or one naming another place, they are counted again.
        func rows(_ graph: SiteGraph) -> [String: [String]] {
            graph.related.mapValues { $0.map { "\($0.id)×\($0.count)" } }
        }
        let planted = SiteGraph.Cache(named: try #require(graph.cache.named), related: ["hub": [(id: "place-01", count: 99)]])
        let same = SiteGraph(config: SiteConfig(), registry: registry, articles: articles, reusing: planted)
        #expect(rows(same) == ["hub": ["place-01×99"]])
        func recounted(_ articles: [AnnotatedArticle]) {
            let reused = SiteGraph(config: SiteConfig(), registry: registry, articles: articles, reusing: graph.cache)
            #expect(rows(reused) == rows(SiteGraph(config: SiteConfig(), registry: registry, articles: articles)))
            #expect(rows(reused) != rows(graph))
        }
        recounted(Array(articles.dropLast()))
        // As many articles, but the last names place-01 instead of place-15.
        let moved = "---\ntitle: moved\ndate: 2020-01-01\ntreaties: [hub]\nplaces: [place-01]\n---\nText.\n"
        recounted(articles.dropLast() + [annotator.annotate(FrontMatterDecoder.article(SourceFile(path: "moved.md", text: moved), defaultSlug: "moved").0!).0])
    }

    /// `count` articles and one more, C, whose text holds two quotes: "talks
    /// here" and "more talks". `claims`: its claims, YAML list items.
    func siteWithClaims(articles count: Int, _ claims: String) throws -> SiteFixture {
        var files = Self.articles(count)
        files["content/articles/c.md"] = article("title: C\ndate: 2020-05-05\nclaims:\n" + claims, "The talks here and more talks.\n")
        return try SiteFixture(files)
    }

    @Test func indexesClaimsAndTimelines() throws {
        let site = try siteWithClaims(articles: 3, """
              - {id: a, quote: talks here, by: sergei-ryabkov, review: {rating: Misleading}}
              - {id: b, quote: more talks, by: sergei-ryabkov}
            """)
        defer { site.remove() }
        let out = site.generate().files
        let claims = try #require(out["claims/index.html"])
        #expect(claims.contains("<li id=\"verdict-misleading\"><a href=\"/claims/verdict/misleading/\">Misleading</a> <span class=\"count\">1</span></li>"))
        #expect(claims.contains("<li id=\"verdict-not-reviewed\"><a href=\"/claims/verdict/not-reviewed/\">Not reviewed</a> <span class=\"count\">1</span></li>"))
        #expect(claims.contains("<li id=\"speaker-sergei-ryabkov\"><a href=\"/people/sergei-ryabkov/#by-heading\">Sergei Ryabkov</a> <span class=\"count\">2</span></li>"))
        let misleading = try #require(out["claims/verdict/misleading/index.html"])
        #expect(misleading.contains("<h1>Claims rated “Misleading”</h1>"))
        #expect(misleading.contains("<p>1 claim, newest first."))
        #expect(misleading.contains("href=\"/articles/c/#claim-a\""))
        #expect(!misleading.contains("#claim-b\""))
        let places = try #require(out["places/index.html"])
        #expect(places.contains("<h2 id=\"letter-r\">R</h2>"))
        let treaty = try #require(out["treaties/new-start/index.html"])
        #expect(treaty.contains("<svg class=\"timeline\" role=\"img\""))
        #expect(treaty.contains("<title id=\"tl-new-start-t\">Articles mentioning New START per year: 2019: 1, 2020: 1, 2021: 1</title>"))
        #expect(treaty.contains("<svg class=\"lifecycle\" role=\"img\""))
        #expect(treaty.contains("New START: Signed 8 April 2010; In force 5 February 2011; Expires 5 February 2026"))
    }

    /// Two spellings of one verdict are one page, named as first written
    /// (they were two pages at one path; which was published depended on
    /// the order of work). Found by an independent review.
    @Test func spellingsOfOneVerdictAreOnePage() throws {
        let site = try siteWithClaims(articles: 1, """
              - {id: a, quote: talks here, by: sergei-ryabkov, review: {rating: Accurate}}
              - {id: b, quote: more talks, by: sergei-ryabkov, review: {rating: accurate}}
            """)
        defer { site.remove() }
        let out = site.generate().files
        let page = try #require(out["claims/verdict/accurate/index.html"])
        #expect(page.contains("<p>2 claims, newest first.") && page.contains("#claim-a\"") && page.contains("#claim-b\""))
        let index = try #require(out["claims/index.html"])
        #expect(index.contains("<li id=\"verdict-accurate\"><a href=\"/claims/verdict/accurate/\">Accurate</a> <span class=\"count\">2</span></li>"))
    }
}

@Suite struct MentionPagingTests {
    @Test func muchMentionedEntitiesPageTheirMentions() throws {
        var files: [String: String] = [:]
        for i in 1...45 { files["content/articles/v\(i).md"] = article("title: V\(i)\ndate: 2020-01-\(i % 28 + 1 < 10 ? "0" : "")\(i % 28 + 1)", "Talks in Vienna, round \(i).\n") }
        let site = try SiteFixture(files)
        defer { site.remove() }
        let out = site.generate().files
        let page = try #require(out["places/vienna/index.html"])
        #expect(page.contains("Articles that mention Vienna (45)"))
        #expect(page.components(separatedBy: "class=\"article-item\"").count == 41)
        #expect(page.contains("<a href=\"/places/vienna/mentions/page/2/\">More articles that mention Vienna →</a>"))
        let second = try #require(out["places/vienna/mentions/page/2/index.html"])
        #expect(second.components(separatedBy: "class=\"article-item\"").count == 6)
        #expect(second.contains("<a rel=\"prev\" href=\"/places/vienna/\">"))
    }
}

@Suite struct AlphabeticalIndexTests {
    @Test func accentedInitialsFileUnderTheirBaseLetter() throws {
        let site = try SiteFixture([
            "content/people/celik.md": "---\nname: Çelik Arslan\n---\n",
            "content/people/carla.md": "---\nname: Carla Diaz\n---\n",
            "content/people/umit.md": "---\nname: Ümit Kaya\n---\n",
        ])
        defer { site.remove() }
        let page = try #require(site.generate().files["people/index.html"])
        #expect(page.components(separatedBy: "id=\"letter-c\"").count == 2, "one C section, no duplicate id")
        #expect(page.range(of: "Carla Diaz")!.lowerBound < page.range(of: "Çelik Arslan")!.lowerBound)
        #expect(page.range(of: "Çelik Arslan")!.lowerBound < page.range(of: "Marshall Billingslea")!.lowerBound)
        #expect(page.contains("<h2 id=\"letter-u\">U</h2>"))
    }

    /// Initials outside ASCII each have their own anchor: Ł's slug is L's,
    /// and Cyrillic letters all shared one.
    @Test func everyInitialHasItsOwnAnchor() throws {
        let site = try SiteFixture([
            "content/people/lech.md": "---\nname: Łukasz Nowak\n---\n",
            "content/people/lena.md": "---\nname: Lena Berg\n---\n",
            "content/people/boris.md": "---\nname: Борис Грызлов\n---\n",
            "content/people/dmitry.md": "---\nname: Дмитрий Рогозин\n---\n",
        ])
        defer { site.remove() }
        let page = try #require(site.generate().files["people/index.html"])
        let anchors = page.components(separatedBy: "<h2 id=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
        #expect(Set(anchors).count == anchors.count, "\(anchors)")
        #expect(anchors.contains("letter-l") && anchors.contains("letter-u141") && anchors.contains("letter-u411"))
    }
}

/// Orders and slugs that must not depend on the process or the path taken.
@Suite struct OrderAndSlugTests {
    /// An article's entity chips: its subjects first, then by name, and two
    /// of one name by id (they were in the order of a set, which changes
    /// from one process to the next).
    @Test func entitiesOfOneNameAreListedByID() throws {
        let site = try SiteFixture([
            "content/people/john-smith-b.md": "---\nname: John Smith\n---\n",
            "content/people/john-smith-a.md": "---\nname: John Smith\n---\n",
            "content/people/ada-jones.md": "---\nname: Ada Jones\n---\n",
            "content/articles/two-smiths.md": """
                ---
                title: Two Smiths
                date: 2020-01-01
                people: [john-smith-b, john-smith-a]
                ---
                Ada Jones met Sergei Ryabkov.
                """,
        ])
        defer { site.remove() }
        let html = try #require(site.generate().files["articles/two-smiths/index.html"])
        let chips = try #require(html.range(of: "<ul class=\"chips\">"))
        let page = String(html[chips.lowerBound...])
        let order = ["people/john-smith-a/", "people/john-smith-b/", "people/ada-jones/", "people/sergei-ryabkov/"].map {
            page.range(of: "href=\"/\($0)\"")?.lowerBound
        }
        #expect(order.allSatisfy { $0 != nil }, "every chip is there")
        #expect(zip(order, order.dropFirst()).allSatisfy { $0! < $1! }, "subjects first, then by name, then by id")
    }

    /// Slugs of ASCII text (nearly every tag and verdict) are made on bytes;
    /// they must be what the full rules make.
    @Test func asciiSlugsAreWhatTheFullRulesMake() {
        let pieces = ["New", "START", " ", "-", "--", "_", "'", ".", "9M729", "inf", "A", "z", "@", "~", "\t", "/", "Z0"]
        var random = SeededRandom(seed: 5)
        for _ in 0..<3000 {
            let text = random.text(of: pieces, length: 5)
            #expect(SiteGraph.slug(text) == SiteGraph.unicodeSlug(text), "\(text.debugDescription)")
        }
        #expect(SiteGraph.slug("  New START -- Treaty! ") == "new-start-treaty")
        #expect(SiteGraph.slug("Über Ärger") == "uber-arger")
    }

    /// Text in other scripts, and letters without a decomposition, are
    /// written in Latin letters first: a Cyrillic tag had an empty slug,
    /// no page, and a link to `tags//` on its articles.
    @Test func otherScriptsAreWrittenInLatinLetters() {
        #expect(SiteGraph.slug("Договор о РСМД") == "dogovor-o-rsmd")
        #expect(SiteGraph.slug("СНВ-III") == "snv-iii")
        #expect(SiteGraph.slug("Ελλάδα") == "ellada")
        #expect(SiteGraph.slug("Straße") == "strasse")
        #expect(SiteGraph.slug("Ærø, Genève") == "aero-geneve")
        #expect(SiteGraph.slug("Genève") == "geneve")
        #expect(SiteGraph.slug("✓ ✓").isEmpty)
        // Symbols stay separators, as they were: only letters are transliterated.
        #expect(SiteGraph.slug("Citroën©") == "citroen")
        #expect(SiteGraph.slug("1½ years") == "1-years")
        #expect(SiteGraph.slug("Мир ©") == "mir")
        #expect(SiteGraph.slug("ﬁnance") == "finance")
    }

    @Test func initialsAnchorsNameEveryCodePoint() {
        #expect(PageRenderer.anchor(initial: "L") == "l")
        #expect(PageRenderer.anchor(initial: "Ł") == "u141")
        #expect(PageRenderer.anchor(initial: "ԵՒ") == "u535-u552")
        #expect(PageRenderer.anchor(initial: "#") == "other")
    }

    @Test func aCyrillicTagAndVerdictHaveTheirPages() throws {
        let site = try SiteFixture(["content/articles/a.md": article("""
            title: Talks
            date: 2021-02-03
            tags: [ДСНВ]
            claims:
              - {id: c, quote: held talks, by: sergei-ryabkov, review: {rating: Верно}}
            """, "They held talks in Vienna.\n")])
        defer { site.remove() }
        let (files, report) = site.generate()
        #expect(report.succeeded)
        #expect(files["tags/dsnv/index.html"]?.contains("Talks") == true)
        #expect(files["articles/a/index.html"]?.contains("href=\"/tags/dsnv/\"") == true)
        #expect(files["claims/verdict/verno/index.html"]?.contains("held talks") == true)
        #expect(files["claims/index.html"]?.contains("href=\"/claims/verdict/verno/\"") == true)
    }
}

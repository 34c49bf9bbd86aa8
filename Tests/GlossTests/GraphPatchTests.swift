import Foundation
import Testing
@testable import Gloss

/// A graph patched from the last build's (`SiteGraph.patched`) must be the
/// graph a clean build makes, with the edited articles' new objects in it.
@Suite struct GraphPatchTests {
    static let site: [String: String] = [
        "content/articles/2020/vienna.md": vienna(note: "China never agreed to come.", body: "Billingslea met Ryabkov in Vienna."),
        "content/articles/2021/extension.md": article("title: Extended\ndate: 2021-02-03\nauthor: sergei-ryabkov",
                                                      "Russia and the United States extended New START.\n"),
        "content/articles/2021/later.md": article("""
            title: Later
            date: 2021-05-01
            claims:
              - {id: again, quote: Russia waited, by: sergei-ryabkov, about: [new-start, russia]}
              - {id: earlier, quote: New START held, by: marshall-billingslea, about: [russia], date: 2019-01-01}
            """, "Ryabkov said Russia waited. New START held.\n"),
    ]

    static func vienna(note: String, body: String, title: String = "Talks in Vienna", tags: String = "[Arms control, Talks]") -> String {
        article("""
            title: \(title)
            date: 2020-06-22
            tags: \(tags)
            author: marshall-billingslea
            treaties: [new-start]
            claims:
              - id: no-show
                quote: China is a no-show
                by: marshall-billingslea
                about: [new-start, russia]
                review: {rating: Misleading, by: sergei-ryabkov, note: "\(note)"}
            """, "\(body) He said China is a no-show about New START and Russia.\n")
    }

    /// Every index of a graph as text, with what each entry shows of its
    /// article (passages, a claim's review), so a stale object shows.
    func dump(_ graph: SiteGraph) -> String {
        func slug(_ article: AnnotatedArticle) -> String { article.source.slug.value }
        func claim(_ claim: SiteGraph.Claim) -> String {
            "\(slug(claim.article))#\(claim.source.id.value)@\(claim.date) \(claim.source.review?.note ?? "")"
        }
        var lines = ["articles: " + graph.articles.map(slug).joined(separator: ", ")]
        for (id, links) in graph.backlinks.sorted(by: { $0.key < $1.key }) {
            lines.append("backlinks \(id): " + links.map { "\(slug($0.article)) \($0.isAbout) \($0.mentionCount) \($0.sentences)" }
                .joined(separator: "; "))
        }
        lines.append("claims: " + graph.claims.map(claim).joined(separator: "; "))
        for (id, claims) in graph.claimsBy.sorted(by: { $0.key < $1.key }) { lines.append("by \(id): " + claims.map(claim).joined(separator: "; ")) }
        for (id, claims) in graph.claimsAbout.sorted(by: { $0.key < $1.key }) { lines.append("about \(id): " + claims.map(claim).joined(separator: "; ")) }
        for (id, list) in graph.articlesBy.sorted(by: { $0.key < $1.key }) {
            lines.append("by \(id): " + list.map { "\(slug($0)) \($0.wordCount)" }.joined(separator: ", "))
        }
        for id in graph.registry.entities.keys.sorted() {
            lines.append("\(id): \(graph.articleCount(id)) \(graph.articles(involving: id).map(slug)) \(graph.related[id]?.map(\.id) ?? [])")
        }
        for kind in EntityKind.allCases { lines.append("\(kind): \(graph.entities(of: kind).map(\.name))") }
        func listed(_ articles: [AnnotatedArticle]) -> String { articles.map { "\(slug($0)) \($0.wordCount)" }.joined(separator: ", ") }
        for (year, months) in graph.archive { lines.append("\(year): " + months.map { "\($0.month) \(listed($0.articles))" }.joined(separator: "; ")) }
        for tag in graph.tags { lines.append("tag \(tag.slug) \(tag.name): " + listed(tag.articles)) }
        return lines.joined(separator: "\n")
    }

    func graph(_ build: SiteBuilder.Generated) throws -> SiteGraph { try #require(build.cache.lastGraph) }

    @Test func anEditThatKeepsTheGraphsShapeIsPatchedAsACleanBuildWouldMakeIt() throws {
        let site = try SiteFixture(Self.site)
        defer { site.remove() }
        let builder = SiteBuilder(options: BuildOptions(source: site.root))
        let first = builder.generate(reusing: BuildCache())
        #expect(first.report.succeeded, "\(first.report.printed)")
        Thread.sleep(forTimeInterval: 0.01)
        // New passages around the same mentions, in the same order, and a new review note.
        try site.write("content/articles/2020/vienna.md",
                       Data(Self.vienna(note: "Beijing said no.", body: "Billingslea met Ryabkov in Vienna today.").utf8))
        // An entity's text, not its name: its object is new, its graph place not.
        try site.write("content/places/vienna.md", Data("---\nname: Vienna\n---\nThe Austrian capital.\n".utf8))
        let second = builder.generate(reusing: first.cache)
        #expect(second.report.annotatedArticles == 1)
        let previous = try graph(first), patched = try graph(second)
        let fresh = try graph(builder.generate(reusing: BuildCache()))
        #expect(dump(patched) == dump(fresh))
        #expect(dump(patched) != dump(previous))
        #expect(dump(patched).contains("Beijing said no."))
        // It was patched: the graph's index of positions is the last build's.
        #expect(SiteGraph.patched(from: previous, config: fresh.config, registry: fresh.registry, articles: fresh.articles) != nil)
    }

    /// The archive and the tags of a patched graph list the edited article
    /// in its places, and follow its tags when they changed.
    @Test func aPatchedGraphListsTheEditedArticle() throws {
        let site = try SiteFixture(Self.site)
        defer { site.remove() }
        let builder = SiteBuilder(options: BuildOptions(source: site.root))
        var last = builder.generate(reusing: BuildCache())
        let tags = ["[Arms control, Talks]", "[Talks]", "[Arms Control, arms control, Talks, New]", "[Arms Control, arms control, Talks, New]"]
        for (words, tags) in tags.enumerated() {
            Thread.sleep(forTimeInterval: 0.01)
            let body = "Billingslea met Ryabkov in Vienna." + String(repeating: " Once more.", count: words + 1)
            try site.write("content/articles/2020/vienna.md", Data(Self.vienna(note: "x", body: body, tags: tags).utf8))
            let next = builder.generate(reusing: last.cache)
            #expect(next.report.succeeded, "\(next.report.printed)")
            let patched = try graph(next), fresh = try graph(builder.generate(reusing: BuildCache()))
            #expect(SiteGraph.patched(from: try graph(last), config: fresh.config, registry: fresh.registry, articles: fresh.articles) != nil)
            #expect(dump(patched) == dump(fresh), "\(tags)")
            #expect(dump(patched).contains("tag talks Talks: vienna \(patched.articles.first { $0.source.slug.value == "vienna" }!.wordCount)"))
            last = next
        }
    }

    /// A tag written again in another Unicode form (é as e and a combining
    /// accent) is equal as a Swift string, not as the name its pages show.
    @Test func aTagRespelledInAnotherNormalFormIsShownAsWritten() throws {
        let site = try SiteFixture(["content/articles/a.md": article("title: A\ndate: 2020-01-01\ntags: [Caf\u{E9}]", "Text.\n"),
                                    "content/articles/b.md": article("title: B\ndate: 2019-01-01\ntags: [Other]", "Text.\n")])
        defer { site.remove() }
        let builder = IncrementalBuilder(options: BuildOptions(source: site.root)), builds = IncrementalBuildTests()
        #expect(builder.build().report.succeeded)
        try builds.edit(site, "content/articles/a.md", article("title: A\ndate: 2020-01-01\ntags: [Cafe\u{301}]", "Text changed.\n"))
        #expect(builder.build().report.succeeded)
        let fresh = builds.clean(site)
        #expect(builder.files["tags/cafe/index.html"] == fresh["tags/cafe/index.html"])
        #expect(builder.files == fresh)
    }

    @Test func anEditThatMovesAnArticleOrItsLinksIsBuiltAnew() throws {
        let site = try SiteFixture(Self.site)
        defer { site.remove() }
        let builder = SiteBuilder(options: BuildOptions(source: site.root))
        let first = builder.generate(reusing: BuildCache())
        let previous = try graph(first)
        let edits = [
            Self.vienna(note: "x", body: "Billingslea met Ryabkov in Vienna.", title: "Talks in Vienna, again"),  // sort key
            Self.vienna(note: "x", body: "Billingslea met Ryabkov."),  // one entity fewer
            Self.vienna(note: "x", body: "Billingslea met Ryabkov in Vienna. Vienna again."),  // a mention more
            Self.vienna(note: "x", body: "In Vienna, Billingslea met Ryabkov."),  // named in another order
            Self.vienna(note: "x", body: "Billingslea met Ryabkov in Vienna.").replacingOccurrences(of: "[new-start, russia]", with: "[new-start]"),
        ]
        for edit in edits {
            Thread.sleep(forTimeInterval: 0.01)
            try site.write("content/articles/2020/vienna.md", Data(edit.utf8))
            let second = builder.generate(reusing: first.cache)
            #expect(second.report.succeeded, "\(second.report.printed)")
            let rebuilt = try graph(second)
            #expect(SiteGraph.patched(from: previous, config: rebuilt.config, registry: rebuilt.registry, articles: rebuilt.articles) == nil,
                    "\(edit)")
            #expect(dump(rebuilt) == dump(try graph(builder.generate(reusing: BuildCache()))))
        }
    }

    /// A `gloss build`'s graph goes to the cache as its shape and comes back
    /// over the next build's articles as the same graph.
    @Test func theShapeOfAGraphMakesTheSameGraph() throws {
        let site = try SiteFixture(Self.site)
        defer { site.remove() }
        let built = try graph(SiteBuilder(options: BuildOptions(source: site.root)).generate(reusing: BuildCache()))
        var cache = BuildCache()
        cache.graph = built.cache
        cache.graph.shapeRecord = built.shape.record
        let bytes = PersistentCache.encodeTail(cache, loaded: nil)
        let record = try #require(try bytes.withUnsafeBytes { buffer in
            var reader = ByteReader(buffer)
            return try PersistentCache.decodeTail(&reader, sameOutput: true).graph.shapeRecord
        })
        let decoded = try SiteGraph.Shape(record: record)
        // A cut or extended record is damaged, not read as another shape.
        #expect((try? SiteGraph.Shape(record: Array(record.dropLast()))) == nil)
        #expect((try? SiteGraph.Shape(record: record + [0])) == nil)
        let bySlug = Dictionary(uniqueKeysWithValues: built.articles.map { ($0.source.slug.value, $0) })
        let made = try #require(SiteGraph(shape: decoded, config: built.config, registry: built.registry, articles: bySlug,
                                          cache: built.cache))
        #expect(dump(made) == dump(built))
        // A shape that does not fit the articles makes no graph.
        #expect(SiteGraph(shape: decoded, config: built.config, registry: built.registry,
                          articles: bySlug.filter { $0.key != "later" }, cache: built.cache) == nil)
        var wrong = decoded
        wrong.backlinks["russia"]?[1] += 1
        #expect(SiteGraph(shape: wrong, config: built.config, registry: built.registry, articles: bySlug, cache: built.cache) == nil)
        // Articles listed under another author, or an entity listed twice, do not fit either.
        var author = decoded
        author.articlesBy["sergei-ryabkov"] = author.articlesBy["marshall-billingslea"]
        #expect(SiteGraph(shape: author, config: built.config, registry: built.registry, articles: bySlug, cache: built.cache) == nil)
        var twice = decoded
        twice.kinds[.person] = (twice.kinds[.person] ?? []).dropLast() + (twice.kinds[.place] ?? []).prefix(1)
        #expect(SiteGraph(shape: twice, config: built.config, registry: built.registry, articles: bySlug, cache: built.cache) == nil)
    }

    /// `gloss build` after edits, as new processes: each output equals a
    /// clean build's, whether the graph came from the cache's shape or not.
    @Test func buildsFromTheCachedShapeEqualCleanBuilds() throws {
        let site = try SiteFixture(Self.site)
        defer { site.remove() }
        let persistent = PersistentBuildTests()
        #expect(persistent.build(site).succeeded)
        let steps: [(text: String, fromShape: Bool)] = [
            (Self.vienna(note: "Beijing said no.", body: "Billingslea met Ryabkov in Vienna today."), true),
            (Self.vienna(note: "Beijing said no.", body: "In Vienna, Billingslea met Ryabkov."), false),
            (Self.vienna(note: "Later.", body: "In Vienna, Billingslea met Ryabkov again."), true),
            (Self.vienna(note: "Later.", body: "In Vienna, Billingslea met Ryabkov again.", title: "Vienna talks"), false),
        ]
        for step in steps {
            let before = PersistentCache.load(for: site.output).0.graph.shapeRecord
            try persistent.edit(site, "content/articles/2020/vienna.md", step.text)
            let report = persistent.build(site)
            #expect(report.succeeded, "\(report.printed)")
            #expect(report.graphKept == step.fromShape, "\(step.text)")
            #expect(try SiteBuildTests().snapshot(site.output) == persistent.clean(site), "\(step.text)")
            // A kept shape is written back as the bytes it was read from.
            let after = PersistentCache.load(for: site.output).0.graph.shapeRecord
            #expect(after != nil && before != nil)
            if step.fromShape { #expect(after == before) }
        }
    }
}


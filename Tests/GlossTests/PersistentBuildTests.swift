import Foundation
import Testing
@testable import Gloss

/// `gloss build` run again and again, each time as a new process would (a
/// new `SiteBuilder`, the cache read from disk): after every kind of edit
/// the output folder holds exactly what a clean build without a cache
/// writes, and the work redone is what the edit invalidates.
@Suite struct PersistentBuildTests {
    func build(_ site: SiteFixture, baseURL: String? = nil, drafts: Bool = false) -> BuildReport {
        SiteBuilder(options: BuildOptions(source: site.root, baseURL: baseURL, includeDrafts: drafts)).build()
    }

    /// A clean build into a folder of its own, with no cache.
    func clean(_ site: SiteFixture, baseURL: String? = nil, drafts: Bool = false) throws -> [String: Data] {
        let output = site.root.appendingPathComponent("clean-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        let options = BuildOptions(source: site.root, output: output, baseURL: baseURL, includeDrafts: drafts, useCache: false)
        let report = SiteBuilder(options: options).build()
        #expect(report.succeeded)
        #expect(!FileManager.default.fileExists(atPath: PersistentCache.location(for: output).path))
        return try SiteBuildTests().snapshot(output)
    }

    func edit(_ site: SiteFixture, _ path: String, _ text: String?) throws {
        Thread.sleep(forTimeInterval: 0.01)  // past the file system's timestamp granularity
        guard let text else { return try FileManager.default.removeItem(at: site.root.appendingPathComponent(path)) }
        try site.write(path, Data(text.utf8))
    }

    /// A draft may share a published article's slug. Once the published one
    /// is gone and drafts are built, the draft's page is made, not the
    /// published one's kept: the cache's versions leave drafts out. (Which
    /// of the two a version table kept depended on hashing order, so the
    /// test tries several file names.)
    @Test func aDraftSharingAGoneArticlesSlugIsMade() throws {
        for round in 0..<6 {
            let site = try SiteFixture([
                "content/articles/p\(round).md": article("title: Published\ndate: 2021-01-01\nslug: twin", "Published text.\n"),
                "content/articles/q\(round).md": article("title: Drafted\ndate: 2021-01-01\nslug: twin\ndraft: true", "Draft text.\n"),
            ])
            defer { site.remove() }
            #expect(build(site).succeeded)
            try edit(site, "content/articles/p\(round).md", nil)
            #expect(build(site, drafts: true).succeeded)
            let page = try SiteBuildTests().snapshot(site.output)["/articles/twin/index.html"]
            #expect(page.map { String(decoding: $0, as: UTF8.self).contains("Drafted") } == true, "round \(round)")
            #expect(try SiteBuildTests().snapshot(site.output) == clean(site, drafts: true))
        }
    }

    @Test func everyEditEqualsACleanBuild() throws {
        let site = try SiteFixture(SiteBuildTests.articles.merging(["static/a.txt": "a"]) { $1 })
        defer { site.remove() }
        let first = build(site)
        #expect(first.succeeded && first.annotatedArticles == first.articles && first.renderedPages == first.pages)
        let unchanged = build(site)
        #expect(unchanged.annotatedArticles == 0 && unchanged.renderedPages == 0, "an unchanged site redoes nothing")
        #expect(try SiteBuildTests().snapshot(site.output) == clean(site))

        // How many articles each edit annotates again (nil: all of them).
        let steps: [(path: String, text: String?, annotates: Int?)] = [
            ("content/articles/2021/extension.md", article("title: Extended again\ndate: 2021-02-04", "Vienna and Russia.\n"), 1),
            // A name: every article is annotated again.
            ("content/people/sergei-ryabkov.md", "---\nname: Sergei A. Ryabkov\naliases: [Ryabkov, Sergei R.]\n---\nRenamed.\n", nil),
            // Not a name: no article is annotated again.
            ("content/people/sergei-ryabkov.md", "---\nname: Sergei A. Ryabkov\naliases: [Ryabkov, Sergei R.]\nwikidata: Q123\n---\nNew.\n", 0),
            ("content/articles/new.md", article("title: New\ndate: 2022-01-01", "Billingslea again.\n"), 1),
            ("templates/partials/footer.mustache", "<footer>changed</footer>", nil),
            ("static/a.txt", "b", 0),
            ("static/b.txt", "new", 0),
            ("content/articles/new.md", nil, 0),
            ("static/a.txt", nil, 0),
            ("site.yml", "title: Another Archive\nbase_url: https://example.org/sub/\nlanguage: fr\ndescription: Other.\n", nil),
            ("site.yml", SiteFixture.minimalConfig + "mentions: all\n", nil),
        ]
        for step in steps {
            try edit(site, step.path, step.text)
            let report = build(site)
            #expect(report.succeeded, "\(step.path): \(report.printed)")
            #expect(report.annotatedArticles == step.annotates ?? report.articles, "\(step.path) annotated \(report.annotatedArticles)")
            #expect(try SiteBuildTests().snapshot(site.output) == clean(site), "after changing \(step.path)")
        }
    }

    /// An article page whose own inputs are unchanged keeps its key without
    /// hashing them (`UnchangedInputs`), unless something it shows changed:
    /// here a related article's summary, then an entity it names (not its
    /// name: its Wikidata item, in the page's JSON-LD).
    @Test func anUnchangedArticlePageFollowsWhatItShows() throws {
        let site = try SiteFixture(SiteBuildTests.articles)
        defer { site.remove() }
        #expect(build(site).succeeded)
        #expect(try site.read("articles/vienna/index.html")?.contains("New START extended to 2026.") == true, "related")
        let steps: [(path: String, text: String)] = [
            ("content/articles/2021/extension.md",
             article("title: Extended\ndate: 2021-02-03\nsummary: New START extended to February 2026.",
                     "Russia and the United States extended New START.\n")),
            ("content/people/marshall-billingslea.md",
             "---\nname: Marshall Billingslea\naliases: [Billingslea]\nwikidata: Q1\n---\nU.S. envoy.\n"),
        ]
        for step in steps {
            try edit(site, step.path, step.text)
            let report = build(site)
            #expect(report.succeeded && report.annotatedArticles <= 1, "\(step.path): \(report.printed)")
            #expect(try SiteBuildTests().snapshot(site.output) == clean(site), "after changing \(step.path)")
        }
        #expect(try site.read("articles/vienna/index.html")?.contains("New START extended to February 2026.") == true)
        #expect(try site.read("articles/vienna/index.html")?.contains("https://www.wikidata.org/wiki/Q1") == true, "JSON-LD")
    }

    @Test func aFailedBuildKeepsTheSiteAndTheCache() throws {
        let site = try SiteFixture(SiteBuildTests.articles)
        defer { site.remove() }
        #expect(build(site).succeeded)
        let before = try SiteBuildTests().snapshot(site.output)
        try edit(site, "content/articles/broken.md", article("title: x", "y\n"))
        #expect(!build(site).succeeded)
        #expect(try SiteBuildTests().snapshot(site.output) == before)
        try edit(site, "content/articles/broken.md", nil)
        let fixed = build(site)
        #expect(fixed.succeeded && fixed.renderedPages == 0, "the cache of the last good build still holds")
    }

    /// Pages are kept only from the folder the cache describes.
    @Test func aReplacedOrDamagedOutputIsBuiltAgain() throws {
        let site = try SiteFixture(SiteBuildTests.articles)
        defer { site.remove() }
        #expect(build(site).succeeded)
        try FileManager.default.removeItem(at: site.output)
        try FileManager.default.createDirectory(at: site.output, withIntermediateDirectories: true)
        let rebuilt = build(site)
        #expect(rebuilt.succeeded && rebuilt.annotatedArticles == 0 && rebuilt.renderedPages == rebuilt.pages)
        #expect(try SiteBuildTests().snapshot(site.output) == clean(site))

        // A page deleted by hand is made again.
        try FileManager.default.removeItem(at: site.output.appendingPathComponent("articles/vienna/index.html"))
        let again = build(site)
        #expect(again.renderedPages == 1)
        #expect(try SiteBuildTests().snapshot(site.output) == clean(site))

        // A damaged cache file is ignored.
        try Data("gloss build cache\n garbage".utf8).write(to: PersistentCache.location(for: site.output))
        let fresh = build(site)
        #expect(fresh.succeeded && fresh.annotatedArticles == fresh.articles)
        #expect(try SiteBuildTests().snapshot(site.output) == clean(site))
    }

    /// Files that replace folders and the reverse, a static file over a
    /// generated page or folder and its removal, each with an article edit.
    @Test func filesAndFoldersTradePlaces() throws {
        let site = try SiteFixture(SiteBuildTests.articles.merging(["static/thing": "a file"]) { $1 })
        defer { site.remove() }
        #expect(build(site).succeeded)
        let edits: [(path: String, text: String?)] = [
            ("static/thing", nil), ("static/thing/inner.txt", "now a folder"),
            ("static/thing/inner.txt", nil), ("static/thing", "a file again"),
            ("static/404.html", "<p>custom</p>"),
            ("static/404.html", nil),
            // A static file where the generated treaties/ folder is.
            ("static/treaties", "a file over a folder"),
            ("static/treaties", nil),
        ]
        for (number, edit) in edits.enumerated() {
            if edit.path == "static/thing", edit.text != nil {
                try? FileManager.default.removeItem(at: site.root.appendingPathComponent("static/thing"))
            }
            try self.edit(site, edit.path, edit.text)
            if number % 2 == 1 || number >= 4 {
                try self.edit(site, "content/articles/2021/extension.md", article("title: Edit \(number)\ndate: 2021-02-04", "Vienna.\n"))
                let report = build(site)
                #expect(report.succeeded, "\(edit.path): \(report.printed)")
                #expect(try SiteBuildTests().snapshot(site.output) == clean(site), "after \(edit.path)")
            }
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: site.root.path).filter { $0.hasPrefix(".public") }
        #expect(leftovers.sorted() == [".public.gloss-cache", ".public.gloss-texts"], "no pending or staging folder is left")
    }

    /// Options change what is built without any file changing.
    @Test func optionsBetweenBuildsEqualACleanBuild() throws {
        let draft = article("title: Draft\ndate: 2021-03-01\ndraft: true", "Ryabkov in Vienna.\n")
        let site = try SiteFixture(SiteBuildTests.articles.merging(["content/articles/draft.md": draft]) { $1 })
        defer { site.remove() }
        let runs: [(baseURL: String?, drafts: Bool)] = [(nil, false), (nil, true), (nil, false),
                                                        ("https://example.org/watch/", false), (nil, false)]
        for run in runs {
            let report = build(site, baseURL: run.baseURL, drafts: run.drafts)
            #expect(report.succeeded)
            #expect(try SiteBuildTests().snapshot(site.output) == clean(site, baseURL: run.baseURL, drafts: run.drafts),
                    "base URL \(run.baseURL ?? "from site.yml"), drafts \(run.drafts)")
        }
    }
}

import Foundation
import Testing
@testable import Gloss

/// Incremental builds must always equal a clean build of the same input,
/// and redo only what depends on a change.
@Suite struct IncrementalBuildTests {
    func clean(_ site: SiteFixture) -> [String: Data] {
        let builder = IncrementalBuilder(options: BuildOptions(source: site.root))
        _ = builder.build()
        return builder.files
    }

    /// Waits past the file system's timestamp granularity, then writes.
    func edit(_ site: SiteFixture, _ path: String, _ text: String) throws {
        Thread.sleep(forTimeInterval: 0.01)
        try site.write(path, Data(text.utf8))
    }

    @Test func everyStepEqualsACleanBuild() throws {
        let site = try SiteFixture(SiteBuildTests.articles.merging(["static/a.txt": "a"]) { $1 })
        defer { site.remove() }
        let builder = IncrementalBuilder(options: BuildOptions(source: site.root))
        #expect(builder.build().report.succeeded)
        #expect(builder.files == clean(site))

        let steps: [(String, String?)] = [
            ("content/articles/2021/extension.md", article("title: Extended again\ndate: 2021-02-04", "Vienna and Russia.\n")),
            ("content/people/sergei-ryabkov.md", "---\nname: Sergei A. Ryabkov\naliases: [Ryabkov]\n---\nRenamed.\n"),
            // Not a name: no article is annotated again; pages that show this entity's data change.
            ("content/people/sergei-ryabkov.md", "---\nname: Sergei A. Ryabkov\naliases: [Ryabkov]\nwikidata: Q123\n---\nNew description.\n"),
            // A review by another person: the article, both people, the claims pages.
            ("content/articles/2020/vienna.md", article("""
                title: Talks in Vienna
                date: 2020-06-22
                author: marshall-billingslea
                treaties: [new-start]
                claims:
                  - {id: no-show, quote: China is a no-show, by: marshall-billingslea, about: [new-start], review: {rating: Accurate, by: marshall-billingslea}}
                """, "Billingslea met Ryabkov in Vienna about New START. He said China is a no-show.\n")),
            // An older date: listings, archive and the related lists of other articles.
            ("content/articles/2021/extension.md", article("title: Extended again\ndate: 2019-02-04\nsummary: Earlier.", "Vienna, New START and Russia.\n")),
            ("content/articles/new.md", article("title: New\ndate: 2022-01-01", "Billingslea again.\n")),
            ("templates/partials/footer.mustache", "<footer>changed</footer>"),
            ("static/a.txt", "b"),
            ("content/articles/new.md", nil),
            // Title, description, language: every page and feed, but no annotation.
            ("site.yml", "title: Another Archive\nbase_url: https://example.org/\nlanguage: fr\ndescription: Other.\n"),
            ("site.yml", SiteFixture.minimalConfig + "mentions: all\n"),
        ]
        for (path, text) in steps {
            if let text { try edit(site, path, text) } else { try FileManager.default.removeItem(at: site.root.appendingPathComponent(path)) }
            let result = builder.build()
            #expect(result.report.succeeded, "\(path): \(result.report.printed)")
            if path.hasPrefix("content/articles/") { #expect(result.report.annotatedArticles <= 1, "\(path)") }
            if path.hasPrefix("templates/") || text?.contains("mentions:") == true || text?.contains("Renamed") == true {
                #expect(result.report.annotatedArticles == result.report.articles, "\(path) invalidates every article")
            }
            let expected = clean(site)
            #expect(builder.files == expected, "after changing \(path)")
            #expect(Set(builder.files.keys) == Set(expected.keys))
        }
    }

    /// A static file laid over a generated page is still what is served
    /// there after the page under it changes, and is not reported changed.
    @Test func aStaticFileOverAPageStaysWhenThePageChanges() throws {
        let site = try SiteFixture(SiteBuildTests.articles.merging(["static/articles/extension/index.html": "mine"]) { $1 })
        defer { site.remove() }
        let builder = IncrementalBuilder(options: BuildOptions(source: site.root))
        #expect(builder.build().report.succeeded)
        try edit(site, "content/articles/2021/extension.md", article("title: Extended again\ndate: 2021-02-04", "Vienna and Russia.\n"))
        let result = builder.build()
        #expect(result.report.succeeded)
        #expect(result.changedPaths.contains("articles/vienna/index.html"), "a related list names the new title")
        #expect(!result.changedPaths.contains("articles/extension/index.html"))
        #expect(builder.files["articles/extension/index.html"] == Data("mine".utf8))
        #expect(builder.files == clean(site))
    }

    /// Edits to one article, then another: the feeds made again come after
    /// the reused ones, so the files are listed in another order; the
    /// tables are still patched, and equal a clean build's.
    @Test func editsOfDifferentArticlesPatchTheTables() throws {
        let site = try SiteFixture(SiteBuildTests.articles)
        defer { site.remove() }
        let builder = IncrementalBuilder(options: BuildOptions(source: site.root))
        #expect(builder.build().report.succeeded)
        var before = builder.files
        for round in 1...4 {
            // A new paragraph each time, the front matter as it was.
            let path = round % 2 == 1 ? "content/articles/2021/extension.md" : "content/articles/2020/vienna.md"
            try edit(site, path, SiteBuildTests.articles[path]! + "\nBillingslea and Ryabkov, round \(round).\n")
            let result = builder.build()
            #expect(result.report.succeeded)
            #expect(builder.patchedTables, "round \(round)")
            #expect(builder.files == clean(site), "round \(round)")
            let changed = Set(builder.files.keys.filter { before[$0] != builder.files[$0] })
                .union(before.keys.filter { builder.files[$0] == nil })
            #expect(result.changedPaths == changed, "round \(round)")
            // Reported as the last stage (the server's "rebuilt in" adds it to the build's time).
            #expect(result.report.stages.last?.name == IncrementalBuilder.servedStage)
            before = builder.files
        }
    }

    /// The places where two lists of files name other paths, only when
    /// both name the same paths once each.
    @Test func movedFilesAreFoundOnlyWhenTheSamePathsAreListed() {
        func files(_ paths: String...) -> [OutputFile] { paths.map { OutputFile(path: $0, contents: Data($0.utf8)) } }
        #expect(IncrementalBuilder.moved(files("a", "b", "c"), files("a", "b", "c")) == [])
        #expect(IncrementalBuilder.moved(files("a", "b", "c"), files("a", "c", "b")) == [1, 2])
        #expect(IncrementalBuilder.moved(files("a", "b", "c"), files("a", "b", "d")) == nil, "another path")
        #expect(IncrementalBuilder.moved(files("a", "b", "c"), files("a", "b", "b")) == nil, "a path twice, one missing")
        #expect(IncrementalBuilder.moved(files("a", "b", "c"), files("a", "b")) == nil, "fewer")
    }

    /// A page of a listing shows the tag's spelling in its title, which an
    /// article on another page can change.
    @Test func listingPagesFollowATagsSpelling() throws {
        var files: [String: String] = [:]
        for i in 1...3 { files["content/articles/t\(i).md"] = article("title: T\(i)\ndate: 2020-01-0\(i)\ntags: [Arms control]", "Text.\n") }
        let site = try SiteFixture(files, config: SiteFixture.minimalConfig + "per_page: 1\n")
        defer { site.remove() }
        let builder = IncrementalBuilder(options: BuildOptions(source: site.root))
        #expect(builder.build().report.succeeded)
        // Only the newest article, on page 1: the tag's name is spelled as there.
        try edit(site, "content/articles/t3.md", article("title: T3\ndate: 2020-01-03\ntags: [Arms Control]", "Text.\n"))
        #expect(builder.build().report.succeeded)
        #expect(builder.files == clean(site))
    }

    @Test func changedPathsNameOnlyWhatDependsOnTheEdit() throws {
        let site = try SiteFixture(SiteBuildTests.articles)
        defer { site.remove() }
        let builder = IncrementalBuilder(options: BuildOptions(source: site.root))
        _ = builder.build()
        try edit(site, "content/articles/2021/extension.md",
                 article("title: Extended\ndate: 2021-02-03\nsummary: New START extended to 2026.", "Russia and the United States extended New START today.\n"))
        let result = builder.build()
        let changed = result.changedPaths
        #expect(result.report.annotatedArticles == 1)
        #expect(result.report.renderedPages < result.report.pages)
        #expect(changed.contains("articles/extension/index.html"))
        #expect(changed.contains("treaties/new-start/index.html"), "the sentence shown on the treaty's page changed")
        #expect(!changed.contains("articles/vienna/index.html"))
        #expect(!changed.contains("people/marshall-billingslea/index.html"))
    }

    /// Entity links and JSON-LD nodes are kept from the last build only
    /// while the entities and the site's addresses are the same: a new
    /// base URL, or an entity's new `sameAs`, makes them again.
    @Test func entityLinksFollowTheBaseURLAndTheEntities() throws {
        let site = try SiteFixture(SiteBuildTests.articles)
        defer { site.remove() }
        let builder = IncrementalBuilder(options: BuildOptions(source: site.root))
        #expect(builder.build().report.succeeded)
        for config in ["base_url: https://example.org/watch/\n", "base_url: https://other.example/\n"] {
            try edit(site, "site.yml", SiteFixture.minimalConfig.replacingOccurrences(of: "base_url: https://example.org/\n", with: config))
            #expect(builder.build().report.succeeded)
            #expect(builder.files == clean(site), "\(config)")
        }
        try edit(site, "content/people/sergei-ryabkov.md", "---\nname: Sergei Ryabkov\naliases: [Ryabkov]\nwikidata: Q4000\n---\nHe.\n")
        #expect(builder.build().report.succeeded)
        #expect(builder.files == clean(site))
    }

    /// A page no longer made is among the changed paths, as a new one is,
    /// also when as many pages are made as before.
    @Test func changedPathsNameRemovedAndNewPages() throws {
        let site = try SiteFixture(SiteBuildTests.articles)
        defer { site.remove() }
        let builder = IncrementalBuilder(options: BuildOptions(source: site.root))
        #expect(builder.build().report.succeeded)
        let source = "content/articles/2021/extension.md"
        let text = try String(contentsOf: site.root.appendingPathComponent(source), encoding: .utf8)
        try FileManager.default.removeItem(at: site.root.appendingPathComponent(source))
        let removed = builder.build()
        #expect(removed.report.succeeded)
        #expect(removed.changedPaths.contains("articles/extension/index.html"))
        #expect(builder.files["articles/extension/index.html"] == nil)
        // Moved to another slug: one page goes, one comes, and the count stays.
        try edit(site, "content/articles/2021/renamed.md", text)
        #expect(builder.build().report.succeeded)
        let count = builder.files.count
        try FileManager.default.removeItem(at: site.root.appendingPathComponent("content/articles/2021/renamed.md"))
        try edit(site, "content/articles/2021/moved.md", text)
        let moved = builder.build()
        #expect(builder.files.count == count)
        #expect(moved.changedPaths.isSuperset(of: ["articles/renamed/index.html", "articles/moved/index.html"]))
        #expect(builder.files == clean(site))
    }

    /// The first claims page lists every speaker, subject and verdict with
    /// counts, which an edit to a claim on another page changes.
    @Test func theFirstClaimsPageFollowsClaimsOnOtherPages() throws {
        func claim(_ date: String, _ by: String, _ review: String) -> String {
            article("title: On \(date)\ndate: \(date)\nclaims:\n  - {id: c, quote: said it, by: \(by), about: [new-start]\(review)}",
                    "Someone said it plainly.\n")
        }
        let site = try SiteFixture(["content/articles/new.md": claim("2021-01-01", "sergei-ryabkov", ""),
                                    "content/articles/old.md": claim("2020-01-01", "sergei-ryabkov", ""),
                                    "content/articles/older.md": claim("2019-01-01", "marshall-billingslea", ", review: {rating: False}")],
                                   config: SiteFixture.minimalConfig + "per_page: 1\n")
        defer { site.remove() }
        let builder = IncrementalBuilder(options: BuildOptions(source: site.root))
        #expect(builder.build().report.succeeded)
        // Only a claim on page 2 changes, and the same speakers and verdicts
        // remain: their counts change, first the speakers', then the verdicts'.
        for edit in [claim("2020-01-01", "marshall-billingslea", ""),
                     claim("2020-01-01", "marshall-billingslea", ", review: {rating: False}")] {
            try self.edit(site, "content/articles/old.md", edit)
            #expect(builder.build().report.succeeded)
            let expected = clean(site)
            #expect(builder.files["claims/index.html"] == expected["claims/index.html"])
            #expect(builder.files == expected)
        }
    }

    /// The data exports and the feeds an edit does not touch are last
    /// build's files again (the same bytes in memory), not made anew: at
    /// 10,000 articles remaking `claims.json` was a fifth of a rebuild.
    @Test func untouchedMachineFilesAreKeptInMemory() throws {
        let site = try SiteFixture(SiteBuildTests.articles)
        defer { site.remove() }
        let builder = IncrementalBuilder(options: BuildOptions(source: site.root))
        _ = builder.build()
        func address(_ path: String) -> UnsafeRawPointer? { builder.files[path]?.withUnsafeBytes { $0.baseAddress } }
        let kept = ["claims.json", "entities.json", "people/sergei-ryabkov/feed.xml"]
        let before = kept.map(address)
        // The body only: no claim, no entity, and no feed of Ryabkov's changes.
        try edit(site, "content/articles/2021/extension.md",
                 article("title: Extended\ndate: 2021-02-03\nsummary: New START extended to 2026.",
                         "Russia and the United States extended New START, said officials.\n"))
        #expect(builder.build().report.succeeded)
        #expect(kept.map(address) == before)
        #expect(builder.files == clean(site))
        // A claim's text changes: claims.json is made again.
        try edit(site, "content/articles/2020/vienna.md", article("""
            title: Talks in Vienna
            date: 2020-06-22
            treaties: [new-start]
            claims:
              - {id: no-show, quote: China is a no-show, by: marshall-billingslea, about: [new-start]}
            """, "Billingslea met Ryabkov in Vienna about New START. He said China is a no-show.\n"))
        #expect(builder.build().report.succeeded)
        #expect(address("claims.json") != before[0])
        #expect(builder.files == clean(site))
    }

    /// Two saves of the same size within one clock tick leave `stat` unchanged;
    /// a file read that close to its last change is read again next time.
    @Test func aSecondSaveInTheSameClockTickIsNotMissed() throws {
        let site = try SiteFixture(SiteBuildTests.articles)
        defer { site.remove() }
        let path = site.root.appendingPathComponent("content/articles/2021/extension.md").path
        try edit(site, "content/articles/2021/extension.md", article("title: Version A\ndate: 2021-02-03", "Text A.\n"))
        let tick = try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as! Date
        let builder = IncrementalBuilder(options: BuildOptions(source: site.root))
        _ = builder.build()
        try site.write("content/articles/2021/extension.md", Data(article("title: Version B\ndate: 2021-02-03", "Text B.\n").utf8))
        try FileManager.default.setAttributes([.modificationDate: tick], ofItemAtPath: path)
        #expect(builder.build().report.succeeded)
        #expect(String(decoding: builder.files["articles/extension/index.html"] ?? Data(), as: UTF8.self).contains("Version B"))
        #expect(builder.files == clean(site))
    }

    @Test func anUntouchedOldFileIsNotReadAgain() throws {
        let site = try SiteFixture(SiteBuildTests.articles)
        defer { site.remove() }
        Thread.sleep(forTimeInterval: 0.15)
        let builder = IncrementalBuilder(options: BuildOptions(source: site.root))
        _ = builder.build()
        let second = builder.build()
        #expect(second.report.annotatedArticles == 0)
        #expect(second.changedPaths.isEmpty)
    }

    @Test func aFailedBuildKeepsTheLastGoodSiteAndRecovers() throws {
        let site = try SiteFixture(SiteBuildTests.articles)
        defer { site.remove() }
        let builder = IncrementalBuilder(options: BuildOptions(source: site.root))
        _ = builder.build()
        let good = builder.files
        try edit(site, "content/articles/2021/extension.md", article("title: Broken", "x\n"))
        let failed = builder.build()
        #expect(!failed.report.succeeded)
        #expect(failed.changedPaths.isEmpty)
        #expect(builder.files == good)
        try edit(site, "content/articles/2021/extension.md", article("title: Fixed\ndate: 2021-02-03", "Fixed.\n"))
        #expect(builder.build().report.succeeded)
        #expect(builder.files == clean(site))
    }

    /// A failed build keeps the sources it read but not the page keys of the
    /// last good build: an article edited meanwhile, fine all along, must not
    /// keep its old page (nor must the pages listing it as related) once the
    /// error elsewhere is fixed. (Found by an independent review.)
    @Test func anEditDuringAFailedBuildIsRenderedAfterTheFix() throws {
        let other = article("title: C\ndate: 2019-01-01", "Plain text.\n")
        let site = try SiteFixture(SiteBuildTests.articles.merging(["content/articles/c.md": other]) { $1 })
        defer { site.remove() }
        let builder = IncrementalBuilder(options: BuildOptions(source: site.root))
        #expect(builder.build().report.succeeded)
        try edit(site, "content/articles/2021/extension.md",
                 article("title: Extended\ndate: 2021-02-03\nsummary: A changed summary.", "Russia and the United States extended New START.\n"))
        try edit(site, "content/articles/c.md", article("title: C\ndate: 2019-01-01\ntreaties: [no-such-treaty]", "Plain text.\n"))
        #expect(!builder.build().report.succeeded)
        try edit(site, "content/articles/c.md", other)
        #expect(builder.build().report.succeeded)
        #expect(builder.files["articles/vienna/index.html"].map { String(decoding: $0, as: UTF8.self) }?.contains("A changed summary.") == true)
        #expect(builder.files == clean(site))
    }

    /// An article whose annotation is reused is not checked again: its
    /// unknown reference is still reported, at its place, while another
    /// article is edited, and goes once the article is fixed.
    @Test func aReferenceErrorStaysUntilItsArticleIsFixed() throws {
        let broken = article("title: C\ndate: 2019-01-01\ntreaties: [new-strat]", "Plain text.\n")
        let site = try SiteFixture(SiteBuildTests.articles.merging(["content/articles/c.md": broken]) { $1 })
        defer { site.remove() }
        let builder = IncrementalBuilder(options: BuildOptions(source: site.root))
        let expected = "content/articles/c.md:4:12: error: unknown treaty 'new-strat'; did you mean 'new-start'?"
        let first = builder.build().report
        #expect(first.printed.contains(expected), "\(first.printed)")
        for summary in ["One.", "Two."] {
            try edit(site, "content/articles/2021/extension.md", article("title: Extended\ndate: 2021-02-03\nsummary: \(summary)", "Text.\n"))
            let again = builder.build().report
            #expect(again.annotatedArticles == 1)
            #expect(!again.succeeded)
            #expect(again.diagnostics.errors.map(\.description) == first.diagnostics.errors.map(\.description), "\(again.printed)")
        }
        try edit(site, "content/articles/c.md", article("title: C\ndate: 2019-01-01\ntreaties: [new-start]", "Plain text.\n"))
        let fixed = builder.build().report
        #expect(fixed.succeeded, "\(fixed.printed)")
        #expect(builder.files == clean(site))
    }

    /// The preview server names the files its watcher saw change; the
    /// builder's loader looks at those and takes the others as they were.
    @Test func aBuildToldWhatChangedLooksOnlyAtThat() throws {
        let site = try SiteFixture(SiteBuildTests.articles)
        defer { site.remove() }
        let builder = IncrementalBuilder(options: BuildOptions(source: site.root))
        Thread.sleep(forTimeInterval: 0.15)  // older than a clock tick: not read again unasked
        #expect(builder.build().report.succeeded)
        let path = "content/articles/2021/extension.md"
        try edit(site, path, article("title: Extended\ndate: 2021-02-03\nsummary: A new summary.", "Text.\n"))
        let summary = { builder.files["index.html"].map { String(decoding: $0, as: UTF8.self).contains("A new summary.") } }
        #expect(builder.build(changed: ["content/articles/2020/vienna.md"]).report.succeeded)
        #expect(summary() == false)
        #expect(builder.build(changed: [path]).report.succeeded)
        #expect(summary() == true)
        #expect(builder.files == clean(site))
    }
}

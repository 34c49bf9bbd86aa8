import Foundation
import Testing
@testable import Gloss

/// Ways the persistent cache and its text pack could vouch for something
/// that is no longer so (found by an independent review): each build must
/// still equal a clean one, or start from nothing.
@Suite struct CacheEdgeCaseTests {
    let builds = PersistentBuildTests()

    /// An empty export list has no item whose key covers the settings.
    @Test func anEmptyExportFollowsTheSiteSettings() throws {
        let site = try SiteFixture(["content/articles/a.md": article("title: A\ndate: 2020-01-01", "Text.\n")])
        defer { site.remove() }
        #expect(builds.build(site).succeeded)
        try builds.edit(site, "site.yml", "title: Renamed Archive\nbase_url: https://example.org/\nlanguage: en\ndescription: Tests.\n")
        #expect(builds.build(site).succeeded)
        let built = try SiteBuildTests().snapshot(site.output), clean = try builds.clean(site)
        #expect(built == clean, "\(Set(built.keys).union(clean.keys).filter { built[$0] != clean[$0] }.sorted())")
    }

    /// A static file that stood where an export or a search shard is made,
    /// once removed, gives way to the generated file again.
    @Test func aRemovedStaticFileGivesWayToTheGeneratedOne() throws {
        let feed = "static/people/marshall-billingslea/feed.xml"
        let site = try SiteFixture(SiteBuildTests.articles.merging(["static/entities.json": "{\"mine\":1}", feed: "<mine/>"]) { $1 })
        defer { site.remove() }
        #expect(builds.build(site).succeeded)
        try builds.edit(site, "static/entities.json", nil)
        try builds.edit(site, feed, nil)
        #expect(builds.build(site).succeeded)
        #expect(try SiteBuildTests().snapshot(site.output) == builds.clean(site))

        var files = PersistentSearchTests.archive()
        files["static/search/docs/2.json"] = "[]"
        let archive = try SiteFixture(files, withEntities: false)
        defer { archive.remove() }
        #expect(builds.build(archive).succeeded)
        try builds.edit(archive, "static/search/docs/2.json", nil)
        try builds.edit(archive, "content/articles/a5.md", article("title: Article 5\ndate: 2020-01-15", "Common text again.\n"))
        #expect(builds.build(archive).succeeded)
        #expect(try SiteBuildTests().snapshot(archive.output) == builds.clean(archive))
    }

    /// A feed whose articles did not change is kept as published, not read
    /// back from the cache: a mark put in it by hand survives an edit to
    /// another article. The feeds that list the edited article are made again.
    @Test func aFeedWhoseArticlesDidNotChangeIsKeptAsPublished() throws {
        let site = try SiteFixture(SiteBuildTests.articles)
        defer { site.remove() }
        #expect(builds.build(site).succeeded)
        let untouched = site.output.appendingPathComponent("people/marshall-billingslea/feed.xml")
        let marked = try String(contentsOf: untouched, encoding: .utf8) + " "
        try marked.write(to: untouched, atomically: false, encoding: .utf8)
        for path in ["feed.xml", "treaties/new-start/feed.xml"] {
            try (site.read(path)! + " ").write(to: site.output.appendingPathComponent(path), atomically: false, encoding: .utf8)
        }
        try builds.edit(site, "content/articles/2021/extension.md",
                        article("title: Extended\ndate: 2021-02-03\nsummary: New START extended to 2026.",
                                "Russia and the United States extended New START by five years.\n"))
        #expect(builds.build(site).annotatedArticles == 1)
        #expect(try String(contentsOf: untouched, encoding: .utf8) == marked, "kept as published")
        let clean = try builds.clean(site)
        // Equal to a clean build's, so no longer marked.
        for path in ["feed.xml", "treaties/new-start/feed.xml"] {
            #expect(site.read(path).map { Data($0.utf8) } == clean["/" + path], "\(path) made again")
        }
        #expect(site.read("feed.xml")?.contains("by five years") == true)
    }

    /// The sitemap is kept as published while its entries are the same (an
    /// edit to an article's text), and made again when one changes (a date).
    @Test func theSitemapIsKeptWhileItsEntriesAreTheSame() throws {
        let site = try SiteFixture(SiteBuildTests.articles)
        defer { site.remove() }
        #expect(builds.build(site).succeeded)
        let sitemap = site.output.appendingPathComponent("sitemap.xml")
        let marked = try String(contentsOf: sitemap, encoding: .utf8) + " "
        try marked.write(to: sitemap, atomically: false, encoding: .utf8)
        func edit(date: String) throws {
            try builds.edit(site, "content/articles/2021/extension.md",
                            article("title: Extended\ndate: \(date)", "Russia and the United States extended New START again.\n"))
            #expect(builds.build(site).annotatedArticles == 1)
        }
        try edit(date: "2021-02-03")
        #expect(try String(contentsOf: sitemap, encoding: .utf8) == marked, "kept as published")
        try edit(date: "2021-02-04")
        #expect(site.read("sitemap.xml")?.contains("<lastmod>2021-02-04</lastmod>") == true)
        #expect(try SiteBuildTests().snapshot(site.output) == builds.clean(site))
    }

    /// A cache file another gloss could not read is removed when its pack is
    /// emptied: put back later, it must not name the texts written since.
    @Test func aCacheFromBeforeCannotNameNewTexts() throws {
        let site = try SiteFixture(SiteBuildTests.articles)
        defer { site.remove() }
        #expect(builds.build(site).succeeded)
        let file = PersistentCache.location(for: site.output), saved = try Data(contentsOf: file)
        try Data("not a cache".utf8).write(to: file)  // as another build of gloss would see it
        for i in 0..<60 {
            let body = String(repeating: "Some words here. ", count: 40)
            try site.write("content/articles/more\(i).md", Data(article("title: M\(i)\ndate: 2021-01-01", body).utf8))
        }
        try builds.edit(site, "content/articles/broken.md", article("title: X\ndate: 2021-01-01\nauthor: nobody-at-all", "y\n"))
        #expect(!builds.build(site).succeeded)  // fails after filling the pack again
        try builds.edit(site, "content/articles/broken.md", nil)
        for i in 0..<60 { try builds.edit(site, "content/articles/more\(i).md", nil) }
        try saved.write(to: file)  // the first gloss again
        let report = builds.build(site)
        #expect(report.succeeded, "\(report.printed)")
        #expect(report.annotatedArticles == report.articles, "started from nothing")
        #expect(try SiteBuildTests().snapshot(site.output) == builds.clean(site))
    }

    /// `--no-cache` removes the pack only once no build holds it, and a build
    /// never holds a lock on a pack that has been removed or replaced.
    @Test func onlyOneBuildHoldsThePack() throws {
        let site = try SiteFixture(SiteBuildTests.articles)
        defer { site.remove() }
        #expect(builds.build(site).succeeded)
        do {
            let first = PersistentCache.load(for: site.output).pack
            #expect(first != nil)
            #expect(PersistentCache.load(for: site.output).pack == nil, "held by the first")
            withExtendedLifetime(first) {}
        }
        #expect(SiteBuilder(options: BuildOptions(source: site.root, useCache: false)).build().succeeded)
        let packFile = PersistentCache.packLocation(for: site.output).path
        #expect(!FileManager.default.fileExists(atPath: packFile))
        let second = PersistentCache.load(for: site.output).pack
        #expect(second != nil)
        #expect(PersistentCache.load(for: site.output).pack == nil, "two builds hold the pack at once")
        withExtendedLifetime(second) {}
    }

    /// The spill file goes beside the output, so its parent must exist before
    /// any article is annotated: a --no-cache build into a new path made it
    /// only when publishing, and held every article's HTML in memory instead.
    @Test func aBuildIntoANewPathMakesItsParentFirst() throws {
        let site = try SiteFixture(SiteBuildTests.articles)
        defer { site.remove() }
        let output = site.root.appendingPathComponent("out/deeper/public")
        #expect(TextSpill(beside: output) == nil, "no folder to put it in")
        let builder = SiteBuilder(options: BuildOptions(source: site.root, output: output, useCache: false))
        #expect(builder.textSpill() != nil)
        #expect(builder.build().succeeded)
        #expect(try FileManager.default.contentsOfDirectory(atPath: output.deletingLastPathComponent().path) == ["public"])
    }

    /// A pack changed on disk fails its checksums when read: the build then
    /// starts over without the cache, and says so.
    @Test func aDamagedPackCostsTimeNotTheBuild() throws {
        let site = try SiteFixture(SiteBuildTests.articles)
        defer { site.remove() }
        #expect(builds.build(site).succeeded)
        let packFile = PersistentCache.packLocation(for: site.output)
        let bytes = try Data(contentsOf: packFile)
        // Past the generation, every "e" becomes an "x".
        try Data(bytes.prefix(8) + bytes.dropFirst(8).map { $0 == UInt8(ascii: "e") ? UInt8(ascii: "x") : $0 }).write(to: packFile)
        try builds.edit(site, "content/articles/2021/extension.md", article("title: Extended again\ndate: 2021-02-04", "Vienna and Russia.\n"))
        let report = builds.build(site)
        #expect(report.succeeded, "\(report.printed)")
        #expect(report.diagnostics.all.contains { $0.message.hasPrefix("cannot read back the build cache's texts (a text is not what was written)") })
        #expect(report.annotatedArticles == report.articles, "started over")
        #expect(try SiteBuildTests().snapshot(site.output) == builds.clean(site))
        let next = builds.build(site)
        #expect(next.succeeded && next.annotatedArticles == 0 && next.diagnostics.all.isEmpty, "\(next.printed)")
    }

    /// The feeds, export items and search index are decoded while the build
    /// goes on; a damaged record among them makes them count as empty (the
    /// other sections are still used), and the build equals a clean one.
    @Test func aDamagedLateSectionCostsOnlyItsOwnWork() throws {
        let site = try SiteFixture(SiteBuildTests.articles)
        defer { site.remove() }
        #expect(builds.build(site).succeeded)
        let file = PersistentCache.location(for: site.output)
        /// Loaded, and let go (with its pack) before the next build.
        func feedRecord() throws -> LoadedRecords.Span {
            let (loaded, pack) = PersistentCache.load(for: site.output)
            #expect(pack != nil && !loaded.feeds.isEmpty && !loaded.search.keys.isEmpty)
            return try #require(loaded.loaded?.contents.feeds.records.first?.span)
        }
        let span = try feedRecord()
        var bytes = [UInt8](try Data(contentsOf: file))
        bytes[span.range.lowerBound] ^= 0xFF
        try Data(bytes).write(to: file)
        do {
            let (damaged, pack) = PersistentCache.load(for: site.output)
            #expect(pack != nil && damaged.feeds.isEmpty && damaged.data.isEmpty && damaged.search.keys.isEmpty)
            #expect(!damaged.annotations.isEmpty, "the sections read before are used")
        }

        try builds.edit(site, "content/articles/2021/extension.md", article("title: Extended again\ndate: 2021-02-04", "Vienna and Russia.\n"))
        let report = builds.build(site)
        #expect(report.succeeded && report.annotatedArticles == 1, "\(report.printed)")
        #expect(try SiteBuildTests().snapshot(site.output) == builds.clean(site))
        let next = builds.build(site)
        #expect(next.succeeded && next.annotatedArticles == 0 && next.diagnostics.all.isEmpty, "\(next.printed)")
    }

    /// A build that changes nothing leaves the cache file as it was: its
    /// bytes are the same (nothing in it is in a set's random order).
    @Test func anUnchangedBuildLeavesTheCacheFile() throws {
        let site = try SiteFixture(SiteBuildTests.articles)
        defer { site.remove() }
        // Past the window in which a file just written is read again (its stamp "racy").
        Thread.sleep(forTimeInterval: 0.2)
        #expect(builds.build(site).succeeded)
        #expect(builds.build(site).succeeded)  // the first update in place
        let file = PersistentCache.location(for: site.output).path
        func inode() throws -> Int { try #require(FileManager.default.attributesOfItem(atPath: file)[.systemFileNumber] as? Int) }
        let before = try inode(), bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        for _ in 0..<3 { #expect(builds.build(site).succeeded) }
        let after = try Data(contentsOf: URL(fileURLWithPath: file))
        #expect(try inode() == before && after == bytes)
    }

    /// An output folder whose parent does not exist yet gets its cache too.
    @Test func anOutputInANewFolderKeepsItsCache() throws {
        let site = try SiteFixture(SiteBuildTests.articles)
        defer { site.remove() }
        let output = site.root.appendingPathComponent("new/folder/watch")
        let options = BuildOptions(source: site.root, output: output)
        let first = SiteBuilder(options: options).build()
        #expect(first.succeeded && first.diagnostics.all.isEmpty, "\(first.printed)")
        let second = SiteBuilder(options: options).build()
        #expect(second.succeeded && second.annotatedArticles == 0 && second.diagnostics.all.isEmpty, "\(second.printed)")
    }
}

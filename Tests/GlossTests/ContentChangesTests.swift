import Foundation
import Testing
@testable import Gloss

/// A reload told which files changed (`ContentLoader.load(reusing:changed:)`)
/// must read the site exactly as a walk of its folders does.
@Suite struct ContentChangesTests {
    /// What a load read, in a form two loads can be compared by.
    func summary(_ loaded: (SiteSources?, Diagnostics, SourceCache)) -> [String] {
        guard let sources = loaded.0 else { return ["no site"] + loaded.1.sorted.map(\.description) }
        return sources.articles.map { "article \($0.path) \($0.title) draft=\($0.draft)" }
            + sources.entities.map { "entity \($0.path) \($0.id) \($0.name)" }
            + sources.stamps.keys.sorted().map { "stamp \($0)" }
            + loaded.2.entries.keys.sorted().map { "entry \($0)" }
            + loaded.1.sorted.map(\.description)
    }

    /// A whole load, once the fixture's files are older than a clock tick
    /// (a file read sooner is looked at again, told or not).
    func settled(_ site: SiteFixture, _ loader: ContentLoader) -> SourceCache {
        Thread.sleep(forTimeInterval: 0.15)
        return loader.load(reusing: SourceCache()).2
    }

    func edit(_ site: SiteFixture, _ path: String, _ text: String?) throws {
        Thread.sleep(forTimeInterval: 0.01)
        let url = site.root.appendingPathComponent(path)
        if let text { try site.write(path, Data(text.utf8)) } else { try FileManager.default.removeItem(at: url) }
    }

    /// A load keeps the last load's table of entries and changes only what
    /// changed: a file it still finds but can no longer stat (a link whose
    /// target went away) leaves the table, as do files gone, whether or not
    /// the load is told what changed.
    @Test func entriesOfFilesThatCannotBeReadAnyMoreAreDropped() throws {
        let site = try SiteFixture(SiteBuildTests.articles)
        defer { site.remove() }
        let loader = ContentLoader(root: site.root)
        let target = site.root.appendingPathComponent("outside.md")
        try site.write("outside.md", Data(article("title: Linked\ndate: 2020-02-02", "Text.\n").utf8))
        let link = "content/articles/linked.md"
        try FileManager.default.createSymbolicLink(at: site.root.appendingPathComponent(link), withDestinationURL: target)
        let cache = settled(site, loader)
        #expect(cache.entries[link] != nil)
        try FileManager.default.removeItem(at: target)
        try edit(site, "content/articles/2020/vienna.md", nil)
        let fresh = loader.load(reusing: SourceCache())
        for (label, reloaded) in [("walked", loader.load(reusing: cache)),
                                  ("told", loader.load(reusing: cache, changed: ["content/articles/2020/vienna.md"]))] {
            #expect(reloaded.2.entries[link] == nil, "\(label)")
            #expect(summary(reloaded) == summary(fresh), "\(label)")
        }
    }

    @Test func aLoadToldWhatChangedReadsWhatAWalkReads() throws {
        let site = try SiteFixture(SiteBuildTests.articles)
        defer { site.remove() }
        let loader = ContentLoader(root: site.root)
        var cache = settled(site, loader)
        #expect(cache.listing != nil && cache.entries.values.allSatisfy { !$0.racy })
        let steps: [(String, String?)] = [
            ("content/articles/2020/vienna.md", article("title: Vienna again\ndate: 2020-06-22", "Text.\n")),
            ("content/articles/2024/05/new.md", article("title: New\ndate: 2024-05-01", "Text.\n")),
            ("content/articles/draft.md", article("title: Draft\ndate: 2021-03-01", "Not a draft any more.\n")),
            ("content/articles/broken.md", "---\ntitle: [unclosed\n---\n"),
            ("content/people/new-person.md", "---\nname: New Person\n---\n"),
            ("content/people/Bad Name.md", "---\nname: Bad\n---\n"),
            // Not content: hidden, in a hidden folder, not Markdown, too deep for an entity.
            ("content/articles/.swap.md", article("title: Hidden\ndate: 2020-01-01", "x\n")),
            ("content/articles/.git/x.md", article("title: Hidden\ndate: 2020-01-01", "x\n")),
            ("content/articles/notes.txt", "notes"),
            ("content/people/more/deep.md", "---\nname: Deep\n---\n"),
            ("content/articles/2024/05/new.md", nil),
            ("content/people/new-person.md", nil),
            ("content/articles/broken.md", article("title: Fixed\ndate: 2022-01-01", "Text.\n")),
        ]
        for (path, text) in steps {
            try edit(site, path, text)
            let told = loader.load(reusing: cache, changed: [path])
            #expect(summary(told) == summary(loader.load(reusing: SourceCache())), "after changing \(path)")
            cache = told.2
        }
    }

    /// The point of being told: a file not named is taken from the cache,
    /// not looked at again.
    @Test func aFileNotNamedIsNotLookedAt() throws {
        let site = try SiteFixture(SiteBuildTests.articles)
        defer { site.remove() }
        let loader = ContentLoader(root: site.root)
        let cache = settled(site, loader)
        try edit(site, "content/articles/2020/vienna.md", article("title: Edited\ndate: 2020-06-22", "Text.\n"))
        let title = { (loaded: (SiteSources?, Diagnostics, SourceCache)) in
            loaded.0?.articles.first { $0.path == "content/articles/2020/vienna.md" }?.title
        }
        #expect(title(loader.load(reusing: cache, changed: ["content/articles/2021/extension.md"])) == "Talks in Vienna")
        #expect(title(loader.load(reusing: cache, changed: ["content/articles/2020/vienna.md"])) == "Edited")
        // A cache not made by a whole walk is no listing: the folders are walked.
        var partial = cache
        partial.listing = nil
        #expect(title(loader.load(reusing: partial, changed: [])) == "Edited")
    }

    /// A file that became a folder: its files are found by a walk.
    @Test func aFileThatBecameAFolderIsWalked() throws {
        let site = try SiteFixture(SiteBuildTests.articles)
        defer { site.remove() }
        let loader = ContentLoader(root: site.root)
        let cache = settled(site, loader)
        try edit(site, "content/articles/2021/extension.md", nil)
        try edit(site, "content/articles/2021/extension.md/inner.md", article("title: Inner\ndate: 2021-01-01", "x\n"))
        let told = loader.load(reusing: cache, changed: ["content/articles/2021/extension.md",
                                                         "content/articles/2021/extension.md/inner.md"])
        #expect(summary(told) == summary(loader.load(reusing: SourceCache())))
        #expect(told.0?.articles.contains { $0.title == "Inner" } == true)
    }

    /// A symbolic link's target changes where no watcher of the site sees
    /// it: linked files are looked at on every load.
    @Test func aLinkedFileIsAlwaysLookedAt() throws {
        let site = try SiteFixture(SiteBuildTests.articles)
        defer { site.remove() }
        let elsewhere = site.root.appendingPathComponent("elsewhere.md")
        try Data(article("title: Linked\ndate: 2020-02-02", "x\n").utf8).write(to: elsewhere)
        try FileManager.default.createSymbolicLink(atPath: site.root.appendingPathComponent("content/articles/linked.md").path,
                                                   withDestinationPath: elsewhere.path)
        let loader = ContentLoader(root: site.root)
        let cache = settled(site, loader)
        #expect(cache.listing?.links == ["content/articles/linked.md"])
        Thread.sleep(forTimeInterval: 0.01)
        try Data(article("title: Linked and edited\ndate: 2020-02-02", "x\n").utf8).write(to: elsewhere)
        let told = loader.load(reusing: cache, changed: [])
        #expect(told.0?.articles.contains { $0.title == "Linked and edited" } == true)
    }

    /// A file with two names changes under both, and a watcher names only
    /// the one it was written through.
    @Test func aFileWithTwoNamesIsAlwaysLookedAt() throws {
        let site = try SiteFixture(SiteBuildTests.articles)
        defer { site.remove() }
        let first = site.root.appendingPathComponent("content/articles/2020/vienna.md")
        try FileManager.default.linkItem(at: first, to: site.root.appendingPathComponent("content/articles/second.md"))
        let loader = ContentLoader(root: site.root)
        let cache = settled(site, loader)
        Thread.sleep(forTimeInterval: 0.01)
        let handle = try FileHandle(forWritingTo: first)
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: Data(article("title: Both\ndate: 2020-06-22", "Text.\n").utf8))
        try handle.close()
        let told = loader.load(reusing: cache, changed: ["content/articles/2020/vienna.md"])
        #expect(told.0?.articles.first { $0.path == "content/articles/second.md" }?.title == "Both")
    }

    /// A file named as changed is read even if its stamp is as before (an
    /// edit that kept its size and time, or a clock too coarse to see it).
    @Test func aFileNamedIsReadWhateverItsStamp() throws {
        let site = try SiteFixture(SiteBuildTests.articles)
        defer { site.remove() }
        let path = "content/articles/2020/vienna.md", full = site.root.appendingPathComponent(path).path
        let loader = ContentLoader(root: site.root)
        let cache = settled(site, loader)
        var before = stat()
        #expect(stat(full, &before) == 0)
        let text = try String(contentsOfFile: full, encoding: .utf8)
        let handle = try #require(FileHandle(forWritingAtPath: full))
        try handle.write(contentsOf: Data(text.replacingOccurrences(of: "Talks in Vienna", with: "Talks in Genoa!").utf8))
        try handle.close()
        var times = [before.st_atim, before.st_mtim]
        #expect(utimensat(AT_FDCWD, full, &times, 0) == 0)
        let title = { (loaded: (SiteSources?, Diagnostics, SourceCache)) in loaded.0?.articles.first { $0.path == path }?.title }
        #expect(title(loader.load(reusing: cache, changed: [])) == "Talks in Vienna")
        #expect(title(loader.load(reusing: cache, changed: [path])) == "Talks in Genoa!")
    }

    @Test func placesAreWhereAWalkFindsFiles() {
        #expect(ContentLoader.place(of: "content/articles/a.md") == .article)
        #expect(ContentLoader.place(of: "content/articles/2020/05/a.md") == .article)
        #expect(ContentLoader.place(of: "content/people/a.md") == .entity(.person))
        #expect(ContentLoader.place(of: "content/treaties/a.md") == .entity(.treaty))
        for outside in ["content/people/x/a.md", "content/articles/.a.md", "content/articles/.x/a.md", "content/articles/a.txt",
                        "content/a.md", "site.yml", "templates/article.mustache", "content/unknown/a.md", "content//articles/a.md"] {
            #expect(ContentLoader.place(of: outside) == nil, "\(outside)")
        }
    }
}

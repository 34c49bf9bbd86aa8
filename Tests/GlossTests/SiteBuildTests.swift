import Foundation
import Testing
@testable import Gloss

/// Whole builds of small fixture sites, written to disk.
@Suite struct SiteBuildTests {
    static let articles: [String: String] = [
        "content/articles/2020/vienna.md": article("""
            title: Talks in Vienna
            date: 2020-06-22
            author: marshall-billingslea
            treaties: [new-start]
            claims:
              - id: no-show
                quote: China is a no-show
                by: marshall-billingslea
                about: [new-start]
                review: {rating: Misleading, by: sergei-ryabkov, note: "China never agreed to come."}
            """, "Billingslea met Ryabkov in Vienna about New START. He said China is a no-show.\n\nSee [about](/about/).\n"),
        "content/articles/2021/extension.md": article("""
            title: Extended
            date: 2021-02-03
            summary: New START extended to 2026.
            """, "Russia and the United States extended New START.\n"),
        "content/articles/draft.md": article("title: Draft\ndate: 2021-03-01\ndraft: true", "Draft text.\n"),
    ]

    @Test func buildsEveryPage() throws {
        let site = try SiteFixture(Self.articles)
        defer { site.remove() }
        let report = site.build()
        #expect(report.succeeded, "\(report.printed)")
        #expect(report.summary.hasPrefix("built 23 pages: 2 articles, 6 entities, 1 claim, 0 warnings in "))
        for path in ["index.html", "404.html", "claims/index.html", "articles/vienna/index.html", "articles/extension/index.html",
                     "people/index.html", "people/marshall-billingslea/index.html", "treaties/new-start/index.html",
                     "places/index.html", "organizations/index.html"] {
            #expect(site.read(path) != nil, "missing \(path)")
        }
        #expect(site.read("articles/draft/index.html") == nil)
        let home = site.read("index.html") ?? ""
        // Newest first.
        #expect(home.range(of: "Extended")!.lowerBound < home.range(of: "Talks in Vienna")!.lowerBound)
    }

    /// `gloss build` streams pages to disk as they are rendered; what lands
    /// there must be exactly the site generated in memory, no file missing.
    @Test func theBuiltFolderIsTheGeneratedSite() throws {
        let site = try SiteFixture(BrowsingTests.articles(30).merging(["static/notes.txt": "Notes.\n"]) { $1 })
        defer { site.remove() }
        #expect(site.build().succeeded)
        let generated = site.generate().files
        var onDisk: [String: String] = [:]
        let root = site.output.path
        for path in FileManager.default.subpaths(atPath: root) ?? [] {
            var folder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &folder), !folder.boolValue else { continue }
            onDisk[path] = site.read(path)
        }
        #expect(onDisk["notes.txt"] == "Notes.\n")
        onDisk["notes.txt"] = nil
        #expect(Set(onDisk.keys) == Set(generated.keys))
        #expect(onDisk.keys.filter { onDisk[$0] != generated[$0] }.sorted() == [])
    }

    @Test func entityPageShowsBacklinksClaimsAndFacts() throws {
        let site = try SiteFixture(Self.articles)
        defer { site.remove() }
        let files = site.generate().files
        let treaty = try #require(files["treaties/new-start/index.html"])
        #expect(treaty.contains("<dt>Signed</dt><dd>8 April 2010</dd>"))
        #expect(treaty.contains("<dt>Parties</dt><dd><a href=\"/places/united-states/\">United States</a>, <a href=\"/places/russia/\">Russia</a></dd>"))
        #expect(treaty.contains("Articles that mention New START (2)"))
        #expect(treaty.contains("<p>Billingslea met Ryabkov in Vienna about New START.</p>"))
        #expect(treaty.contains("Claims about New START"))
        let person = try #require(files["people/marshall-billingslea/index.html"])
        #expect(person.contains("Claims by Marshall Billingslea"))
        #expect(person.contains("<dt>Role</dt><dd>Envoy</dd>"))
        #expect(person.contains("Often mentioned with Marshall Billingslea"))
        let claims = try #require(files["claims/index.html"])
        #expect(claims.contains("href=\"/articles/vienna/#claim-no-show\""))
        #expect(claims.contains("<strong class=\"verdict verdict-misleading\">Misleading</strong>"))
        #expect(claims.contains("<li class=\"claim-card\" id=\"c-vienna/no-show\">"))
        #expect(claims.contains("<li id=\"speaker-marshall-billingslea\"><a href=\"/people/marshall-billingslea/#by-heading\">"))
        #expect(claims.contains("<li id=\"subject-new-start\"><a href=\"/treaties/new-start/#about-heading\">"))
        #expect(claims.components(separatedBy: "class=\"claim-card\"").count == 2, "each claim is listed once")
        #expect(person.contains("Articles by Marshall Billingslea"))
    }

    @Test func draftsOnlyWhenAsked() throws {
        let site = try SiteFixture(Self.articles)
        defer { site.remove() }
        #expect(site.generate(drafts: true).files["articles/draft/index.html"] != nil)
    }

    @Test func everyLinkHonoursASubPathBaseURL() throws {
        let site = try SiteFixture(Self.articles)
        defer { site.remove() }
        let (files, report) = site.generate(baseURL: "https://example.org/watch/")
        #expect(report.succeeded)
        for (path, html) in files where path.hasSuffix(".html") {
            for match in html.matches(of: /(?:href|src)="([^"]*)"/) {
                let url = String(match.1)
                if url.hasPrefix("http") || url.hasPrefix("#") { continue }
                #expect(url.hasPrefix("/watch/"), "\(path): \(url)")
            }
        }
        #expect(files["articles/vienna/index.html"]?.contains("href=\"/watch/about/\"") == true)
    }

    @Test func failedBuildLeavesThePreviousSiteUntouched() throws {
        let site = try SiteFixture(Self.articles)
        defer { site.remove() }
        #expect(site.build().succeeded)
        let before = try snapshot(site.output)
        try site.write("content/articles/broken.md", Data(article("title: x", "y\n").utf8))
        let report = site.build()
        #expect(!report.succeeded)
        #expect(report.summary.hasPrefix("build failed: 1 error, 0 warnings; output left unchanged"))
        #expect(try snapshot(site.output) == before)
        // No staging folder is left; the build cache of the good build stays.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: site.root.path).filter { $0.hasPrefix(".public") }
        #expect(leftovers.sorted() == [".public.gloss-cache", ".public.gloss-texts"])
    }

    @Test func buildsAreDeterministicAndNeverTouchContent() throws {
        let site = try SiteFixture(Self.articles)
        defer { site.remove() }
        let content = try snapshot(site.root.appendingPathComponent("content"))
        #expect(site.build().succeeded)
        let first = try snapshot(site.output)
        #expect(site.build().succeeded)
        #expect(try snapshot(site.output) == first)
        #expect(try snapshot(site.root.appendingPathComponent("content")) == content)
    }

    @Test func aRebuildRewritesOnlyFilesThatChanged() throws {
        let site = try SiteFixture(Self.articles)
        defer { site.remove() }
        #expect(site.build().succeeded)
        func inode(_ path: String) throws -> UInt64 {
            let attributes = try FileManager.default.attributesOfItem(atPath: site.output.appendingPathComponent(path).path)
            return (attributes[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0
        }
        let unchanged = try inode("404.html"), changed = try inode("articles/extension/index.html")
        Thread.sleep(forTimeInterval: 0.01)
        try site.write("content/articles/2021/extension.md", Data(article("title: Extended\ndate: 2021-02-03", "Now different.\n").utf8))
        #expect(site.build().succeeded)
        #expect(try inode("404.html") == unchanged, "identical file is linked, not rewritten")
        #expect(try inode("articles/extension/index.html") != changed)
        #expect(site.read("articles/extension/index.html")?.contains("Now different.") == true)
    }

    @Test func refusesAnOutputFolderThatHoldsTheSources() throws {
        let site = try SiteFixture(Self.articles)
        defer { site.remove() }
        for output in [site.root, site.root.appendingPathComponent("content"), site.root.deletingLastPathComponent()] {
            let report = SiteBuilder(options: BuildOptions(source: site.root, output: output)).build()
            #expect(!report.succeeded)
            #expect(report.errorLines.first?.contains("choose another --output") == true)
        }
        #expect(FileManager.default.fileExists(atPath: site.root.appendingPathComponent("content/articles/2020/vienna.md").path))
    }

    @Test func siteTemplatesOverrideTheDefaultTheme() throws {
        let site = try SiteFixture(Self.articles.merging([
            "templates/hooks/mention.mustache": "<span class=\"who\" data-id=\"{{id}}\">{{{text}}}</span>",
            "templates/partials/footer.mustache": "<footer>Our own footer</footer>",
        ]) { $1 })
        defer { site.remove() }
        let page = site.generate().files["articles/vienna/index.html"] ?? ""
        #expect(page.contains("<span class=\"who\" data-id=\"marshall-billingslea\">Billingslea</span>"))
        #expect(page.contains("<footer>Our own footer</footer>"))
    }

    @Test func staticFilesWinOverGeneratedOnes() throws {
        let site = try SiteFixture(Self.articles.merging(["static/robots.txt": "User-agent: *\nDisallow: /drafts/\n"]) { $1 })
        defer { site.remove() }
        #expect(site.build().succeeded)
        #expect(site.read("robots.txt") == "User-agent: *\nDisallow: /drafts/\n")
        let served = IncrementalBuilder(options: BuildOptions(source: site.root))
        _ = served.build()
        #expect(served.files["robots.txt"] == Data("User-agent: *\nDisallow: /drafts/\n".utf8))
    }

    @Test func staticFilesAreCopiedButSymlinksAreNot() throws {
        let site = try SiteFixture(Self.articles.merging(["static/files/note.txt": "hello"]) { $1 })
        defer { site.remove() }
        try FileManager.default.createSymbolicLink(atPath: site.root.appendingPathComponent("static/passwd").path,
                                                   withDestinationPath: "/etc/passwd")
        #expect(site.build().succeeded)
        #expect(site.read("files/note.txt") == "hello")
        #expect(site.read("passwd") == nil)
    }

    func snapshot(_ folder: URL) throws -> [String: Data] {
        var result: [String: Data] = [:]
        let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
        while let url = walker?.nextObject() as? URL {
            if let data = FileManager.default.contents(atPath: url.path), !url.hasDirectoryPath {
                result[url.path.replacingOccurrences(of: folder.path, with: "")] = data
            }
        }
        return result
    }
}

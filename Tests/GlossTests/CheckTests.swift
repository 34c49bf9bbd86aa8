import Foundation
import Testing
@testable import Gloss

/// `gloss check`: links, fragments, claim anchors, entity pages and orphans
/// in the built output, each reported with its page and source file.
@Suite struct CheckTests {
    static let clean: [String: String] = [
        "content/articles/a.md": article("""
            title: Talks in Vienna
            date: 2020-06-22
            people: [marshall-billingslea]
            claims:
              - id: no-show
                quote: China is a no-show
                by: marshall-billingslea
                about: [new-start]
            """, "Billingslea said China is a no-show in Vienna.\n"),
        "content/articles/b.md": article("title: Later\ndate: 2020-07-01",
            "As [reported](/articles/a/#claim-no-show), and [earlier](../a/), New START.\n"),
    ]

    func check(_ files: [String: String], baseURL: String? = nil, config: String = SiteFixture.minimalConfig) throws -> CheckReport {
        let site = try SiteFixture(files, config: config)
        defer { site.remove() }
        return SiteCheck(options: BuildOptions(source: site.root, baseURL: baseURL)).run()
    }

    @Test(arguments: [nil, "https://example.org/watch/"])
    func cleanFixtureHasNoProblems(_ baseURL: String?) throws {
        let report = try check(Self.clean, baseURL: baseURL)
        #expect(report.build.succeeded, "\(report.build.printed)")
        #expect(report.problems.map(\.description) == [])
        #expect(report.succeeded)
        #expect(report.pages >= 10 && report.references > 50)
        #expect(report.summary.hasPrefix("check passed: \(report.pages) pages, "))
    }

    @Test(arguments: [nil, "https://example.org/watch/"])
    func exampleArchiveHasNoProblems(_ baseURL: String?) {
        let report = SiteCheck(options: BuildOptions(source: repositoryRoot, baseURL: baseURL)).run()
        #expect(report.build.printed == [])
        #expect(report.problems.map(\.description) == [])
        #expect(report.pages >= 40)
    }

    /// A broken link and a broken fragment written by an author, found at
    /// once, each with the page, its line, and the line in the source.
    @Test(arguments: [("/", ""), ("/watch/", "https://example.org/watch/")])
    func brokenLinkAndFragmentAreReportedTogether(_ base: String, _ baseURL: String) throws {
        var files = Self.clean
        files["content/articles/c.md"] = article("title: Broken\ndate: 2020-08-01",
            "See [x](/articles/nope/).\n\nAnd [y](/articles/a/#claim-nope).\n")
        let report = try check(files, baseURL: baseURL.isEmpty ? nil : baseURL)
        #expect(report.build.succeeded)
        #expect(!report.succeeded)
        let problems = report.problems.filter { $0.page == "articles/c/index.html" }
        try #require(problems.count == 2, "\(report.problems)")
        #expect(problems.map(\.kind) == [.brokenLink, .brokenFragment])
        #expect(problems.map(\.source) == ["content/articles/c.md:5", "content/articles/c.md:7"])
        #expect(problems[0].message == "\(base)articles/nope/ (no file articles/nope/index.html in the output)")
        #expect(problems[1].message == "\(base)articles/a/#claim-nope (articles/a/index.html has no element with id \"claim-nope\")")
        let line = try #require(problems[0].line)
        #expect(problems[0].description
            == "articles/c/index.html:\(line) (content/articles/c.md:5): broken link: \(base)articles/nope/ (no file articles/nope/index.html in the output)")
        #expect(report.problems.count == 2, "only the author's two mistakes: \(report.problems)")
        #expect(report.summary.hasPrefix("check failed: 2 problems on 1 page (checked "))
    }

    /// A site whose claim hook drops the anchor: the claim is reported at
    /// its id in the front matter, and the links to it as broken fragments.
    @Test func missingClaimAnchorIsReportedAtTheClaim() throws {
        var files = Self.clean
        files["templates/hooks/claim.mustache"] = "<mark class=\"claim\">{{{text}}}</mark>"
        let report = try check(files)
        let anchor = report.problems.filter { $0.kind == .missingClaimAnchor }
        #expect(anchor.map(\.description) == [
            "articles/a/index.html (content/articles/a.md:6:9): missing claim anchor: claim 'no-show' has no element with id \"claim-no-show\" on its article's page",
        ])
        let fragments = report.problems.filter { $0.kind == .brokenFragment }
        #expect(fragments.contains { $0.page == "articles/b/index.html" && $0.source == "content/articles/b.md:5" })
        #expect(fragments.contains { $0.page == "claims/index.html" && $0.source == "default theme claims.mustache" })
        #expect(!report.succeeded)
    }

    @Test func everyProblemIsReportedAtOnce() throws {
        var files = Self.clean
        files["content/articles/c.md"] = article("title: Broken\ndate: 2020-08-01",
            "[1](/nope/) [2](/people/nope/) [3](/articles/b/#x) [4](/style.css) [5](/articles/a/#claim-no-show)\n")
        files["content/articles/d.md"] = article("title: Also\ndate: 2020-08-02", "[6](/tags/nope/)\n")
        let report = try check(files)
        #expect(report.problems.map(\.url) == ["/nope/", "/people/nope/", "/articles/b/#x", "/style.css", "/tags/nope/"])
        #expect(Set(report.problems.map(\.page)) == ["articles/c/index.html", "articles/d/index.html"])
    }

    /// The generator links every page it makes, so orphans are made by hand.
    @Test func orphansAreUnreachablePagesOnly() {
        func page(_ body: String) -> String { "<!doctype html><title>t</title><body>\(body)</body>" }
        let files = [
            OutputFile(path: "index.html", text: page("<a href=\"/a/\">a</a><link rel=alternate href=\"/feed.xml\">")),
            OutputFile(path: "a/index.html", text: page("<a href=\"../\">home</a> <form action=\"/search/\"></form>")),
            OutputFile(path: "search/index.html", text: page("")),
            OutputFile(path: "b/index.html", text: page("<a href=\"/c/\">c</a>")),
            OutputFile(path: "c/index.html", text: page("")),
            OutputFile(path: "d.html", text: page("<a href=\"/e\">")),
            OutputFile(path: "e/index.html", text: page("")),
            OutputFile(path: "404.html", text: page("<a href=\"/b/\">b</a>")),
            OutputFile(path: "feed.xml", text: "<feed><link href=\"https://example.org/d.html\"/></feed>"),
            OutputFile(path: "robots.txt", text: "User-agent: *"),
        ]
        let report = SiteCheck.check(files, otherFiles: ["google123.html"],
                                     address: LinkResolver(basePath: "/", absoluteBase: "https://example.org/"))
        #expect(report.problems.map(\.description) == [
            "b/index.html (generated): orphan: no chain of links from the home page reaches this page; linked only from 404.html",
            "c/index.html (generated): orphan: no chain of links from the home page reaches this page; linked only from b/index.html",
            "d.html (generated): orphan: no chain of links from the home page reaches this page; nothing links to it",
            "e/index.html (generated): orphan: no chain of links from the home page reaches this page; linked only from d.html",
        ])
        #expect(report.pages == 7)
    }

    @Test func feedAndSitemapURLsAreChecked() {
        let files = [
            OutputFile(path: "index.html", text: "<a href=\"/watch/a/\">a</a>"),
            OutputFile(path: "a/index.html", text: "<p id=x>"),
            OutputFile(path: "sitemap.xml", text: "<urlset><url><loc>https://example.org/watch/a/</loc></url>\n"
                + "<url><loc>https://example.org/watch/gone/</loc></url></urlset>"),
            OutputFile(path: "feed.xml", text: "<feed><link href=\"https://example.org/watch/a/#x\"/><link href=\"https://example.org/a/\"/></feed>"),
        ]
        let report = SiteCheck.check(files, address: LinkResolver(basePath: "/watch/", absoluteBase: "https://example.org/watch/"))
        #expect(report.problems.map(\.description) == [
            "feed.xml:1 (generated): outside base path: https://example.org/a/ (/a/ is not under /watch/)",
            "sitemap.xml:2 (generated): broken link: https://example.org/watch/gone/ (no file gone/index.html in the output)",
        ])
    }

    @Test func resolverMapsURLsToOutputFiles() {
        let watch = LinkResolver(basePath: "/watch/", absoluteBase: "https://example.org/watch/")
        let page = "articles/a/index.html"
        #expect(watch.resolve("/watch/articles/b/#claim-x", from: page) == .file("articles/b/index.html", fragment: "claim-x"))
        #expect(watch.resolve("https://example.org/watch/feed.xml", from: page) == .file("feed.xml", fragment: nil))
        #expect(watch.resolve("../../people/x/?q=1#", from: page) == .file("people/x/index.html", fragment: nil))
        #expect(watch.resolve("#caf%C3%A9", from: page) == .file(page, fragment: "café"))
        #expect(watch.resolve("", from: page) == .file(page, fragment: nil))
        #expect(watch.resolve("/watch", from: page) == .file("index.html", fragment: nil))
        #expect(watch.resolve("/articles/b/", from: page) == .outsideBase("/articles/b/"))
        #expect(watch.resolve("../../../../x", from: page) == .outsideBase("/watch/articles/a/../../../../x"))
        #expect(watch.resolve("https://example.org/about/", from: page) == .external)
        #expect(watch.resolve("https://example.org/about/", from: page, sameOrigin: true) == .outsideBase("/about/"))
        for external in ["mailto:a@b.org", "//cdn.example/x.js", "HTTP://other.org/", "data:,x", "tel:+1"] {
            #expect(watch.resolve(external, from: page) == .external, "\(external)")
        }
    }

    @Test func scannerReadsTagsAndAttributesNotText() {
        let html = """
            <!doctype html><!-- <a href="/in-comment/"> --><p id="one" title='<a href="/in-attr/">'>
            <a HREF=/unquoted/?a=1&amp;b=2 name=anchor>x</a><script>let s = '<a href="/in-script/">'</script>
            <style>a::after { content: "<img src=/in-style.png>" }</style><img srcset="/a.png 1x, /b.png 2x" src = "/c.png">
            <p id="one">a &lt;a href="/in-text/"&gt;</p>
            """
        let scan = HTMLScan(html: Array(html.utf8))
        #expect(scan.references.map(\.url) == ["/unquoted/?a=1&b=2", "/a.png", "/b.png", "/c.png"])
        #expect(scan.references.map(\.line) == [2, 3, 3, 3])
        #expect(scan.ids == ["one": 1, "anchor": 2])
        #expect(scan.duplicateIDs.map(\.id) == ["one"])
    }

    @Test func commandPrintsProblemsThenASummaryAndFails() throws {
        var files = Self.clean
        files["content/articles/c.md"] = article("title: Broken\ndate: 2020-08-01", "See [x](/articles/nope/).\n")
        let site = try SiteFixture(files)
        defer { site.remove() }
        let run = try CommandLineTests().gloss(["check", "--source", site.root.path, "--base-url", "https://example.org/watch/"])
        #expect(run.status != 0)
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines.first?.hasPrefix("articles/c/index.html:") == true)
        #expect(lines.first?.hasSuffix(" (content/articles/c.md:5): broken link: /watch/articles/nope/ (no file articles/nope/index.html in the output)") == true)
        #expect(lines.last?.hasPrefix("check failed: 1 problem on 1 page (checked ") == true)
        #expect(!FileManager.default.fileExists(atPath: site.output.path), "check writes nothing")
        let clean = try CommandLineTests().gloss(["check"], in: site.root.deletingLastPathComponent())
        #expect(clean.status != 0, "no site.yml there")
    }
}

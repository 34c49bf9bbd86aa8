import Foundation
import Testing
@testable import Gloss

/// The example archive in content/ builds cleanly, and a page of each kind
/// matches its golden HTML (`GLOSS_UPDATE_GOLDEN=1 swift test` to accept a
/// deliberate change, then review the diff).
@Suite struct ExampleArchiveTests {
    static let build: (files: [String: String], report: BuildReport) = {
        let (files, _, report) = SiteBuilder(options: BuildOptions(source: repositoryRoot)).generate()
        return (Dictionary(uniqueKeysWithValues: files.map { ($0.path, String(decoding: $0.contents, as: UTF8.self)) }), report)
    }()

    @Test func buildsWithoutErrorsOrWarnings() {
        #expect(Self.build.report.printed == [])
        #expect(Self.build.report.articles >= 6)
        #expect(Self.build.report.claims >= 12)
    }

    @Test(arguments: [
        "index.html", "articles/empty-chairs-in-vienna/index.html", "treaties/new-start/index.html",
        "people/marshall-billingslea/index.html", "people/index.html", "claims/index.html",
    ])
    func pageMatchesGolden(_ path: String) throws {
        let html = try #require(Self.build.files[path])
        try assertGolden(html, "golden/example/" + path.replacingOccurrences(of: "/", with: "__"))
    }

    @Test func everyClaimIsAnchoredInItsArticle() {
        for (path, html) in Self.build.files where path.hasPrefix("claims/") {
            for match in html.matches(of: /href="\/articles\/([^\/]+)\/#(claim-[^"]+)"/) {
                let article = Self.build.files["articles/\(match.1)/index.html"] ?? ""
                #expect(article.contains("id=\"\(match.2)\""), "\(match.1)#\(match.2)")
            }
        }
    }

    @Test func everyInternalLinkResolves() {
        for (path, html) in Self.build.files where path.hasSuffix(".html") {
            for match in html.matches(of: /(?:href|src)="(\/[^"#]*)/) {
                var target = String(match.1).dropFirst()
                if target.isEmpty || target.hasSuffix("/") { target += "index.html" }
                #expect(Self.build.files[String(target)] != nil, "\(path) links to missing /\(match.1)")
            }
        }
    }
}

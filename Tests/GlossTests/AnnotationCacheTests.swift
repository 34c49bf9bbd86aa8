import Foundation
import Testing
@testable import Gloss

/// The annotations a build leaves for the next (`BuildCache.annotations`):
/// updated in place after a few edits, they must be what a build from
/// nothing leaves.
@Suite struct AnnotationCacheTests {
    func summary(_ annotations: [String: BuildCache.Annotation]) -> [String] {
        annotations.map { path, entry in
            "\(path) \(entry.stamp.digest) \(entry.result.0.html) \(entry.result.1.map(\.description).joined(separator: " | "))"
        }.sorted()
    }

    @Test func aCacheUpdatedInPlaceHoldsWhatABuildFromNothingHolds() throws {
        var files = SiteBuildTests.articles
        for index in 1...6 { files["content/articles/more/m\(index).md"] = article("title: M\(index)\ndate: 2019-01-0\(index)", "Vienna \(index).\n") }
        files["content/articles/more/m6.md"] = article("title: M6\ndate: 2019-01-06\ntreaties: [new-strat]", "Vienna.\n")
        let site = try SiteFixture(files)
        defer { site.remove() }
        let builder = SiteBuilder(options: BuildOptions(source: site.root))
        var last = builder.generate(reusing: BuildCache()).cache
        let edits: [(String, String?)] = [
            ("content/articles/more/m1.md", article("title: M1\ndate: 2019-01-01", "Edited, in Vienna.\n")),
            ("content/articles/more/m2.md", article("title: M2\ndate: 2019-01-02\ntreaties: [new-strt]", "Vienna.\n")),
            ("content/articles/more/m7.md", article("title: M7\ndate: 2019-01-07", "New.\n")),
            ("content/articles/more/m3.md", nil),
        ]
        for (path, text) in edits {
            Thread.sleep(forTimeInterval: 0.01)
            if let text { try site.write(path, Data(text.utf8)) } else { try FileManager.default.removeItem(at: site.root.appendingPathComponent(path)) }
            let again = builder.generate(reusing: last)
            #expect(again.report.annotatedArticles <= 1)
            let anew = builder.generate(reusing: BuildCache())
            #expect(summary(again.cache.annotations) == summary(anew.cache.annotations), "after \(path)")
            #expect(summary(again.cache.annotations).contains { $0.contains("unknown treaty 'new-strat'") })
            last = again.cache
        }
    }
}

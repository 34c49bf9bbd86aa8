import Foundation
import Testing
@testable import Gloss

/// The search index of a rebuild rewrites only the shards a change touched;
/// on a site large enough for many term and document shards, every edit
/// must still give exactly the files of a clean build.
@Suite struct IncrementalSearchTests {
    /// 160 articles of pseudo-words, seeded: about 9,000 postings, so
    /// several term shards and two document shards of articles.
    static func vocabularySite() -> [String: String] {
        var files: [String: String] = [:]
        for i in 1...160 { files["content/articles/v\(i).md"] = vocabularyArticle(i) }
        return files
    }

    static func vocabularyArticle(_ i: Int, adding extra: String = "") -> String {
        var random = SeededRandom(seed: UInt64(i))
        let syllables = ["ka", "lo", "mi", "ne", "sur", "tav", "pe", "dri", "on", "vel", "zu", "ash"]
        let body = (0..<80).map { _ in (0..<3).map { _ in syllables[random.next(syllables.count)] }.joined() }
        return article("title: Notes \(i)\ndate: 2020-01-\(10 + i % 18)", "Vienna. \(body.joined(separator: " "))\(extra).\n")
    }

    @Test func editsRewriteOnlyTouchedShardsAndEqualACleanBuild() throws {
        let site = try SiteFixture(Self.vocabularySite())
        defer { site.remove() }
        let builder = IncrementalBuilder(options: BuildOptions(source: site.root))
        #expect(builder.build().report.succeeded)
        let meta = try JSONSerialization.jsonObject(with: try #require(builder.files["search/meta.json"])) as? [String: Any]
        #expect((meta?["termShards"] as? Int ?? 0) >= 4, "the site must have several term shards")

        // (path, text, how many term shards may change: nil for any number)
        let edits: [(path: String, text: String, termShards: Int?)] = [
            ("content/articles/v5.md", Self.vocabularyArticle(5, adding: " quuxification"), 1),
            ("content/articles/v77.md", article("title: Edited\ndate: 2020-01-15", "Vienna and nothing else.\n"), nil),
            ("content/articles/v5.md", article("title: Edited too\ndate: 2020-01-15", "Ordinary text with tavpedri.\n"), nil),
            ("content/articles/v5.md", Self.vocabularyArticle(5), nil),
        ]
        for edit in edits {
            Thread.sleep(forTimeInterval: 0.01)
            try site.write(edit.path, Data(edit.text.utf8))
            let result = builder.build()
            #expect(result.report.succeeded)
            let terms = result.changedPaths.filter { $0.hasPrefix("search/terms/") }
            if let expected = edit.termShards { #expect(terms.count == expected, "one new word, one term shard: \(terms.sorted())") }
            let fresh = IncrementalBuilder(options: BuildOptions(source: site.root))
            _ = fresh.build()
            let differing = Set(builder.files.keys).union(fresh.files.keys).filter { builder.files[$0] != fresh.files[$0] }
            #expect(differing.isEmpty, "after editing \(edit.path), unlike a clean build: \(differing.sorted())")
        }
    }
}

import Foundation
import Testing
@testable import Gloss

/// The search index across `gloss build`s: an edit that keeps every
/// document in its place updates the posting lists from the cache, and
/// writes only the shards that hold changed terms or documents.
@Suite struct PersistentSearchTests {
    let builds = PersistentBuildTests()

    /// Enough articles, each with words of its own, for several term shards
    /// (about 1,500 postings each) and document shards (100 documents each).
    static func archive() -> [String: String] {
        var files: [String: String] = [:]
        for i in 0..<240 {
            let words = (0..<12).map { "w\(i)x\($0)" }.joined(separator: " ")
            files["content/articles/a\(i).md"] = article("title: Article \(i)\ndate: 2020-01-\(10 + i % 18)", "Common text, \(words).\n")
        }
        return files
    }

    @Test func aBodyEditUpdatesTheIndexInPlace() throws {
        let site = try SiteFixture(Self.archive(), withEntities: false)
        defer { site.remove() }
        #expect(builds.build(site).succeeded)
        let meta = try #require(site.read("search/meta.json"))
        let shards = try #require(try JSONSerialization.jsonObject(with: Data(meta.utf8)) as? [String: Any])["termShards"] as? Int
        #expect(shards ?? 0 > 1, "the fixture spans several term shards: \(meta)")

        // Same title and date: every document keeps its number.
        let edits = [("Common text, w5x0 and a new word, zanzibar.\n", "zanzibar"),
                     ("Common text, w5x0, w5x1 and w7x3.\n", "w7x3"),
                     ("Common text.\n", nil)]
        for (body, term) in edits {
            try builds.edit(site, "content/articles/a5.md", article("title: Article 5\ndate: 2020-01-15", body))
            let report = builds.build(site)
            #expect(report.succeeded && report.annotatedArticles == 1, "\(report.printed)")
            #expect(try SiteBuildTests().snapshot(site.output) == builds.clean(site), "after \(body)")
            if let term {
                let shard = try #require(site.read("search/terms/\(SearchTokenizer.shard(term, of: shards ?? 1)).json"))
                #expect(shard.contains("\"\(term)\":["))
            }
        }

        // A document shard no edit touches, and the JSON exports when no
        // item changed, are kept as published, not made again: a mark put
        // in each by hand survives the next edit.
        var marked: [URL: String] = [:]
        for path in ["search/docs/2.json", "entities.json", "claims.json"] {
            let untouched = site.output.appendingPathComponent(path)
            marked[untouched] = try String(contentsOf: untouched, encoding: .utf8) + " "
            try marked[untouched]!.write(to: untouched, atomically: false, encoding: .utf8)
        }
        try builds.edit(site, "content/articles/a5.md", article("title: Article 5\ndate: 2020-01-15", "Common text again.\n"))
        #expect(builds.build(site).succeeded)
        for (file, text) in marked { #expect(try String(contentsOf: file, encoding: .utf8) == text, "\(file.lastPathComponent)") }
    }

    /// An edit that adds (then removes) enough terms to change the number of
    /// term shards: the update in place edits the packed posting lists, and
    /// every shard is then made again from them, as a clean build makes it.
    @Test func anEditThatChangesTheShardCountEqualsACleanBuild() throws {
        let site = try SiteFixture(Self.archive(), withEntities: false)
        defer { site.remove() }
        #expect(builds.build(site).succeeded)
        func termShards() throws -> Int {
            let meta = try #require(site.read("search/meta.json"))
            return try #require(try JSONSerialization.jsonObject(with: Data(meta.utf8)) as? [String: Any])["termShards"] as? Int ?? 0
        }
        let before = try termShards()
        let words = (0..<3000).map { "fresh\($0)" }.joined(separator: " ")
        for (body, more) in [("Common text, \(words).\n", true), ("Common text.\n", false)] {
            try builds.edit(site, "content/articles/a5.md", article("title: Article 5\ndate: 2020-01-15", body))
            let report = builds.build(site)
            #expect(report.succeeded && report.annotatedArticles == 1, "\(report.printed)")
            #expect(more ? try termShards() > before : try termShards() == before)
            #expect(try SiteBuildTests().snapshot(site.output) == builds.clean(site), "more terms: \(more)")
        }
    }

    /// An edit that leaves an article's claims as they were changes the keys
    /// of their `claims.json` items, not their text: the file stays as
    /// published. An edit to a claim makes it again.
    @Test func claimsJSONFollowsTheTextOfItsItems() throws {
        func withClaim(_ context: String, _ body: String) -> String {
            article("""
                title: Talks
                date: 2020-02-01
                claims:
                  - id: ready
                    quote: "ready to talk"
                    by: sergei-ryabkov
                    about: [new-start]
                    context: \(context)
                """, "Ryabkov said Moscow was ready to talk. \(body)\n")
        }
        let site = try SiteFixture(["content/articles/talks.md": withClaim("At a briefing.", "First.")])
        defer { site.remove() }
        #expect(builds.build(site).succeeded)
        let claims = site.output.appendingPathComponent("claims.json")
        let marked = try String(contentsOf: claims, encoding: .utf8) + " "
        try marked.write(to: claims, atomically: false, encoding: .utf8)

        try builds.edit(site, "content/articles/talks.md", withClaim("At a briefing.", "Second."))
        #expect(builds.build(site).annotatedArticles == 1)
        #expect(try String(contentsOf: claims, encoding: .utf8) == marked, "kept as published")

        try builds.edit(site, "content/articles/talks.md", withClaim("In an interview.", "Second."))
        #expect(builds.build(site).succeeded)
        let made = try String(contentsOf: claims, encoding: .utf8)
        #expect(made != marked && made.contains("In an interview."))
        #expect(try SiteBuildTests().snapshot(site.output) == builds.clean(site))
    }
}

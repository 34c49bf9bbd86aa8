import Foundation
import Testing
@testable import Gloss

/// A rebuild keeps the entity keys of the last build for the entities no
/// change touched (`CarriedEntityKeys`): every key and backlink structure
/// must be what a clean build makes.
@Suite struct CarriedEntityKeysTests {
    func keys(_ build: SiteBuilder.Generated) -> (keys: [String: Int], structures: [String: Int]) {
        (build.cache.pages.entityKeys, build.cache.pages.structures)
    }

    func carried(_ build: SiteBuilder.Generated) -> Int {
        build.held.compactMap { $0 as? PageInputs }.first?.carriedKeys ?? 0
    }

    @Test func everyEditGivesTheKeysOfACleanBuild() throws {
        let site = try SiteFixture(GraphPatchTests.site)
        defer { site.remove() }
        let builder = SiteBuilder(options: BuildOptions(source: site.root))
        var last = builder.generate(reusing: BuildCache())
        #expect(last.report.succeeded)
        let vienna = "content/articles/2020/vienna.md"
        // With whether some entity is named by neither version, and so keeps its key.
        let steps: [(path: String, text: String?, carries: Bool)] = [
            (vienna, GraphPatchTests.vienna(note: "x", body: "Billingslea met Ryabkov in Vienna today."), true),  // text only
            (vienna, GraphPatchTests.vienna(note: "x", body: "Billingslea met Ryabkov."), true),  // Vienna no longer named
            (vienna, GraphPatchTests.vienna(note: "x", body: "Billingslea met Ryabkov in Vienna and Moscow."), true),  // named again
            (vienna, GraphPatchTests.vienna(note: "x", body: "Billingslea met Ryabkov in Vienna.")
                .replacingOccurrences(of: "author: marshall-billingslea", with: "author: sergei-ryabkov"), true),
            // Names every entity it did not name before: nothing is kept.
            (vienna, GraphPatchTests.vienna(note: "x", body: "Billingslea met Ryabkov in Vienna.")
                .replacingOccurrences(of: "about: [new-start, russia]", with: "about: [united-states]"), false),
            ("content/articles/2021/new.md", article("title: New\ndate: 2022-01-01\ntreaties: [new-start]", "Moscow and Vienna.\n"), true),
            ("content/articles/2021/new.md", article("title: New\ndate: 2022-01-01\nslug: renamed", "Moscow alone.\n"), true),
            ("content/articles/2021/extension.md", nil, true),
            ("content/articles/2021/new.md", nil, true),
        ]
        for step in steps {
            Thread.sleep(forTimeInterval: 0.01)
            if let text = step.text {
                try site.write(step.path, Data(text.utf8))
            } else {
                try FileManager.default.removeItem(at: site.root.appendingPathComponent(step.path))
            }
            let next = builder.generate(reusing: last.cache)
            #expect(next.report.succeeded, "\(next.report.printed)")
            let clean = builder.generate(reusing: BuildCache())
            #expect(keys(next).keys == keys(clean).keys, "after \(step.path)")
            #expect(keys(next).structures == keys(clean).structures, "after \(step.path)")
            // The keys were kept, not all made again.
            #expect((carried(next) > 0) == step.carries, "after \(step.path): \(carried(next)) kept")
            #expect(carried(clean) == 0)
            last = next
        }
    }

    /// An entity's new version changes keys it is not named beside (a
    /// party's name on a treaty's page): then nothing is carried.
    @Test func anEntityEditCarriesNothing() throws {
        let site = try SiteFixture(GraphPatchTests.site)
        defer { site.remove() }
        let builder = SiteBuilder(options: BuildOptions(source: site.root))
        let first = builder.generate(reusing: BuildCache())
        Thread.sleep(forTimeInterval: 0.01)
        try site.write("content/places/vienna.md", Data("---\nname: Vienna\n---\nThe Austrian capital.\n".utf8))
        let next = builder.generate(reusing: first.cache)
        #expect(next.report.succeeded)
        #expect(carried(next) == 0)
        #expect(keys(next).keys == keys(builder.generate(reusing: BuildCache())).keys)
    }

    /// A failed build keeps the last good build's page keys, but not the
    /// annotations they were made from: the next build carries no entity key.
    @Test func aFailedBuildBetweenEditsCarriesNothingAfterIt() throws {
        let site = try SiteFixture(GraphPatchTests.site)
        defer { site.remove() }
        let builder = SiteBuilder(options: BuildOptions(source: site.root))
        let good = builder.generate(reusing: BuildCache())
        Thread.sleep(forTimeInterval: 0.01)
        let extension_ = "content/articles/2021/extension.md"
        try site.write(extension_, Data(article("title: Broken", "Russia and the United States.\n").utf8))
        let failed = builder.generate(reusing: good.cache)
        #expect(!failed.report.succeeded)
        Thread.sleep(forTimeInterval: 0.01)
        try site.write(extension_, Data(article("title: Fixed\ndate: 2021-02-03", "Nothing named.\n").utf8))
        let fixed = builder.generate(reusing: failed.cache)
        #expect(fixed.report.succeeded)
        #expect(carried(fixed) == 0)
        #expect(keys(fixed).keys == keys(builder.generate(reusing: BuildCache())).keys)
    }

    /// A `gloss build` carries them through the persistent cache.
    @Test func theCacheFileKeepsTheKeys() throws {
        let site = try SiteFixture(GraphPatchTests.site)
        defer { site.remove() }
        let built = SiteBuilder(options: BuildOptions(source: site.root)).generate(reusing: BuildCache())
        #expect(!built.cache.pages.entityKeys.isEmpty)
        let bytes = PersistentCache.encodeTail(built.cache, loaded: nil)
        let decoded = try bytes.withUnsafeBytes { buffer in
            var reader = ByteReader(buffer)
            return try PersistentCache.decodeTail(&reader, sameOutput: true)
        }
        #expect(decoded.pages.entityKeys == built.cache.pages.entityKeys)
        #expect(decoded.pages.structures == built.cache.pages.structures)
    }
}

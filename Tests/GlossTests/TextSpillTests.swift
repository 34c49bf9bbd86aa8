import Foundation
import Testing
@testable import Gloss

/// Article HTML and text kept on disk while `gloss build` streams its pages.
@Suite struct TextSpillTests {
    func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-spill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func textComesBackExactlyFromManyThreads() throws {
        let parent = try folder()
        defer { try? FileManager.default.removeItem(at: parent) }
        let spill = try #require(TextSpill(beside: parent.appendingPathComponent("public")))
        let texts = (0..<400).map { i in
            switch i % 4 {
            case 0: return ""
            case 1: return "New START, signed \(i) — «Договор» 🚀 é"
            case 2: return String(repeating: "Ryabkov said the treaty was \(i). ", count: 300)
            default: return "<p>a &amp; b</p>\n\(i)"
            }
        }
        let stored = texts.parallelMap { spill.store($0) }
        #expect(stored.filter(\.isSpilled).count == 300)  // all but the empty ones
        let read = Array(stored.indices.reversed()).parallelMap { stored[$0].value }
        #expect(read == Array(texts.reversed()))
        #expect(stored[2].value == texts[2])  // read again
    }

    /// A text that cannot be read back is recorded, not a crash: the build
    /// then reports it and publishes nothing.
    @Test func aFailedReadIsRecorded() throws {
        let parent = try folder()
        defer { try? FileManager.default.removeItem(at: parent) }
        let spill = try #require(TextSpill(beside: parent.appendingPathComponent("public")))
        let stored = spill.store("Ryabkov said so.")
        #expect(spill.failure == nil)
        spill.discardContentsForTesting()
        _ = stored.value
        #expect(spill.failure == "the file is shorter than what was written")
    }

    /// The file is unlinked as soon as it is open: nothing is left beside
    /// the output, even while the build runs.
    @Test func leavesNoFile() throws {
        let parent = try folder()
        defer { try? FileManager.default.removeItem(at: parent) }
        let spill = try #require(TextSpill(beside: parent.appendingPathComponent("public")))
        _ = spill.store("kept")
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == [])
    }

    @Test func anArticleSpillsItsHTMLAndText() throws {
        let parent = try folder()
        defer { try? FileManager.default.removeItem(at: parent) }
        let site = try SiteFixture(SiteBuildTests.articles)
        defer { site.remove() }
        let spill = try #require(TextSpill(beside: parent.appendingPathComponent("public")))
        let (files, report) = site.generate()
        #expect(report.succeeded)
        let sources = try #require(ContentLoader(root: site.root).load().0)
        let annotator = Annotator(registry: EntityRegistry(sources.entities), config: sources.config,
                                  hooks: try #require(TemplateSet.load(siteTemplates: nil).0).annotationHooks())
        for article in sources.articles {
            let inMemory = annotator.annotate(article).0
            let spilled = inMemory.spilled(into: spill)
            #expect(spilled.html == inMemory.html)
            #expect(spilled.text == inMemory.text)
            #expect(spilled.mentionedIDs == inMemory.mentionedIDs && spilled.excerpts.map(\.sentences) == inMemory.excerpts.map(\.sentences))
            #expect(files["articles/\(article.slug.value)/index.html"]?.contains(spilled.html) == true)
        }
    }

    /// `build()` spills; `generate()` without a page sink does not. Their
    /// sites are the same, byte for byte.
    @Test func aSpillingBuildWritesTheSameSite() throws {
        let site = try SiteFixture(SiteBuildTests.articles)
        defer { site.remove() }
        let inMemory = site.generate().files
        #expect(site.build().succeeded)
        // The snapshot's keys start with "/".
        let written = try SiteBuildTests().snapshot(site.output).reduce(into: [String: Data]()) { $0[String($1.key.dropFirst())] = $1.value }
        #expect(Set(written.keys) == Set(inMemory.keys))
        for (path, text) in inMemory { #expect(written[path] == Data(text.utf8), "\(path)") }
    }

    /// A loaded cache reads its texts from its pack where they are: the
    /// same texts as the build that saved it had. A pack cut short under it
    /// is a recorded failure, and a build that meets one fails.
    @Test func aLoadedCacheReadsItsTextsFromItsPack() throws {
        let site = try SiteFixture(SiteBuildTests.articles)
        defer { site.remove() }
        #expect(site.build().succeeded)
        let (cache, pack) = PersistentCache.load(for: site.output)
        let vienna = try #require(cache.annotations.values.first { $0.result.0.source.slug.value == "vienna" }?.result.0)
        #expect(site.read("articles/vienna/index.html")?.contains(vienna.html) == true)
        #expect(vienna.text.contains("China is a no-show"))
        #expect(vienna.source.body.hasPrefix("Billingslea met Ryabkov"))
        #expect(!cache.feeds.isEmpty && cache.feeds.values.allSatisfy { $0.value.value.hasPrefix("<?xml") })
        #expect(pack?.failure == nil)

        // Changed under it: an empty text, and the failure recorded.
        let packFile = PersistentCache.packLocation(for: site.output)
        let bytes = try Data(contentsOf: packFile)
        try Data(bytes.map { $0 == UInt8(ascii: "C") ? UInt8(ascii: "K") : $0 }).write(to: packFile)
        #expect(vienna.text.isEmpty)
        #expect(pack?.failure == "a text is not what was written")
        #expect(truncate(packFile.path, 0) == 0)
        #expect(vienna.html.isEmpty)
    }
}

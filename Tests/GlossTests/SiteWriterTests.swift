import Foundation
import Testing
@testable import Gloss
#if canImport(Glibc)
import Glibc
#endif

/// The staging folder a build streams into: nothing reaches the published
/// site before the swap, and what interrupted builds leave is cleaned up.
@Suite struct SiteWriterTests {
    @Test func aFileAddedTwiceNeverWritesThroughToThePublishedSite() throws {
        let site = try SiteFixture(SiteBuildTests.articles)
        defer { site.remove() }
        #expect(site.build().succeeded)
        let published = try #require(site.read("index.html"))
        let staging = try SiteWriter.Staging(output: site.output)
        // Identical to the published file: hard-linked, not written.
        #expect(staging.add(OutputFile(path: "index.html", text: published)) == nil)
        #expect(staging.add(OutputFile(path: "index.html", text: "changed")) == nil)
        #expect(site.read("index.html") == published, "the live file changed before any swap")
        staging.discard()
        #expect(site.read("index.html") == published)
    }

    @Test func stagingFoldersOfInterruptedBuildsAreRemoved() throws {
        let site = try SiteFixture(SiteBuildTests.articles)
        defer { site.remove() }
        // A process id that is not running (the highest ids are rarely used).
        let gone = try #require((4_000_000..<4_001_000).reversed().first { kill(Int32($0), 0) != 0 && errno == ESRCH })
        let abandoned = site.root.appendingPathComponent(".public.staging-\(gone)")
        let running = site.root.appendingPathComponent(".public.staging-\(getppid())")
        for folder in [abandoned, running] {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent("articles"), withIntermediateDirectories: true)
        }
        #expect(site.build().succeeded)
        #expect(!FileManager.default.fileExists(atPath: abandoned.path), "left by a build whose process is gone")
        #expect(FileManager.default.fileExists(atPath: running.path), "another build may still be using it")
        try FileManager.default.removeItem(at: running)
    }
}

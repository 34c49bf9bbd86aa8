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

    /// A file written in pieces has their bytes; one equal to the published
    /// file is that file (the same inode), in a staging folder as in an
    /// update in place; one that differs only in its last piece is new.
    @Test func streamedFilesAreWrittenInPiecesAndLinkedWhenUnchanged() throws {
        let site = try SiteFixture(SiteBuildTests.articles)
        defer { site.remove() }
        #expect(site.build().succeeded)
        let published = try #require(site.read("claims.json"))
        func pieces(_ text: String, size: Int = 7) -> StreamedFile {
            StreamedFile(path: "claims.json") { append in
                var bytes = Array(text.utf8)[...]
                while !bytes.isEmpty {
                    bytes.prefix(size).withUnsafeBytes(append)
                    bytes = bytes.dropFirst(size)
                }
            }
        }
        func inode(_ path: String) -> ino_t {
            var info = stat()
            return stat(path, &info) == 0 ? info.st_ino : 0
        }
        let live = site.output.appendingPathComponent("claims.json").path
        let changed = String(published.dropLast()) + " "

        let staging = try SiteWriter.Staging(output: site.output)
        #expect(staging.add(pieces(published)) == nil)
        let staged = staging.folder.appendingPathComponent("claims.json").path
        #expect(inode(staged) == inode(live), "an unchanged file is the published one")
        #expect(staging.add(pieces(changed)) == nil)
        #expect(inode(staged) != inode(live))
        #expect(try String(contentsOfFile: staged, encoding: .utf8) == changed)
        #expect(site.read("claims.json") == published, "the live file changed before any swap")
        staging.discard()

        let unchanged = inode(live)
        let update = try SiteWriter.Update(output: site.output, previous: ["claims.json"]) {}
        #expect(update.add(pieces(published, size: 1 << 20)) == nil)
        try update.publish(copying: [])
        #expect(inode(live) == unchanged, "an update leaves an unchanged file as it is")
        let again = try SiteWriter.Update(output: site.output, previous: ["claims.json"]) {}
        #expect(again.add(pieces(changed)) == nil)
        try again.publish(copying: [])
        #expect(site.read("claims.json") == changed)
    }

    /// The JSON exports' document, put together from its items in pieces,
    /// is what serializing it whole gives.
    @Test func prettyDocumentPiecesMakeTheSerializedDocument() {
        let head: JSONObject = ["version": .int(1), "site": .object(["title": .string("A \"quoted\" title")])]
        for count in [0, 1, 3, 2_000] {
            let items: [JSONValue] = (0..<count).map { .object(["id": .int($0), "text": .string(String(repeating: "é", count: 200))]) }
            var bytes: [UInt8] = [], pieces = 0
            JSONValue.prettyDocument(head, listKey: "claims", count: count, item: { items[$0].prettyItem }) { piece in
                bytes += piece
                pieces += 1
            }
            var whole = head
            whole["claims"] = .array(items)
            #expect(String(decoding: bytes, as: UTF8.self) == JSONValue.object(whole).serialized(pretty: true))
            #expect(count < 2_000 || pieces > 1, "a large document comes in several pieces")
        }
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

    /// Paths from content or from a cache file are written and removed only
    /// inside the output folder.
    @Test(arguments: [
        ("index.html", true), ("articles/new-start/index.html", true), ("a/.well-known/x", true), ("...", true),
        ("a..b/c", true), ("é/ü.html", true),
        ("", false), ("/etc/passwd", false), ("../victim", false), ("a/../../b", false), ("a/./b", false),
        (".", false), ("..", false), ("a//b", false), ("a/", false), ("a\\b", false), ("a/..", false),
    ])
    func onlyPathsInsideTheFolderAreAccepted(path: String, inside: Bool) {
        #expect(SiteWriter.isInside(path) == inside)
        #expect((try? SiteWriter.resolve(path, in: "/out")) == (inside ? "/out/" + path : nil))
    }
}

import Foundation
import Testing
@testable import Gloss

/// The persistent build cache: its binary form round-trips, anything odd in
/// the file is ignored, and a `gloss build` that starts from it writes
/// exactly the site a clean build writes.
@Suite struct PersistentCacheTests {
    static let exampleSite = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A new folder holding an empty `public`, for a cache beside it.
    static func outputFolder() throws -> (folder: URL, output: URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-cache-\(UUID().uuidString)")
        let output = folder.appendingPathComponent("public")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        return (folder, output)
    }

    @Test func decodedSourcesAndAnnotationsEqualTheOriginals() throws {
        let generated = SiteBuilder(options: BuildOptions(source: Self.exampleSite)).generate(reusing: BuildCache())
        #expect(generated.report.succeeded)
        let original = generated.cache
        let bytes = PersistentCache.encode(original, outputIdentity: 7)
        let decoded = try bytes.withUnsafeBytes { try PersistentCache.decode(.init(bytes: $0), outputIdentity: 7) }
        // Encoding is deterministic (sorted), so equal bytes mean every stored field came back.
        #expect(PersistentCache.encode(decoded, outputIdentity: 7) == bytes)
        #expect(decoded.environment == original.environment)
        #expect(Set(decoded.sources.entries.keys) == Set(original.sources.entries.keys))
        #expect(decoded.annotations.count == original.annotations.count && !original.annotations.isEmpty)
        for (path, annotation) in original.annotations {
            let copy = try #require(decoded.annotations[path]).result.0, article = annotation.result.0
            #expect(copy.html == article.html && copy.text == article.text && copy.lede == article.lede)
            #expect(copy.mentionedIDs == article.mentionedIDs)
            #expect(copy.excerpts.map(\.id) == article.excerpts.map(\.id))
            #expect(copy.excerpts.map(\.sentences) == article.excerpts.map(\.sentences))
            #expect(copy.excerpts.map(\.isAbout) == article.excerpts.map(\.isAbout))
            #expect(copy.excerpts.map(\.mentionCount) == article.excerpts.map(\.mentionCount))
            #expect(copy.claims.map(\.id.value) == article.claims.map(\.id.value))
            #expect(copy.source.title == article.source.title && copy.source.date == article.source.date)
            #expect(copy.source.about.mapValues { $0.map(\.value) } == article.source.about.mapValues { $0.map(\.value) })
            #expect(copy.source.body == article.source.body)
        }
        #expect(original.annotations.values.contains { !$0.result.0.excerpts.isEmpty })
        #expect(decoded.descriptions.mapValues(\.html) == original.descriptions.mapValues(\.html))
        // Every section has records: the last record is found by skipping them all.
        #expect(!original.feeds.isEmpty && !original.data.isEmpty && !original.search.keys.isEmpty)
        #expect(!original.search.postings.isEmpty && !original.search.output.shards.isEmpty && original.sitemap != nil)
        // The graph's co-mention counts come back, so the next build need not count them again.
        #expect(original.graph.named != nil && decoded.graph.named == original.graph.named)
        #expect(!original.graph.related.isEmpty)
        #expect(decoded.graph.related.mapValues { $0.map(\.id) } == original.graph.related.mapValues { $0.map(\.id) })
        #expect(decoded.graph.related.mapValues { $0.map(\.count) } == original.graph.related.mapValues { $0.map(\.count) })
    }

    @Test func aDamagedOrForeignFileIsRefused() throws {
        let generated = SiteBuilder(options: BuildOptions(source: Self.exampleSite)).generate(reusing: BuildCache())
        var cache = generated.cache
        // As after `gloss build`: pages are in the output folder, not in memory.
        cache.pages.pages = cache.pages.pages.mapValues { ($0.key, nil) }
        let bytes = PersistentCache.encode(cache, outputIdentity: 7)
        func decodes(_ bytes: [UInt8]) -> Bool {
            (try? bytes.withUnsafeBytes { try PersistentCache.decode(.init(bytes: $0), outputIdentity: 7) }) != nil
        }
        let same = try bytes.withUnsafeBytes { try PersistentCache.decode(.init(bytes: $0), outputIdentity: 7) }
        #expect(same.pages.pages.count == cache.pages.pages.count && !same.pages.pages.isEmpty)
        for cut in [0, 10, bytes.count / 3, bytes.count / 2, bytes.count - 1] {
            #expect(!decodes(Array(bytes.prefix(cut))), "truncated to \(cut) bytes")
        }
        var version = bytes
        version[20] ^= 1
        #expect(!decodes(version), "another format")
        // Counts that would ask for huge or negative allocations.
        var directory = ByteWriter()
        directory.write(PersistentCache.formatVersion)
        directory.write(try #require(PersistentCache.toolIdentity))
        directory.write(7)
        directory.write(Int?.none)  // no pack
        directory.write(Int?.none)
        for count in [1 << 60, -5] {
            var damaged = directory
            damaged.write(count)
            let file = RecordFile(fresh: -1)
            #expect(file.finish(directory: damaged.bytes))
            #expect(!decodes(file.bytes), "a count of \(count)")
        }
        // Any byte changed is refused: the header names the directory by
        // its checksum, and the directory each record by its own.
        var seed: UInt64 = 42
        for _ in 0..<300 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            var damaged = bytes
            let at = Int(seed >> 33) % bytes.count
            damaged[at] ^= UInt8(truncatingIfNeeded: seed >> 13) | 1
            #expect(!decodes(damaged), "byte \(at) changed")
        }
        // Paths the update would remove must stay inside the output folder.
        for path in ["../victim.x", "/etc/passwd", "a/../../b"] {
            var escaping = cache
            escaping.published = [path]
            #expect(!decodes(PersistentCache.encode(escaping, outputIdentity: 7)), "\(path)")
            escaping = cache
            escaping.pages.pages[path] = (1, nil)
            #expect(!decodes(PersistentCache.encode(escaping, outputIdentity: 7)), "page \(path)")
        }
        // Another output folder: everything but the page keys is still good.
        let moved = try bytes.withUnsafeBytes { try PersistentCache.decode(.init(bytes: $0), outputIdentity: 8) }
        #expect(moved.pages.pages.isEmpty && moved.annotations.count == generated.cache.annotations.count)
    }

    /// The example archive has no warnings, so its round trip shows nothing of them.
    @Test func diagnosticsRoundTrip() throws {
        let diagnostics: [Diagnostic] = [
            .warning("name 'X' is shared", at: SourceLocation(path: "content/people/x.md", line: 3, column: 5)),
            .error("unknown entity 'new-strat'", at: SourceLocation(path: "a.md", line: 1, column: 2), suggestion: "new-start"),
            .error("no site.yml", at: nil),
        ]
        var writer = ByteWriter()
        writer.write(diagnostics)
        writer.write("after")
        let (decoded, after, atEnd) = try writer.bytes.withUnsafeBytes { bytes in
            var reader = ByteReader(bytes)
            return (try reader.read([Diagnostic].self), try reader.read(String.self), reader.atEnd)
        }
        #expect(decoded == diagnostics)
        #expect(after == "after" && atEnd)
    }

    /// An unchanged cache is not written again; a changed one, smaller or
    /// larger, is saved in place: what changed is added to the file, and it
    /// reads back as the cache saved. Texts already in the pack are referred
    /// to, not added again.
    @Test func savingWritesOnlyWhatChanged() throws {
        let (folder, output) = try Self.outputFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = PersistentCache.location(for: output)
        func inode() throws -> Int { try #require(FileManager.default.attributesOfItem(atPath: file.path)[.systemFileNumber] as? Int) }
        func stored() throws -> [UInt8] { [UInt8](try Data(contentsOf: file)) }
        let identity = PersistentCache.identity(of: output.path)
        let pack = try #require(PersistentCache.load(for: output).pack)
        #expect(PersistentCache.load(for: output).pack == nil, "one build at a time holds the pack")
        /// The file read back, as a fresh save would write it.
        func reread() throws -> [UInt8] {
            var cache = try #require(PersistentCache.read(file, outputIdentity: identity, pack: pack))
            cache.loaded = nil
            return PersistentCache.encode(cache, outputIdentity: identity, pack: pack)
        }
        func fresh(_ cache: BuildCache) -> [UInt8] {
            var cache = cache
            cache.loaded = nil
            return PersistentCache.encode(cache, outputIdentity: identity, pack: pack)
        }

        let generated = SiteBuilder(options: BuildOptions(source: Self.exampleSite)).generate(reusing: BuildCache()).cache
        try PersistentCache.save(generated, for: output, pack: pack)
        let full = try #require(PersistentCache.read(file, outputIdentity: identity, pack: pack))
        #expect(try stored() == fresh(full), "no cache was loaded: a new file")
        let length = pack.length
        #expect(length > 0)
        var small = full
        small.annotations = [:]

        let first = try inode(), bytes = try stored()
        try PersistentCache.save(full, for: output, pack: pack)
        #expect(try inode() == first && stored() == bytes, "the same cache again: the file is left as it was")
        try PersistentCache.save(small, for: output, pack: pack)
        #expect(try inode() == first && stored().count > bytes.count, "saved in place")
        #expect(try stored().prefix(bytes.count).dropFirst(RecordFile.headerSize) == bytes.dropFirst(RecordFile.headerSize),
                "only the header changed of what was there")
        #expect(try reread() == fresh(small))
        let grown = try stored().count
        try PersistentCache.save(full, for: output, pack: pack)
        #expect(try reread() == fresh(full))
        #expect(try stored().count - grown < bytes.count / 2, "the annotations' records were named again, not added")
        #expect(pack.length == length, "every text was in the pack already")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
                == [".public.gloss-cache", ".public.gloss-texts", "public"])
    }

    /// A save in place cut short leaves bytes no directory names: the file
    /// still reads as the last complete save. A cleared header (the output
    /// folder is being changed) reads as no cache. A file that is mostly what
    /// saves in place left behind is written anew.
    @Test func savesInPlaceAreSafeAndBounded() throws {
        let (folder, output) = try Self.outputFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = PersistentCache.location(for: output)
        func size() throws -> Int { try #require(FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) }
        let identity = PersistentCache.identity(of: output.path)
        let pack = try #require(PersistentCache.load(for: output).pack)
        let generated = SiteBuilder(options: BuildOptions(source: Self.exampleSite)).generate(reusing: BuildCache()).cache
        try PersistentCache.save(generated, for: output, pack: pack)
        let saved = try size()
        let handle = try FileHandle(forWritingTo: file)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(repeating: 0xA5, count: 1000))
        try handle.close()
        let cut = try #require(PersistentCache.read(file, outputIdentity: identity, pack: pack))
        #expect(cut.annotations.count == generated.annotations.count)

        PersistentCache.invalidate(for: output)
        #expect(PersistentCache.read(file, outputIdentity: identity, pack: pack) == nil)
        // The save after the change names the records again.
        try PersistentCache.save(cut, for: output, pack: pack)
        let again = try #require(PersistentCache.read(file, outputIdentity: identity, pack: pack))
        #expect(again.annotations.count == generated.annotations.count)

        // Each save of another cache adds at least its last record and directory.
        var cache = again, sizes: [Int] = []
        for round in 0..<40 {
            var next = cache
            next.pages.pages["round-\(round).html"] = (round, nil)
            try PersistentCache.save(next, for: output, pack: pack, fileSlack: 0)
            cache = try #require(PersistentCache.read(file, outputIdentity: identity, pack: pack))
            #expect(cache.pages.pages["round-\(round).html"]?.key == round)
            sizes.append(try size())
        }
        #expect(sizes.max()! <= 3 * saved, "written anew when mostly left behind")
        #expect(zip(sizes, sizes.dropFirst()).contains { $1 < $0 }, "written anew at least once")
    }

    /// Saving a loaded cache copies the records of the annotations, source
    /// files and search documents it took over from the file it was loaded
    /// from; those bytes are the ones encoding would make. A new annotation,
    /// another stamp or search environment, or another pack, is encoded.
    @Test func savingCopiesTheRecordsOfUnchangedAnnotations() throws {
        let (folder, output) = try Self.outputFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let identity = PersistentCache.identity(of: output.path), file = PersistentCache.location(for: output)
        let pack = try #require(PersistentCache.load(for: output).pack)
        let generated = SiteBuilder(options: BuildOptions(source: Self.exampleSite)).generate(reusing: BuildCache()).cache
        try PersistentCache.save(generated, for: output, pack: pack)
        let loaded = try #require(PersistentCache.read(file, outputIdentity: identity, pack: pack))
        let records = try #require(loaded.loaded)
        #expect(!loaded.annotations.isEmpty)
        let annotations = LoadedRecords.Finder(records, records.contents.annotations, keys: loaded.annotations.keys.sorted())
        for (index, path) in loaded.annotations.keys.sorted().enumerated() {
            let annotation = try #require(loaded.annotations[path])
            let origin = LoadedRecords.Origin.annotation(annotation.result.0, annotation.stamp)
            #expect(annotations.copy(at: index, path, madeFrom: origin, pack: pack) != nil, "\(path)")
            #expect(annotations.copy(at: index, path, madeFrom: origin, pack: nil) == nil)
            let other = try #require(generated.annotations[path])
            #expect(annotations.copy(at: index, path, madeFrom: .annotation(other.result.0, other.stamp), pack: pack) == nil,
                    "another annotation of the same file")
        }
        // Found by key when the items are not the old ones in order.
        let paths = Array(loaded.sources.entries.keys.sorted().reversed())
        let sources = LoadedRecords.Finder(records, records.contents.sources, keys: paths)
        for (index, path) in paths.enumerated() {
            let entry = try #require(loaded.sources.entries[path])
            #expect(sources.copy(at: index, path, madeFrom: .source(entry.stamp, racy: entry.racy), pack: pack) != nil)
            #expect(sources.copy(at: index, path, madeFrom: .source(entry.stamp, racy: !entry.racy), pack: pack) == nil)
        }
        let documents = LoadedRecords.Finder(records, records.contents.documents, keys: loaded.search.keys)
        let environment = loaded.search.environment
        for (index, (key, version)) in zip(loaded.search.keys, loaded.search.versions).enumerated() {
            #expect(documents.copy(at: index, key, madeFrom: version.map { .document(version: $0, environment: environment) },
                                   pack: pack) != nil)
            #expect(documents.copy(at: index, key, madeFrom: version.map { .document(version: $0, environment: environment + 1) },
                                   pack: pack) == nil, "another search environment")
        }
        #expect(records.order(.sources) == loaded.sources.entries.keys.sorted())

        // Another annotation of one file, with the same bytes (decoded again);
        // the cache file is removed meanwhile, as an in-place update of the
        // output folder does. The copied records are what encoding makes.
        let path = try #require(loaded.annotations.keys.sorted().first)
        let other = try #require(PersistentCache.read(file, outputIdentity: identity, pack: pack))
        var next = loaded
        next.annotations[path] = other.annotations[path]
        unlink(file.path)
        try PersistentCache.save(next, for: output, pack: pack)
        var encoded = next
        encoded.loaded = nil
        #expect([UInt8](try Data(contentsOf: file)) == PersistentCache.encode(encoded, outputIdentity: identity, pack: pack))

        // An edited article is encoded, the others copied.
        let old = try #require(loaded.annotations[path])
        let article = old.result.0
        let edit = AnnotatedArticle(source: article.source, html: "<p>Edited.</p>", mentions: [], claimOrder: [],
                                    lede: "Edited.", wordCount: 1, text: "Edited.")
        next.annotations[path] = (old.stamp, (edit, []))
        try PersistentCache.save(next, for: output, pack: pack)
        let again = try #require(PersistentCache.read(file, outputIdentity: identity, pack: pack))
        #expect(again.annotations[path]?.result.0.html == "<p>Edited.</p>")
        #expect(again.annotations.filter { $0.key != path }.mapValues(\.result.0.html)
                == generated.annotations.filter { $0.key != path }.mapValues(\.result.0.html))
    }

    /// When most of the pack is texts no cache refers to, the cache is
    /// written again with a pack of only the live ones.
    @Test func aPackOfMostlyDeadTextsIsMadeAgain() throws {
        let (folder, output) = try Self.outputFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let identity = PersistentCache.identity(of: output.path), file = PersistentCache.location(for: output)
        let pack = try #require(PersistentCache.load(for: output).pack)
        let generated = SiteBuilder(options: BuildOptions(source: Self.exampleSite)).generate(reusing: BuildCache()).cache
        try PersistentCache.save(generated, for: output, pack: pack, slack: 0)
        let full = try #require(PersistentCache.read(file, outputIdentity: identity, pack: pack))
        var small = full
        small.annotations = [:]
        small.sources.entries = small.sources.entries.filter { $0.value.article == nil }
        small.data = [:]
        small.search = SearchIndex.Cache()
        let kept = try #require(full.feeds.keys.sorted().first)
        small.feeds = small.feeds.filter { $0.key == kept }
        try PersistentCache.save(small, for: output, pack: pack, slack: 0)

        let packFile = PersistentCache.packLocation(for: output).path
        let size = try #require(FileManager.default.attributesOfItem(atPath: packFile)[.size] as? Int)
        #expect(size < pack.length / 2, "\(size) of \(pack.length) bytes")
        let (loaded, newPack) = PersistentCache.load(for: output)
        #expect(newPack != nil && newPack?.length == size)
        #expect(loaded.feeds.count == 1 && loaded.feeds[kept]?.value.value == full.feeds[kept]?.value.value)
        #expect(size == 8 + (full.feeds[kept]?.value.utf8Count ?? 0), "the pack's generation, then the live text")
        #expect(loaded.descriptions.mapValues(\.html) == full.descriptions.mapValues(\.html))
        #expect(loaded.annotations.isEmpty && newPack?.failure == nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
                == [".public.gloss-cache", ".public.gloss-texts", "public"])
    }
}

import Foundation
import Testing
@testable import Gloss

/// A decoded cache holds one copy of each repeated string: entity ids,
/// slugs and paths that many records name.
@Suite struct SharedStringsTests {
    /// Where a string's bytes are: equal for strings that share one buffer.
    static func address(_ string: String) -> UnsafeRawPointer? {
        var string = string
        return string.withUTF8 { UnsafeRawPointer($0.baseAddress) }
    }

    /// Looked up on all cores at once, in different orders: every lookup
    /// returns its own value, and equal values are one buffer. The table
    /// grows many times over, and near-identical strings (one byte apart,
    /// one longer than another, accented) stay apart.
    @Test func equalStringsAreOneBufferAndOthersStayApart() {
        let table = SharedStrings()
        // 40,000: each of the 32 tables grows from 1,024 slots to 4,096.
        let words = (0..<40_000).map { "entity-\($0)-of-the-archive" } + (0..<300).map { "entity-\($0)-of-the-archive-" }
            + ["ça-et-là-dans-les-archives", "ca-et-la-dans-les-archives", "exactly-16-bytes", "exactly-16-byte", "short", ""]
        let passes = Array(0..<4).parallelMap { pass in
            (pass % 2 == 0 ? Array(words.indices) : words.indices.reversed()).map { index in
                (index, Array(words[index].utf8).withUnsafeBytes { table.string($0) })
            }.sorted { $0.0 < $1.0 }.map(\.1)
        }
        for pass in passes { #expect(pass == words) }
        for index in words.indices where words[index].utf8.count >= SharedStrings.minimumLength {
            #expect(passes.allSatisfy { Self.address($0[index]) == Self.address(passes[0][index]) }, "\(words[index])")
        }
    }

    /// Room made after some strings were read (a decode reserves it once it
    /// knows how many files the cache names) keeps them: a string read
    /// before is the same buffer after, and new strings still go in.
    @Test func reservingRoomKeepsTheStringsAlreadyRead() {
        let table = SharedStrings()
        func read(_ word: String) -> String { Array(word.utf8).withUnsafeBytes { table.string($0) } }
        let before = (0..<5_000).map { read("entity-\($0)-of-the-archive") }
        table.reserve(200_000)
        table.reserve(10)  // less than there is room for: nothing changes
        for (index, string) in before.enumerated() {
            let again = read("entity-\(index)-of-the-archive")
            #expect(again == string && Self.address(again) == Self.address(string), "\(string)")
        }
        let after = (5_000..<60_000).map { read("entity-\($0)-of-the-archive") }
        #expect(after.enumerated().allSatisfy { $0.element == "entity-\($0.offset + 5_000)-of-the-archive" })
    }

    /// An entity that several articles are about, decoded from a cache, is
    /// one string in all of them; so is each published path.
    @Test func aDecodedCacheSharesEntityIdsAndPaths() throws {
        let generated = SiteBuilder(options: BuildOptions(source: PersistentCacheTests.exampleSite)).generate(reusing: BuildCache())
        var cache = generated.cache
        // As a build that wrote its pages to the output folder leaves them.
        cache.pages.pages = cache.pages.pages.mapValues { ($0.key, nil) }
        cache.published = Array(cache.pages.pages.keys)
        let bytes = PersistentCache.encode(cache, outputIdentity: 7)
        let decoded = try bytes.withUnsafeBytes { try PersistentCache.decode(.init(bytes: $0), outputIdentity: 7) }
        let references = decoded.sources.entries.values.compactMap(\.article).flatMap { $0.about.values.joined().map(\.value) }
        let repeated = try #require(Dictionary(grouping: references) { $0 }.first {
            $0.value.count > 1 && $0.key.utf8.count >= SharedStrings.minimumLength
        })
        #expect(Set(repeated.value.map(Self.address)).count == 1, "\(repeated.key)")
        let pages = Dictionary(uniqueKeysWithValues: decoded.pages.pages.keys.map { ($0, Self.address($0)) })
        #expect(pages.count == generated.cache.pages.pages.count)
        for path in try #require(decoded.published) where path.utf8.count >= SharedStrings.minimumLength {
            #expect(pages[path] == Self.address(path), "\(path)")
        }
    }

    /// Readers on different threads, each with its own table of recent
    /// strings in front of the shared one, return the same buffer for equal
    /// strings, and the right string when many share a slot of the small table.
    @Test func recentStringsFrontTheSharedTable() {
        let shared = SharedStrings()
        let words = (0..<20_000).map { "entity-\($0 % 7_000)-of-the-archive" } + ["exactly-16-bytes", "exactly-16-bytes"]
        let passes = Array(0..<4).parallelMap { pass in
            let recent = RecentStrings(shared)
            return (pass % 2 == 0 ? words : words.reversed()).map { word in Array(word.utf8).withUnsafeBytes { recent.string($0) } }
        }
        for (pass, read) in passes.enumerated() { #expect(read == (pass % 2 == 0 ? words : words.reversed())) }
        let first = passes[0], second = Array(passes[1].reversed())
        #expect(words.indices.allSatisfy { Self.address(first[$0]) == Self.address(second[$0]) })
        #expect(Self.address(first[0]) == Self.address(first[7_000]), "a repeat is the first one's buffer")
    }

    /// A string table's uses are indices, checked against the table: one past
    /// its end is damage, not a crash.
    @Test func aStringTableIndexOutsideTheTableIsRefused() throws {
        var table = StringTable()
        var body = ByteWriter()
        body.write(["articles/a/index.html", "b", "articles/a/index.html"], in: &table)
        var writer = ByteWriter()
        writer.write(table: table)
        writer.write(1)  // a list of one use...
        writer.write(2)  // ...of a third string, in a table of two
        #expect(table.strings == ["articles/a/index.html", "b"])
        let read = try writer.bytes.withUnsafeBytes { bytes in
            var reader = ByteReader(bytes)
            let read = try reader.readTable()
            #expect(throws: ByteReader.Damaged.self) { try reader.readList(in: read) }
            return read
        }
        #expect(read == table.strings)
        let uses = try body.bytes.withUnsafeBytes { bytes in
            var reader = ByteReader(bytes)
            return try reader.readList(in: read)
        }
        #expect(uses == ["articles/a/index.html", "b", "articles/a/index.html"])
    }

    /// Each distinct string once, in the order first seen, however the
    /// table grows; strings one byte apart, empty or accented stay apart.
    @Test func aStringTableHoldsEachStringOnce() {
        let words = (0..<5_000).map { "articles/\($0)/index.html" } + ["", "é", "e\u{301}", "articles/1/index.htm"]
        var table = StringTable()
        let first = words.map { table.index(of: $0) }
        let again = words.reversed().map { table.index(of: $0) }
        #expect(first == Array(words.indices))
        #expect(again == Array(words.indices.reversed()))
        #expect(table.strings == words)
        #expect(words.allSatisfy(table.contains) && !table.contains("articles/5000/index.html"))
        #expect(["b", "a", "c"].sorted(known: ["a", "b", "c"]) == ["a", "b", "c"])
        #expect(["b", "a", "d"].sorted(known: ["a", "b", "c"]) == ["a", "b", "d"])
    }
}

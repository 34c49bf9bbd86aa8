import Foundation
import Testing
@testable import Gloss

/// `PersistentCache.records` decodes in parallel, in chunks and slices: the
/// order is the records', and a damaged record anywhere, at a seam or not,
/// leaves nothing made behind (every decoded value is freed).
@Suite(.serialized) struct RecordDecodeTests {
    /// Counts its live instances, to see that a failed decode frees every
    /// value it made.
    final class Counted: @unchecked Sendable {  // `count` only under `lock`
        private static let lock = NSLock()
        nonisolated(unsafe) private static var count = 0
        static var live: Int { lock.withLock { count } }
        let value: Int
        init(_ value: Int) {
            self.value = value
            Self.lock.withLock { Self.count += 1 }
        }
        deinit { Self.lock.withLock { Self.count -= 1 } }
    }

    /// `count` records, each an Int and a string, in a file in memory.
    func file(_ count: Int) -> (bytes: [UInt8], spans: [LoadedRecords.Span]) {
        let file = RecordFile(fresh: -1)
        let spans = PersistentCache.records(Array(0..<count), into: file, pack: nil, loaded: nil) { item, writer in
            writer.write(item)
            writer.write("record \(item)")
        }
        return (file.bytes, spans)
    }

    /// `failing`: the record whose decoder throws, after making its value.
    func decode(_ bytes: [UInt8], _ spans: [LoadedRecords.Span], failing: Int? = nil) throws -> [(Counted, String)] {
        try bytes.withUnsafeBytes { raw in
            try PersistentCache.records(.init(bytes: raw), spans, ByteReader(raw)) { reader in
                let counted = Counted(try reader.read())
                if counted.value == failing { throw ByteReader.Damaged() }
                return (counted, try reader.read(String.self))
            }
        }
    }

    @Test func recordsComeBackInTheirOrder() throws {
        // Several chunks of 2,048, the last one partial.
        let (bytes, spans) = file(5_000)
        let decoded = try decode(bytes, spans)
        #expect(decoded.map(\.0.value) == Array(0..<5_000))
        #expect(decoded.allSatisfy { $0.1 == "record \($0.0.value)" })
        #expect(try decode(bytes, []).isEmpty)
    }

    @Test(arguments: [0, 255, 256, 2_047, 2_048, 3_000, 4_999])
    func aDamagedRecordLeavesNothingMade(at damaged: Int) throws {
        let (bytes, spans) = file(5_000)
        var broken = bytes
        broken[spans[damaged].range.lowerBound] ^= 0xFF
        let before = Counted.live
        #expect(throws: ByteReader.Damaged.self) { _ = try decode(broken, spans) }
        #expect(Counted.live == before, "values made before the damaged record are freed")
        // A decoder that throws after it made its record's value.
        #expect(throws: ByteReader.Damaged.self) { _ = try decode(bytes, spans, failing: damaged) }
        #expect(Counted.live == before, "the failing record's value and those made before are freed")
    }
}

import Foundation
import Testing
@testable import Gloss

/// The hasher names cache keys and checks every text a build stores and
/// reads back: a byte it skipped would let a changed text pass as unchanged.
struct StableHasherTests {
    func hash(_ bytes: [UInt8]) -> Int {
        var hasher = StableHasher()
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
        return hasher.finalize()
    }

    @Test func everyByteCounts() {
        // Short texts take one chain; from 64 bytes four lanes, then the rest.
        for length in [1, 7, 8, 31, 63, 64, 65, 95, 96, 100, 131] {
            let text = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            let original = hash(text)
            for position in 0..<length {
                var changed = text
                changed[position] ^= 0x01
                #expect(hash(changed) != original, "a change at byte \(position) of \(length) went unseen")
            }
            #expect(hash(text + [0]) != original, "a zero byte added to \(length) went unseen")
        }
    }

    /// Two 32-byte blocks swapped: each lane sees its own words, not just their sum.
    @Test func blocksInAnotherOrderDiffer() {
        let a = [UInt8](repeating: 1, count: 32), b = [UInt8](repeating: 2, count: 32)
        #expect(hash(a + b + a) != hash(b + a + a))
    }
}

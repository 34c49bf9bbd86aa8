/// A document's terms and their summed weights, counted by their UTF-8
/// bytes: each distinct term becomes a String once, however often it occurs.
/// An article is about a thousand words of a few hundred distinct terms,
/// and making and hashing a String per word was most of indexing it.
struct TermCounter {
    private struct Entry {
        let start: Int32
        let length: Int32
        /// FNV-1a of the bytes: the term's shard (`SearchTokenizer.shard`).
        let hash: UInt32
        var weight: Int
    }

    /// The distinct terms' bytes, one after another.
    private var bytes: [UInt8] = []
    private var entries: [Entry] = []
    /// Open addressing: an index into `entries`, or -1. A power of two long,
    /// never more than half full; small at first, as a claim has a few
    /// dozen terms (an article's few hundred grow it three times).
    private var slots = [Int32](repeating: -1, count: 128)

    /// Adds `weight` for each term of `text`.
    mutating func add(_ text: String, weight: Int) {
        SearchTokenizer.forEachTerm(in: text) { add(term: $0, hash: $1, weight: weight) }
    }

    /// Adds `weight` for `term` as it is (not tokenized): `@id` terms.
    mutating func add(term: String, weight: Int) {
        var term = term
        term.withUTF8 { add(term: $0, hash: SearchTokenizer.hash($0), weight: weight) }
    }

    /// `hash`: the term's `SearchTokenizer.hash`.
    mutating func add(term: UnsafeBufferPointer<UInt8>, hash: UInt32, weight: Int) {
        var slot = Self.slot(hash, slots.count)
        while true {
            let index = Int(slots[slot])
            if index < 0 { break }
            let entry = entries[index]
            if entry.hash == hash, Int(entry.length) == term.count,
               bytes.withUnsafeBufferPointer({ term.elementsEqual($0[Int(entry.start)..<Int(entry.start) + term.count]) }) {
                entries[index].weight += weight
                return
            }
            slot = (slot + 1) & (slots.count - 1)
        }
        slots[slot] = Int32(entries.count)
        entries.append(Entry(start: Int32(bytes.count), length: Int32(term.count), hash: hash, weight: weight))
        bytes.append(contentsOf: term)
        if entries.count * 2 > slots.count { grow() }
    }

    /// The terms with their weights, by shard of `count`, in the order first seen.
    func byShard(_ count: Int) -> [[(term: String, weight: Int)]] {
        var shards = [[(term: String, weight: Int)]](repeating: [], count: count)
        bytes.withUnsafeBufferPointer { all in
            for entry in entries {
                let term = String(decoding: all[Int(entry.start)..<Int(entry.start + entry.length)], as: UTF8.self)
                shards[Int(entry.hash % UInt32(count))].append((term, entry.weight))
            }
        }
        return shards
    }

    /// Fibonacci hashing spreads FNV's low bits over the table.
    private static func slot(_ hash: UInt32, _ count: Int) -> Int {
        Int((hash &* 0x9E37_79B1) >> UInt32(32 - count.trailingZeroBitCount))
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        for (index, entry) in entries.enumerated() {
            var slot = Self.slot(entry.hash, slots.count)
            while slots[slot] >= 0 { slot = (slot + 1) & (slots.count - 1) }
            slots[slot] = Int32(index)
        }
    }
}

import Foundation

/// Finds entity names and aliases in text: whole words only, case-sensitive,
/// longest match first. A trie over the UTF-8 bytes of the names, walked from
/// each word start: the cost per text is linear in its length times the
/// longest partial match, and every step is one table lookup however many
/// names there are (no per-name work, no node whose width slows the step).
public struct NameMatcher: Sendable {
    public struct Hit: Sendable, Hashable {
        /// UTF-8 byte range in the searched text.
        public let range: Range<Int>
        /// Every entity id that has this exact surface form.
        public let ids: [String]
        public let surface: String
    }

    /// What ends at a trie node: the ids sharing that surface form.
    private struct Output: Sendable {
        var ids: [String]
        var surface: String
    }

    /// The root's transitions, dense by byte (-1: none): most walks end here.
    private var rootNext = [Int32](repeating: -1, count: 256)
    /// Every other transition in one open-addressing table keyed by
    /// `node << 8 | byte` (stored plus one; 0 marks an empty slot).
    private var keys: [UInt64] = []
    private var targets: [Int32] = []
    private var mask = 0
    /// Per node: index into `outputs` of the name ending there, or -1.
    private var terminal: [Int32] = [-1]
    private var outputs: [Output] = []

    public init(names: [(surface: String, id: String)]) {
        var edges: [UInt64: Int32] = [:]
        for (surface, id) in names {
            // An ASCII name is its own composed and decomposed form (and
            // Foundation's normalizing was most of making the matcher).
            if surface.utf8.allSatisfy({ $0 < 0x80 }) {
                insert(surface, id: id, display: surface, edges: &edges)
                continue
            }
            // Authors type accents precomposed or not; index both forms. (Not
            // a Set: Swift's String equality would merge the two forms.)
            for form in [surface.precomposedStringWithCanonicalMapping, surface.decomposedStringWithCanonicalMapping] {
                insert(form, id: id, display: surface, edges: &edges)
            }
        }
        var capacity = 16
        while capacity < edges.count * 2 { capacity *= 2 }
        keys = [UInt64](repeating: 0, count: capacity)
        targets = [Int32](repeating: -1, count: capacity)
        mask = capacity - 1
        for (key, target) in edges {
            var slot = Self.slot(key, mask)
            while keys[slot] != 0 { slot = (slot + 1) & mask }
            keys[slot] = key + 1
            targets[slot] = target
        }
    }

    private mutating func insert(_ surface: String, id: String, display: String, edges: inout [UInt64: Int32]) {
        var node: Int32 = 0
        for scalar in surface.unicodeScalars {
            for byte in Self.fold(scalar).utf8 {
                let next = node == 0 ? rootNext[Int(byte)] : edges[UInt64(node) << 8 | UInt64(byte)] ?? -1
                if next >= 0 {
                    node = next
                    continue
                }
                let created = Int32(terminal.count)
                terminal.append(-1)
                if node == 0 { rootNext[Int(byte)] = created } else { edges[UInt64(node) << 8 | UInt64(byte)] = created }
                node = created
            }
        }
        if terminal[Int(node)] < 0 {
            terminal[Int(node)] = Int32(outputs.count)
            outputs.append(Output(ids: [], surface: display))
        }
        let output = Int(terminal[Int(node)])
        if !outputs[output].ids.contains(id) { outputs[output].ids.append(id) }
        outputs[output].surface = display
    }

    @inline(__always) private static func slot(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    @inline(__always) private func step(_ node: Int32, _ byte: UInt8) -> Int32 {
        if node == 0 { return rootNext[Int(byte)] }
        let key = UInt64(node) << 8 | UInt64(byte)
        var slot = Self.slot(key, mask)
        while true {
            let stored = keys[slot]
            if stored == key + 1 { return targets[slot] }
            if stored == 0 { return -1 }
            slot = (slot + 1) & mask
        }
    }

    /// Straight and curly apostrophes are the same letter to a reader.
    static func fold(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        scalar == "\u{2019}" || scalar == "\u{02BC}" ? "'" : scalar
    }

    /// Inlined ASCII test first: Unicode property lookups are costly and
    /// almost every scalar of an English text is ASCII.
    @inline(__always) static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x80 { return (v >= 0x30 && v <= 0x39) || (v | 0x20 >= 0x61 && v | 0x20 <= 0x7A) || v == 0x5F }
        return isWordNonASCII(scalar)
    }

    private static func isWordNonASCII(_ scalar: Unicode.Scalar) -> Bool {
        let p = scalar.properties
        return p.isAlphabetic || p.numericType != nil || p.generalCategory == .nonspacingMark
            || p.generalCategory == .spacingMark || scalar == "_"
    }

    /// The scalar starting at byte `i` of valid UTF-8, and its length.
    @inline(__always) private static func decode(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> (Unicode.Scalar, Int) {
        let lead = UInt32(bytes[i])
        if lead < 0x80 { return (Unicode.Scalar(UInt8(lead)), 1) }
        @inline(__always) func tail(_ k: Int) -> UInt32 { UInt32(bytes[i + k]) & 0x3F }
        let (value, length): (UInt32, Int) =
            lead < 0xE0 ? ((lead & 0x1F) << 6 | tail(1), 2)
            : lead < 0xF0 ? ((lead & 0x0F) << 12 | tail(1) << 6 | tail(2), 3)
            : ((lead & 0x07) << 18 | tail(1) << 12 | tail(2) << 6 | tail(3), 4)
        return (Unicode.Scalar(value) ?? "\u{FFFD}", length)
    }

    /// All non-overlapping matches in `text`, leftmost-longest.
    public func matches(in text: String) -> [Hit] {
        var text = text
        return text.withUTF8 { matches(in: $0) }
    }

    private func matches(in bytes: UnsafeBufferPointer<UInt8>) -> [Hit] {
        var hits: [Hit] = []
        var i = 0
        var previousIsWord = false
        while i < bytes.count {
            let (scalar, length) = Self.decode(bytes, i)
            let isWord = Self.isWordScalar(scalar)
            // A name starts the text or a word; a match always ends before a
            // non-word scalar, so the scan resumes there.
            if i == 0 || (!previousIsWord && isWord), let (end, output) = longestMatch(in: bytes, from: i) {
                hits.append(Hit(range: i..<end, ids: outputs[output].ids, surface: outputs[output].surface))
                i = end
                continue
            }
            previousIsWord = isWord
            i += length
        }
        return hits
    }

    /// End and output of the longest name at `start` that ends a word.
    private func longestMatch(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> (Int, Int)? {
        var node: Int32 = 0
        var best: (Int, Int)?
        var i = start
        walk: while i < bytes.count {
            let (scalar, length) = Self.decode(bytes, i)
            if scalar == "\u{2019}" || scalar == "\u{02BC}" {
                node = step(node, UInt8(ascii: "'"))
                if node < 0 { break walk }
            } else {
                for k in 0..<length {
                    node = step(node, bytes[i + k])
                    if node < 0 { break walk }
                }
            }
            i += length
            let output = terminal[Int(node)]
            if output >= 0, i == bytes.count || !Self.isWordScalar(Self.decode(bytes, i).0) {
                best = (i, Int(output))
            }
        }
        return best
    }
}

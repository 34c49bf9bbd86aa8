import Foundation

/// Finds entity names and aliases in text: whole words only, case-sensitive,
/// longest match first. A trie over Unicode scalars, so the cost per text is
/// linear in its length times the longest name, independent of how many
/// names there are.
public struct NameMatcher: Sendable {
    public struct Hit: Sendable, Hashable {
        /// UTF-8 byte range in the searched text.
        public let range: Range<Int>
        /// Every entity id that has this exact surface form.
        public let ids: [String]
        public let surface: String
    }

    private struct TrieNode: Sendable {
        var next: [Unicode.Scalar: Int] = [:]
        var ids: [String] = []
        var surface: String?
    }

    private var nodes = [TrieNode()]

    public init(names: [(surface: String, id: String)]) {
        for (surface, id) in names {
            // Authors type accents precomposed or not; index both forms. (Not
            // a Set: Swift's String equality would merge the two forms.)
            for form in [surface.precomposedStringWithCanonicalMapping, surface.decomposedStringWithCanonicalMapping] {
                insert(form, id: id, display: surface)
            }
        }
    }

    private mutating func insert(_ surface: String, id: String, display: String) {
        var node = 0
        for scalar in surface.unicodeScalars {
            let key = Self.fold(scalar)
            if let next = nodes[node].next[key] {
                node = next
            } else {
                nodes.append(TrieNode())
                nodes[node].next[key] = nodes.count - 1
                node = nodes.count - 1
            }
        }
        if !nodes[node].ids.contains(id) { nodes[node].ids.append(id) }
        nodes[node].surface = display
    }

    /// Straight and curly apostrophes are the same letter to a reader.
    static func fold(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        scalar == "\u{2019}" || scalar == "\u{02BC}" ? "'" : scalar
    }

    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            let v = scalar.value
            return (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) || v == 0x5F
        }
        let p = scalar.properties
        return p.isAlphabetic || p.numericType != nil || p.generalCategory == .nonspacingMark
            || p.generalCategory == .spacingMark || scalar == "_"
    }

    /// All non-overlapping matches in `text`, leftmost-longest.
    public func matches(in text: String) -> [Hit] {
        let scalars = Array(text.unicodeScalars)
        var offsets = [Int](repeating: 0, count: scalars.count + 1)
        for (i, s) in scalars.enumerated() { offsets[i + 1] = offsets[i] + UTF8.width(s) }
        var hits: [Hit] = []
        // Word-ness of each scalar, computed once (Unicode property lookups are costly).
        let isWord = scalars.map(Self.isWordScalar)
        var start = 0
        while start < scalars.count {
            if start > 0, isWord[start - 1] || !isWord[start] {
                start += 1
                continue
            }
            var node = 0
            var best: (end: Int, node: Int)?
            var i = start
            while i < scalars.count, let next = nodes[node].next[Self.fold(scalars[i])] {
                node = next
                i += 1
                if !nodes[node].ids.isEmpty, i == scalars.count || !isWord[i] {
                    best = (i, node)
                }
            }
            if let best {
                hits.append(Hit(range: offsets[start]..<offsets[best.end], ids: nodes[best.node].ids,
                                surface: nodes[best.node].surface ?? ""))
                start = best.end
            } else {
                start += 1
            }
        }
        return hits
    }
}

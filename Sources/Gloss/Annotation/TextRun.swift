/// The visible text of one block (paragraph, heading or table cell) with
/// white space collapsed, mapped back to the tree: each scalar knows the
/// node and UTF-8 offset it came from. Claim quotes and mention contexts are
/// read from runs, never from rendered HTML.
///
/// A class: a run is read many times once built (every mention and claim
/// quote of its block), and copying a value of seven arrays cost a retain
/// and release of each.
final class TextRun {
    /// 32-bit fields, 12 bytes a scalar (an optional of three `Int`s took
    /// 32): a run holds one per scalar of its block.
    struct Origin: Hashable {
        private let storedNode: Int32
        private let storedOffset: Int32
        private let storedWidth: UInt8

        init(node: Int, offset: Int, width: Int) {
            storedNode = Int32(node)
            storedOffset = Int32(offset)
            storedWidth = UInt8(width)
        }

        /// A scalar with no origin: the space of a line break.
        static let none = Origin(node: -1, offset: 0, width: 0)

        var node: Int { Int(storedNode) }
        var offset: Int { Int(storedOffset) }
        /// Length in UTF-8 bytes of the original text this scalar stands for.
        var width: Int { Int(storedWidth) }
    }

    let block: Markup
    /// The text as written, white space collapsed (for display).
    let scalars: [Unicode.Scalar]
    /// Per scalar; `Origin.none` where it stands for no text.
    private let origins: [Origin]
    /// Leaves (text and code nodes) of the block in order.
    let leaves: [Markup]
    /// Run positions holding each leaf's scalars (parallel to `leaves`):
    /// a leaf's origins are contiguous, so lookups need not scan the run.
    let leafPositions: [Range<Int>]
    /// `scalars` as UTF-8, and the byte offset of each scalar (plus the end):
    /// strings for display are cut from these bytes, which is far cheaper
    /// than building them scalar by scalar.
    private let utf8: [UInt8]
    private let byteOffsets: [Int32]
    /// The text as one string, built once (display, search, word counts).
    let text: String

    init(block: Markup) {
        self.block = block
        var builder = Builder(capacity: Builder.capacity(of: block))
        defer { builder.deallocate() }
        for child in block.children { builder.append(child) }
        (scalars, origins, utf8, byteOffsets) = builder.finish()
        (leaves, leafPositions) = (builder.leaves, builder.leafPositions)
        text = String(decoding: utf8, as: UTF8.self)
    }

    /// `text.split(separator: " ").count`, without grapheme breaking where
    /// it cannot matter: a space splits unless a neighbour joins it into a
    /// larger character (a combining mark after it, a prepended letter
    /// before), and ASCII, cased letters and quotes or dashes never do.
    var wordCount: Int {
        func plain(_ scalar: Unicode.Scalar) -> Bool {
            if scalar.isASCII { return true }
            switch scalar.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .initialPunctuation, .finalPunctuation, .dashPunctuation:
                return true
            default:
                return false
            }
        }
        var count = 0
        var inWord = false
        for index in scalars.indices {
            if scalars[index] == " " {
                guard index == 0 || plain(scalars[index - 1]), index + 1 == scalars.count || plain(scalars[index + 1]) else {
                    return text.split(separator: " ").count
                }
                inWord = false
            } else if !inWord {
                count += 1
                inWord = true
            }
        }
        return count
    }

    /// Scalars `range` of the run as a string.
    private func string(_ range: Range<Int>) -> String {
        String(decoding: utf8[Int(byteOffsets[range.lowerBound])..<Int(byteOffsets[range.upperBound])], as: UTF8.self)
    }

    /// Typographic and straight quotes match each other in claim quotes.
    static func foldQuotes(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        switch scalar {
        case "\u{2018}", "\u{2019}", "\u{02BC}": "'"
        case "\u{201C}", "\u{201D}": "\""
        default: scalar
        }
    }

    /// Whether `scalar` as written matches `folded`, a scalar of a
    /// normalised quote: only a straight quote stands for others.
    static func matches(_ scalar: Unicode.Scalar, folded: Unicode.Scalar) -> Bool {
        folded == "'" || folded == "\"" ? foldQuotes(scalar) == folded : scalar == folded
    }

    /// A quote as written in front matter, normalised like a run.
    static func normalize(_ text: String) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        for scalar in text.unicodeScalars {
            // ASCII's white space is U+0009–U+000D and the space.
            if scalar.isASCII ? scalar == " " || (0x09...0x0D).contains(scalar.value) : scalar.properties.isWhitespace {
                if !out.isEmpty, out.last != " " { out.append(" ") }
            } else {
                out.append(foldQuotes(scalar))
            }
        }
        while out.last == " " { out.removeLast() }
        return out
    }

    /// Start indices of every occurrence of a normalised `needle` in the
    /// run, typographic quotes folded.
    func occurrences(of needle: [Unicode.Scalar]) -> [Int] {
        guard let first = needle.first, needle.count <= scalars.count else { return [] }
        var result: [Int] = []
        for start in 0...(scalars.count - needle.count) where TextRun.matches(scalars[start], folded: first) {
            var matched = 1
            while matched < needle.count, TextRun.matches(scalars[start + matched], folded: needle[matched]) { matched += 1 }
            if matched == needle.count { result.append(start) }
        }
        return result
    }

    /// Per-leaf UTF-8 byte ranges covered by run positions `range`.
    func leafRanges(_ range: Range<Int>) -> [(node: Int, bytes: Range<Int>)] {
        var result: [(node: Int, bytes: Range<Int>)] = []
        for index in range {
            let origin = origins[index]
            guard origin != .none else { continue }
            let end = origin.offset + origin.width
            if let last = result.last, last.node == origin.node {
                result[result.count - 1].bytes = last.bytes.lowerBound..<max(last.bytes.upperBound, end)
            } else {
                result.append((origin.node, origin.offset..<end))
            }
        }
        return result
    }

    /// Run position of a leaf's UTF-8 offset, for mention contexts.
    func position(node: Int, offset: Int) -> Int? {
        guard let leaf = leaves.firstIndex(where: { $0.id == node }) else { return nil }
        return position(leaf: leaf, offset: offset)
    }

    /// Run position of UTF-8 `offset` in `leaves[leaf]`: the first scalar
    /// whose bytes cover it (offsets grow along a leaf, so binary search).
    func position(leaf: Int, offset: Int) -> Int? {
        let span = leafPositions[leaf].clamped(to: 0..<origins.count)
        var low = span.lowerBound, high = span.upperBound
        while low < high {
            let mid = (low + high) / 2
            let origin = origins[mid]
            if origin.offset + origin.width - 1 < offset { low = mid + 1 } else { high = mid }
        }
        guard low < span.upperBound, origins[low].offset <= offset else { return nil }
        return low
    }

    /// The sentence around run position `index`, for backlink excerpts.
    /// Abbreviations ("U.S.", "Mr.") do not end sentences, and a very short
    /// sentence (a bold lead-in such as "New START.") takes the next one too.
    func sentence(around index: Int, limit: Int = 280) -> String {
        guard !scalars.isEmpty else { return "" }
        let index = min(index, scalars.count - 1)
        var start = index
        while start > 0, !endsSentence(at: start - 1), index - start < limit { start -= 1 }
        var end = index
        while end < scalars.count, end - start < limit * 2 {
            end += 1
            if endsSentence(at: end - 1), wordCount(start..<end) >= 4 { break }
        }
        let cutBefore = start > 0 && !endsSentence(at: start - 1)
        let cutAfter = end < scalars.count && !endsSentence(at: end - 1)
        while start < end, scalars[start] == " " { start += 1 }
        while end > start, scalars[end - 1] == " " { end -= 1 }
        let sentence = string(start..<end)
        return (cutBefore ? "…" : "") + sentence + (cutAfter ? "…" : "")
    }

    private static let abbreviations: Set<String> = ["Mr", "Mrs", "Ms", "Dr", "St", "Gen", "Sen", "Rep", "Jr", "Sr",
                                                     "No", "vs", "Col", "Lt", "Adm", "Gov", "Prof", "Amb", "etc", "e.g", "i.e"]

    private static let longestAbbreviation = abbreviations.map(\.unicodeScalars.count).max() ?? 0

    /// A `.`, `!` or `?` (maybe followed by a closing quote) before a space
    /// and a capital letter or an opening quote, not ending an abbreviation.
    private func endsSentence(at i: Int) -> Bool {
        var last = i
        if Self.isClosing(scalars[last]), last > 0 { last -= 1 }
        let mark = scalars[last]
        guard mark == "." || mark == "!" || mark == "?" else { return false }
        let next = i + 1
        if next < scalars.count {
            guard scalars[next] == " ", next + 1 < scalars.count else { return false }
            let following = scalars[next + 1]
            guard Self.isUppercase(following) || following == "\"" || following == "\u{201C}"
                    || following == "\u{2018}" || following == "(" else { return false }
        }
        guard scalars[last] == "." else { return true }
        var wordStart = last
        while wordStart > 0, scalars[wordStart - 1] != " " { wordStart -= 1 }
        // Looked at as scalars, and made a String only when it could be one
        // of the abbreviations: this runs for every full stop near a mention.
        let length = last - wordStart
        // "U.S", "e.g". A word beyond ASCII is searched by characters, as a
        // String: a "." a combining mark is attached to is not a full stop.
        let scalarsOfWord = scalars[wordStart..<last]
        if scalarsOfWord.allSatisfy(\.isASCII) ? scalarsOfWord.contains(".") : string(wordStart..<last).contains(".") { return false }
        if length <= Self.longestAbbreviation, Self.abbreviations.contains(string(wordStart..<last)) { return false }
        return !(length == 1 && Self.isUppercase(scalars[wordStart]))
    }

    /// Unicode's property lookup, which is slow, only beyond ASCII.
    private static func isUppercase(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII ? (0x41...0x5A).contains(scalar.value) : scalar.properties.isUppercase
    }

    private static func isClosing(_ s: Unicode.Scalar) -> Bool {
        s == "\"" || s == "\u{201D}" || s == "\u{2019}" || s == "'" || s == ")"
    }

    /// Words in scalars `range`: maximal stretches without a space.
    private func wordCount(_ range: Range<Int>) -> Int {
        var count = 0
        var inWord = false
        for index in range {
            let isSpace = scalars[index] == " "
            if !isSpace, !inWord { count += 1 }
            inWord = !isSpace
        }
        return count
    }
}

import Foundation

/// The visible text of one block (paragraph, heading or table cell) with
/// white space collapsed, mapped back to the tree: each scalar knows the
/// node and UTF-8 offset it came from. Claim quotes and mention contexts are
/// read from runs, never from rendered HTML.
struct TextRun {
    struct Origin: Hashable {
        let node: Int
        let offset: Int
        /// Length in UTF-8 bytes of the original text this scalar stands for.
        let width: Int
    }

    let block: Markup
    private(set) var scalars: [Unicode.Scalar] = []
    private(set) var origins: [Origin?] = []
    /// Leaves (text and code nodes) of the block in order.
    private(set) var leaves: [Markup] = []

    init(block: Markup) {
        self.block = block
        for child in block.children { append(child) }
        while scalars.last == " " { scalars.removeLast(); origins.removeLast() }
    }

    var text: String { String(String.UnicodeScalarView(scalars)) }

    private mutating func space(_ origin: Origin?) {
        if !scalars.isEmpty, scalars.last != " " {
            scalars.append(" ")
            origins.append(origin)
        }
    }

    private mutating func append(_ node: Markup) {
        switch node.kind {
        case .text, .code:
            leaves.append(node)
            var offset = 0
            for scalar in (node.literal ?? "").unicodeScalars {
                let width = UTF8.width(scalar)
                let origin = Origin(node: node.id, offset: offset, width: width)
                if scalar.properties.isWhitespace {
                    space(origin)
                } else {
                    scalars.append(TextRun.foldQuotes(scalar))
                    origins.append(origin)
                }
                offset += width
            }
        case .softBreak, .lineBreak:
            space(nil)
        case .image, .htmlInline, .footnoteReference:
            break  // not part of the readable sentence
        default:
            for child in node.children { append(child) }
        }
    }

    /// Typographic and straight quotes match each other in claim quotes.
    static func foldQuotes(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        switch scalar {
        case "\u{2018}", "\u{2019}", "\u{02BC}": "'"
        case "\u{201C}", "\u{201D}": "\""
        default: scalar
        }
    }

    /// A quote as written in front matter, normalised like a run.
    static func normalize(_ text: String) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace {
                if !out.isEmpty, out.last != " " { out.append(" ") }
            } else {
                out.append(foldQuotes(scalar))
            }
        }
        while out.last == " " { out.removeLast() }
        return out
    }

    /// Start indices of every occurrence of `needle` in the run.
    func occurrences(of needle: [Unicode.Scalar]) -> [Int] {
        guard !needle.isEmpty, needle.count <= scalars.count else { return [] }
        var result: [Int] = []
        let first = needle[0]
        var i = 0
        while i + needle.count <= scalars.count {
            if scalars[i] == first, scalars[i..<(i + needle.count)].elementsEqual(needle) { result.append(i) }
            i += 1
        }
        return result
    }

    /// Per-leaf UTF-8 byte ranges covered by run positions `range`.
    func leafRanges(_ range: Range<Int>) -> [(node: Int, bytes: Range<Int>)] {
        var result: [(node: Int, bytes: Range<Int>)] = []
        for index in range {
            guard let origin = origins[index] else { continue }
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
        origins.firstIndex { $0?.node == node && ($0!.offset...($0!.offset + $0!.width - 1)).contains(offset) }
    }

    /// The sentence around run position `index`, for backlink excerpts.
    func sentence(around index: Int, limit: Int = 280) -> String {
        func isEnd(_ i: Int) -> Bool {
            (scalars[i] == "." || scalars[i] == "!" || scalars[i] == "?") && (i + 1 == scalars.count || scalars[i + 1] == " ")
        }
        var start = min(index, scalars.count - 1)
        while start > 0, !isEnd(start - 1), index - start < limit { start -= 1 }
        var end = index
        while end < scalars.count, index - start + end - index < limit * 2 {
            end += 1
            if isEnd(end - 1) { break }
        }
        var sentence = String(String.UnicodeScalarView(scalars[start..<end])).trimmingCharacters(in: .whitespaces)
        if start > 0, !isEnd(start - 1) { sentence = "…" + sentence }
        if end < scalars.count, !isEnd(end - 1) { sentence += "…" }
        return sentence
    }
}

import Foundation

/// What `gloss check` needs from one page of output: the ids it defines
/// and the URLs it refers to, each with its line. A scanner of start tags
/// and attributes, following the HTML tokenizer's rules closely enough for
/// generated pages: comments, doctypes and end tags are skipped, the text
/// of `script`, `style`, `textarea` and `title` is never read as markup,
/// attribute values may be double-, single- or unquoted and their character
/// references are decoded. The page itself is only read.
struct HTMLScan: Sendable {
    struct Reference: Sendable, Hashable {
        let tag: String
        let attribute: String
        let url: String
        let line: Int

        /// A link a reader follows (as opposed to an asset the page loads).
        var isNavigation: Bool { ["a", "area", "form"].contains(tag) }
    }

    /// Every id (and `<a name>`) with the line of its first definition.
    var ids: [String: Int] = [:]
    var duplicateIDs: [(id: String, line: Int)] = []
    /// In document order; for XML (feeds, sitemaps) the text of each
    /// `<loc>` element too, as a reference with tag "loc".
    var references: [Reference] = []

    /// Attributes holding one URL, by tag (`*` for any tag).
    static let urlAttributes: [String: Set<String>] = [
        "a": ["href"], "area": ["href"], "link": ["href"], "form": ["action"], "img": ["src"],
        "script": ["src"], "iframe": ["src"], "embed": ["src"], "source": ["src"], "track": ["src"],
        "audio": ["src"], "video": ["src", "poster"], "object": ["data"], "input": ["src"],
    ]
    static let rawTextElements: Set<String> = ["script", "style", "textarea", "title"]

    init(html: [UInt8], xml: Bool = false) {
        var scanner = Scanner(bytes: html)
        while let tag = scanner.nextStartTag() {
            record(tag)
            if !xml, Self.rawTextElements.contains(tag.name) { scanner.skipRawText(until: tag.name) }
            if xml, tag.name == "loc", let text = scanner.text(until: "</") {
                references.append(Reference(tag: "loc", attribute: "", url: Self.trim(Self.decode(text)), line: tag.line))
            }
        }
    }

    private mutating func record(_ tag: Scanner.Tag) {
        for (name, value) in tag.attributes {
            if name == "id" || (name == "name" && tag.name == "a") {
                if ids[value] == nil { ids[value] = tag.line } else if name == "id" { duplicateIDs.append((value, tag.line)) }
            }
            if Self.urlAttributes[tag.name]?.contains(name) == true {
                references.append(Reference(tag: tag.name, attribute: name, url: Self.trim(value), line: tag.line))
            } else if name == "srcset", tag.name == "img" || tag.name == "source" {
                for candidate in value.split(separator: ",") {
                    if let url = candidate.split(whereSeparator: \.isWhitespace).first {
                        references.append(Reference(tag: tag.name, attribute: name, url: String(url), line: tag.line))
                    }
                }
            }
        }
    }

    /// URLs in attributes may carry leading and trailing ASCII white space.
    static func trim(_ s: String) -> String {
        let utf8 = s.utf8
        guard let first = utf8.first, let last = utf8.last, isSpace(first) || isSpace(last) else { return s }
        let start = utf8.firstIndex { !isSpace($0) } ?? utf8.endIndex
        let end = utf8.lastIndex { !isSpace($0) }.map(utf8.index(after:)) ?? start
        return start < end ? String(s[start..<end]) : ""
    }

    /// HTML's ASCII white space.
    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0C || b == 0x0D }

    /// Decodes numeric character references and the named ones generated
    /// markup uses; anything else is left as written.
    static func decode(_ value: String) -> String {
        guard value.utf8.contains(UInt8(ascii: "&")) else { return value }
        var out = ""
        var rest = Substring(value)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            rest = rest[amp...]
            guard let semi = rest.prefix(12).firstIndex(of: ";") else { out += "&"; rest = rest.dropFirst(); continue }
            let name = rest[rest.index(after: rest.startIndex)..<semi]
            if let replacement = reference(name) {
                out += replacement
                rest = rest[rest.index(after: semi)...]
            } else {
                out += "&"
                rest = rest.dropFirst()
            }
        }
        return out + rest
    }

    private static func reference(_ name: Substring) -> String? {
        switch name {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos": return "'"
        case "nbsp": return "\u{A0}"
        default:
            guard name.hasPrefix("#") else { return nil }
            let digits = name.dropFirst()
            let code = digits.first == "x" || digits.first == "X" ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
            return code.flatMap(Unicode.Scalar.init).map { String(Character($0)) }
        }
    }
}

/// A byte cursor over the page that counts lines as it goes.
private struct Scanner {
    struct Tag {
        let name: String
        let attributes: [(String, String)]
        let line: Int
    }

    let bytes: [UInt8]
    var index = 0
    var line = 1

    init(bytes: [UInt8]) { self.bytes = bytes }

    private mutating func advance(_ n: Int = 1) {
        let end = min(index + n, bytes.count)
        while index < end {
            if bytes[index] == UInt8(ascii: "\n") { line += 1 }
            index += 1
        }
    }

    private func peek(_ offset: Int = 0) -> UInt8? {
        index + offset < bytes.count ? bytes[index + offset] : nil
    }

    private func startsWith(_ pattern: [UInt8], caseInsensitive: Bool = false) -> Bool {
        guard index + pattern.count <= bytes.count else { return false }
        for (i, p) in pattern.enumerated() {
            let b = bytes[index + i]
            if b != p && !(caseInsensitive && Self.lower(b) == p) { return false }
        }
        return true
    }

    private func startsWith(_ text: StaticString) -> Bool {
        startsWith(Array(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)))
    }

    /// Moves to the next occurrence of `pattern` (its first byte is plain
    /// ASCII, so it is found byte by byte without decoding), or to the end.
    private mutating func find(_ pattern: [UInt8], caseInsensitive: Bool = false) {
        while index < bytes.count {
            if bytes[index] == pattern[0], startsWith(pattern, caseInsensitive: caseInsensitive) { return }
            advance()
        }
    }

    private mutating func skip(past text: StaticString) {
        let pattern = Array(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        find(pattern)
        advance(pattern.count)
    }

    static func lower(_ b: UInt8) -> UInt8 { b >= 65 && b <= 90 ? b + 32 : b }
    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0C || b == 0x0D }
    static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 97 && (b | 0x20) <= 122 }

    mutating func nextStartTag() -> Tag? {
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "<") else { advance(); continue }
            if startsWith("<!--") { advance(4); skip(past: "-->"); continue }
            if startsWith("<![CDATA[") { skip(past: "]]>"); continue }
            if startsWith("<!") || startsWith("<?") || startsWith("</") { skip(past: ">"); continue }
            guard let next = peek(1), Self.isLetter(next) else { advance(); continue }
            return startTag()
        }
        return nil
    }

    private mutating func startTag() -> Tag {
        let line = self.line
        advance()
        let name = word { !Self.isSpace($0) && $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: ">") }.lowercased()
        var attributes: [(String, String)] = []
        while let b = peek() {
            if Self.isSpace(b) || b == UInt8(ascii: "/") { advance(); continue }
            if b == UInt8(ascii: ">") { advance(); break }
            let attribute = word(first: true) { !Self.isSpace($0) && $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: ">") && $0 != UInt8(ascii: "=") }
            while let s = peek(), Self.isSpace(s) { advance() }
            var value = ""
            if peek() == UInt8(ascii: "=") {
                advance()
                while let s = peek(), Self.isSpace(s) { advance() }
                if let quote = peek(), quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
                    advance()
                    value = word { $0 != quote }
                    advance()
                } else {
                    value = word { !Self.isSpace($0) && $0 != UInt8(ascii: ">") }
                }
            }
            attributes.append((attribute.lowercased(), HTMLScan.decode(value)))
        }
        return Tag(name: name, attributes: attributes, line: line)
    }

    /// The bytes from here while `accept` holds (the first one always, if `first`).
    private mutating func word(first: Bool = false, _ accept: (UInt8) -> Bool) -> String {
        let start = index
        if first, index < bytes.count { advance() }
        while let b = peek(), accept(b) { advance() }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    /// Skips the text of a raw text element up to its end tag.
    mutating func skipRawText(until name: String) {
        find(Array(("</" + name).utf8), caseInsensitive: true)
    }

    /// The text up to `end`, or nil if the file ends first.
    mutating func text(until end: String) -> String? {
        let start = index
        find(Array(end.utf8))
        return index < bytes.count ? String(decoding: bytes[start..<index], as: UTF8.self) : nil
    }
}

/// Escaping for XML 1.0 output (Atom, sitemap). Content from the archive
/// may hold any Unicode text; XML cannot carry some code points at all
/// (most C0 controls, U+FFFE, U+FFFF), not even as character references,
/// so those are dropped rather than written as a malformed document.
enum XMLText {
    /// Text between tags: `&`, `<` and `>` (the last so `]]>` can never appear).
    static func text(_ value: String) -> String { escape(value, quotes: false) }

    /// An attribute value written between double quotes.
    static func attribute(_ value: String) -> String { escape(value, quotes: true) }

    /// On UTF-8 bytes, copying runs that need nothing: feed entries carry
    /// whole article bodies, and escaping them scalar by scalar into a
    /// String was most of making the feeds.
    private static func escape(_ value: String, quotes: Bool) -> String {
        let needsWork = value.containsUTF8Byte { byte in
            byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">")
                || (quotes && (byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") || byte == 0x9 || byte == 0xA || byte == 0xD))
                || byte < 0x20 || byte == 0xEF  // 0xEF leads U+FFFE/U+FFFF in UTF-8
        }
        guard needsWork else { return value }
        var value = value
        return value.withUTF8 { bytes in
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + bytes.count / 8)
            var runStart = 0, i = 0
            func replace(_ replacement: StaticString, width: Int = 1) {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i]))
                out.append(contentsOf: UnsafeBufferPointer(start: replacement.utf8Start, count: replacement.utf8CodeUnitCount))
                i += width
                runStart = i
            }
            while i < bytes.count {
                switch bytes[i] {
                case UInt8(ascii: "&"): replace("&amp;")
                case UInt8(ascii: "<"): replace("&lt;")
                case UInt8(ascii: ">"): replace("&gt;")
                case UInt8(ascii: "\"") where quotes: replace("&quot;")
                case UInt8(ascii: "'") where quotes: replace("&apos;")
                // Attribute-value normalisation would turn these into spaces.
                case 0x9 where quotes: replace("&#9;")
                case 0xA where quotes: replace("&#10;")
                case 0xD: replace("&#13;")
                case 0x9, 0xA: i += 1
                case 0..<0x20: replace("")  // not allowed in XML
                case 0xEF where bytes[i + 1] == 0xBF && bytes[i + 2] >= 0xBE: replace("", width: 3)  // U+FFFE, U+FFFF
                default: i += 1
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
            return String(decoding: out, as: UTF8.self)
        }
    }
}

/// A small pretty-printing XML writer: elements are written in order, text
/// and attribute values always go through `XMLText`.
struct XMLWriter {
    private(set) var output = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
    private var depth = 0

    private static let indents = (0..<8).map { String(repeating: "  ", count: $0) }
    private var indent: String { depth < Self.indents.count ? Self.indents[depth] : String(repeating: "  ", count: depth) }

    /// ` name="value"` for each attribute with a value.
    private mutating func write(_ attributes: KeyValuePairs<String, String?>) {
        for (name, value) in attributes {
            guard let value else { continue }
            output += " "
            output += name
            output += "=\""
            output += XMLText.attribute(value)
            output += "\""
        }
    }

    mutating func open(_ name: String, _ attributes: KeyValuePairs<String, String?> = [:]) {
        output += indent + "<" + name
        write(attributes)
        output += ">\n"
        depth += 1
    }

    mutating func close(_ name: String) {
        depth -= 1
        output += indent + "</" + name + ">\n"
    }

    /// `<name attrs>text</name>`; nothing at all when `text` is nil.
    mutating func element(_ name: String, _ text: String?, _ attributes: KeyValuePairs<String, String?> = [:]) {
        guard let text else { return }
        output += indent + "<" + name
        write(attributes)
        output += ">"
        output += XMLText.text(text)
        output += "</" + name + ">\n"
    }

    /// `<name attrs/>`.
    mutating func empty(_ name: String, _ attributes: KeyValuePairs<String, String?>) {
        output += indent + "<" + name
        write(attributes)
        output += "/>\n"
    }
}

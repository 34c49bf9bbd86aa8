/// Escaping for XML 1.0 output (Atom, sitemap). Content from the archive
/// may hold any Unicode text; XML cannot carry some code points at all
/// (most C0 controls, U+FFFE, U+FFFF), not even as character references,
/// so those are dropped rather than written as a malformed document.
enum XMLText {
    /// Text between tags: `&`, `<` and `>` (the last so `]]>` can never appear).
    static func text(_ value: String) -> String { escape(value, quotes: false) }

    /// An attribute value written between double quotes.
    static func attribute(_ value: String) -> String { escape(value, quotes: true) }

    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }

    private static func escape(_ value: String, quotes: Bool) -> String {
        let needsWork = value.containsUTF8Byte { byte in
            byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">")
                || (quotes && (byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") || byte == 0x9 || byte == 0xA || byte == 0xD))
                || byte < 0x20 || byte == 0xEF  // 0xEF leads U+FFFE/U+FFFF in UTF-8
        }
        guard needsWork else { return value }
        var out = ""
        out.reserveCapacity(value.utf8.count + 16)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where quotes: out += "&quot;"
            case "'" where quotes: out += "&apos;"
            // Attribute-value normalisation would turn these into spaces.
            case "\t" where quotes: out += "&#9;"
            case "\n" where quotes: out += "&#10;"
            case "\r": out += "&#13;"
            default: if isAllowed(scalar) { out.unicodeScalars.append(scalar) }
            }
        }
        return out
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

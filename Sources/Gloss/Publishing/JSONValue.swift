import Foundation

/// A JSON value whose objects keep their keys in the order written, so the
/// files Gloss writes are deterministic and read naturally (`@type` first).
indirect enum JSONValue: Sendable, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral {
    case null
    case bool(Bool)
    case int(Int)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    init(stringLiteral value: String) { self = .string(value) }
    init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    init(booleanLiteral value: Bool) { self = .bool(value) }
    init(integerLiteral value: Int) { self = .int(value) }

    /// `null` when absent.
    static func string(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }
    static func strings(_ values: [String]) -> JSONValue { .array(values.map { .string($0) }) }

    var isEmpty: Bool {
        switch self {
        case .null: true
        case .array(let items): items.isEmpty
        default: false
        }
    }
}

/// A JSON object as an ordered list of members.
struct JSONObject: Sendable, ExpressibleByDictionaryLiteral {
    private(set) var members: [(key: String, value: JSONValue)]

    init(dictionaryLiteral elements: (String, JSONValue)...) {
        members = elements.map { (key: $0.0, value: $0.1) }
    }

    init(_ members: [(key: String, value: JSONValue)]) { self.members = members }

    subscript(key: String) -> JSONValue? {
        get { members.first { $0.key == key }?.value }
        set {
            if let index = members.firstIndex(where: { $0.key == key }) {
                if let newValue { members[index].value = newValue } else { members.remove(at: index) }
            } else if let newValue {
                members.append((key, newValue))
            }
        }
    }
}

extension JSONValue {
    /// How strings are escaped.
    enum Escaping {
        /// Standard JSON.
        case standard
        /// Also `<`, `>` and `&` as `\u003c`, `\u003e`, `\u0026`: the text can
        /// then never close a `<script>` element, open an HTML comment or
        /// start a character reference, and still parses as the same JSON.
        case script
    }

    /// Compact (one line) or indented by two spaces; `omitEmpty` drops
    /// object members that are null or empty arrays (for JSON-LD).
    func serialized(pretty: Bool = false, escaping: Escaping = .standard, omitEmpty: Bool = false) -> String {
        var out = ""
        write(into: &out, depth: 0, pretty: pretty, escaping: escaping, omitEmpty: omitEmpty)
        if pretty { out += "\n" }
        return out
    }

    /// An item of `prettyDocument`'s list, written on its own (so it can be kept).
    var prettyItem: String {
        var out = ""
        write(into: &out, depth: 2, pretty: true, escaping: .standard, omitEmpty: false)
        return out
    }

    /// What `.object(head + [listKey: .array(items)]).serialized(pretty: true)`
    /// gives, as bytes handed to `append` in pieces of about 256 KB, from
    /// `count` items written with `prettyItem` that `item` gives one at a
    /// time: the largest export is hundreds of megabytes on a large archive,
    /// and neither it nor its items are ever held whole.
    static func prettyDocument(_ head: JSONObject, listKey: String, count: Int, item: (Int) -> String,
                               to append: (UnsafeRawBufferPointer) -> Void) {
        var piece = "{"
        for member in head.members {
            piece += "\n  "
            quote(member.key, into: &piece, escaping: .standard)
            piece += ": "
            member.value.write(into: &piece, depth: 1, pretty: true, escaping: .standard, omitEmpty: false)
            piece += ","
        }
        piece += "\n  "
        quote(listKey, into: &piece, escaping: .standard)
        piece += count == 0 ? ": []" : ": ["
        func flush() {
            piece.withUTF8 { append(UnsafeRawBufferPointer($0)) }
            piece = ""
        }
        for index in 0..<count {
            piece += index > 0 ? ",\n    " : "\n    "
            piece += item(index)
            if piece.utf8.count >= 1 << 18 { flush() }
        }
        piece += count == 0 ? "\n}\n" : "\n  ]\n}\n"
        flush()
    }

    private func write(into out: inout String, depth: Int, pretty: Bool, escaping: Escaping, omitEmpty: Bool) {
        func newline(_ level: Int) {
            if pretty { out += "\n" + String(repeating: "  ", count: level) }
        }
        switch self {
        case .null: out += "null"
        case .bool(let flag): out += flag ? "true" : "false"
        case .int(let number): out += String(number)
        case .string(let text): Self.quote(text, into: &out, escaping: escaping)
        case .array(let items):
            guard !items.isEmpty else { out += "[]"; return }
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                newline(depth + 1)
                item.write(into: &out, depth: depth + 1, pretty: pretty, escaping: escaping, omitEmpty: omitEmpty)
            }
            newline(depth)
            out += "]"
        case .object(let object):
            out += "{"
            var written = 0
            for member in object.members where !(omitEmpty && member.value.isEmpty) {
                if written > 0 { out += "," }
                written += 1
                newline(depth + 1)
                Self.quote(member.key, into: &out, escaping: escaping)
                out += pretty ? ": " : ":"
                member.value.write(into: &out, depth: depth + 1, pretty: pretty, escaping: escaping, omitEmpty: omitEmpty)
            }
            if written > 0 { newline(depth) }
            out += "}"
        }
    }

    private static let hex = Array("0123456789abcdef")

    static func quote(_ text: String, into out: inout String, escaping: Escaping) {
        out += "\""
        let script = escaping == .script
        let plain = !text.containsUTF8Byte { byte in
            byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == 0xE2  // 0xE2 leads U+2028/9
                || (script && (byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "&")))
        }
        if plain {
            out += text
        } else {
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case "<" where script, ">" where script, "&" where script, "\u{2028}", "\u{2029}":
                    unicodeEscape(scalar.value, into: &out)
                default:
                    if scalar.value < 0x20 { unicodeEscape(scalar.value, into: &out) } else { out.unicodeScalars.append(scalar) }
                }
            }
        }
        out += "\""
    }

    /// `\u00XX` for a code point in the Basic Multilingual Plane.
    private static func unicodeEscape(_ value: UInt32, into out: inout String) {
        out += "\\u"
        for shift in stride(from: 12, through: 0, by: -4) { out.append(hex[Int((value >> UInt32(shift)) & 0xF)]) }
    }
}

extension String {
    /// Whether any of the string's UTF-8 bytes satisfies `predicate`, read in
    /// place: iterating `utf8` cost more than the escaping it decides on.
    func containsUTF8Byte(where predicate: (UInt8) -> Bool) -> Bool {
        var text = self
        return text.withUTF8 { $0.contains(where: predicate) }
    }
}

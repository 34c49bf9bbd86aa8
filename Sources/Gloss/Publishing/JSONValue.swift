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
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        write(into: &out, depth: 0, pretty: pretty, escaping: escaping, omitEmpty: omitEmpty)
        if pretty { out.append(UInt8(ascii: "\n")) }
        return String(decoding: out, as: UTF8.self)
    }

    /// An item of `prettyDocument`'s list, written on its own (so it can be kept).
    var prettyItem: String {
        var out: [UInt8] = []
        write(into: &out, depth: 2, pretty: true, escaping: .standard, omitEmpty: false)
        return String(decoding: out, as: UTF8.self)
    }

    /// What `.object(head + [listKey: .array(items)]).serialized(pretty: true)`
    /// gives, as bytes handed to `append` in pieces of about 256 KB, from
    /// `count` items written with `prettyItem` that `item` gives one at a
    /// time: the largest export is hundreds of megabytes on a large archive,
    /// and neither it nor its items are ever held whole.
    static func prettyDocument(_ head: JSONObject, listKey: String, count: Int, item: (Int) -> String,
                               to append: (UnsafeRawBufferPointer) -> Void) {
        var piece: [UInt8] = Array("{".utf8)
        for member in head.members {
            piece += "\n  ".utf8
            quote(member.key, into: &piece, escaping: .standard)
            piece += ": ".utf8
            member.value.write(into: &piece, depth: 1, pretty: true, escaping: .standard, omitEmpty: false)
            piece.append(UInt8(ascii: ","))
        }
        piece += "\n  ".utf8
        quote(listKey, into: &piece, escaping: .standard)
        piece += (count == 0 ? ": []" : ": [").utf8
        func flush() {
            piece.withUnsafeBytes(append)
            piece.removeAll(keepingCapacity: true)
        }
        for index in 0..<count {
            piece += (index > 0 ? ",\n    " : "\n    ").utf8
            piece += item(index).utf8
            if piece.count >= 1 << 18 { flush() }
        }
        piece += (count == 0 ? "\n}\n" : "\n  ]\n}\n").utf8
        flush()
    }

    /// Appends the value on one line.
    func write(into out: inout [UInt8], escaping: Escaping, omitEmpty: Bool) {
        write(into: &out, depth: 0, pretty: false, escaping: escaping, omitEmpty: omitEmpty)
    }

    /// Written as UTF-8 bytes: appending to a String checked its capacity
    /// and ASCII-ness on every piece, and was most of writing JSON.
    private func write(into out: inout [UInt8], depth: Int, pretty: Bool, escaping: Escaping, omitEmpty: Bool) {
        func newline(_ level: Int) {
            guard pretty else { return }
            out.append(UInt8(ascii: "\n"))
            out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * level))
        }
        switch self {
        case .null: out += "null".utf8
        case .bool(let flag): out += (flag ? "true" : "false").utf8
        case .int(let number): out += String(number).utf8
        case .string(let text): Self.quote(text, into: &out, escaping: escaping)
        case .array(let items):
            guard !items.isEmpty else { out += "[]".utf8; return }
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                newline(depth + 1)
                item.write(into: &out, depth: depth + 1, pretty: pretty, escaping: escaping, omitEmpty: omitEmpty)
            }
            newline(depth)
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            out.append(UInt8(ascii: "{"))
            var written = 0
            for member in object.members where !(omitEmpty && member.value.isEmpty) {
                if written > 0 { out.append(UInt8(ascii: ",")) }
                written += 1
                newline(depth + 1)
                Self.quote(member.key, into: &out, escaping: escaping)
                out += (pretty ? ": " : ":").utf8
                member.value.write(into: &out, depth: depth + 1, pretty: pretty, escaping: escaping, omitEmpty: omitEmpty)
            }
            if written > 0 { newline(depth) }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static let hex = Array("0123456789abcdef".utf8)

    /// `text` as a JSON string. Escaped: `"`, `\`, control characters, U+2028
    /// and U+2029 (line ends to JavaScript), and with `.script` `<`, `>`, `&`.
    static func quote(_ text: String, into out: inout [UInt8], escaping: Escaping) {
        out.append(UInt8(ascii: "\""))
        let script = escaping == .script
        var text = text
        text.withUTF8 { bytes in
            var plainFrom = 0
            var i = 0
            func escape(_ replacement: some Sequence<UInt8>, width: Int) {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[plainFrom..<i]))
                out.append(contentsOf: replacement)
                i += width
                plainFrom = i
            }
            while i < bytes.count {
                let byte = bytes[i]
                switch byte {
                case UInt8(ascii: "\""): escape(#"\""#.utf8, width: 1)
                case UInt8(ascii: "\\"): escape(#"\\"#.utf8, width: 1)
                case UInt8(ascii: "\n"): escape(#"\n"#.utf8, width: 1)
                case UInt8(ascii: "\r"): escape(#"\r"#.utf8, width: 1)
                case UInt8(ascii: "\t"): escape(#"\t"#.utf8, width: 1)
                case 0..<0x20: escape(unicodeEscape(UInt32(byte)), width: 1)
                case UInt8(ascii: "<") where script, UInt8(ascii: ">") where script, UInt8(ascii: "&") where script:
                    escape(unicodeEscape(UInt32(byte)), width: 1)
                case 0xE2 where bytes[i + 1] == 0x80 && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9):
                    escape(unicodeEscape(0x2000 | UInt32(bytes[i + 2] & 0x3F)), width: 3)
                default:
                    i += 1
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[plainFrom...]))
        }
        out.append(UInt8(ascii: "\""))
    }

    /// `\u00XX` for a code point in the Basic Multilingual Plane.
    private static func unicodeEscape(_ value: UInt32) -> [UInt8] {
        [UInt8(ascii: "\\"), UInt8(ascii: "u")] + stride(from: 12, through: 0, by: -4).map { hex[Int((value >> UInt32($0)) & 0xF)] }
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

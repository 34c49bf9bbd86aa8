/// Mustache text → `TemplateNode` tree, in three passes over UTF-8 bytes:
/// split into text and tags (one text piece per line), drop the lines that
/// hold only a standalone tag (as the Mustache spec says), then nest sections.
struct TemplateParser {
    private let bytes: [UInt8]
    private var references: [(name: String, offset: Int)] = []

    init(_ text: String) { bytes = Array(text.utf8) }

    enum TagKind: Equatable {
        case variable, unescaped, section, inverted, close, comment, partial, parent, block, delimiters

        /// Tags that take a line to themselves away from the output.
        var canStandAlone: Bool { ![.variable, .unescaped].contains(self) }
    }

    struct Tag {
        let kind: TagKind
        let name: String
        let offset: Int
    }

    enum Piece {
        case text(ArraySlice<UInt8>)
        case tag(Tag, indentation: ArraySlice<UInt8>)
    }

    mutating func parse() throws(TemplateSyntaxError) -> ([TemplateNode], [(name: String, offset: Int)]) {
        let pieces = Self.removingStandaloneLines(try lex())
        var index = 0
        let nodes = try nest(pieces, from: &index, closing: nil)
        return (nodes, references)
    }

    // MARK: Pass 1: text and tags

    private func lex() throws(TemplateSyntaxError) -> [Piece] {
        var pieces: [Piece] = []
        var (open, close) = (Array("{{".utf8), Array("}}".utf8))
        var i = 0, textStart = 0
        func flushText(upTo end: Int) {
            if end > textStart { pieces.append(.text(bytes[textStart..<end])) }
        }
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "\n") {
                flushText(upTo: i + 1)
                i += 1
                textStart = i
                continue
            }
            guard starts(with: open, at: i) else { i += 1; continue }
            flushText(upTo: i)
            let tagStart = i
            i += open.count
            let sigil = i < bytes.count ? bytes[i] : 0
            var kind = TagKind.variable
            var closer = close
            switch sigil {
            case UInt8(ascii: "#"): kind = .section
            case UInt8(ascii: "^"): kind = .inverted
            case UInt8(ascii: "/"): kind = .close
            case UInt8(ascii: "!"): kind = .comment
            case UInt8(ascii: ">"): kind = .partial
            case UInt8(ascii: "<"): kind = .parent
            case UInt8(ascii: "$"): kind = .block
            case UInt8(ascii: "&"): kind = .unescaped
            case UInt8(ascii: "="): kind = .delimiters; closer = [UInt8(ascii: "=")] + close
            case UInt8(ascii: "{") where open == Array("{{".utf8): kind = .unescaped; closer = [UInt8(ascii: "}")] + close
            default: break
            }
            if kind != .variable { i += 1 }
            guard let end = firstIndex(of: closer, from: i) else {
                throw TemplateSyntaxError(message: "a tag is not closed with \(String(decoding: close, as: UTF8.self))", offset: tagStart)
            }
            let content = String(decoding: bytes[i..<end], as: UTF8.self).trimmingASCIIWhitespace
            i = end + closer.count
            textStart = i
            if kind == .delimiters {
                let parts = content.split(whereSeparator: { $0 == " " || $0 == "\t" })
                guard parts.count == 2 else {
                    throw TemplateSyntaxError(message: "set delimiters as {{=<% %>=}}: two delimiters separated by a space", offset: tagStart)
                }
                (open, close) = (Array(parts[0].utf8), Array(parts[1].utf8))
            }
            if kind != .comment && kind != .delimiters && content.isEmpty {
                throw TemplateSyntaxError(message: "a tag has no name", offset: tagStart)
            }
            pieces.append(.tag(Tag(kind: kind, name: content, offset: tagStart), indentation: []))
        }
        flushText(upTo: bytes.count)
        return pieces
    }

    private func starts(with marker: [UInt8], at index: Int) -> Bool {
        guard index + marker.count <= bytes.count else { return false }
        for k in 0..<marker.count where bytes[index + k] != marker[k] { return false }
        return true
    }

    private func firstIndex(of marker: [UInt8], from start: Int) -> Int? {
        var i = start
        while i + marker.count <= bytes.count {
            if starts(with: marker, at: i) { return i }
            i += 1
        }
        return nil
    }

    // MARK: Pass 2: standalone lines

    /// A line holding one section, comment, partial or similar tag and
    /// otherwise only spaces is removed from the output, newline included;
    /// its leading spaces become the indentation of a partial.
    static func removingStandaloneLines(_ pieces: [Piece]) -> [Piece] {
        var result: [Piece] = []
        var lineStart = 0
        while lineStart < pieces.count {
            var lineEnd = lineStart
            while lineEnd < pieces.count {
                if case .text(let text) = pieces[lineEnd], text.last == UInt8(ascii: "\n") { break }
                lineEnd += 1
            }
            let line = pieces[lineStart..<min(lineEnd + 1, pieces.count)]
            lineStart = lineEnd + 1
            var tag: Tag?, indentation: ArraySlice<UInt8> = []
            var standalone = true
            for piece in line {
                switch piece {
                case .tag(let t, _):
                    if tag != nil || !t.kind.canStandAlone { standalone = false }
                    tag = t
                case .text(let text):
                    guard text.allSatisfy({ [0x20, 0x09, 0x0A, 0x0D].contains($0) }) else { standalone = false; break }
                    if tag == nil { indentation = text }
                }
                if !standalone { break }
            }
            if standalone, let tag {
                result.append(.tag(tag, indentation: indentation))
            } else {
                result.append(contentsOf: line)
            }
        }
        return result
    }

    // MARK: Pass 3: nesting

    private mutating func nest(_ pieces: [Piece], from index: inout Int, closing open: Tag?) throws(TemplateSyntaxError) -> [TemplateNode] {
        var nodes: [TemplateNode] = []
        while index < pieces.count {
            let piece = pieces[index]
            index += 1
            guard case .tag(let tag, let indentation) = piece else {
                if case .text(let text) = piece {
                    if case .text(let previous) = nodes.last, previous.last != UInt8(ascii: "\n") {
                        nodes[nodes.count - 1] = .text(previous + text)  // text split only by a comment
                    } else {
                        nodes.append(.text(Array(text)))
                    }
                }
                continue
            }
            switch tag.kind {
            case .comment, .delimiters: continue
            case .variable, .unescaped:
                nodes.append(.variable(try path(tag), escaped: tag.kind == .variable))
            case .section, .inverted:
                let body = try nest(pieces, from: &index, closing: tag)
                nodes.append(.section(try path(tag), body, inverted: tag.kind == .inverted))
            case .block:
                nodes.append(.block(tag.name, defaultNodes: try nest(pieces, from: &index, closing: tag)))
            case .partial:
                references.append((tag.name, tag.offset))
                nodes.append(.partial(tag.name, indentation: Array(indentation)))
            case .parent:
                references.append((tag.name, tag.offset))
                var blocks: [String: [TemplateNode]] = [:]
                for child in try nest(pieces, from: &index, closing: tag) {
                    switch child {
                    case .block(let name, let body): blocks[name] = body
                    case .text: continue  // text between block definitions is not output
                    default:
                        throw TemplateSyntaxError(message: "only {{$block}} definitions may appear inside {{<\(tag.name)}}", offset: tag.offset)
                    }
                }
                nodes.append(.parent(tag.name, indentation: Array(indentation), blocks: blocks))
            case .close:
                guard let open else {
                    throw TemplateSyntaxError(message: "closing tag {{/\(tag.name)}} has no open section", offset: tag.offset)
                }
                guard open.name == tag.name else {
                    throw TemplateSyntaxError(message: "closing tag does not match the open section: {{/\(tag.name)}} after {{#\(open.name)}}", offset: tag.offset)
                }
                return nodes
            }
        }
        if let open {
            throw TemplateSyntaxError(message: "a section is not closed: {{/\(open.name)}} is missing", offset: open.offset)
        }
        return nodes
    }

    /// `a(b(page.title))` → names [page, title], functions [b, a].
    private func path(_ tag: Tag) throws(TemplateSyntaxError) -> TemplatePath {
        var text = Substring(tag.name)
        var functions: [String] = []
        while let paren = text.firstIndex(of: "(") {
            guard text.last == ")" else { throw TemplateSyntaxError(message: "'\(tag.name)' is missing a ')'", offset: tag.offset) }
            let function = String(text[..<paren])
            guard TemplateFunction.names.contains(function) else {
                let hint = Suggestion.closest(to: function, in: TemplateFunction.names.sorted()).map { "; did you mean '\($0)'?" } ?? ""
                throw TemplateSyntaxError(message: "unknown function '\(function)'\(hint)", offset: tag.offset)
            }
            functions.insert(function, at: 0)
            text = text[text.index(after: paren)..<text.index(before: text.endIndex)]
        }
        let allowed = { (c: Character) in c.isLetter || c.isNumber || "._-?*".contains(c) }
        guard text.allSatisfy(allowed), !text.contains(" ") else {
            throw TemplateSyntaxError(message: "'\(tag.name)' is not a valid name", offset: tag.offset)
        }
        if text == "." { return TemplatePath(names: [], functions: functions, currentOnly: true) }
        let currentOnly = text.hasPrefix(".")
        return TemplatePath(names: text.split(separator: ".").map(String.init), functions: functions, currentOnly: currentOnly)
    }
}

extension String {
    var trimmingASCIIWhitespace: String {
        let trimmed = utf8.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        var end = trimmed.endIndex
        while end > trimmed.startIndex, [0x20, 0x09, 0x0A, 0x0D].contains(utf8[utf8.index(before: end)]) { end = utf8.index(before: end) }
        return String(self[trimmed.startIndex..<end])
    }
}

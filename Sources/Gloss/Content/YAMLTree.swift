import CYaml

/// One YAML document composed into owned Swift values, each node with the
/// line and column where it is written. The only file that calls libyaml
/// (the copy Yams builds and links), as `CommonMarkDocument` is cmark-gfm's.
///
/// Front matter is read through libyaml's events rather than Yams' node
/// tree: Yams allocates an event object, a tag object and an enum tree per
/// value, and that composing was three quarters of reading front matter
/// (libyaml itself a sixth). Here the nodes sit in one array, children are
/// index ranges, and a scalar's text is the only allocation.
struct YAMLTree: Sendable {
    struct Node: Sendable {
        enum Kind: UInt8, Sendable { case scalar, sequence, mapping }
        let kind: Kind
        /// An unquoted scalar: only these can mean null.
        let plain: Bool
        /// A tag written for the node, other than `!`: nil for most.
        let tag: String?
        /// A scalar with no tag, `!` or `!!str`: one that can name a field
        /// (Yams' test for a key: equal text, resolved to a string).
        var stringTag: Bool { kind == .scalar && (tag == nil || tag == Self.stringTagName) }
        static let stringTagName = "tag:yaml.org,2002:str"
        /// 1-based, in the composed text; columns count characters.
        let line: Int, column: Int
        /// A scalar's text; empty for collections.
        let text: String
        /// A collection's children: `children[start..<end]` (a mapping's
        /// are key, value, key, value…).
        let start: Int, end: Int
    }

    /// Where composing stopped, in libyaml's words (`problem`, and the
    /// construct being read, `context`). Marks are 1-based.
    struct Failure: Error, Sendable {
        let problem: String
        let context: String?
        let line: Int, column: Int
        /// For a key written twice: the key (nil for a list or mapping), and
        /// the line of its first use.
        var duplicate: (key: String?, line: Int)?
    }

    private(set) var nodes: [Node] = []
    private(set) var children: [Int] = []
    /// The document's root node, or nil for a stream with no document
    /// (empty text, or only comments).
    private(set) var root: Int?

    func items(of node: Int) -> ArraySlice<Int> { children[nodes[node].start..<nodes[node].end] }

    /// The text of scalar `node`, or nil for a collection.
    func string(_ node: Int) -> String? { nodes[node].kind == .scalar ? nodes[node].text : nil }

    /// Composes `yaml`, which must hold at most one document.
    static func compose(_ yaml: String) throws(Failure) -> YAMLTree {
        var text = yaml
        let composed = text.withUTF8 { bytes in
            var composer = Composer(bytes: bytes)
            return Result { () throws(Failure) in try composer.run() }
        }
        return try composed.get()
    }

    private struct Composer {
        let bytes: UnsafeBufferPointer<UInt8>
        var tree = YAMLTree()
        var parser = yaml_parser_t()
        var anchors: [String: Int] = [:]

        mutating func run() throws(Failure) -> YAMLTree {
            guard yaml_parser_initialize(&parser) == 1 else { throw Failure(problem: "out of memory", context: nil, line: 1, column: 1) }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
            var event = try next()  // stream start
            yaml_event_delete(&event)
            event = try next()
            if event.type == YAML_DOCUMENT_START_EVENT {
                yaml_event_delete(&event)
                tree.root = try node(from: try next())
                event = try next()  // document end
                yaml_event_delete(&event)
                event = try next()
                if event.type != YAML_STREAM_END_EVENT {
                    let mark = event.start_mark
                    yaml_event_delete(&event)
                    throw Failure(problem: "found a second document where one is expected", context: nil,
                                  line: Int(mark.line) + 1, column: Int(mark.column) + 1)
                }
            }
            yaml_event_delete(&event)
            return tree
        }

        private mutating func next() throws(Failure) -> yaml_event_t {
            var event = yaml_event_t()
            guard yaml_parser_parse(&parser, &event) == 1 else { throw failure() }
            return event
        }

        private func failure() -> Failure {
            let problem = parser.problem.map { String(cString: $0) } ?? "cannot be read"
            let context = parser.context.map { String(cString: $0) }
            guard parser.error == YAML_READER_ERROR else {
                let mark = parser.problem_mark
                return Failure(problem: problem, context: context, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
            }
            // A reader error (a character YAML does not allow) has a byte offset, not a mark.
            let before = bytes.prefix(min(Int(parser.problem_offset), bytes.count))
            let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
            let column = String(decoding: UnsafeBufferPointer(rebasing: bytes[lineStart..<before.endIndex]), as: UTF8.self)
                .unicodeScalars.count + 1
            return Failure(problem: problem, context: context, line: before.count { $0 == UInt8(ascii: "\n") } + 1, column: column)
        }

        /// The node that `event` starts (and owns; it is deleted here), read to its end.
        private mutating func node(from first: yaml_event_t) throws(Failure) -> Int {
            var event = first
            defer { yaml_event_delete(&event) }
            let line = Int(event.start_mark.line) + 1, column = Int(event.start_mark.column) + 1
            switch event.type {
            case YAML_ALIAS_EVENT:
                guard let found = anchors[Self.string(event.data.alias.anchor)] else {
                    throw Failure(problem: "found undefined alias", context: nil, line: line, column: column)
                }
                return found
            case YAML_SCALAR_EVENT:
                let scalar = event.data.scalar
                var bytes = UnsafeBufferPointer(start: scalar.value, count: Int(scalar.length))
                // As Yams reads a value (Foundation's UTF-8 decoding): a
                // byte-order mark that starts it is not part of it.
                if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = UnsafeBufferPointer(rebasing: bytes.dropFirst(3)) }
                return add(Node(kind: .scalar, plain: scalar.style == YAML_PLAIN_SCALAR_STYLE, tag: Self.tag(scalar.tag),
                                line: line, column: column, text: String(decoding: bytes, as: UTF8.self), start: 0, end: 0),
                           anchor: scalar.anchor)
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                let isMapping = event.type == YAML_MAPPING_START_EVENT
                let anchor = isMapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor
                let tag = Self.tag(isMapping ? event.data.mapping_start.tag : event.data.sequence_start.tag)
                let endType = isMapping ? YAML_MAPPING_END_EVENT : YAML_SEQUENCE_END_EVENT
                // Where each item is written: an alias's node is its anchor's, written elsewhere.
                var marks: [(line: Int, column: Int)] = []
                var items: [Int] = []
                while true {
                    let child = try next()
                    if child.type == endType {
                        var end = child
                        yaml_event_delete(&end)
                        break
                    }
                    marks.append((Int(child.start_mark.line) + 1, Int(child.start_mark.column) + 1))
                    items.append(try node(from: child))
                }
                if isMapping { try checkDuplicateKeys(items, marks) }
                let start = tree.children.count
                tree.children += items
                return add(Node(kind: isMapping ? .mapping : .sequence, plain: false, tag: tag, line: line,
                                column: column, text: "", start: start, end: tree.children.count), anchor: anchor)
            default:
                throw Failure(problem: "unexpected event", context: nil, line: line, column: column)
            }
        }

        private mutating func add(_ node: Node, anchor: UnsafeMutablePointer<yaml_char_t>?) -> Int {
            tree.nodes.append(node)
            if let anchor { anchors[Self.string(anchor)] = tree.nodes.count - 1 }
            return tree.nodes.count - 1
        }

        /// A key written twice is an error, as in Yams (equal text and tag,
        /// or equal lists or mappings), but at the second key and naming the
        /// first (Yams pointed at line 1).
        private func checkDuplicateKeys(_ items: [Int], _ marks: [(line: Int, column: Int)]) throws(Failure) {
            // Field names by their text; any other key by a spelling of its whole value.
            var names: [String: Int] = [:], others: [String: Int] = [:]
            for key in stride(from: 0, to: items.count, by: 2) {
                let node = tree.nodes[items[key]], mark = marks[key]
                let first = node.stringTag ? names.updateValue(mark.line, forKey: node.text)
                    : others.updateValue(mark.line, forKey: identity(items[key]))
                if let first {
                    let name = node.kind == .scalar ? node.text : nil
                    throw Failure(problem: "duplicate key", context: nil, line: mark.line, column: mark.column,
                                  duplicate: (name, first))
                }
            }
        }

        /// A node's tag and value as text: equal for nodes Yams finds equal.
        private func identity(_ index: Int) -> String {
            let node = tree.nodes[index]
            switch node.kind {
            // Lengths first (in characters, which texts Swift finds equal
            // share), so that no text can read as the end of another.
            case .scalar: return "s \(node.tag ?? Node.stringTagName) \(node.text.count) \(node.text)"
            case .sequence, .mapping:
                let items = tree.items(of: index).map(identity).map { "\($0.count) \($0)" }.joined()
                let tag = node.tag ?? (node.kind == .sequence ? "tag:yaml.org,2002:seq" : "tag:yaml.org,2002:map")
                return "\(node.kind == .sequence ? "q" : "m") \(tag) [\(items)]"
            }
        }

        private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String {
            guard let pointer else { return "" }
            return String(cString: UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self))
        }

        /// A tag as written, expanded (`!!str` is `tag:yaml.org,2002:str`); nil for none or `!`.
        private static func tag(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
            guard let pointer else { return nil }
            let name = string(pointer)
            return name == "!" ? nil : name
        }
    }
}

import Foundation

/// Typed, located access to one YAML mapping of front matter.
///
/// We walk the composed node tree (`YAMLTree`) instead of `Codable` because
/// every value then keeps its line and column, so "unknown entity 'x'" can
/// point at the exact list item. Composing never constructs values: every
/// value is read as text and typed here.
public struct YAMLFields {
    public let path: String
    let lineOffset: Int
    private let tree: YAMLTree
    /// The mapping node read, or nil for empty front matter.
    private let mapping: Int?
    let location: SourceLocation
    public private(set) var diagnostics = Diagnostics()
    /// The fields a typed reader asked for, found or not: the others are
    /// shown as facts. A dozen names, looked through once per entity.
    private var asked: [String] = []

    init(path: String, lineOffset: Int, tree: YAMLTree, mapping: Int?, location: SourceLocation) {
        self.path = path
        self.lineOffset = lineOffset
        self.tree = tree
        self.mapping = mapping
        self.location = location
    }

    /// The mapping's (key, value) nodes, in file order.
    private var pairs: [(key: Int, value: Int)] {
        guard let mapping else { return [] }
        let items = tree.items(of: mapping)
        return stride(from: items.startIndex, to: items.endIndex, by: 2).map { (items[$0], items[$0 + 1]) }
    }

    /// The value of field `key` (a string-tagged scalar key equal to it),
    /// noting it asked for. A mapping has a dozen keys: a scan is cheaper
    /// than hashing them into a dictionary first.
    private mutating func value(_ key: String) -> Int? {
        asked.append(key)
        guard let mapping else { return nil }
        let items = tree.items(of: mapping)
        for index in stride(from: items.startIndex, to: items.endIndex, by: 2) {
            let node = tree.nodes[items[index]]
            if node.stringTag, node.text == key { return items[index + 1] }
        }
        return nil
    }

    /// Composes `yaml` (which starts on file line `firstLine`) into a root mapping.
    static func parse(_ yaml: String, path: String, firstLine: Int) -> Result<YAMLFields, Diagnostic> {
        let offset = firstLine - 1
        let start = SourceLocation(path: path, line: firstLine, column: 1)
        let tree: YAMLTree
        do {
            tree = try YAMLTree.compose(yaml)
        } catch {
            return .failure(describe(error, path: path, lineOffset: offset))
        }
        guard let root = tree.root else {
            return .success(YAMLFields(path: path, lineOffset: offset, tree: tree, mapping: nil, location: start))
        }
        guard tree.nodes[root].kind == .mapping else {
            let at = SourceLocation(path: path, line: tree.nodes[root].line + offset, column: tree.nodes[root].column)
            return .failure(.error("front matter must be a mapping of 'key: value' lines", at: at))
        }
        return .success(YAMLFields(path: path, lineOffset: offset, tree: tree, mapping: root, location: start))
    }

    private static func describe(_ failure: YAMLTree.Failure, path: String, lineOffset: Int) -> Diagnostic {
        let at = SourceLocation(path: path, line: failure.line + lineOffset, column: failure.column)
        if let duplicate = failure.duplicate {
            let key = duplicate.key.map { "key '\($0)'" } ?? "a list or mapping as a key"
            return .error("invalid YAML: \(key) is given twice; first at line \(duplicate.line + lineOffset)", at: at)
        }
        let context = failure.context.map { " \($0)" } ?? ""
        return .error("invalid YAML: \(failure.problem)\(context)", at: at)
    }

    /// `~`, `null` and an empty plain value mean "not given", as in YAML 1.2.
    private func isNull(_ node: Int) -> Bool {
        let node = tree.nodes[node]
        guard node.kind == .scalar, node.plain else { return false }
        switch node.text {
        case "", "~", "null", "Null", "NULL": return true
        default: return false
        }
    }

    // MARK: - Locations

    private func location(of node: Int) -> SourceLocation {
        SourceLocation(path: path, line: tree.nodes[node].line + lineOffset, column: tree.nodes[node].column)
    }

    /// Where the key itself is written, for "missing"/"invalid" errors.
    public func location(ofKey key: String) -> SourceLocation {
        for pair in pairs where tree.string(pair.key) == key { return location(of: pair.key) }
        return location
    }

    // MARK: - Typed readers (each records an error and returns nil on failure)

    public mutating func string(_ key: String, required: Bool = false) -> Located<String>? {
        guard let value = value(key), !isNull(value) else {
            if required { diagnostics.error("missing required field '\(key)'", at: location) }
            return nil
        }
        guard let text = tree.string(value) else {
            diagnostics.error("'\(key)' must be a single value, not a list or mapping", at: location(of: value))
            return nil
        }
        // All white space: what trimming to empty means, without building the trimmed copy.
        if required, text.unicodeScalars.allSatisfy(CharacterSet.whitespaces.contains) {
            diagnostics.error("'\(key)' must not be empty", at: location(of: value))
            return nil
        }
        return Located(text, at: location(of: value))
    }

    public mutating func bool(_ key: String) -> Bool {
        guard let value = string(key) else { return false }
        switch value.value.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            diagnostics.error("'\(key)' must be true or false", at: value.location)
            return false
        }
    }

    public mutating func date(_ key: String, required: Bool = false) -> Located<SimpleDate>? {
        guard let text = string(key, required: required) else { return nil }
        guard let date = SimpleDate(text.value) else {
            diagnostics.error("'\(key)' is not a valid date '\(text.value)'; write YYYY-MM-DD", at: text.location)
            return nil
        }
        return Located(date, at: text.location)
    }

    /// A list of strings; a single string is accepted as a list of one.
    public mutating func stringList(_ key: String) -> [Located<String>] {
        guard let value = value(key) else { return [] }
        if tree.nodes[value].kind == .scalar { return string(key).map { [$0] } ?? [] }
        guard tree.nodes[value].kind == .sequence else {
            diagnostics.error("'\(key)' must be a list", at: location(of: value))
            return []
        }
        let items = tree.items(of: value)
        var result: [Located<String>] = []
        result.reserveCapacity(items.count)
        for item in items {
            if let text = tree.string(item) {
                result.append(Located(text, at: location(of: item)))
            } else {
                diagnostics.error("items of '\(key)' must be single values", at: location(of: item))
            }
        }
        return result
    }

    /// A list of mappings (such as `claims:`), each as its own reader.
    public mutating func mappingList(_ key: String) -> [YAMLFields] {
        guard let value = value(key) else { return [] }
        guard tree.nodes[value].kind == .sequence else {
            diagnostics.error("'\(key)' must be a list", at: location(of: value))
            return []
        }
        return tree.items(of: value).compactMap { item in
            guard tree.nodes[item].kind == .mapping else {
                diagnostics.error("each item of '\(key)' must be a mapping of 'key: value' lines", at: location(of: item))
                return nil
            }
            return YAMLFields(path: path, lineOffset: lineOffset, tree: tree, mapping: item, location: location(of: item))
        }
    }

    public mutating func mapping(_ key: String) -> YAMLFields? {
        guard let value = value(key) else { return nil }
        guard tree.nodes[value].kind == .mapping else {
            diagnostics.error("'\(key)' must be a mapping of 'key: value' lines", at: location(of: value))
            return nil
        }
        return YAMLFields(path: path, lineOffset: lineOffset, tree: tree, mapping: value, location: location(of: value))
    }

    /// Fields not read by any typed reader, in file order: shown as facts.
    public func unusedScalarFields() -> [(key: String, value: String)] {
        pairs.compactMap { pair in
            guard let name = tree.string(pair.key), !asked.contains(name) else { return nil }
            switch tree.nodes[pair.value].kind {
            case .scalar: return (name, tree.nodes[pair.value].text)
            case .sequence: return (name, tree.items(of: pair.value).compactMap(tree.string).joined(separator: ", "))
            case .mapping: return nil
            }
        }
    }

    /// Warns about each field a reader did not expect, with the closest
    /// known name when it looks like a typo.
    mutating func warnUnknownKeys(known: Set<String>, what: String) {
        for key in unknownKeys(known: known) {
            let hint = Suggestion.closest(to: key.value, in: known).map { "; did you mean '\($0)'?" } ?? ""
            report(.warning("unknown \(what) '\(key.value)'" + hint, at: key.location))
        }
    }

    /// Fields a reader did not expect, for warnings about likely typos.
    public func unknownKeys(known: Set<String>) -> [Located<String>] {
        pairs.compactMap { pair in
            guard let name = tree.string(pair.key), !known.contains(name) else { return nil }
            return Located(name, at: location(of: pair.key))
        }
    }

    mutating func report(_ diagnostic: Diagnostic) { diagnostics.append(diagnostic) }

    public mutating func merge(_ other: YAMLFields) { diagnostics.append(contentsOf: other.diagnostics) }
}

/// A value with the place it was written.
public struct Located<Value: Sendable>: Sendable {
    public var value: Value
    public var location: SourceLocation
    public init(_ value: Value, at location: SourceLocation) {
        self.value = value
        self.location = location
    }
}

extension Located: Equatable where Value: Equatable {}
extension Located: Hashable where Value: Hashable {}

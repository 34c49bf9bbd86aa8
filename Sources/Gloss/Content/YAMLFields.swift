import Foundation
import Yams

/// Typed, located access to one YAML mapping of front matter.
///
/// We walk Yams' composed node tree instead of `Codable` because every value
/// then keeps its line and column, so "unknown entity 'x'" can point at the
/// exact list item. Composing never constructs values, which also avoids the
/// `Yams.load` traps on malformed keys.
public struct YAMLFields {
    public let path: String
    let lineOffset: Int
    let node: Node.Mapping
    let location: SourceLocation
    public private(set) var diagnostics = Diagnostics()
    private var used: Set<String> = []
    /// Values by key, as `node[key]` finds them (the last key equal to a
    /// plain scalar `key`), indexed once: Yams' lookup builds a node and
    /// compares it with every key, for every field read.
    private let values: [String: Node]

    init(path: String, lineOffset: Int, mapping: Node.Mapping, location: SourceLocation) {
        self.path = path
        self.lineOffset = lineOffset
        self.node = mapping
        self.location = location
        var values: [String: Node] = [:]
        for (key, value) in mapping {
            // Same test as Yams' subscript: equal string and resolved tag.
            if let string = key.scalar?.string, key == Node(string, mapping.tag.copy(with: .implicit)) {
                values[string] = value
            }
        }
        self.values = values
    }

    /// Composes `yaml` (which starts on file line `firstLine`) into a root mapping.
    static func parse(_ yaml: String, path: String, firstLine: Int) -> Result<YAMLFields, Diagnostic> {
        let offset = firstLine - 1
        let root: Node?
        do {
            // The basic resolver tags nothing implicitly: we read every value as
            // text and type it ourselves, which also skips Yams' per-scalar regexes.
            // UTF-8 said outright: Yams' default reads the process environment
            // (YAMS_DEFAULT_ENCODING) on every call, a tenth of loading time.
            root = try Yams.compose(yaml: yaml, .basic, .default, .utf8)
        } catch let error as YamlError {
            return .failure(describe(error, path: path, lineOffset: offset))
        } catch {
            return .failure(.error("invalid YAML: \(error)", at: SourceLocation(path: path, line: firstLine, column: 1)))
        }
        let start = SourceLocation(path: path, line: firstLine, column: 1)
        guard let root else {
            return .success(YAMLFields(path: path, lineOffset: offset, mapping: Node.Mapping([]), location: start))
        }
        guard let mapping = root.mapping else {
            return .failure(.error("front matter must be a mapping of 'key: value' lines", at: locate(root.mark, path, offset) ?? start))
        }
        return .success(YAMLFields(path: path, lineOffset: offset, mapping: mapping, location: start))
    }

    static func locate(_ mark: Mark?, _ path: String, _ offset: Int) -> SourceLocation? {
        mark.map { SourceLocation(path: path, line: $0.line + offset, column: $0.column) }
    }

    private static func describe(_ error: YamlError, path: String, lineOffset: Int) -> Diagnostic {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            let where_ = context.map { " \($0.text)" } ?? ""
            return .error("invalid YAML: \(problem)\(where_)", at: locate(mark, path, lineOffset))
        default:
            return .error("invalid YAML: \(error)", at: SourceLocation(path: path, line: lineOffset + 1, column: 1))
        }
    }

    /// `~`, `null` and an empty plain value mean "not given", as in YAML 1.2.
    static func isNull(_ node: Node) -> Bool {
        guard let scalar = node.scalar, scalar.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    // MARK: - Locations

    func location(of value: Node) -> SourceLocation {
        Self.locate(value.mark, path, lineOffset) ?? location
    }

    /// Where the key itself is written, for "missing"/"invalid" errors.
    public func location(ofKey key: String) -> SourceLocation {
        for (k, _) in node where k.string == key { return Self.locate(k.mark, path, lineOffset) ?? location }
        return location
    }

    // MARK: - Typed readers (each records an error and returns nil on failure)

    public mutating func string(_ key: String, required: Bool = false) -> Located<String>? {
        used.insert(key)
        guard let value = values[key], !Self.isNull(value) else {
            if required { diagnostics.error("missing required field '\(key)'", at: location) }
            return nil
        }
        guard let scalar = value.scalar else {
            diagnostics.error("'\(key)' must be a single value, not a list or mapping", at: location(of: value))
            return nil
        }
        let text = scalar.string
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
        used.insert(key)
        guard let value = values[key] else { return [] }
        if value.scalar != nil { return string(key).map { [$0] } ?? [] }
        guard let sequence = value.sequence else {
            diagnostics.error("'\(key)' must be a list", at: location(of: value))
            return []
        }
        var result: [Located<String>] = []
        result.reserveCapacity(sequence.count)
        for item in sequence {
            if let scalar = item.scalar {
                result.append(Located(scalar.string, at: location(of: item)))
            } else {
                diagnostics.error("items of '\(key)' must be single values", at: location(of: item))
            }
        }
        return result
    }

    /// A list of mappings (such as `claims:`), each as its own reader.
    public mutating func mappingList(_ key: String) -> [YAMLFields] {
        used.insert(key)
        guard let value = values[key] else { return [] }
        guard let sequence = value.sequence else {
            diagnostics.error("'\(key)' must be a list", at: location(of: value))
            return []
        }
        return sequence.compactMap { item in
            guard let mapping = item.mapping else {
                diagnostics.error("each item of '\(key)' must be a mapping of 'key: value' lines", at: location(of: item))
                return nil
            }
            return YAMLFields(path: path, lineOffset: lineOffset, mapping: mapping, location: location(of: item))
        }
    }

    public mutating func mapping(_ key: String) -> YAMLFields? {
        used.insert(key)
        guard let value = values[key] else { return nil }
        guard let mapping = value.mapping else {
            diagnostics.error("'\(key)' must be a mapping of 'key: value' lines", at: location(of: value))
            return nil
        }
        return YAMLFields(path: path, lineOffset: lineOffset, mapping: mapping, location: location(of: value))
    }

    /// Fields not read by any typed reader, in file order: shown as facts.
    public func unusedScalarFields() -> [(key: String, value: String)] {
        node.compactMap { key, value in
            guard let name = key.string, !used.contains(name) else { return nil }
            if let scalar = value.scalar { return (name, scalar.string) }
            if let items = value.sequence { return (name, items.compactMap(\.string).joined(separator: ", ")) }
            return nil
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
        node.compactMap { key, _ in
            guard let name = key.string, !known.contains(name) else { return nil }
            return Located(name, at: location(of: key))
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

/// A parsed Mustache template: a tree of nodes, ready to render many times.
/// Gloss has its own engine (rather than a general library) so rendering
/// works on typed `TemplateValue`s and UTF-8 bytes, with no casts at run time.
public struct Template: Sendable {
    /// The node tree, flattened for rendering.
    let program: TemplateProgram
    /// Every partial and parent template this one names, with where.
    let references: [(name: String, offset: Int)]

    /// Parses Mustache text: variables, sections, inverted sections,
    /// comments, partials, set delimiters, and template inheritance
    /// (`{{<parent}}` with `{{$block}}`), plus functions such as `empty(x)`.
    public init(_ text: String) throws(TemplateSyntaxError) {
        var parser = TemplateParser(text)
        let nodes: [TemplateNode]
        (nodes, references) = try parser.parse()
        program = TemplateProgram(nodes)
    }
}

indirect enum TemplateNode: Sendable {
    case text([UInt8])
    case variable(TemplatePath, escaped: Bool)
    case section(TemplatePath, [TemplateNode], inverted: Bool)
    /// `{{> name}}`; a standalone partial indents every line it writes.
    case partial(String, indentation: [UInt8])
    /// `{{< name}}…{{/name}}`: renders `name` with these blocks overridden.
    case parent(String, indentation: [UInt8], blocks: [String: [TemplateNode]])
    /// `{{$ name}}default{{/name}}`: an override if one is inherited, else the default.
    case block(String, defaultNodes: [TemplateNode])
}

/// A name as written in a tag: `page.title`, `.`, `empty(page.tags)`.
struct TemplatePath: Sendable {
    /// Dotted components; empty for `.` (the current value) and for `first()`.
    let names: [String]
    /// Functions applied innermost first: `a(b(x))` is `[b, a]`.
    let functions: [String]
    /// `.x` or `.`: look only at the current value, not up the context stack.
    let currentOnly: Bool
    /// `first()`, `index()`…: about the position in the enclosing list.
    var isPosition: Bool { names.isEmpty && !currentOnly && !functions.isEmpty }
}

/// A template syntax error, at a byte offset of the template text.
public struct TemplateSyntaxError: Error, Sendable {
    public let message: String
    public let offset: Int
}

/// The functions templates may call, as `{{#empty(list)}}` or `{{index()}}`.
enum TemplateFunction {
    static let names: Set<String> = ["empty", "count", "first", "last", "reversed", "index", "even", "odd",
                                     "uppercased", "lowercased", "capitalized", "plusone", "minusone", "equalzero"]

    static func apply(_ name: String, to value: TemplateValue) -> TemplateValue? {
        switch (name, value) {
        case ("empty", .list(let items)): return .bool(items.isEmpty)
        case ("empty", .string(let text)): return .bool(text.isEmpty)
        case ("empty", .object(let fields)): return .bool(fields.isEmpty)
        case ("count", .list(let items)): return .int(items.count)
        case ("count", .string(let text)): return .int(text.count)
        case ("count", .object(let fields)): return .int(fields.count)
        case ("first", .list(let items)): return items.first
        case ("last", .list(let items)): return items.last
        case ("reversed", .list(let items)): return .list(items.reversed())
        case ("reversed", .string(let text)): return .string(String(text.reversed()))
        case ("uppercased", .string(let text)): return .string(text.uppercased())
        case ("lowercased", .string(let text)): return .string(text.lowercased())
        case ("capitalized", .string(let text)): return .string(text.capitalizedWords)
        case ("plusone", .int(let n)): return .int(n + 1)
        case ("minusone", .int(let n)): return .int(n - 1)
        case ("equalzero", .int(let n)): return .bool(n == 0)
        case ("even", .int(let n)): return .bool(n % 2 == 0)
        case ("odd", .int(let n)): return .bool(n % 2 != 0)
        default: return nil
        }
    }

    /// `first()`, `last()`, `index()`, `even()`, `odd()` inside a list section.
    static func position(_ name: String, index: Int, count: Int) -> TemplateValue? {
        switch name {
        case "first": return .bool(index == 0)
        case "last": return .bool(index == count - 1)
        case "index": return .int(index)
        case "even": return .bool(index % 2 == 0)
        case "odd": return .bool(index % 2 != 0)
        default: return nil
        }
    }
}

private extension String {
    var capitalizedWords: String {
        split(separator: " ", omittingEmptySubsequences: false)
            .map { $0.prefix(1).uppercased() + $0.dropFirst().lowercased() }.joined(separator: " ")
    }
}

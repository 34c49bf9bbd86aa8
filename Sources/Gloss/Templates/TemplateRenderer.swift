/// Renders a template against a `TemplateValue` into UTF-8 bytes. One
/// renderer per page: its context stack and overrides are pushed and popped
/// as sections and partials open and close, so nothing is copied per section.
struct TemplateRenderer {
    let templates: [String: Template]
    private(set) var output: [UInt8] = []
    private var stack: [TemplateValue]
    /// Position in the innermost list section, for `first()`, `index()`….
    private var position: (index: Int, count: Int)?
    /// Written before each line a standalone partial produces.
    private var indentation: [UInt8] = []
    /// Blocks overridden by the templates that inherit from the one rendering.
    private var overrides: [String: [TemplateNode]] = [:]

    init(templates: [String: Template], context: TemplateValue, capacity: Int = 16_384) {
        self.templates = templates
        self.stack = [context]
        output.reserveCapacity(capacity)
    }

    mutating func render(_ nodes: [TemplateNode]) {
        for node in nodes {
            switch node {
            case .text(let text):
                write(text)
            case .variable(let path, let escaped):
                guard let value = lookup(path) else { continue }
                writeValue(value, escaped: escaped)
            case .section(let path, let body, let inverted):
                let value = lookup(path)
                if inverted {
                    if !(value?.isTruthy ?? false) { render(body) }
                } else if let value {
                    renderSection(body, over: value)
                }
            case .partial(let name, let indent):
                guard let template = templates[name] else { continue }
                withIndentation(indent) { $0.render(template.nodes) }
            case .parent(let name, let indent, let blocks):
                guard let template = templates[name] else { continue }
                let saved = overrides
                // The outermost template's definition wins: an override from
                // a child is not replaced by its parent's own default.
                overrides.merge(blocks) { current, _ in current }
                withIndentation(indent) { $0.render(template.nodes) }
                overrides = saved
            case .block(let name, let defaultNodes):
                render(overrides[name] ?? defaultNodes)
            }
        }
    }

    private mutating func renderSection(_ body: [TemplateNode], over value: TemplateValue) {
        switch value {
        case .bool(let flag):
            if flag { render(body) }
        case .list(let items):
            let saved = position
            for (index, item) in items.enumerated() {
                position = (index, items.count)
                stack.append(item)
                render(body)
                stack.removeLast()
            }
            position = saved
        default:
            let saved = position
            position = nil
            stack.append(value)
            render(body)
            stack.removeLast()
            position = saved
        }
    }

    private mutating func withIndentation(_ indent: [UInt8], _ body: (inout TemplateRenderer) -> Void) {
        guard !indent.isEmpty else { return body(&self) }
        let saved = indentation
        indentation += indent
        body(&self)
        indentation = saved
    }

    /// Resolves a name: its first part up the context stack (innermost
    /// first), the rest inside what was found; then its functions.
    private func lookup(_ path: TemplatePath) -> TemplateValue? {
        var value: TemplateValue?
        if path.isPosition {
            guard let position else { return nil }
            return TemplateFunction.position(path.functions[0], index: position.index, count: position.count)
        } else if path.currentOnly {
            value = stack.last
            for name in path.names { value = value?[name] }
        } else {
            let first = path.names[0]
            for candidate in stack.reversed() {
                if let found = candidate[first] { value = found; break }
            }
            for name in path.names.dropFirst() { value = value?[name] }
        }
        for function in path.functions {
            guard let current = value else { return nil }
            value = TemplateFunction.apply(function, to: current)
        }
        return value
    }

    private mutating func writeValue(_ value: TemplateValue, escaped: Bool) {
        switch value {
        case .string(let text):
            guard !text.isEmpty else { return }
            startLine()
            if escaped { HTMLBytes.appendEscaped(text, to: &output) } else { output.append(contentsOf: text.utf8) }
        case .int(let number): write(Array(String(number).utf8))
        case .bool(let flag): write(Array((flag ? "true" : "false").utf8))
        case .list, .object: return
        }
    }

    private mutating func write(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        startLine()
        output.append(contentsOf: bytes)
    }

    /// Indents output that begins a line inside a standalone partial.
    private mutating func startLine() {
        if !indentation.isEmpty, output.last == UInt8(ascii: "\n") { output.append(contentsOf: indentation) }
    }
}

/// HTML escaping on UTF-8 bytes: `& < > " '`, as every `{{value}}` needs.
enum HTMLBytes {
    static func appendEscaped(_ text: String, to output: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            var runStart = 0
            for (i, byte) in bytes.enumerated() {
                let entity: StaticString
                switch byte {
                case UInt8(ascii: "&"): entity = "&amp;"
                case UInt8(ascii: "<"): entity = "&lt;"
                case UInt8(ascii: ">"): entity = "&gt;"
                case UInt8(ascii: "\""): entity = "&quot;"
                case UInt8(ascii: "'"): entity = "&#39;"
                default: continue
                }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i]))
                output.append(contentsOf: UnsafeBufferPointer(start: entity.utf8Start, count: entity.utf8CodeUnitCount))
                runStart = i + 1
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
    }
}

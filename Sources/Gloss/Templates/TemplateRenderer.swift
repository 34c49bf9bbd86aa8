/// Renders a template against a `TemplateValue` into UTF-8 bytes. One
/// renderer per page: its context stack and overrides are pushed and popped
/// as sections and partials open and close, so nothing is copied per section.
struct TemplateRenderer {
    let programs: [String: TemplateProgram]
    private(set) var output: [UInt8] = []
    private var stack: [TemplateValue]
    /// Position in the innermost list section, for `first()`, `index()`….
    private var position: (index: Int, count: Int)?
    /// Written before each line a standalone partial produces.
    private var indentation: [UInt8] = []
    /// Blocks overridden by the templates that inherit from the one rendering.
    private var overrides: [String: (program: TemplateProgram, steps: Range<Int>)] = [:]

    init(programs: [String: TemplateProgram], context: TemplateValue, capacity: Int = 16_384) {
        self.programs = programs
        self.stack = [context]
        output.reserveCapacity(capacity)
    }

    mutating func render(_ program: TemplateProgram) {
        run(program, 0..<program.steps.count)
    }

    private mutating func run(_ program: TemplateProgram, _ steps: Range<Int>) {
        var index = steps.lowerBound
        while index < steps.upperBound {
            let step = program.steps[index]
            index += 1
            switch step {
            case .text(let start, let end):
                write(program, Int(start)..<Int(end))
            case .variable(let path, let escaped):
                guard let value = lookup(program, Int(path)) else { continue }
                writeValue(value, escaped: escaped)
            case .section(let path, let inverted, let end):
                let body = index..<Int(end)
                index = Int(end)
                let value = lookup(program, Int(path))
                if inverted {
                    if !(value?.isTruthy ?? false) { run(program, body) }
                } else if let value {
                    runSection(program, body, over: value)
                }
            case .partial(let name, let indent):
                guard let partial = programs[program.names[Int(name)]] else { continue }
                withIndentation(program.indentations[Int(indent)]) { $0.render(partial) }
            case .parent(let name, let indent, let blocks, let end):
                index = Int(end)
                guard let parent = programs[program.names[Int(name)]] else { continue }
                let saved = overrides
                // The outermost template's definition wins: an override from
                // a child is not replaced by its parent's own default.
                for (block, steps) in program.blocks[Int(blocks)] where overrides[block] == nil {
                    overrides[block] = (program, steps)
                }
                withIndentation(program.indentations[Int(indent)]) { $0.render(parent) }
                overrides = saved
            case .block(let name, let end):
                let defaults = index..<Int(end)
                index = Int(end)
                if let override = overrides[program.names[Int(name)]] {
                    run(override.program, override.steps)
                } else {
                    run(program, defaults)
                }
            }
        }
    }

    private mutating func runSection(_ program: TemplateProgram, _ body: Range<Int>, over value: TemplateValue) {
        switch value {
        case .bool(let flag):
            if flag { run(program, body) }
        case .list(let items):
            let saved = position
            for (index, item) in items.enumerated() {
                position = (index, items.count)
                stack.append(item)
                run(program, body)
                stack.removeLast()
            }
            position = saved
        default:
            let saved = position
            position = nil
            stack.append(value)
            run(program, body)
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
    private func lookup(_ program: TemplateProgram, _ index: Int) -> TemplateValue? {
        let path = program.paths[index]
        var value: TemplateValue?
        if path.isPosition {
            guard let position else { return nil }
            return TemplateFunction.position(program.functions[path.functions.lowerBound], index: position.index, count: position.count)
        }
        var names = path.names
        if path.currentOnly {
            value = stack.last
        } else {
            let first = program.pathNames[names.removeFirst()]
            var candidate = stack.count - 1
            while candidate >= 0 {
                if let found = stack[candidate][first] { value = found; break }
                candidate -= 1
            }
        }
        for name in names { value = value?[program.pathNames[name]] }
        for function in path.functions {
            guard let current = value else { return nil }
            value = TemplateFunction.apply(program.functions[function], to: current)
        }
        return value
    }

    private mutating func writeValue(_ value: TemplateValue, escaped: Bool) {
        switch value {
        case .string(let text):
            guard !text.isEmpty else { return }
            startLine()
            if escaped { HTMLBytes.appendEscaped(text, to: &output) } else { output.append(contentsOf: text.utf8) }
        case .int(let number): writeLines(Array(String(number).utf8)[...])
        case .bool(let flag): writeLines(Array((flag ? "true" : "false").utf8)[...])
        case .list, .object: return
        }
    }

    private mutating func write(_ program: TemplateProgram, _ range: Range<Int>) {
        guard indentation.isEmpty else { return writeLines(program.text[range]) }
        program.text.withUnsafeBufferPointer { output.append(contentsOf: UnsafeBufferPointer(rebasing: $0[range])) }
    }

    /// Text of several lines inside a standalone partial: each line that
    /// begins the output's line is indented.
    private mutating func writeLines(_ bytes: ArraySlice<UInt8>) {
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? bytes.endIndex
            startLine()
            output.append(contentsOf: bytes[start..<end])
            start = end
        }
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

/// A template flattened for rendering: a list of steps whose payloads are
/// plain integers into tables of text, paths and names. Rendering walked
/// the node tree before, and each node it looked at was a copy holding
/// references (its text, its path's names, its body), counted up and down
/// for every node of every page: half the renderer's time.
/// A class: partials and parents are looked up by name for every page, and
/// a copy of a struct of tables counted a reference for each table.
final class TemplateProgram: Sendable {
    enum Step: Sendable {
        /// `text[start..<end]`: the text between two tags, lines merged.
        case text(start: Int32, end: Int32)
        case variable(path: Int32, escaped: Bool)
        /// The body is the steps after this one, up to `end`.
        case section(path: Int32, inverted: Bool, end: Int32)
        /// `{{> names[name]}}`; a standalone partial indents every line it writes.
        case partial(name: Int32, indentation: Int32)
        /// `{{< names[name]}}` with the overrides `blocks[blocks]`, whose
        /// steps follow this one up to `end`.
        case parent(name: Int32, indentation: Int32, blocks: Int32, end: Int32)
        /// `{{$ names[name]}}`: an override if one is inherited, else the
        /// default, which is the steps after this one up to `end`.
        case block(name: Int32, end: Int32)
    }

    let steps: [Step]
    let text: [UInt8]
    /// Each path's parts: `pathNames[names]`, `functions[functions]`.
    let paths: [Path]
    let pathNames: [String]
    let functions: [String]
    let names: [String]
    let indentations: [[UInt8]]
    /// A parent tag's overrides: each block's name and steps.
    let blocks: [[String: Range<Int>]]

    /// A `TemplatePath` as ranges of the tables: plain integers, copied
    /// without counting references.
    struct Path: Sendable {
        let names: Range<Int>
        let functions: Range<Int>
        let currentOnly: Bool
        let isPosition: Bool
    }

    init(_ nodes: [TemplateNode]) {
        var builder = Builder()
        builder.append(nodes)
        (steps, text, paths, pathNames) = (builder.steps, builder.text, builder.paths, builder.pathNames)
        (functions, names, indentations, blocks) = (builder.functions, builder.names, builder.indentations, builder.blocks)
    }
}

extension TemplateProgram {
    /// Flattens the node tree, a body at a time.
    private struct Builder {
        var steps: [Step] = []
        var text: [UInt8] = []
        var paths: [Path] = []
        var pathNames: [String] = []
        var functions: [String] = []
        var names: [String] = []
        var indentations: [[UInt8]] = []
        var blocks: [[String: Range<Int>]] = []

        /// Appends the nodes of one body. Text that follows text is one step;
        /// a body's last text is not continued by what follows the body.
        mutating func append(_ nodes: [TemplateNode]) {
            var lastText: Int?
            for node in nodes {
                switch node {
                case .text(let bytes):
                    if let last = lastText, case .text(let start, _) = steps[last] {
                        text += bytes
                        steps[last] = .text(start: start, end: Int32(text.count))
                    } else {
                        let start = Int32(text.count)
                        text += bytes
                        steps.append(.text(start: start, end: Int32(text.count)))
                        lastText = steps.count - 1
                    }
                    continue
                case .variable(let path, let escaped):
                    steps.append(.variable(path: self.path(path), escaped: escaped))
                case .section(let path, let body, let inverted):
                    let path = self.path(path)
                    appendBody(body) { .section(path: path, inverted: inverted, end: $0) }
                case .partial(let name, let indentation):
                    steps.append(.partial(name: self.name(name), indentation: indent(indentation)))
                case .parent(let name, let indentation, let overrides):
                    let table = Int32(blocks.count)
                    blocks.append([:])
                    let (name, indentation) = (self.name(name), indent(indentation))
                    // The overrides' steps follow the parent's, which skips them.
                    let at = steps.count
                    steps.append(.parent(name: name, indentation: indentation, blocks: table, end: 0))
                    for (block, body) in overrides.sorted(by: { $0.key < $1.key }) {
                        let start = steps.count
                        append(body)
                        blocks[Int(table)][block] = start..<steps.count
                    }
                    steps[at] = .parent(name: name, indentation: indentation, blocks: table, end: Int32(steps.count))
                case .block(let name, let body):
                    let name = self.name(name)
                    appendBody(body) { .block(name: name, end: $0) }
                }
                lastText = nil
            }
        }

        /// Appends a step and the body it opens; the step learns where the body ends.
        private mutating func appendBody(_ body: [TemplateNode], step: (Int32) -> Step) {
            let at = steps.count
            steps.append(step(0))
            append(body)
            steps[at] = step(Int32(steps.count))
        }

        private mutating func path(_ path: TemplatePath) -> Int32 {
            let names = pathNames.count..<(pathNames.count + path.names.count)
            pathNames += path.names
            let functions = self.functions.count..<(self.functions.count + path.functions.count)
            self.functions += path.functions
            paths.append(Path(names: names, functions: functions, currentOnly: path.currentOnly, isPosition: path.isPosition))
            return Int32(paths.count - 1)
        }

        private mutating func name(_ name: String) -> Int32 {
            names.append(name)
            return Int32(names.count - 1)
        }

        private mutating func indent(_ indentation: [UInt8]) -> Int32 {
            indentations.append(indentation)
            return Int32(indentations.count - 1)
        }
    }
}

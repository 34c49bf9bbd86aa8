/// An owned, immutable copy of the cmark-gfm syntax tree. Everything after
/// parsing (mention search, quote matching, tree dumps) works on this value;
/// only `CommonMarkDocument` holds C pointers.
public struct Markup: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case document, paragraph, heading, blockQuote, list, item, codeBlock, htmlBlock, thematicBreak
        case table, tableRow, tableCell, footnoteDefinition, customBlock
        case text, softBreak, lineBreak, code, htmlInline, emphasis, strong, link, image
        case strikethrough, footnoteReference, customInline, other

        /// Blocks whose inline content is read as one run of text (the unit a
        /// claim quote must stay within).
        public var holdsInlineText: Bool {
            self == .paragraph || self == .heading || self == .tableCell
        }
    }

    /// Pre-order index in the tree; edits refer to nodes by it.
    public let id: Int
    public let kind: Kind
    public let children: [Markup]
    /// Text of text, code, HTML and code-block nodes.
    public let literal: String?
    /// Destination of links and images.
    public let url: String?
    /// 1-based line and column in the Markdown body (not the file).
    public let line: Int
    public let column: Int

    /// Calls `body` on every node in document order, with its ancestors' kinds.
    public func walk(_ body: (Markup, [Markup]) -> Void) {
        var ancestors: [Markup] = []
        func visit(_ node: Markup) {
            body(node, ancestors)
            ancestors.append(node)
            for child in node.children { visit(child) }
            ancestors.removeLast()
        }
        visit(self)
    }

    /// An indented dump with positions, for golden tests and debugging.
    public func dump() -> String {
        var out = ""
        func visit(_ node: Markup, _ depth: Int) {
            out += String(repeating: "  ", count: depth) + "\(node.kind.rawValue) @\(node.line):\(node.column)"
            if let url = node.url { out += " url=\(url.debugDescription)" }
            if let literal = node.literal { out += " \(literal.debugDescription)" }
            out += "\n"
            for child in node.children { visit(child, depth + 1) }
        }
        visit(self, 0)
        return out
    }
}

/// A change to the parsed tree, decided on owned values and applied by
/// `CommonMarkDocument`. The markup strings come from the render hooks.
public enum MarkupEdit: Sendable, Hashable {
    /// Wraps UTF-8 bytes `range` of a text node (or a whole code node) in
    /// markup. Wraps on one node must nest, never cross.
    case wrap(node: Int, range: Range<Int>, open: String, close: String)
    /// Replaces a link by markup around its children (explicit mentions).
    case replaceLink(node: Int, open: String, close: String)
    /// Changes a link's destination (site-relative links under a base path).
    case setURL(node: Int, url: String)
}

import CCmarkGFM
import Foundation

/// The one place that touches the cmark-gfm C API: parse, copy the tree out
/// as `Markup`, apply `MarkupEdit`s, render HTML. Not Sendable: each
/// article's task owns its own document.
public final class CommonMarkDocument {
    public struct Options: Sendable, Hashable {
        /// Let raw HTML and `javascript:` links through.
        public var unsafe: Bool = false
        public var footnotes: Bool = true
        /// Table alignment as `style="text-align: …"` instead of the obsolete
        /// `align` attribute. Off for `gloss render`, which matches the CLI.
        public var tableStyleAttributes: Bool = false
        public init(unsafe: Bool = false, footnotes: Bool = true, tableStyleAttributes: Bool = false) {
            self.unsafe = unsafe
            self.footnotes = footnotes
            self.tableStyleAttributes = tableStyleAttributes
        }
        var cmarkOptions: Int32 {
            CMARK_OPT_DEFAULT | (unsafe ? CMARK_OPT_UNSAFE : 0) | (footnotes ? CMARK_OPT_FOOTNOTES : 0)
                | (tableStyleAttributes ? CMARK_OPT_TABLE_PREFER_STYLE_ATTRIBUTES : 0)
        }
    }

    /// The extensions `cmark-gfm -e table -e strikethrough -e autolink -e tagfilter -e tasklist` enables.
    static let extensionNames = ["table", "strikethrough", "autolink", "tagfilter", "tasklist"]

    /// libcmark-gfm keeps the table of "special" inline characters in one
    /// global array; each `cmark_parser_finish` adds its extensions' characters
    /// (`~`, `:`, `w`, …) and removes them again at the end. Two articles parsed
    /// at once then race: one parse removes `w` while the other is reading
    /// inlines, and `www.` autolinks or `~~strikethrough~~` randomly vanish
    /// (github/cmark-gfm#176). So the inline pass, and only it, runs one at a time.
    private static let inlinePassLock = NSLock()

    private static let registered: Bool = {
        cmark_gfm_core_extensions_ensure_registered()
        return true
    }()

    private let parser: OpaquePointer
    private let root: OpaquePointer
    private let options: Options
    private var nodes: [OpaquePointer] = []

    /// Parses bytes as given (no UTF-8 repair), as the cmark-gfm CLI does.
    public init(bytes: some Collection<UInt8>, options: Options = Options()) {
        precondition(Self.registered)
        self.options = options
        let parser = cmark_parser_new(options.cmarkOptions)!
        for name in Self.extensionNames {
            if let ext = cmark_find_syntax_extension(name) { cmark_parser_attach_syntax_extension(parser, ext) }
        }
        let buffer = Array(bytes)
        buffer.withUnsafeBufferPointer { raw in
            raw.withMemoryRebound(to: CChar.self) { chars in
                if let base = chars.baseAddress { cmark_parser_feed(parser, base, chars.count) }
            }
        }
        self.parser = parser
        root = Self.inlinePassLock.withLock { cmark_parser_finish(parser) }
    }

    public convenience init(markdown: String, options: Options = Options()) {
        self.init(bytes: Array(markdown.utf8), options: options)
    }

    deinit {
        cmark_node_free(root)
        cmark_parser_free(parser)
    }

    /// An owned copy of the tree. Node ids are pre-order indices.
    public func markup() -> Markup {
        nodes.removeAll()
        return copy(root)
    }

    private func copy(_ node: OpaquePointer) -> Markup {
        let id = nodes.count
        nodes.append(node)
        var children: [Markup] = []
        var child = cmark_node_first_child(node)
        while let current = child {
            children.append(copy(current))
            child = cmark_node_next(current)
        }
        let kind = Self.kind(of: node)
        let hasLiteral: Bool
        switch kind {
        case .text, .code, .htmlInline, .htmlBlock, .codeBlock: hasLiteral = true
        default: hasLiteral = false
        }
        return Markup(id: id, kind: kind, children: children,
                      literal: hasLiteral ? cmark_node_get_literal(node).map { String(cString: $0) } : nil,
                      url: kind == .link || kind == .image ? cmark_node_get_url(node).map { String(cString: $0) } : nil,
                      line: Int(cmark_node_get_start_line(node)), column: Int(cmark_node_get_start_column(node)))
    }

    private static func kind(of node: OpaquePointer) -> Markup.Kind {
        let type = cmark_node_get_type(node)
        switch type {
        case CMARK_NODE_DOCUMENT: return .document
        case CMARK_NODE_PARAGRAPH: return .paragraph
        case CMARK_NODE_HEADING: return .heading
        case CMARK_NODE_BLOCK_QUOTE: return .blockQuote
        case CMARK_NODE_LIST: return .list
        case CMARK_NODE_ITEM: return .item
        case CMARK_NODE_CODE_BLOCK: return .codeBlock
        case CMARK_NODE_HTML_BLOCK: return .htmlBlock
        case CMARK_NODE_THEMATIC_BREAK: return .thematicBreak
        case CMARK_NODE_FOOTNOTE_DEFINITION: return .footnoteDefinition
        case CMARK_NODE_CUSTOM_BLOCK: return .customBlock
        case CMARK_NODE_TEXT: return .text
        case CMARK_NODE_SOFTBREAK: return .softBreak
        case CMARK_NODE_LINEBREAK: return .lineBreak
        case CMARK_NODE_CODE: return .code
        case CMARK_NODE_HTML_INLINE: return .htmlInline
        case CMARK_NODE_EMPH: return .emphasis
        case CMARK_NODE_STRONG: return .strong
        case CMARK_NODE_LINK: return .link
        case CMARK_NODE_IMAGE: return .image
        case CMARK_NODE_FOOTNOTE_REFERENCE: return .footnoteReference
        case CMARK_NODE_CUSTOM_INLINE: return .customInline
        case gloss_node_table(): return .table
        case gloss_node_table_row(): return .tableRow
        case gloss_node_table_cell(): return .tableCell
        case gloss_node_strikethrough(): return .strikethrough
        default: return .other
        }
    }

    // MARK: - Edits

    /// Applies edits decided on the `Markup` from the last `markup()` call.
    public func apply(_ edits: [MarkupEdit]) {
        var wraps: [Int: [(range: Range<Int>, open: String, close: String)]] = [:]
        var links: [(Int, String, String)] = []
        for edit in edits {
            switch edit {
            case let .wrap(node, range, open, close): wraps[node, default: []].append((range, open, close))
            case let .replaceLink(node, open, close): links.append((node, open, close))
            case let .setURL(node, url): cmark_node_set_url(nodes[node], url)
            }
        }
        for (id, list) in wraps.sorted(by: { $0.key < $1.key }) { wrap(nodes[id], list) }
        for (id, open, close) in links { replaceLink(nodes[id], open: open, close: close) }
    }

    private func customInline(open: String, close: String) -> OpaquePointer {
        let node = cmark_node_new(CMARK_NODE_CUSTOM_INLINE)!
        // CUSTOM_INLINE enter/exit text is written verbatim even in safe
        // mode, while children stay escaped: markup from our hooks passes,
        // the author's raw HTML does not.
        cmark_node_set_on_enter(node, open)
        cmark_node_set_on_exit(node, close)
        return node
    }

    private func wrap(_ node: OpaquePointer, _ list: [(range: Range<Int>, open: String, close: String)]) {
        if cmark_node_get_type(node) != CMARK_NODE_TEXT {
            // A code span (or other leaf) is wrapped whole, innermost last.
            for item in list.sorted(by: { $0.range.count > $1.range.count }).reversed() {
                let wrapper = customInline(open: item.open, close: item.close)
                cmark_node_insert_before(node, wrapper)
                cmark_node_unlink(node)
                cmark_node_append_child(wrapper, node)
            }
            return
        }
        let bytes = Array(String(cString: cmark_node_get_literal(node)).utf8)
        let sorted = list.sorted { ($0.range.lowerBound, -$0.range.count) < ($1.range.lowerBound, -$1.range.count) }
        var index = 0
        for piece in build(bytes, 0..<bytes.count, sorted, &index) { cmark_node_insert_before(node, piece) }
        cmark_node_unlink(node)
        cmark_node_free(node)
    }

    /// Nested pieces for `range`: plain text between wraps, wraps recursively.
    private func build(_ bytes: [UInt8], _ range: Range<Int>,
                       _ wraps: [(range: Range<Int>, open: String, close: String)], _ index: inout Int) -> [OpaquePointer] {
        var pieces: [OpaquePointer] = []
        var cursor = range.lowerBound
        func text(_ r: Range<Int>) {
            guard !r.isEmpty else { return }
            let node = cmark_node_new(CMARK_NODE_TEXT)!
            cmark_node_set_literal(node, String(decoding: bytes[r], as: UTF8.self))
            pieces.append(node)
        }
        while index < wraps.count, wraps[index].range.lowerBound < range.upperBound {
            let item = wraps[index]
            index += 1
            guard item.range.lowerBound >= cursor, item.range.upperBound <= range.upperBound else { continue }
            text(cursor..<item.range.lowerBound)
            let wrapper = customInline(open: item.open, close: item.close)
            for child in build(bytes, item.range, wraps, &index) { cmark_node_append_child(wrapper, child) }
            pieces.append(wrapper)
            cursor = item.range.upperBound
        }
        text(cursor..<range.upperBound)
        return pieces
    }

    private func replaceLink(_ link: OpaquePointer, open: String, close: String) {
        let wrapper = customInline(open: open, close: close)
        while let child = cmark_node_first_child(link) {
            cmark_node_unlink(child)
            cmark_node_append_child(wrapper, child)
        }
        cmark_node_insert_before(link, wrapper)
        cmark_node_unlink(link)
        cmark_node_free(link)
    }

    // MARK: - Rendering

    public func renderHTML() -> String {
        let extensions = cmark_parser_get_syntax_extensions(parser)
        guard let html = cmark_render_html(root, options.cmarkOptions, extensions) else { return "" }
        defer { free(html) }
        return String(cString: html)
    }

    /// Renders without a String round trip, byte for byte as libcmark-gfm
    /// produced it (the `gloss render` path, compared with the C CLI).
    public func renderHTMLBytes() -> [UInt8] {
        let extensions = cmark_parser_get_syntax_extensions(parser)
        guard let html = cmark_render_html(root, options.cmarkOptions, extensions) else { return [] }
        defer { free(html) }
        return Array(UnsafeBufferPointer(start: UnsafeRawPointer(html).assumingMemoryBound(to: UInt8.self), count: strlen(html)))
    }
}

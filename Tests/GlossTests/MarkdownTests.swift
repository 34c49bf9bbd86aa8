import Foundation
import Testing
@testable import Gloss

@Suite struct MarkdownTests {
    @Test func treeDumpMatchesGolden() throws {
        let source = try String(contentsOf: fixtureURL("markdown/everything.md"), encoding: .utf8)
        let dump = CommonMarkDocument(markdown: source).markup().dump()
        try assertGolden(dump, "markdown/everything.tree")
    }

    /// libcmark-gfm's special-character table is process-wide; documents
    /// parsed on many threads at once must still all get their extensions.
    @Test func extensionsSurviveParallelParsing() {
        let markdown = "a ~~gone~~ and www.example.org and *em*\n"
        let expected = CommonMarkDocument(markdown: markdown).renderHTML()
        #expect(expected.contains("<del>gone</del>") && expected.contains("<a href=\"http://www.example.org\">"))
        let outputs = Array(repeating: markdown, count: 20_000).parallelMap { CommonMarkDocument(markdown: $0).renderHTML() }
        #expect(outputs.filter { $0 != expected }.count == 0)
    }

    @Test func rawHTMLAndJavaScriptLinksAreDroppedInSafeMode() {
        let md = "<script>alert(1)</script>\n\nhi <b>x</b> [a](javascript:alert(1))\n"
        let html = CommonMarkDocument(markdown: md).renderHTML()
        #expect(!html.contains("<script"))
        #expect(!html.contains("<b>"))
        #expect(!html.contains("javascript:"))
        #expect(html.contains("<!-- raw HTML omitted -->"))
    }

    @Test func unsafeModeIsOptIn() {
        let html = CommonMarkDocument(markdown: "hi <b>x</b>\n", options: .init(unsafe: true)).renderHTML()
        #expect(html == "<p>hi <b>x</b></p>\n")
    }

    @Test func footnotesRenderAsLibcmarkDoes() {
        let html = CommonMarkDocument(markdown: "Text[^1].\n\n[^1]: Note.\n").renderHTML()
        #expect(html.contains("<sup class=\"footnote-ref\"><a href=\"#fn-1\" id=\"fnref-1\" data-footnote-ref>1</a></sup>"))
        #expect(html.contains("<section class=\"footnotes\" data-footnotes>"))
    }

    @Test func editsWrapTextWithNestedMarkup() {
        let document = CommonMarkDocument(markdown: "Alpha beta gamma\n")
        let tree = document.markup()
        let text = tree.children[0].children[0]
        document.apply([
            .wrap(node: text.id, range: 6..<16, open: "<mark>", close: "</mark>"),
            .wrap(node: text.id, range: 6..<10, open: "<a href=\"#b\">", close: "</a>"),
        ])
        #expect(document.renderHTML() == "<p>Alpha <mark><a href=\"#b\">beta</a> gamma</mark></p>\n")
    }

    @Test func editedTextStaysEscaped() {
        let document = CommonMarkDocument(markdown: "a &lt;b&gt; c\n")
        let text = document.markup().children[0].children[0]
        document.apply([.wrap(node: text.id, range: 0..<1, open: "<i>", close: "</i>")])
        #expect(document.renderHTML() == "<p><i>a</i> &lt;b&gt; c</p>\n")
    }
}

/// Compares with a golden file; `GLOSS_UPDATE_GOLDEN=1 swift test` rewrites it.
func assertGolden(_ actual: String, _ name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
    let url = repositoryRoot.appendingPathComponent("Tests/GlossTests/Fixtures").appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["GLOSS_UPDATE_GOLDEN"] == "1" {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try actual.write(to: url, atomically: true, encoding: .utf8)
        return
    }
    let expected = try String(contentsOf: url, encoding: .utf8)
    if expected != actual {
        let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let b = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let line = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
        Issue.record("""
            \(name) differs from golden at line \(line + 1):
              expected: \(line < a.count ? String(a[line]) : "<end>")
              actual:   \(line < b.count ? String(b[line]) : "<end>")
            Run GLOSS_UPDATE_GOLDEN=1 swift test to accept.
            """, sourceLocation: sourceLocation)
    }
}

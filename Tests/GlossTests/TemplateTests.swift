import Foundation
import Testing
@testable import Gloss

/// Gloss's Mustache engine: the spec's rules the default theme and site
/// templates rely on, and its errors.
@Suite struct TemplateTests {
    /// A hook is cut at its text as Foundation's `trimmingCharacters(in:
    /// .newlines)` and `range(of:)` would cut it, which it replaces.
    @Test func hookPiecesAreCutAsFoundationWouldCutThem() {
        let marker = TemplateSet.hookMarker
        let pieces = ["\n", "\r\n", "\u{0B}", "\u{85}", "\u{2028}", "\u{2029}", " ", "<mark>", "</mark>", "é", "e\u{301}", "\u{E000}", marker]
        var random = SeededRandom(seed: 11)
        for _ in 0..<2000 {
            let html = random.text(of: pieces, length: 6)
            let trimmed = html.trimmingCharacters(in: .newlines)
            let expected = trimmed.range(of: marker).map { (String(trimmed[..<$0.lowerBound]), String(trimmed[$0.upperBound...])) }
                ?? (trimmed, "")
            let cut = TemplateSet.hookPieces(html)
            #expect(cut.open.utf8.elementsEqual(expected.0.utf8) && cut.close.utf8.elementsEqual(expected.1.utf8), "\(html.debugDescription)")
        }
        #expect(TemplateSet.hookPieces("\n<mark class=\"claim\">\(marker)</mark>\n\n") == ("<mark class=\"claim\">", "</mark>"))
    }

    func render(_ text: String, _ context: TemplateValue, partials: [String: String] = [:]) throws -> String {
        var templates = try partials.mapValues { try Template($0) }
        templates["main"] = try Template(text)
        var renderer = TemplateRenderer(programs: templates.mapValues(\.program), context: context)
        renderer.render(templates["main"]!.program)
        return String(decoding: renderer.output, as: UTF8.self)
    }

    func syntaxError(_ text: String) -> TemplateSyntaxError? {
        do { _ = try Template(text); return nil } catch { return error }
    }

    let page: TemplateValue = .object([
        "title": .string("<New START> & \"INF\" 'treaties'"),
        "items": .list([.object(["name": .string("a")]), .object(["name": .string("b")]), .object(["name": .string("c")])]),
        "empty": .list([]), "yes": .bool(true), "no": .bool(false), "count": .int(3),
        "author": .object(["name": .string("Rose Gottemoeller")]),
    ])

    @Test func variablesAreEscapedUnlessTriple() throws {
        #expect(try render("{{title}}|{{{title}}}|{{&title}}", page)
            == "&lt;New START&gt; &amp; &quot;INF&quot; &#39;treaties&#39;|<New START> & \"INF\" 'treaties'|<New START> & \"INF\" 'treaties'")
        #expect(try render("{{count}} {{yes}} {{missing}}.", page) == "3 true .")
    }

    @Test func sectionsIterateTestAndPushContext() throws {
        #expect(try render("{{#items}}{{name}}{{/items}}", page) == "abc")
        #expect(try render("{{#empty}}x{{/empty}}{{^empty}}none{{/empty}}", page) == "none")
        #expect(try render("{{#yes}}y{{/yes}}{{#no}}n{{/no}}{{^no}}!{{/no}}", page) == "y!")
        // A name not found in the item is looked up in the enclosing contexts.
        #expect(try render("{{#author}}{{name}}: {{count}}{{/author}}", page) == "Rose Gottemoeller: 3")
        #expect(try render("{{author.name}}/{{author.missing.deeper}}", page) == "Rose Gottemoeller/")
        #expect(try render("{{#items}}{{.}}{{/items}}", .object(["items": .list([.string("x"), .string("<y>")])])) == "x&lt;y&gt;")
    }

    @Test func functionsAndListPositions() throws {
        #expect(try render("{{^empty(items)}}has {{count(items)}}{{/empty(items)}}", page) == "has 3")
        #expect(try render("{{#items}}{{name}}{{^last()}}, {{/last()}}{{/items}}", page) == "a, b, c")
        #expect(try render("{{#items}}{{index()}}{{/items}} {{#first(items)}}{{name}}{{/first(items)}}", page) == "012 a")
        #expect(try render("{{uppercased(author.name)}}", page) == "ROSE GOTTEMOELLER")
    }

    @Test func standaloneTagsTakeTheirLineWithThem() throws {
        let text = "<ul>\n  {{#items}}\n  <li>{{name}}</li>\n  {{/items}}\n</ul>\n{{! a comment }}\nend"
        #expect(try render(text, page) == "<ul>\n  <li>a</li>\n  <li>b</li>\n  <li>c</li>\n</ul>\nend")
        // Not standalone when the line has other content.
        #expect(try render("x {{#yes}}\ny{{/yes}}", page) == "x \ny")
    }

    @Test func partialsAreIndentedLineByLine() throws {
        let out = try render("<div>\n  {{> item}}\n</div>\n", page, partials: ["item": "<p>\n{{author.name}}\n</p>\n"])
        #expect(out == "<div>\n  <p>\n  Rose Gottemoeller\n  </p>\n</div>\n")
    }

    @Test func inheritanceOverridesBlocks() throws {
        let layout = "<title>{{$title}}Default{{/title}}</title>\n<main>\n{{$content}}{{/content}}\n</main>\n"
        let child = "{{<layout}}\n{{$content}}\n<h1>{{title}}</h1>\n{{/content}}\n{{/layout}}\n"
        #expect(try render(child, page, partials: ["layout": layout])
            == "<title>Default</title>\n<main>\n<h1>&lt;New START&gt; &amp; &quot;INF&quot; &#39;treaties&#39;</h1>\n\n</main>\n")
    }

    /// Templates render from a flat list of steps (`TemplateProgram`): a
    /// section's body ends where it closed, text after it is not merged
    /// into it, and overrides are found however deep the inheritance.
    @Test func flattenedStepsKeepTheirPlaces() throws {
        #expect(try render("{{#no}}a\nb{{/no}}c\nd", page) == "c\nd")
        #expect(try render("{{#yes}}a\nb{{/yes}}c\nd", page) == "a\nbc\nd")
        #expect(try render("{{#items}}[{{#yes}}{{name}}\n{{/yes}}]{{/items}}.", page) == "[a\n][b\n][c\n].")
        #expect(try render("{{^items}}none{{/items}}{{#items}}{{^last()}}{{name}},{{/last()}}{{/items}}!", page) == "a,b,!")
        let base = "<{{$a}}A1{{/a}}|{{$b}}B1{{/b}}|{{$c}}C1{{#yes}}!{{/yes}}{{/c}}>"
        let child = "{{<base}}{{$a}}A2{{/a}}{{$b}}B2{{/b}}{{/base}}"
        #expect(try render("{{<child}}{{$a}}A3{{/a}}{{/child}}", page, partials: ["base": base, "child": child]) == "<A3|B2|C1!>")
        #expect(try render("{{<child}}{{/child}}", page, partials: ["base": base, "child": child]) == "<A2|B2|C1!>")
    }

    /// Lines of merged text are indented one by one, as each line was a
    /// piece of its own, and indentation adds up through nested partials.
    @Test func nestedPartialsIndentEveryLine() throws {
        let partials = ["mid": "<ul>\n  {{> leaf}}\n</ul>\n", "leaf": "<li>{{count}}</li>\n<li>\n{{count}}\n</li>\n"]
        #expect(try render("<div>\n  {{> mid}}\n</div>\n", page, partials: partials)
            == "<div>\n  <ul>\n    <li>3</li>\n    <li>\n    3\n    </li>\n  </ul>\n</div>\n")
    }

    @Test func setDelimiters() throws {
        #expect(try render("{{=<% %>=}}<% title %> {{title}}", .object(["title": .string("T")])) == "T {{title}}")
    }

    @Test func syntaxErrorsSayWhatAndWhere() {
        let unclosed = syntaxError("ab\n{{#items}}x")
        #expect(unclosed?.message == "a section is not closed: {{/items}} is missing")
        #expect(unclosed?.offset == 3)
        let mismatch = syntaxError("{{#items}}x{{/item}}")
        #expect(mismatch?.message.hasPrefix("closing tag does not match the open section") == true)
        #expect(mismatch?.offset == 11)
        #expect(syntaxError("x {{title")?.message == "a tag is not closed with }}")
        #expect(syntaxError("{{#emtpy(items)}}{{/emtpy(items)}}")?.message == "unknown function 'emtpy'; did you mean 'empty'?")
        #expect(syntaxError("{{/items}}")?.message == "closing tag {{/items}} has no open section")
        #expect(syntaxError("{{<layout}}{{title}}{{/layout}}")?.message == "only {{$block}} definitions may appear inside {{<layout}}")
    }

    @Test func aMissingPartialIsAnErrorAtLoad() throws {
        let site = try SiteFixture(["templates/partials/footer.mustache": "{{> partials/fotter-links}}"])
        defer { site.remove() }
        let lines = site.generate().report.errorLines
        #expect(lines == ["templates/partials/footer.mustache:1:1: error: template 'partials/fotter-links' does not exist; did you mean 'partials/footer'?"])
    }

    /// The location is in the site's own file, not in the theme's it overrides.
    @Test func aMissingPartialIsLocatedInTheOverridingFile() throws {
        let site = try SiteFixture(["templates/partials/footer.mustache": "<footer>\n  <p>{{> partials/sidebar-widgets}}</p>\n</footer>\n"])
        defer { site.remove() }
        #expect(site.generate().report.errorLines == ["templates/partials/footer.mustache:2:6: error: template 'partials/sidebar-widgets' does not exist"])
    }

    @Test func viewModelLiteralsDropNils() {
        let summary: String? = nil
        var value: TemplateValue = ["title": "T", "summary": summary.map(TemplateValue.string), "tags": .strings(["a"]), "n": 2,
                                    "flag": false, "items": [["x": 1]]]
        #expect(value == .object(["title": .string("T"), "tags": .list([.string("a")]), "n": .int(2), "flag": .bool(false),
                                  "items": .list([.object(["x": .int(1)])])]))
        value["title"] = nil
        value["n"] = .int(3)
        #expect(value == .object(["tags": .list([.string("a")]), "n": .int(3), "flag": .bool(false),
                                  "items": .list([.object(["x": .int(1)])])]))
        var text: TemplateValue = "x"
        text["title"] = "T"  // not an object: unchanged
        #expect(text == .string("x"))
    }

    /// Objects keep fields in the order set, but compare and hash (for
    /// Swift and for page keys) as the dictionaries they stand for.
    @Test func objectsAreEqualWhateverTheOrderOfTheirFields() {
        let ab: TemplateValue = ["a": 1, "b": "x"], ba: TemplateValue = ["b": "x", "a": 1]
        #expect(ab == ba && ab.hashValue == ba.hashValue)
        func stable(_ value: TemplateValue) -> Int { var hasher = StableHasher(); hasher.combine(value); return hasher.finalize() }
        #expect(stable(ab) == stable(ba))
        #expect(ab != ["a": 1, "b": "y"] && ab != ["a": 1] && ab != ["a": 1, "b": "x", "c": false])
        #expect(stable(ab) != stable(["a": 1, "b": "y"]))
        // A key set twice keeps the last value, in the first one's place.
        var fields: TemplateFields = ["a": 1, "b": 2]
        fields["a"] = 3
        fields["c"] = 4
        fields["b"] = nil
        #expect(fields.fields.map(\.0) == ["a", "c"] && fields["a"] == 3 && fields["b"] == nil && fields.count == 2)
        let repeated = TemplateFields([("k", .int(1)), ("k", .int(2)), ("gone", nil)])
        #expect(repeated.count == 1 && repeated["k"] == 2)
    }
}

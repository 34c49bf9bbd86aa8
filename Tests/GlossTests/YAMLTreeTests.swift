import Foundation
import Testing
import Yams
@testable import Gloss

/// The front matter composer (`YAMLTree`, over libyaml's events) against
/// Yams' own composer, and its errors, each with message and location.
@Suite struct YAMLTreeTests {
    /// Kind, text, style and position of every node, depth first.
    func dump(_ tree: YAMLTree, _ node: Int) -> String {
        let n = tree.nodes[node]
        switch n.kind {
        case .scalar: return "\(n.line):\(n.column) \(n.plain ? "plain" : "quoted") \(n.text.debugDescription)"
        case .sequence: return "\(n.line):\(n.column) [" + tree.items(of: node).map { dump(tree, $0) }.joined(separator: ", ") + "]"
        case .mapping:
            let items = Array(tree.items(of: node))
            return "\(n.line):\(n.column) {" + stride(from: 0, to: items.count, by: 2)
                .map { dump(tree, items[$0]) + ": " + dump(tree, items[$0 + 1]) }.joined(separator: ", ") + "}"
        }
    }

    func dump(_ node: Yams.Node) -> String {
        let mark = node.mark.map { "\($0.line):\($0.column)" } ?? "?"
        switch node {
        case .scalar(let scalar): return "\(mark) \(scalar.style == .plain ? "plain" : "quoted") \(scalar.string.debugDescription)"
        case .sequence(let items): return "\(mark) [" + items.map(dump).joined(separator: ", ") + "]"
        case .mapping(let pairs): return "\(mark) {" + pairs.map { dump($0.key) + ": " + dump($0.value) }.joined(separator: ", ") + "}"
        case .alias: return "alias"
        }
    }

    func same(_ yaml: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let ours = try YAMLTree.compose(yaml)
        let theirs = try Yams.compose(yaml: yaml, .basic, .default, .utf8)
        #expect(ours.root.map { dump(ours, $0) } == theirs.map(dump), sourceLocation: sourceLocation)
    }

    @Test func composesAsYamsDoes() throws {
        try same("")
        try same("# only a comment\n")
        try same("title: \"Quoted: yes\"\ndate: 2020-01-02\ntags: [a, 'b c', \"d\"]\n")
        try same("summary: >\n  folded\n  text\nbody: |\n  kept\n  lines\nempty:\nnull: ~\n")
        try same("claims:\n  - id: c1\n    about:\n      - x\n      - y\n  - {id: c2, by: z}\n")
        try same("a: &anchor\n  k: v\nb: *anchor\nc: &s text\nd: *s\n")
        try same("name: Zoë Ström\nalias: \"\\u00e9t\\u00e9\"\n\u{65E5}\u{672C}: \u{8A9E}\n")
        try same("!!str tagged: !custom value\n? complex\n: value\n")
        try same("[1]: x\n")
    }

    /// Every front matter of the example archive composes as Yams does it.
    @Test func theExampleArchiveComposesAsYamsDoes() throws {
        let content = repositoryRoot.appendingPathComponent("content")
        let files = FileManager.default.enumerator(at: content, includingPropertiesForKeys: nil)!
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "md" || $0.pathExtension == "yml" }
        #expect(files.count > 40)
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            let yaml = file.pathExtension == "yml" ? text : text.components(separatedBy: "\n---\n")[0].replacingOccurrences(of: "---\n", with: "")
            try same(yaml)
        }
    }

    func failure(_ yaml: String, firstLine: Int = 2) -> String? {
        guard case .failure(let diagnostic) = YAMLFields.parse(yaml, path: "a.md", firstLine: firstLine) else { return nil }
        return diagnostic.description
    }

    @Test func aKeyGivenTwiceIsAnErrorAtTheSecond() {
        #expect(failure("title: a\ndate: 2020-01-01\ntitle: b\n") == "a.md:4:1: error: invalid YAML: key 'title' is given twice; first at line 2")
        #expect(failure("claims:\n  - id: a\n    by: x\n    id: b\n")
            == "a.md:5:5: error: invalid YAML: key 'id' is given twice; first at line 3")
        // Different keys that only look alike are not duplicates.
        #expect(failure("title: a\n\"title \": b\n") == nil)
        #expect(failure("!!int 1: a\n\"1\": b\n[a]: 1\n[b]: 2\n") == nil)
        #expect(failure("[\"x\\x01s tag:yaml.org,2002:str y\"]: 1\n[x, y]: 2\n") == nil)
        // Any key Yams finds equal: lists, mappings, tagged values; and a key
        // written through an alias is located where the alias is.
        #expect(failure("[a]: 1\n[a]: 2\n") == "a.md:3:1: error: invalid YAML: a list or mapping as a key is given twice; first at line 2")
        #expect(failure("{a: 1}: x\n{a: 1}: y\n")?.hasSuffix("is given twice; first at line 2") == true)
        #expect(failure("!!int 1: a\n!!int 1: b\n") == "a.md:3:1: error: invalid YAML: key '1' is given twice; first at line 2")
        #expect(failure("&k title: a\ndate: 2020-01-01\n*k : b\n")
            == "a.md:4:1: error: invalid YAML: key 'title' is given twice; first at line 2")
    }

    @Test func libyamlErrorsKeepTheirWordsAndPlace() {
        #expect(failure("title: a: b\n") == "a.md:2:9: error: invalid YAML: mapping values are not allowed in this context")
        #expect(failure("a: *nowhere\n") == "a.md:2:4: error: invalid YAML: found undefined alias")
        #expect(failure("a: 1\n---\nb: 2\n") == "a.md:3:1: error: invalid YAML: found a second document where one is expected")
        #expect(failure("tags: [a, b\n")?.hasPrefix("a.md:3:1: error: invalid YAML: did not find expected ',' or ']'") == true)
        // A character YAML does not allow is found by its byte offset.
        #expect(failure("title: ok\nsummary: é\u{7}\n") == "a.md:3:11: error: invalid YAML: control characters are not allowed")
    }

    /// A byte-order mark that starts a value is dropped, as Yams' reading did.
    @Test func aByteOrderMarkDoesNotStartAValue() throws {
        var fields = try YAMLFields.parse("tags: [\u{FEFF}x]\nsub:\n  \u{FEFF}title: y\n", path: "a.md", firstLine: 2).get()
        #expect(fields.stringList("tags").map(\.value) == ["x"])
        let found = fields.mapping("sub")
        var sub = try #require(found)
        #expect(sub.string("title")?.value == "y")
        try same("tags: [\u{FEFF}x]\nsub:\n  \u{FEFF}title: y\n")
    }

    @Test func nullsAreOnlyPlainScalars() throws {
        var fields = try YAMLFields.parse("a: ~\nb: null\nc: \"null\"\nd: ''\ne:\n", path: "a.md", firstLine: 2).get()
        #expect(fields.string("a") == nil && fields.string("b") == nil && fields.string("e") == nil)
        #expect(fields.string("c")?.value == "null")
        #expect(fields.string("d")?.value == "")
    }

    @Test func aliasesReadTheirAnchoredValueAndTagsNameKeys() throws {
        var fields = try YAMLFields.parse("a: &x hello\nb: *x\n!!str c: tagged\n!!int d: 4\n", path: "a.md", firstLine: 2).get()
        #expect(fields.string("b") == Located("hello", at: Gloss.SourceLocation(path: "a.md", line: 2, column: 4)))
        #expect(fields.string("c")?.value == "tagged")
        // A key tagged as something else is not the field of that name.
        #expect(fields.string("d") == nil)
        // Asked for by name: not shown as a fact, as before.
        #expect(fields.unusedScalarFields().map(\.key) == ["a"])
    }

    @Test func emptyFrontMatterHasNoFields() throws {
        var fields = try YAMLFields.parse("# nothing yet\n", path: "a.md", firstLine: 2).get()
        #expect(fields.string("title", required: true) == nil)
        #expect(fields.diagnostics.all.map(\.description) == ["a.md:2:1: error: missing required field 'title'"])
        #expect(failure("- a\n- b\n") == "a.md:2:1: error: front matter must be a mapping of 'key: value' lines")
    }
}

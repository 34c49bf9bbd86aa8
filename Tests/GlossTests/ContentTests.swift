import Foundation
import Testing
@testable import Gloss

@Suite struct SimpleDateTests {
    @Test(arguments: ["2021-02-05", "2020-02-29", "2021-02-05T10:20:30Z", " 2019-08-02 ", "\u{A0}2019-08-02\t", "2019-08-02 10:00", "9999-12-31",
                      "\u{200B}2021-02-05", "2021-02-05\u{200B}"])
    func acceptsValidDates(_ text: String) {
        #expect(SimpleDate(text) != nil)
    }

    @Test(arguments: ["2024-13-45", "2021-02-29", "2021-2-5", "05/02/2021", "2021-02-05x", "", "２０２１-02-05", "2021-02-0５",
                      "0000-01-01", "2021-00-10", "2021/02/05", "2021-02-05\u{301}", "2021-02", "-2021-02-05",
                      "2021-02-05 \u{301}", "2021-02-05T\u{200D}", "2021-02-05T\u{FE0F}"])
    func rejectsInvalidDates(_ text: String) {
        #expect(SimpleDate(text) == nil)
    }

    @Test func formats() {
        let date = SimpleDate("2021-02-05")!
        #expect(date.description == "2021-02-05")
        #expect(SimpleDate("0987-10-01")?.description == "0987-10-01")
        #expect(SimpleDate(" 2019-08-02T10:00:00Z") == SimpleDate(year: 2019, month: 8, day: 2))
        #expect(date.longForm == "5 February 2021")
        #expect(SimpleDate("2020-12-31")! < date)
    }
}

@Suite struct FrontMatterTests {
    /// Unix and Windows line endings alike: "\r\n" is one Character, and a
    /// search for "\n" by characters never found a Windows line's end (the
    /// build trapped).
    @Test(arguments: ["\n", "\r\n"]) func splitsAndCountsBodyLines(_ end: String) throws {
        let lines = { (text: String) in text.replacingOccurrences(of: "\n", with: end) }
        let split = try SplitDocument.split(SourceFile(path: "a.md", text: lines("---\ntitle: x\ndate: 2020-01-01\n---\nBody line\n"))).get()
        #expect(split.yaml == lines("title: x\ndate: 2020-01-01\n"))
        #expect(split.body == lines("Body line\n"))
        #expect(split.bodyLineOffset == 4)
        let dots = try SplitDocument.split(SourceFile(path: "a.md", text: lines("---\ntitle: x\n...\nBody\n"))).get()
        #expect(dots.yaml == lines("title: x\n") && dots.body == lines("Body\n"))
    }

    @Test func missingOpeningAndClosingFences() {
        guard case .failure(let open) = SplitDocument.split(SourceFile(path: "a.md", text: "title: x\n")) else {
            Issue.record("expected failure"); return
        }
        #expect(open.description == "a.md:1:1: error: missing front matter: the file must start with a line '---'")
        guard case .failure(let close) = SplitDocument.split(SourceFile(path: "a.md", text: "---\ntitle: x\n")) else {
            Issue.record("expected failure"); return
        }
        #expect(close.message.contains("not closed"))
    }

    @Test func yamlErrorsAreRebasedOntoTheFile() {
        let result = YAMLFields.parse("title: a: b\n", path: "a.md", firstLine: 2)
        guard case .failure(let d) = result else { Issue.record("expected failure"); return }
        #expect(d.location == SourceLocation(path: "a.md", line: 2, column: 9))
        #expect(d.message.hasPrefix("invalid YAML: mapping values are not allowed"))
    }

    @Test func valuesKeepTheirLocations() throws {
        var fields = try YAMLFields.parse("title: x\npeople:\n  - a\n  - b\n", path: "a.md", firstLine: 2).get()
        let people = fields.stringList("people")
        #expect(people.map(\.value) == ["a", "b"])
        #expect(people[1].location == SourceLocation(path: "a.md", line: 5, column: 5))
    }

    @Test func malformedKeyThatTrapsYamsLoadIsAnError() {
        // `Yams.load` traps on this input; composing must not.
        var fields = try? YAMLFields.parse("[1]: x\n", path: "a.md", firstLine: 2).get()
        #expect(fields?.string("title", required: true) == nil)
        #expect(fields?.diagnostics.hasErrors == true)
    }

    @Test func invalidUTF8PointsAtTheFirstBadByte() {
        let bytes = Data("---\ntitle: ok\n".utf8) + Data([0x61, 0xFF, 0x62])
        guard case .failure(let d) = SourceFile.decode(path: "a.md", bytes: bytes) else {
            Issue.record("expected failure"); return
        }
        #expect(d.description == "a.md:3:2: error: file is not valid UTF-8")
    }
}

@Suite struct SuggestionTests {
    @Test func closeNamesAreSuggested() {
        #expect(Suggestion.closest(to: "new-strat", in: ["new-start", "inf-treaty"]) == "new-start")
        #expect(Suggestion.closest(to: "zzzzzz", in: ["new-start", "inf-treaty"]) == nil)
        #expect(Suggestion.distance("kitten", "sitting") == 3)
    }
}

@Suite struct IdentifierTests {
    @Test(arguments: ["new-start", "a1", "x_y.z"]) func valid(_ id: String) { #expect(Identifier.isValid(id)) }
    @Test(arguments: ["../x", "a/b", "", ".hidden", "A", "a..b", "x y", "/abs"]) func invalid(_ id: String) {
        #expect(!Identifier.isValid(id))
    }
}

import Testing
@testable import Gloss

@Suite struct NameMatcherTests {
    let matcher = NameMatcher(names: [
        ("New START", "new-start"), ("START", "start-i"), ("Russia", "russia"), ("O’Brien", "robert-obrien"),
        ("Sergei Ryabkov", "sergei-ryabkov"), ("Ryabkov", "sergei-ryabkov"), ("Zoë", "zoe"), ("Geneva", "geneva"),
    ])

    func found(_ text: String) -> [String] {
        matcher.matches(in: text).map { hit in
            let bytes = Array(text.utf8)[hit.range]
            return String(decoding: bytes, as: UTF8.self) + "=" + hit.ids.joined(separator: "|")
        }
    }

    @Test func longestMatchWins() {
        #expect(found("New START and START") == ["New START=new-start", "START=start-i"])
        #expect(found("Sergei Ryabkov met Ryabkov") == ["Sergei Ryabkov=sergei-ryabkov", "Ryabkov=sergei-ryabkov"])
    }

    @Test func wholeWordsOnly() {
        #expect(found("Russian officials and Russia's view") == ["Russia=russia"])
        #expect(found("STARTLING news, ReSTART") == [])
        #expect(found("Genevan lakes; Geneva.") == ["Geneva.=geneva"].map { _ in "Geneva=geneva" })
    }

    @Test func caseSensitive() {
        #expect(found("russia and RUSSIA") == [])
    }

    @Test func apostrophesAndAccents() {
        #expect(found("O'Brien and O’Brien") == ["O'Brien=robert-obrien", "O’Brien=robert-obrien"])
        // Compare scalars: Swift's String == treats the two spellings as equal.
        #expect(found("Zoe, Zoë and Zoe\u{0308}").map { Array($0.unicodeScalars) }
                == ["Zoë=zoe", "Zoe\u{0308}=zoe"].map { Array($0.unicodeScalars) })
    }

    @Test func rangesAreUTF8Offsets() {
        let text = "« Russia »"
        let hit = matcher.matches(in: text)[0]
        #expect(String(decoding: Array(text.utf8)[hit.range], as: UTF8.self) == "Russia")
    }
}

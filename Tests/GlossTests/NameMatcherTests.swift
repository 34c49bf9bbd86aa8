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

    @Test func manyNamesFindTheSameHitsAsFew() {
        // Thousands of names sharing prefixes with the real ones must not
        // change what is found (the trie's wide nodes live in one table).
        var names: [(surface: String, id: String)] = [("New START", "new-start"), ("Russia", "russia"), ("O’Brien", "robert-obrien")]
        for i in 0..<3000 { names.append(("New Sta\(i)", "n\(i)")); names.append(("Rus\(i)x", "r\(i)")) }
        let big = NameMatcher(names: names)
        let text = "New START, New Sta12 and Russia; O'Brien. Rus7x Russ New Sta2999"
        let hits = big.matches(in: text).map { String(decoding: Array(text.utf8)[$0.range], as: UTF8.self) + "=" + $0.ids[0] }
        #expect(hits == ["New START=new-start", "New Sta12=n12", "Russia=russia", "O'Brien=robert-obrien", "Rus7x=r7", "New Sta2999=n2999"])
    }

    @Test func aNameMayStartTheTextWithAnyCharacter() {
        let m = NameMatcher(names: [("'t Hooft", "hooft"), ("Zoë", "zoe")])
        #expect(m.matches(in: "'t Hooft and Zoë").map(\.ids) == [["hooft"], ["zoe"]])
        #expect(m.matches(in: "x 't Hooft").isEmpty)  // mid-text it must start a word
    }
}

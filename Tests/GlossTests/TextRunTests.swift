import Testing
@testable import Gloss

@Suite struct TextRunTests {
    func run(_ markdown: String) -> TextRun {
        TextRun(block: CommonMarkDocument(markdown: markdown).markup().children[0])
    }

    @Test func collapsesWhiteSpaceAcrossInlines() {
        #expect(run("A *b*  `c`\nd [e](x)").text == "A b c d e")
    }

    @Test func sentenceSkipsAbbreviationsAndInitials() {
        let r = run("First one here. The U.S. envoy met Mr. Ryabkov and J. Smith in Vienna. Then more.")
        let index = r.text.unicodeScalars.firstIndex { $0 == "V" }.map { r.text.unicodeScalars.distance(from: r.text.unicodeScalars.startIndex, to: $0) }!
        #expect(r.sentence(around: index) == "The U.S. envoy met Mr. Ryabkov and J. Smith in Vienna.")
    }

    @Test func shortLeadInTakesTheNextSentence() {
        let r = run("**New START.** It limits warheads to 1,550. Other text follows here.")
        #expect(r.sentence(around: 0) == "New START. It limits warheads to 1,550.")
    }

    @Test func keepsTypographicQuotesForDisplayButMatchesStraightOnes() {
        let r = run("He said “no preconditions.” Then left.")
        #expect(r.text.contains("“no preconditions.”"))
        #expect(r.occurrences(of: TextRun.normalize("\"no preconditions.\"")).count == 1)
    }

    @Test func leafRangesMapBackToUTF8Bytes() {
        let r = run("Zoë *is* here")
        let start = 0, end = r.text.unicodeScalars.count
        let pieces = r.leafRanges(start..<end)
        #expect(pieces.map(\.bytes) == [0..<5, 0..<2, 0..<5])
    }

    @Test func wordCountAgreesWithSplittingTheText() {
        // Plain words, accents, quotes, and spaces a combining mark or a
        // prepended letter joins into one character (which do not split).
        for markdown in ["One two  three", "Chloé “said” – so", "a \u{301}b c", "x\u{0600} y z", "*New* START."] {
            let r = run(markdown)
            #expect(r.wordCount == r.text.split(separator: " ").count, "\(markdown)")
        }
    }

    @Test func positionsMapLeafOffsetsToTheRun() {
        let r = run("Zoë  met *Ryabkov* in Geneva")
        let text = Array(r.text.unicodeScalars)
        // "Geneva" starts at byte 4 of the last leaf (" in Geneva").
        let position = r.position(leaf: 2, offset: 4)!
        #expect(String(String.UnicodeScalarView(text[position...])) == "Geneva")
        #expect(r.position(node: r.leaves[0].id, offset: 2) == 2)  // inside "ë"
        #expect(r.position(node: r.leaves[0].id, offset: 3) == 2)
    }

    @Test func decodesScalarsOfEveryWidthAndCollapsesUnicodeSpaces() {
        // 2-, 3- and 4-byte scalars; no-break and ideographic spaces are
        // white space; a hard line break is one space.
        let r = run("Zoë\u{00A0}\u{00A0}€ 𝔸b\u{3000}c  \nd \u{00A0}")
        #expect(r.text == "Zoë € 𝔸b c d")
        #expect(r.scalars.count == r.text.unicodeScalars.count)
        let pieces = r.leafRanges(0..<r.scalars.count)
        #expect(pieces.map(\.bytes) == [0..<21, 0..<1])
        #expect(r.position(leaf: 0, offset: 12) == 6)  // "𝔸", after "Zoë € "
        #expect(r.position(leaf: 0, offset: 15) == 6)  // its last byte
        #expect(r.sentence(around: 0) == "Zoë € 𝔸b c d")
    }

    @Test func quotesMatchAcrossQuoteStylesOnly() {
        let r = run("It’s “firm”, he said; it's firm.")
        #expect(r.occurrences(of: TextRun.normalize("t's")).count == 2)
        #expect(r.occurrences(of: TextRun.normalize("it's")).count == 1)
        #expect(r.occurrences(of: TextRun.normalize("It's \"firm\"")).count == 1)
        #expect(r.occurrences(of: TextRun.normalize("It\u{2019}s\n\u{0B}“firm”")) == [0])
        #expect(r.occurrences(of: TextRun.normalize("its")).isEmpty)
    }
}

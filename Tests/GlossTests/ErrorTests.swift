import Foundation
import Testing
@testable import Gloss

/// One test per kind of bad input: the exact message and the location in
/// the original file (front matter offsets included).
@Suite struct ErrorTests {
    func errors(_ files: [String: String]) throws -> [String] {
        let site = try SiteFixture(files)
        defer { site.remove() }
        return site.generate().report.errorLines
    }

    let ok = "title: T\ndate: 2020-06-22"

    @Test func malformedYAML() throws {
        #expect(try errors(["content/articles/a.md": article("title: a: b\ndate: 2020-01-01", "x\n")]) == [
            "content/articles/a.md:2:9: error: invalid YAML: mapping values are not allowed in this context",
        ])
    }

    @Test func aKeyGivenTwice() throws {
        #expect(try errors(["content/articles/a.md": article("title: T\ndate: 2020-01-01\ntitle: U", "x\n")]) == [
            "content/articles/a.md:4:1: error: invalid YAML: key 'title' is given twice; first at line 2",
        ])
    }

    @Test func missingTitleAndDate() throws {
        #expect(try errors(["content/articles/a.md": article("summary: s", "x\n")]) == [
            "content/articles/a.md:2:1: error: missing required field 'date'",
            "content/articles/a.md:2:1: error: missing required field 'title'",
        ])
    }

    /// A tag's or a verdict's page is at its slug: one with no letter or
    /// digit in any script would have none.
    @Test func tagsAndRatingsNeedALetterOrDigit() throws {
        let fm = ok + "\ntags: [fine, \"✓ ✓\"]\nclaims:\n  - id: c\n    quote: x\n    by: sergei-ryabkov\n    review: {rating: \"?!\"}"
        #expect(try errors(["content/articles/a.md": article(fm, "x\n")]) == [
            "content/articles/a.md:4:14: error: tag '✓ ✓' has no letter or digit to make its page's address from",
            "content/articles/a.md:9:22: error: review rating '?!' has no letter or digit to make its page's address from",
        ])
    }

    @Test func invalidDate() throws {
        #expect(try errors(["content/articles/a.md": article("title: T\ndate: 2024-13-45", "x\n")]) == [
            "content/articles/a.md:3:7: error: 'date' is not a valid date '2024-13-45'; write YYYY-MM-DD",
        ])
    }

    @Test func unknownEntityInExplicitLink() throws {
        #expect(try errors(["content/articles/a.md": article(ok, "Intro.\n\nThe [treaty](treaty:new-strat) held.\n")]) == [
            "content/articles/a.md:7:5: error: unknown treaty 'new-strat'; did you mean 'new-start'?",
        ])
    }

    @Test func linkToEntityOfTheWrongKind() throws {
        #expect(try errors(["content/articles/a.md": article(ok, "[x](treaty:vienna)\n")]) == [
            "content/articles/a.md:5:1: error: 'vienna' is a place, not a treaty",
        ])
    }

    @Test func unknownEntityInFrontMatter() throws {
        let fm = ok + "\nauthor: marshal-billingslea\ntreaties:\n  - new-start\n  - inf\nclaims:\n  - id: c\n    quote: x\n    by: ryabkov\n    about: [russa]"
        #expect(try errors(["content/articles/a.md": article(fm, "x\n")]) == [
            "content/articles/a.md:4:9: error: unknown person or organization 'marshal-billingslea'; did you mean 'marshall-billingslea'?",
            "content/articles/a.md:7:5: error: unknown treaty 'inf'",
            "content/articles/a.md:11:9: error: unknown person or organization 'ryabkov'",
            "content/articles/a.md:12:13: error: unknown entity 'russa'; did you mean 'russia'?",
        ])
    }

    func claim(_ quote: String, extra: String = "") -> String {
        ok + "\nclaims:\n  - id: c1\n    quote: \"\(quote)\"\n    by: sergei-ryabkov" + extra
    }

    @Test func claimQuoteNotInText() throws {
        #expect(try errors(["content/articles/a.md": article(claim("extension is not likely"), "The extension is not a given.\n")]) == [
            "content/articles/a.md:6:12: error: claim 'c1': quote not found in the article text; the text matches up to \"extension is not \" but then differs at \"likely\"",
        ])
    }

    @Test func claimQuoteFoundTwice() throws {
        #expect(try errors(["content/articles/a.md": article(claim("not a given"), "It is not a given.\n\nStill not a given.\n")]) == [
            "content/articles/a.md:6:12: error: claim 'c1': quote found 2 times in the text; add 'prefix' or 'suffix' to say which one",
        ])
    }

    @Test func claimQuoteSpansTwoParagraphs() throws {
        #expect(try errors(["content/articles/a.md": article(claim("not a given. Still"), "It is not a given.\n\nStill here.\n")]) == [
            "content/articles/a.md:6:12: error: claim 'c1': quote spans two paragraphs or blocks; a claim must be quoted from one block",
        ])
    }

    @Test func duplicateSlugsAndClaimIDs() throws {
        let one = article(claim("here") + "\n  - id: c1\n    quote: again\n    by: sergei-ryabkov", "here again\n")
        // The same claim id in another article is fine: ids are per article.
        let two = article(ok + "\nslug: a\nclaims:\n  - id: c1\n    quote: there\n    by: sergei-ryabkov", "there\n")
        #expect(try errors(["content/articles/a.md": one, "content/articles/2020/b.md": two]) == [
            // Files are read in path order, so a.md comes second.
            "content/articles/a.md:1:1: error: duplicate article slug 'a': also used by content/articles/2020/b.md",
            "content/articles/a.md:8:9: error: duplicate claim id 'c1' in this article: also used at line 5",
        ])
    }

    /// An article with many claims finds its duplicate ids another way; the
    /// message is the same.
    @Test func duplicateClaimIDsAmongMany() throws {
        let words = (1...40).map { "w\($0)z" }
        let claims = words.enumerated().map { index, word in
            "\n  - id: \(index == 37 ? "c2" : "c\(index + 1)")\n    quote: \(word)\n    by: sergei-ryabkov"
        }.joined()
        let text = article(ok + "\nclaims:" + claims, words.joined(separator: " ") + "\n")
        let found = try errors(["content/articles/a.md": text])
        #expect(found == ["content/articles/a.md:\(4 + 37 * 3 + 1):9: error: duplicate claim id 'c2' in this article: also used at line 8"],
                "\(found)")
    }

    @Test func ambiguousQuotesCanBeAnchoredAtTheFirstWhenTheSiteSaysSo() throws {
        let site = try SiteFixture(["content/articles/a.md": article(claim("not a given"), "It is not a given.\n\nStill not a given.\n")],
                                   config: SiteFixture.minimalConfig + "ambiguous_quotes: first\n")
        defer { site.remove() }
        let (files, report) = site.generate()
        #expect(report.succeeded)
        #expect(report.printed == ["content/articles/a.md:6:12: warning: claim 'c1': quote found 2 times in the text; anchored at the first (add 'prefix' or 'suffix' to choose)"])
        #expect(files["articles/a/index.html"]?.contains("It is <mark class=\"claim\" id=\"claim-c1\"") == true)
    }

    @Test func duplicateEntityIDAcrossKinds() throws {
        #expect(try errors(["content/organizations/vienna.md": "---\nname: Vienna Group\n---\n"]) == [
            "content/places/vienna.md:1:1: error: duplicate entity id 'vienna': also defined in content/organizations/vienna.md",
        ])
    }

    @Test func nonUTF8File() throws {
        let site = try SiteFixture([:])
        defer { site.remove() }
        try site.write("content/articles/bad.md", Data("---\ntitle: caf".utf8) + Data([0xE9]) + Data("\n---\n".utf8))
        #expect(site.generate().report.errorLines == ["content/articles/bad.md:2:11: error: file is not valid UTF-8"])
    }

    @Test func slugThatWouldEscapeTheOutputFolder() throws {
        #expect(try errors(["content/articles/a.md": article(ok + "\nslug: ../../etc", "x\n")]) == [
            "content/articles/a.md:4:7: error: invalid slug '../../etc': \(Identifier.rule)",
        ])
    }

    @Test func invalidClaimSourceAndMissingFields() throws {
        let fm = ok + "\nclaims:\n  - id: c1\n    quote: x\n    source: javascript:alert(1)\n  - quote: y"
        #expect(try errors(["content/articles/a.md": article(fm, "x y\n")]) == [
            "content/articles/a.md:5:5: error: missing required field 'by'",
            "content/articles/a.md:7:13: error: claim 'source' must be an http or https URL",
            "content/articles/a.md:8:5: error: missing required field 'by'",
            "content/articles/a.md:8:5: error: missing required field 'id'",
        ])
    }

    @Test func allErrorsOfABuildAreReportedTogether() throws {
        let lines = try errors([
            "content/articles/a.md": article("title: a: b", "x\n"),
            "content/articles/b.md": article("title: B", "x\n"),
            "content/articles/c.md": article(ok, "[x](person:nobody)\n"),
        ])
        #expect(lines.count == 3)
    }

    /// An error in an article's front matter does not hide the file's other
    /// errors: its references and its body are checked in the same build.
    @Test func aFrontMatterErrorDoesNotHideTheRestOfTheFile() throws {
        let fm = "title: T\ndate: 2024-13-45\npeople: [nobody]\nclaims:\n  - id: c1\n    quote: not in the text\n    by: sergei-ryabkov"
        #expect(try errors(["content/articles/a.md": article(fm, "The [treaty](treaty:new-strat) held.\n")]) == [
            "content/articles/a.md:3:7: error: 'date' is not a valid date '2024-13-45'; write YYYY-MM-DD",
            "content/articles/a.md:4:10: error: unknown person 'nobody'",
            "content/articles/a.md:7:12: error: claim 'c1': quote not found in the article text",
            "content/articles/a.md:10:5: error: unknown treaty 'new-strat'; did you mean 'new-start'?",
        ])
    }

    @Test func templateSyntaxError() throws {
        let site = try SiteFixture(["templates/home.mustache": "{{#articles}}\n  {{title}}\n{{/article}}\n"])
        defer { site.remove() }
        let lines = site.generate().report.errorLines
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("templates/home.mustache:3:") == true)
        #expect(lines.first?.contains("closing tag does not match the open section") == true)
    }

    @Test func badSiteConfig() throws {
        let site = try SiteFixture([:], config: "title: X\nbase_url: example.org\nmentions: frist\n")
        defer { site.remove() }
        #expect(site.generate().report.errorLines == [
            "site.yml:2:11: error: 'base_url' must be an absolute URL such as https://example.org/watch/",
            "site.yml:3:11: error: 'mentions' must be one of none, first, all; did you mean 'first'?",
        ])
    }
}

@Suite struct WarningTests {
    @Test func misspelledFieldsWarnWithASuggestion() throws {
        let site = try SiteFixture(["content/articles/a.md": article("title: T\ndate: 2020-01-01\nsumary: s\nclaims:\n  - {id: c, quote: x, by: sergei-ryabkov, abuot: [russia]}", "x\n")],
                                   config: SiteFixture.minimalConfig + "mention: all\n")
        defer { site.remove() }
        let report = site.generate().report
        #expect(report.succeeded)
        #expect(report.printed == [
            "content/articles/a.md:4:1: warning: unknown front matter field 'sumary'; did you mean 'summary'?",
            "content/articles/a.md:6:43: warning: unknown claim field 'abuot'; did you mean 'about'?",
            "site.yml:5:1: warning: unknown setting 'mention'; did you mean 'mentions'?",
        ])
    }
}

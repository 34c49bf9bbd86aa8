import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import Gloss

/// Feeds, sitemap, robots.txt, JSON-LD and the JSON exports: well-formed,
/// complete, escaped, under the base path, and the same on every build.
@Suite struct MachineOutputTests {
    static let hostile = "</script><script>alert(1)</script> \"q\" & <b>"

    /// A site whose content tries to break out of every format.
    static let files: [String: String] = [
        "content/people/evil.md": """
            ---
            name: "Evil </script><script>alert(1)</script> & \\"Co\\" <x>"
            aliases: [Evil]
            wikidata: Q42
            ---
            """,
        "content/organizations/watch.md": "---\nname: Watch & Co\n---\n",
        "content/articles/hostile.md": article("""
            title: "</script><script>alert(1)</script> \\"q\\" & <b>"
            date: 2021-01-02
            author: evil
            summary: "Summary </script> & \\"quotes\\" <i>"
            tags: [a-and-b]
            people: [evil]
            treaties: [new-start]
            claims:
              - id: hostile
                quote: "Tom & Jerry say 1 < 2"
                by: evil
                about: [new-start]
                context: "</script><!-- context"
                source: "https://example.org/?a=1&b=2"
                review: {rating: "False </script>", by: watch, note: "Note & </script>"}
              - id: plain
                quote: "nothing reviewed"
                by: marshall-billingslea
            """, "Tom & Jerry say 1 < 2, wrote Evil. Billingslea said nothing reviewed here.\n"),
        "content/articles/older.md": article("""
            title: Older
            date: 2020-05-01
            people: [sergei-ryabkov]
            """, "Ryabkov in Vienna.\n"),
    ]

    static func build(_ baseURL: String? = nil) throws -> [String: String] {
        let site = try SiteFixture(files)
        defer { site.remove() }
        let (files, report) = site.generate(baseURL: baseURL)
        #expect(report.errorLines == [])
        return files
    }

    // MARK: Atom

    @Test func siteFeedIsAtomWithRequiredElements() throws {
        let files = try Self.build()
        let feed = try xmlRoot(#require(files["feed.xml"]))
        #expect(feed.name == "feed" && feed.uri == "http://www.w3.org/2005/Atom")
        #expect(feed.child("id")?.stringValue == "https://example.org/feed.xml")
        #expect(feed.child("title")?.stringValue == "Test Archive")
        #expect(feed.child("updated")?.stringValue == "2021-01-02T00:00:00Z")
        #expect(feed.child("author")?.child("name")?.stringValue == "Test Archive")
        #expect(feed.links["alternate"] == "https://example.org/")
        #expect(feed.links["self"] == "https://example.org/feed.xml")
        let entries = feed.children(named: "entry")
        #expect(entries.map { $0.child("title")?.stringValue } == [Self.hostile, "Older"])
        for entry in entries {
            #expect(entry.child("id")?.stringValue?.hasPrefix("https://example.org/articles/") == true)
            #expect(entry.child("updated")?.stringValue?.hasSuffix("T00:00:00Z") == true)
            #expect(entry.links["alternate"] == entry.child("id")?.stringValue)
        }
        let first = entries[0]
        #expect(first.child("author")?.child("name")?.stringValue == "Evil </script><script>alert(1)</script> & \"Co\" <x>")
        #expect(first.child("summary")?.stringValue == "Summary </script> & \"quotes\" <i>")
        #expect(first.child("content")?.stringValue?.contains("Tom &amp; Jerry say 1 &lt; 2") == true)
    }

    @Test func everyEntityHasAFeedOfItsArticles() throws {
        let files = try Self.build()
        for path in ["people/evil/feed.xml", "people/sergei-ryabkov/feed.xml", "treaties/new-start/feed.xml",
                     "places/vienna/feed.xml", "organizations/watch/feed.xml"] {
            let feed = try xmlRoot(#require(files[path], "\(path)"))
            #expect(feed.links["self"] == "https://example.org/" + path)
            #expect(feed.child("updated") != nil && feed.child("author") != nil)
        }
        let ryabkov = try xmlRoot(#require(files["people/sergei-ryabkov/feed.xml"]))
        #expect(ryabkov.children(named: "entry").map { $0.child("title")?.stringValue } == ["Older"])
        #expect(ryabkov.child("updated")?.stringValue == "2020-05-01T00:00:00Z")
        #expect(ryabkov.child("title")?.stringValue == "Sergei Ryabkov · Test Archive")
        let russia = try xmlRoot(#require(files["places/russia/feed.xml"]))
        #expect(russia.children(named: "entry").isEmpty)
        #expect(russia.child("updated")?.stringValue == "2021-01-02T00:00:00Z")
        #expect(files["people/sergei-ryabkov/index.html"]?.contains(
            #"<link rel="alternate" type="application/atom+xml" href="/people/sergei-ryabkov/feed.xml""#) == true)
    }

    // MARK: Sitemap and robots.txt

    @Test func sitemapListsEveryPageOnce() throws {
        let files = try Self.build()
        let root = try xmlRoot(#require(files["sitemap.xml"]))
        #expect(root.name == "urlset" && root.uri == Sitemap.namespace)
        let locs = root.children(named: "url").compactMap { $0.child("loc")?.stringValue }
        #expect(Set(locs).count == locs.count)
        for page in ["", "articles/hostile/", "articles/older/", "claims/", "people/", "people/evil/", "treaties/new-start/"] {
            #expect(locs.contains("https://example.org/" + page), "\(page)")
        }
        #expect(!locs.contains { $0.contains("404") })
        let lastmods = root.children(named: "url").compactMap { $0.child("lastmod")?.stringValue }
        #expect(lastmods.allSatisfy { SimpleDate($0)?.description == $0 })
        #expect(files["robots.txt"] == "User-agent: *\nDisallow:\n\nSitemap: https://example.org/sitemap.xml\n")
    }

    @Test func largeSitemapsBecomeAnIndex() throws {
        let config = SiteConfig(baseURL: "https://example.org/watch/")
        let graph = SiteGraph(config: config, registry: EntityRegistry([]), articles: [])
        let address = SiteAddress(config: config, urls: SiteURLs(basePath: config.basePath))
        let files = Sitemap(graph: graph, address: address, extraPages: ["tags/x/index.html", "404.html"], limit: 4).files()
        #expect(files.map(\.path) == ["sitemap.xml", "robots.txt", "sitemap-1.xml", "sitemap-2.xml"])
        let index = try xmlRoot(String(decoding: files[0].contents, as: UTF8.self))
        #expect(index.name == "sitemapindex")
        #expect(index.children(named: "sitemap").compactMap { $0.child("loc")?.stringValue }
            == ["https://example.org/watch/sitemap-1.xml", "https://example.org/watch/sitemap-2.xml"])
        let second = try xmlRoot(String(decoding: files[3].contents, as: UTF8.self))
        #expect(second.children(named: "url").compactMap { $0.child("loc")?.stringValue }
            == ["https://example.org/watch/organizations/", "https://example.org/watch/places/", "https://example.org/watch/tags/x/"])
    }

    @Test func pathOnlyBaseHasNoSitemap() throws {
        let files = try Self.build("/sub/")
        #expect(files["sitemap.xml"] == nil)
        #expect(files["robots.txt"] == "User-agent: *\nDisallow:\n")
        let feed = try xmlRoot(#require(files["feed.xml"]))
        #expect(feed.links["self"] == "/sub/feed.xml")
    }

    // MARK: Sub-path base URL

    @Test func subPathBaseURLEverywhere() throws {
        let files = try Self.build("https://example.org/watch/")
        let machine = ["feed.xml", "people/evil/feed.xml", "sitemap.xml", "robots.txt", "entities.json", "claims.json"]
        for path in machine {
            let text = try #require(files[path], "\(path)")
            for match in text.matches(of: /https:\/\/example\.org\/[^"<\s]*/) where !match.output.hasPrefix("https://example.org/?") {
                #expect(match.output.hasPrefix("https://example.org/watch/"), "\(path): \(match.output)")
            }
        }
        for (path, html) in files where path.hasSuffix(".html") {
            for block in jsonLD(html) {
                for match in block.matches(of: /https:\/\/example\.org\/[^"]*/) where !match.output.hasPrefix("https://example.org/?") {
                    #expect(match.output.hasPrefix("https://example.org/watch/"), "\(path): \(match.output)")
                }
            }
        }
        #expect(files["index.html"]?.contains(#"href="/watch/feed.xml""#) == true)
        let feed = try xmlRoot(#require(files["feed.xml"]))
        #expect(feed.links["self"] == "https://example.org/watch/feed.xml")
        #expect(feed.value("xml:base") == "https://example.org/watch/")
        #expect(files["robots.txt"]?.contains("Sitemap: https://example.org/watch/sitemap.xml\n") == true)
    }

    // MARK: JSON-LD

    @Test func jsonLDCannotBreakOutOfItsScript() throws {
        let files = try Self.build()
        var blocks = 0
        for (path, html) in files where path.hasSuffix(".html") {
            let found = jsonLD(html)
            #expect(found.count == 1, "\(path) has \(found.count) JSON-LD blocks")
            for block in found {
                blocks += 1
                #expect(!block.contains("<") && !block.contains(">") && !block.contains("&"), "\(path)")
                let graph = try #require(try JSONSerialization.jsonObject(with: Data(block.utf8)) as? [String: Any])
                #expect(graph["@context"] as? String == "https://schema.org")
                #expect(graph["@graph"] is [[String: Any]])
            }
        }
        #expect(blocks >= 10)
        let article = try nodes(#require(files["articles/hostile/index.html"]))
        #expect(article.first { $0["@type"] as? String == "NewsArticle" }?["headline"] as? String == Self.hostile)
        let person = article.first { $0["@type"] as? String == "Person" && ($0["@id"] as? String)?.contains("/evil/") == true }
        #expect(person?["name"] as? String == "Evil </script><script>alert(1)</script> & \"Co\" <x>")
    }

    @Test func articleGraphHasClaimsAndReviews() throws {
        let files = try Self.build()
        let graph = try nodes(#require(files["articles/hostile/index.html"]))
        func node(_ id: String) -> [String: Any]? { graph.first { $0["@id"] as? String == id } }
        let base = "https://example.org/"
        let news = try #require(graph.first { $0["@type"] as? String == "NewsArticle" })
        #expect(ids(news["about"]) == [base + "people/evil/#entity", base + "treaties/new-start/#entity"])
        #expect(ids(news["mentions"]) == [base + "people/marshall-billingslea/#entity"])
        #expect(ids([news["author"]]) == [base + "people/evil/#entity"])

        let claimURL = base + "articles/hostile/#claim-hostile"
        let claim = try #require(node(claimURL))
        #expect(claim["@type"] as? String == "Claim")
        #expect(claim["text"] as? String == "Tom & Jerry say 1 < 2")
        #expect(claim["datePublished"] as? String == "2021-01-02")
        #expect(ids([claim["author"]]) == [base + "people/evil/#entity"])
        let appearance = try #require(claim["appearance"] as? [[String: Any]])
        #expect(appearance.first?["@id"] as? String == base + "articles/hostile/#article")
        #expect(appearance.last?["url"] as? String == "https://example.org/?a=1&b=2")

        let review = try #require(graph.first { $0["@type"] as? String == "ClaimReview" })
        #expect(review["claimReviewed"] as? String == "Tom & Jerry say 1 < 2")
        #expect(review["url"] as? String == claimURL)
        #expect(ids([review["itemReviewed"]]) == [claimURL])
        #expect(ids([review["author"]]) == [base + "organizations/watch/#entity"])
        let rating = try #require(review["reviewRating"] as? [String: Any])
        #expect(rating["@type"] as? String == "Rating" && rating["alternateName"] as? String == "False </script>")
        #expect(review["reviewBody"] as? String == "Note & </script>")
        // The unreviewed claim has no review.
        #expect(node(base + "articles/hostile/#claim-plain")?["@type"] as? String == "Claim")
        #expect(graph.count { $0["@type"] as? String == "ClaimReview" } == 1)
        // Every entity the page refers to is described on it, with sameAs.
        for id in [base + "people/evil/#entity", base + "organizations/watch/#entity", base + "treaties/new-start/#entity"] {
            #expect(node(id)?["name"] != nil, "\(id)")
        }
        #expect(node(base + "people/evil/#entity")?["sameAs"] as? [String] == ["https://www.wikidata.org/wiki/Q42"])
    }

    @Test func entityPagesDescribeTheirEntity() throws {
        let files = try Self.build()
        let treaty = try nodes(#require(files["treaties/new-start/index.html"]))
        let legislation = try #require(treaty.first { $0["@id"] as? String == "https://example.org/treaties/new-start/#entity" })
        #expect(legislation["@type"] as? String == "Legislation")
        #expect(legislation["legislationType"] as? String == "treaty")
        #expect(legislation["legislationDate"] as? String == "2010-04-08")
        #expect(legislation["expires"] as? String == "2026-02-05")
        #expect(ids(legislation["legislationPassedBy"]) == ["https://example.org/places/united-states/#entity",
                                                            "https://example.org/places/russia/#entity"])
        #expect(treaty.contains { $0["@type"] as? String == "Place" && $0["name"] as? String == "Russia" })
        // Claims are described on their article's page only.
        #expect(!treaty.contains { $0["@type"] as? String == "Claim" || $0["@type"] as? String == "ClaimReview" })
        let person = try nodes(#require(files["people/evil/index.html"]))
        #expect(person.contains { $0["@type"] as? String == "ProfilePage" })
        #expect(person.first { $0["@type"] as? String == "Person" }?["alternateName"] as? [String] == ["Evil"])
    }

    // MARK: JSON exports

    @Test func exportsKeepContentExactly() throws {
        let files = try Self.build()
        let entities = try jsonObject(files["entities.json"])
        let list = try #require(entities["entities"] as? [[String: Any]])
        let evil = try #require(list.first { $0["id"] as? String == "evil" })
        #expect(evil["name"] as? String == "Evil </script><script>alert(1)</script> & \"Co\" <x>")
        #expect(evil["url"] as? String == "https://example.org/people/evil/")
        #expect(evil["feed"] as? String == "https://example.org/people/evil/feed.xml")
        #expect(evil["claimsBy"] as? [String] == ["hostile/hostile"])
        #expect(evil["description"] is NSNull)
        let treaty = try #require(list.first { $0["id"] as? String == "new-start" })
        #expect(treaty["parties"] as? [String] == ["united-states", "russia"])
        #expect(treaty["signed"] as? String == "2010-04-08")

        let claims = try jsonObject(files["claims.json"])
        let all = try #require(claims["claims"] as? [[String: Any]])
        #expect(all.count == 2)
        let hostile = try #require(all.first { $0["id"] as? String == "hostile" })
        #expect(hostile["quote"] as? String == "Tom & Jerry say 1 < 2")
        #expect(hostile["context"] as? String == "</script><!-- context")
        #expect((hostile["article"] as? [String: Any])?["title"] as? String == Self.hostile)
        let review = try #require(hostile["review"] as? [String: Any])
        #expect(review["rating"] as? String == "False </script>")
        #expect((review["by"] as? [String: Any])?["id"] as? String == "watch")
        #expect(all.first { $0["id"] as? String == "plain" }?["review"] is NSNull)
        // Each claim is known by its article's slug and its id.
        for claim in all {
            let slug = try #require((claim["article"] as? [String: Any])?["slug"] as? String)
            #expect(claim["key"] as? String == slug + "/" + (try #require(claim["id"] as? String)))
        }
    }

    @Test func escapingHelpers() {
        #expect(XMLText.text("a\u{1}b\u{FFFE}<&>") == "ab&lt;&amp;&gt;")
        #expect(XMLText.attribute("\"'\n") == "&quot;&apos;&#10;")
        let json = JSONValue.object(["k": .string("</script>\u{2028}\u{0}\"\\\n")]).serialized(escaping: .script)
        #expect(json == #"{"k":"\u003c/script\u003e\u2028\u0000\"\\\n"}"#)
        #expect(JSONValue.object(["a": .string(nil), "b": .array([]), "c": 1]).serialized(omitEmpty: true) == #"{"c":1}"#)
    }

    /// The byte-level escaping equals escaping scalar by scalar, the rules
    /// written out plainly: any text, in text and in attributes.
    @Test func xmlEscapingEqualsTheRulesScalarByScalar() {
        func reference(_ value: String, quotes: Bool) -> String {
            var out = ""
            for scalar in value.unicodeScalars {
                switch scalar {
                case "&": out += "&amp;"
                case "<": out += "&lt;"
                case ">": out += "&gt;"
                case "\"" where quotes: out += "&quot;"
                case "'" where quotes: out += "&apos;"
                case "\t" where quotes: out += "&#9;"
                case "\n" where quotes: out += "&#10;"
                case "\r": out += "&#13;"
                default:
                    switch scalar.value {
                    case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: out.unicodeScalars.append(scalar)
                    default: break
                    }
                }
            }
            return out
        }
        let controls = (0..<0x20).map { String(UnicodeScalar(UInt8($0))) }
        let pieces = controls + ["a", " ", "\"", "'", "<", ">", "&", "]]>", "\u{7F}", "\u{FFFD}", "\u{FFFE}", "\u{FFFF}", "\u{FEFF}",
                                 "\u{EFFF}", "€", "é", "🙂", "\u{10FFFF}", "<p>", "&amp;"]
        var random = SeededRandom(seed: 9)
        for round in 0..<3000 {
            let text = random.text(of: pieces, length: round % 9 + 1)
            #expect(XMLText.text(text) == reference(text, quotes: false), "\(text.debugDescription)")
            #expect(XMLText.attribute(text) == reference(text, quotes: true), "\(text.debugDescription)")
        }
    }

    /// Any text reads back as itself, and in a script no `<`, `>`, `&`,
    /// U+2028 or U+2029 is left as written; other characters (“—”, “€”,
    /// whose UTF-8 also starts with 0xE2) are.
    @Test func jsonStringsReadBackExactly() throws {
        let controls = (0..<0x20).map { String(UnicodeScalar(UInt8($0))) }
        let pieces = controls + ["a", " ", "\"", "\\", "/", "<", ">", "&", "'", "\u{2028}", "\u{2029}", "\u{2027}", "—", "€",
                                 "é", "Ж", "🙂", "\u{7F}", "</script>", "<!--"]
        var random = SeededRandom(seed: 5)
        for round in 0..<2000 {
            let text = random.text(of: pieces, length: round % 7 + 1)
            for escaping in [JSONValue.Escaping.standard, .script] {
                let json = JSONValue.array([.string(text)]).serialized(escaping: escaping)
                let back = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String]
                #expect(back == [text], "\(text.debugDescription)")
                #expect(!json.unicodeScalars.contains { $0.value < 0x20 || $0 == "\u{2028}" || $0 == "\u{2029}" })
                if escaping == .script { #expect(!json.contains("<") && !json.contains(">") && !json.contains("&")) }
                #expect(json.contains("—") == text.contains("—") && json.contains("€") == text.contains("€"))
            }
        }
    }

    @Test func twoBuildsAreIdentical() throws {
        let first = try Self.build("https://example.org/watch/")
        let second = try Self.build("https://example.org/watch/")
        #expect(first.keys.sorted() == second.keys.sorted())
        for (path, text) in first { #expect(second[path] == text, "\(path)") }
    }

    // MARK: The example archive

    @Test func exampleArchiveMachineOutputsParse() throws {
        let files = ExampleArchiveTests.build.files
        let feed = try xmlRoot(#require(files["feed.xml"]))
        #expect(feed.children(named: "entry").count == ExampleArchiveTests.build.report.articles)
        let sitemap = try xmlRoot(#require(files["sitemap.xml"]))
        #expect(sitemap.children(named: "url").count > 40)
        for (path, text) in files where path.hasSuffix("feed.xml") { _ = try xmlRoot(text) }
        for path in ["entities.json", "claims.json"] {
            _ = try JSONSerialization.jsonObject(with: Data(#require(files[path]).utf8))
        }
        for (path, html) in files where path.hasSuffix(".html") {
            let blocks = jsonLD(html)
            #expect(blocks.count == 1, "\(path)")
            for block in blocks {
                #expect(throws: Never.self, "\(path)") { try JSONSerialization.jsonObject(with: Data(block.utf8)) }
            }
        }
    }
}

// MARK: Helpers

/// The bodies of the page's JSON-LD scripts.
func jsonLD(_ html: String) -> [String] {
    html.components(separatedBy: #"<script type="application/ld+json">"#).dropFirst().map {
        $0.components(separatedBy: "</script>")[0]
    }
}

/// The `@graph` of a page's (single) JSON-LD block.
func nodes(_ html: String) throws -> [[String: Any]] {
    let block = try #require(jsonLD(html).first)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(block.utf8)) as? [String: Any])
    return try #require(object["@graph"] as? [[String: Any]])
}

/// A JSON document's top-level object.
func jsonObject(_ text: String?) throws -> [String: Any] {
    let text = try #require(text)
    return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
}

/// The `@id`s of a list of references.
func ids(_ value: Any?) -> [String] {
    (value as? [Any] ?? []).compactMap { ($0 as? [String: Any])?["@id"] as? String }
}

func xmlRoot(_ text: String) throws -> XMLElement {
    let document = try XMLDocument(data: Data(text.utf8), options: [])
    return try #require(document.rootElement())
}

extension XMLElement {
    func children(named name: String) -> [XMLElement] {
        (children ?? []).compactMap { $0 as? XMLElement }.filter { $0.localName == name }
    }

    func child(_ name: String) -> XMLElement? { children(named: name).first }

    /// FoundationXML's `attribute(forName:)` misses plain attributes of an
    /// element in a default namespace; look them up by name instead.
    func value(_ attribute: String) -> String? { attributes?.first { $0.name == attribute }?.stringValue }

    /// `href` of each `<link>` child by its `rel`.
    var links: [String: String] {
        var result: [String: String] = [:]
        for link in children(named: "link") {
            if let rel = link.value("rel") { result[rel] = link.value("href") }
        }
        return result
    }
}

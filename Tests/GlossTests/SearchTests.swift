import Foundation
import Testing
@testable import Gloss

@Suite struct SearchTests {
    /// Updating a previous build's posting lists for a few changed documents
    /// gives exactly the lists of a merge from scratch.
    @Test func postingUpdatesEqualAFullMerge() throws {
        func doc(_ terms: [(String, Int)]) -> SearchIndex.Terms {
            var buckets = SearchIndex.Terms(repeating: [], count: SearchIndex.buckets)
            for (term, weight) in terms { buckets[SearchTokenizer.shard(term, of: SearchIndex.buckets)].append((term, weight)) }
            return buckets
        }
        var docs = (0..<40).map { n in doc([("treaty", n % 3 + 1), ("word\(n % 7)", 2), ("only\(n)", 1)]) }
        // Packed as a previous build's cache holds them, in a spill file.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-postings-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let spill = TextSpill(beside: folder.appendingPathComponent("public"))
        let before = SearchIndex.merge(docs).map { $0.packed(in: spill) }
        let changes = [3, 17, 39].map { n -> SearchIndex.Change in
            let new = doc([("word\(n % 5)", 9), ("fresh", 1)])  // drops "treaty" and "only<n>"
            defer { docs[n] = new }
            return (n, SearchIndex.PackedTerms(docs[n], in: spill).terms, new)
        }
        let edits = SearchIndex.edits(changes)
        let updated = SearchIndex.update(before, edits: edits, spill: spill).postings
        let merged = SearchIndex.merge(docs)
        func flat(_ p: [SearchIndex.PostingBucket]) -> [String: [Int]] {
            var out: [String: [Int]] = [:]
            for bucket in p { for (term, list) in bucket.lists { out[term] = list.flatMap { [Int($0.doc), Int($0.weight)] } } }
            return out
        }
        #expect(flat(updated) == flat(merged))
        #expect(flat(updated)["only17"] == nil)
        #expect(flat(updated)["fresh"] == [3, 1, 17, 1, 39, 1])
        // Buckets no change touched are the previous ones, not written again.
        let untouched = try #require(edits.indices.filter { edits[$0].isEmpty }.first)
        #expect(updated[untouched].stored.place(in: spill!)?.offset == before[untouched].stored.place(in: spill!)?.offset)
        #expect(spill?.failure == nil)
    }

    /// Random rounds of edits to random documents, applied to packed
    /// buckets (a term at a time, as bytes) and to buckets held as lists
    /// (a preview server's): each bucket packs to exactly the bytes of a
    /// merge from scratch, the edited terms' lists are the merge's, and a
    /// bucket no edit reached is the previous one, not written again.
    @Test func editedBucketsPackToTheBytesOfAFullMerge() throws {
        var random = SeededRandom(seed: 11)
        let words = (0..<300).map { "w\($0)" } + ["é", "zz", "a", "ab", "treaty", "@new-start"]
        func document() -> SearchIndex.Terms {
            var buckets = SearchIndex.Terms(repeating: [], count: SearchIndex.buckets)
            for term in Set((0..<random.next(12)).map { _ in words[random.next(words.count)] }) {
                buckets[SearchTokenizer.shard(term, of: SearchIndex.buckets)].append((term, random.next(4) + 1))
            }
            return buckets
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-edits-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let spill = try #require(TextSpill(beside: folder.appendingPathComponent("public")))
        var docs = (0..<120).map { _ in document() }
        var packed = SearchIndex.merge(docs).map { $0.packed(in: spill) }
        var lists = SearchIndex.merge(docs)
        for round in 0..<40 {
            // One document in most rounds, as an edit; several in some; a term weight nudged in others.
            let changes = Set((0..<(round % 5 == 0 ? 4 : 1)).map { _ in random.next(docs.count) }).map { doc -> SearchIndex.Change in
                var new = round % 3 == 0 ? docs[doc] : document()
                if round % 3 == 0, let bucket = new.indices.first(where: { !new[$0].isEmpty }) { new[bucket][0].weight += 1 }
                defer { docs[doc] = new }
                return (doc, docs[doc], new)
            }
            let edits = SearchIndex.edits(changes)
            let fromPacked = SearchIndex.update(packed, edits: edits, spill: spill)
            let fromLists = SearchIndex.update(lists, edits: edits, spill: spill)
            let merged = SearchIndex.merge(docs)
            for bucket in 0..<SearchIndex.buckets {
                let expected = merged[bucket].stored.bytes
                #expect(fromPacked.postings[bucket].stored.bytes == expected, "round \(round), bucket \(bucket)")
                #expect(fromLists.postings[bucket].stored.bytes == expected, "round \(round), bucket \(bucket)")
                if edits[bucket].isEmpty {
                    #expect(fromPacked.postings[bucket].stored.place(in: spill)?.offset == packed[bucket].stored.place(in: spill)?.offset)
                }
            }
            let all = merged.reduce(into: [String: [SearchIndex.Posting]]()) { $0.merge($1.lists) { $1 } }
            for term in edits.flatMap(\.keys) {
                let expected = (all[term] ?? []).map { [$0.doc, $0.weight] }
                #expect(fromPacked.edited[term].map { $0.map { [$0.doc, $0.weight] } } == expected)
                #expect(fromLists.edited[term].map { $0.map { [$0.doc, $0.weight] } } == expected)
            }
            packed = fromPacked.postings
            lists = fromLists.postings
        }
        #expect(spill.failure == nil)
    }

    /// A full build packs each chunk's postings as runs and puts each bucket
    /// together at the end: the entries, the count of listed postings and
    /// the cache's lists are those of one merge of every document.
    @Test func runsPutTogetherEqualOneMerge() throws {
        var docs: [SearchIndex.Terms] = []
        for n in 0..<900 {
            var buckets = SearchIndex.Terms(repeating: [], count: SearchIndex.buckets)
            // "treaty" is in more documents than a term lists.
            for (term, weight) in [("treaty", n % 5 + 1), ("word\(n % 7)", 2), ("only\(n)", 1)] {
                buckets[SearchTokenizer.shard(term, of: SearchIndex.buckets)].append((term, weight))
            }
            docs.append(buckets)
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-runs-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let spill = TextSpill(beside: folder.appendingPathComponent("public"))
        var runs = [[StoredBytes]](repeating: [], count: SearchIndex.buckets)
        for start in stride(from: 0, to: docs.count, by: 128) {
            let chunk = Array(docs[start..<min(start + 128, docs.count)])
            for bucket in 0..<SearchIndex.buckets {
                var lists: [String: [SearchIndex.Posting]] = [:]
                SearchIndex.append(chunk, numberedFrom: start, bucket: bucket, to: &lists)
                runs[bucket].append(SearchIndex.PostingBucket.lists(lists).stored(in: spill))
            }
        }
        let finished = SearchIndex.finish(runs, keep: true, spill: spill)
        let merged = SearchIndex.merge(docs)
        for bucket in 0..<SearchIndex.buckets {
            let lists = merged[bucket].lists
            #expect(Set(finished[bucket].entries.terms) == Set(lists.keys))
            for (term, list) in lists { #expect(finished[bucket].entries.entry(of: term) == SearchIndex.entry(list)) }
            #expect(finished[bucket].listed == lists.values.reduce(0) { $0 + min($1.count, SearchIndex.postingsPerTerm) })
            #expect(finished[bucket].postings.lists.mapValues { $0.map(\.doc) } == lists.mapValues { $0.map(\.doc) })
        }
        let treaty = try #require(finished[SearchTokenizer.shard("treaty", of: SearchIndex.buckets)].entries.entry(of: "treaty"))
        #expect(treaty[0] == 900)
        #expect(treaty.count == 1 + 2 * SearchIndex.postingsPerTerm)
        // The best kept: weight 5 for every fifth document (180), then weight 4.
        #expect(stride(from: 2, to: treaty.count, by: 2).filter { treaty[$0] == 5 }.count == 180)
        #expect(spill?.failure == nil)
    }

    @Test func tokenizerFoldsCaseAndAccentsAndDropsStopWords() {
        #expect(SearchTokenizer.terms("The New START treaty, Søren’s Zoë and O'Brien in 2021!")
                == ["new", "start", "treaty", "søren", "zoe", "brien", "2021"])
        // Final sigma, however written, is σ (as in search.js).
        #expect(SearchTokenizer.terms("ΟΔΟΣ οδος οδοσ") == ["οδοσ", "οδοσ", "οδοσ"])
    }

    @Test func everyStopWordIsDroppedAndNoNeighbourOfOne() {
        for word in SearchTokenizer.stopWords {
            #expect(SearchTokenizer.terms(word.uppercased() + " " + word).isEmpty, "\(word)")
            for other in [word + "s", String(word.dropLast()), "x" + word] where !SearchTokenizer.stopWords.contains(other) && other.count > 1 {
                #expect(SearchTokenizer.terms(other) == [other], "\(other)")
            }
        }
    }

    /// Counting by bytes agrees with counting the tokenizer's strings, past
    /// the counter's first table size, and files each term in its shard.
    @Test func termCounterSumsWeightsLikeADictionary() {
        var random = SeededRandom(seed: 11)
        let words = (0..<1500).map { "w\($0)" } + ["Zoë", "zoe", "Søren", "treaty", "Treaty"]
        var counter = TermCounter()
        var expected: [String: Int] = [:]
        for round in 0..<4000 {
            let text = (0..<3).map { _ in words[random.next(words.count)] }.joined(separator: " ")
            let weight = round % 3 + 1
            counter.add(text, weight: weight)
            for term in SearchTokenizer.terms(text) { expected[term, default: 0] += weight }
        }
        counter.add(term: "@new-start", weight: 5)
        counter.add(term: "@new-start", weight: 2)
        expected["@new-start"] = 7
        let shards = counter.byShard(SearchIndex.buckets)
        var counted: [String: Int] = [:]
        for (shard, terms) in shards.enumerated() {
            for (term, weight) in terms {
                #expect(SearchTokenizer.shard(term, of: SearchIndex.buckets) == shard)
                #expect(counted.updateValue(weight, forKey: term) == nil, "\(term) listed twice")
            }
        }
        #expect(counted == expected)
    }

    /// The fast paths (ASCII bytes, Latin-1 letters folded by table) are an
    /// optimisation of the full Unicode rules: on any text they must agree.
    @Test func fastPathsAgreeWithTheFullRules() {
        let pieces = ["a", "Z", "9", " ", ",", "'", "-", "É", "é", "ü", "Ü", "ñ", "ç", "Å", "ÿ", "ß", "æ", "Ø", "×", "÷",
                      "Þ", "ð", "ł", "Ж", "ё", "e\u{301}", "İ", "’", "½", "x", "the", "in", "ab", "—", "“", "…",
                      "\u{200B}", "\u{200D}", "\u{2060}", "\u{206F}", "\u{2070}", "\u{2071}", "\u{20AC}", "\u{0301}", "which", "there"]
        var random = SeededRandom(seed: 7)
        for _ in 0..<3000 {
            let text = random.text(of: pieces, length: 12)
            #expect(SearchTokenizer.terms(text) == SearchTokenizer.unicodeTerms(text), "\(text)")
        }
        for code in Array(0xC0...0xFF) + Array(0x2000...0x20FF) {
            let word = "ab" + String(UnicodeScalar(UInt32(code))!) + "cd"
            #expect(SearchTokenizer.terms(word) == SearchTokenizer.unicodeTerms(word), "\(word)")
        }
    }

    static let node = ["/usr/bin/node", "/usr/local/bin/node"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// The browser must split and hash exactly as the index builder did.
    @Test(.enabled(if: node != nil, "node is not installed"))
    func javascriptTokenizerAndHashMatchSwift() throws {
        let script = TemplateSet.defaultThemeDirectory!.appendingPathComponent("static/search.js").path
        let samples = ["The New START treaty, Søren’s Zoë and O'Brien in 2021!", "Ryabkov: «не» 1,550 warheads — U.S.–Russian",
                       "Ångström café naïve résumé 3 x y", "ΟΔΟΣ οδος ΣΟΦΟΣ’ ἈΘΗΝΑΣ", "𝐀 𝐀𝐁 x𝐀 ℵ"]
        let js = """
            const s = require(\(String(reflecting: script)));
            const samples = \(String(decoding: try JSONSerialization.data(withJSONObject: samples), as: UTF8.self));
            console.log(JSON.stringify(samples.map(t => s.terms(t).map(w => [w, s.shardOf(w, 97)]))));
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.node!)
        process.arguments = ["-e", js]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let fromJS = try #require(try JSONSerialization.jsonObject(with: data) as? [[[Any]]])
        let fromSwift = samples.map { SearchTokenizer.terms($0).map { [$0, SearchTokenizer.shard($0, of: 97)] as [Any] } }
        #expect(fromJS.map { $0.map { "\($0[0])/\($0[1])" } } == fromSwift.map { $0.map { "\($0[0])/\($0[1])" } })
    }

    @Test func commonTermsListTheBestDocumentsAndTheirTrueCount() throws {
        var files: [String: String] = [:]
        for i in 0..<(SearchIndex.postingsPerTerm + 5) {
            files["content/articles/a\(i).md"] = article("title: A\(i)\ndate: 2020-01-01", "Common word here.\n")
        }
        let site = try SiteFixture(files, withEntities: false)
        defer { site.remove() }
        let out = site.generate().files
        let meta = try #require(try JSONSerialization.jsonObject(with: Data(out["search/meta.json"]!.utf8)) as? [String: Any])
        let shard = out["search/terms/\(SearchTokenizer.shard("common", of: meta["termShards"] as! Int)).json"]!
        let entry = try #require((try JSONSerialization.jsonObject(with: Data(shard.utf8)) as? [String: [Int]])?["common"])
        #expect(entry[0] == SearchIndex.postingsPerTerm + 5)
        #expect(entry.count == 1 + 2 * SearchIndex.postingsPerTerm)
    }

    @Test func indexFindsEntitiesArticlesAndClaims() throws {
        let site = try SiteFixture(SiteBuildTests.articles)
        defer { site.remove() }
        let files = site.generate(baseURL: "https://example.org/watch/").files
        let meta = try #require(files["search/meta.json"])
        let metaJSON = try #require(try JSONSerialization.jsonObject(with: Data(meta.utf8)) as? [String: Any])
        let shards = try #require(metaJSON["termShards"] as? Int)
        let entities = try #require(files["search/entities.json"])
        #expect(entities.contains("[\"marshall billingslea\",\"billingslea\"]"))
        let shard = try #require(files["search/terms/\(SearchTokenizer.shard("no", of: shards)).json"])
        let postings = try #require(try JSONSerialization.jsonObject(with: Data(shard.utf8)) as? [String: [Int]])
        #expect(postings["no"]?.first == 2, "claim quote words are indexed (the claim and its article), the document count first")
        #expect(postings["no"]?.count == 5)
        let docs = try #require(files["search/docs/0.json"])
        #expect(docs.contains("/watch/articles/vienna/#claim-no-show"))
        #expect(docs.contains("/watch/people/marshall-billingslea/"))
        #expect(files["search/index.html"]?.contains("Search needs JavaScript") == true)
    }
}

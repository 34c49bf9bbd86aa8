extension SiteGraph {
    /// What an article contributes to one entity's backlinks, before it has
    /// a position in the site.
    struct Excerpts: Sendable {
        let id: String
        /// The passages shown, in a `TextSpill` when the build has one:
        /// kept in memory, they were the largest part of what a build held
        /// per article. Read when the entity's pages are made.
        let passages: StoredBytes
        let isAbout: Bool
        let mentionCount: Int

        /// How many passages of an article a backlink shows.
        static let shown = 3

        init(id: String, passages: StoredBytes, isAbout: Bool, mentionCount: Int) {
            self.id = id
            self.passages = passages
            self.isAbout = isAbout
            self.mentionCount = mentionCount
        }

        init(id: String, sentences: [String], isAbout: Bool, mentionCount: Int) {
            var writer = ByteWriter()
            for sentence in sentences.prefix(Self.shown) { writer.write(sentence) }
            self.init(id: id, passages: StoredBytes(writer.bytes), isAbout: isAbout, mentionCount: mentionCount)
        }

        /// The passages, at most `shown`.
        var sentences: [String] { Self.sentences(in: passages) }

        static func sentences(in passages: StoredBytes) -> [String] {
            passages.bytes.withUnsafeBytes { buffer in
                var reader = ByteReader(buffer), sentences: [String] = []
                // A spilled text is checked when read: these bytes are what was written.
                while !reader.atEnd, let sentence = try? reader.read() as String { sentences.append(sentence) }
                return sentences
            }
        }
    }

    /// What a previous graph worked out over all articles, for the next
    /// build (the preview server's, or the next `gloss build` through
    /// `PersistentCache`): co-mention counts are quadratic in the entities
    /// per article.
    struct Cache: Sendable {
        /// A hash of the entities each article names, in the graph's article order.
        private(set) var named: Int?
        private(set) var related: [String: [(id: String, count: Int)]] = [:]
        /// The graph's shape as the cache stores it (`SiteGraph.Shape.record`),
        /// for the next `gloss build`; set only by a build whose cache is
        /// saved (the preview keeps its whole graph). Kept as bytes and
        /// decoded when used: at 100,000 articles the decoded shape is tens
        /// of megabytes, and a build that keeps it writes the bytes back.
        var shapeRecord: [UInt8]?

        init() {}

        init(named: Int, related: [String: [(id: String, count: Int)]]) {
            self.named = named
            self.related = related
        }

        /// What `named` hashes.
        static func key(_ named: [[String]]) -> Int {
            var hasher = StableHasher()
            hasher.combine(named)
            return hasher.finalize()
        }
    }
}

extension SiteGraph {
    /// For each entity, the `relatedShown` others it shares most articles
    /// with, most first (ties by id), and how many. Counted over dense
    /// numbers, not strings. Only what pages show is kept: whole rows were
    /// quadratic in the entities, and a change deep in a row changed the
    /// entity page's key though not its page.
    static func coOccurrences(_ perArticle: [[String]]) -> [String: [(id: String, count: Int)]] {
        var number: [String: Int] = [:]
        var names: [String] = []
        let numbered = perArticle.map { ids in
            ids.map { id -> Int in
                if let n = number[id] { return n }
                number[id] = names.count
                names.append(id)
                return names.count - 1
            }
        }
        var articlesOf = [[Int]](repeating: [], count: names.count)
        for (article, ids) in numbered.enumerated() { for n in ids { articlesOf[n].append(article) } }
        // Ties go to the smaller id: each number's place among the sorted ids.
        var rank = [Int](repeating: 0, count: names.count)
        for (place, n) in names.indices.sorted(by: { names[$0] < names[$1] }).enumerated() { rank[n] = place }
        // Each entity's row from the articles it is in: independent rows,
        // counted in parallel into an array (not a dictionary) per row.
        let rows = Array(0..<names.count).parallelMap { [names, articlesOf, rank] a -> [(id: String, count: Int)] in
            var counts = [Int](repeating: 0, count: names.count)
            var seen: [Int] = []
            for article in articlesOf[a] {
                for b in numbered[article] where b != a {
                    if counts[b] == 0 { seen.append(b) }
                    counts[b] += 1
                }
            }
            seen.sort { (counts[$0], rank[$1]) > (counts[$1], rank[$0]) }
            return seen.prefix(relatedShown).map { (id: names[$0], count: counts[$0]) }
        }
        var result: [String: [(id: String, count: Int)]] = [:]
        for (n, row) in rows.enumerated() where !row.isEmpty { result[names[n]] = row }
        return result
    }
}

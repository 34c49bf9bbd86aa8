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

/// Posting lists: per bucket of terms, each term's documents in document
/// order with their weights.
extension SearchIndex {
    /// 32 bits each: posting lists are the largest thing a build holds
    /// while the index is made (every term of every document).
    typealias Posting = (doc: Int32, weight: Int32)

    /// All documents' terms merged; documents are visited in order, so each
    /// list comes out sorted by document.
    static func merge(_ documents: [Terms]) -> [PostingBucket] {
        Array(0..<buckets).parallelMap { bucket in
            var lists: [String: [Posting]] = [:]
            append(documents, numberedFrom: 0, bucket: bucket, to: &lists)
            return .lists(lists)
        }
    }

    /// Appends one bucket's postings of `documents`, numbered from `first`,
    /// to `lists`: called in document order, every list stays sorted.
    static func append(_ documents: [Terms], numberedFrom first: Int, bucket: Int,
                       to lists: inout [String: [Posting]]) {
        for (offset, terms) in documents.enumerated() {
            let doc = Int32(first + offset)
            for (term, weight) in terms[bucket] { lists[term, default: []].append((doc, Int32(weight))) }
        }
    }

    /// One bucket of a full build, put together from its runs: every term's
    /// shard entry, the postings they list, and the lists for the cache.
    typealias FinishedBucket = (entries: PackedEntries, listed: Int, postings: PostingBucket)

    /// Each bucket's runs (its postings, a chunk of documents each, in
    /// document order) put together, one bucket per core at a time: a
    /// bucket's lists are held only while its entries are made and, with
    /// `keep`, while they are packed for the cache.
    static func finish(_ runs: [[StoredBytes]], keep: Bool, spill: TextSpill?) -> [FinishedBucket] {
        Array(runs.indices).parallelMap { bucket in
            var lists: [String: [Posting]] = [:]
            for run in runs[bucket] {
                for (term, postings) in PostingBucket.packed(run).lists { lists[term, default: []] += postings }
            }
            var entries = PackedEntries()
            for (term, postings) in lists { entries.add(term, entry(postings)) }
            let listed = lists.values.reduce(0) { $0 + min($1.count, postingsPerTerm) }
            return (entries, listed, keep ? PostingBucket.lists(lists).packed(in: spill) : .lists([:]))
        }
    }

    /// A term's shard entry: how many documents have it, then the best ones
    /// as document and weight pairs in document order.
    static func entry(_ docs: [Posting]) -> [Int] {
        let best = docs.count <= postingsPerTerm ? docs[...]
            : docs.sorted { ($0.weight, $1.doc) > ($1.weight, $0.doc) }.prefix(postingsPerTerm)
        // The count first, so the page can say "more than N results" when
        // only the best are listed.
        return [docs.count] + best.sorted { $0.doc < $1.doc }.flatMap { [Int($0.doc), Int($0.weight)] }
    }

    /// A bucket's shard entries, each packed as integers (zigzag LEB128,
    /// documents as gaps) in one buffer: a full build holds the entries of
    /// every term between merging and writing, and as arrays of `Int` they
    /// were 46 MB at 100,000 articles.
    struct PackedEntries: Sendable {
        private var bytes = ByteWriter()
        private var places: [String: Int] = [:]

        var terms: Dictionary<String, Int>.Keys { places.keys }

        /// `entry`: a count, then document and weight pairs in document order.
        mutating func add(_ term: String, _ entry: [Int]) {
            places[term] = bytes.bytes.count
            bytes.write(entry.count)
            var previous = 0
            for (index, number) in entry.enumerated() {
                let isDocument = index % 2 == 1
                bytes.write(isDocument ? number - previous : number)
                if isDocument { previous = number }
            }
        }

        func entry(of term: String) -> [Int]? {
            guard let place = places[term] else { return nil }
            return bytes.bytes.withUnsafeBytes { buffer in
                var reader = ByteReader(buffer, offset: place)
                // Written here, in this process: only a bug could make it unreadable.
                let count = try! reader.readCount()
                var entry: [Int] = [], previous = 0
                entry.reserveCapacity(count)
                for index in 0..<count {
                    let number: Int = try! reader.read()
                    if index % 2 == 1 { previous += number; entry.append(previous) } else { entry.append(number) }
                }
                return entry
            }
        }
    }

    /// What the term shards are made from.
    enum TermEntries {
        /// A full build: every term's entry, by bucket, and the postings
        /// they list over all terms.
        case all([PackedEntries], listed: Int)
        /// An update in place: the posting lists the edits were applied
        /// to, and the edited terms' lists (empty: gone); entries are made
        /// for the terms asked for.
        case updated([PostingBucket], edited: [String: [Posting]])

        func entry(of term: String) -> [Int]? {
            let bucket = SearchTokenizer.shard(term, of: buckets)
            switch self {
            case .all(let entries, _): return entries[bucket].entry(of: term)
            case .updated(let postings, let edited):
                if let list = edited[term] { return list.isEmpty ? nil : SearchIndex.entry(list) }
                return postings[bucket].lists[term].map(SearchIndex.entry)
            }
        }

        /// Every term's entry, by bucket; an update unpacks every bucket.
        var all: [PackedEntries] {
            switch self {
            case .all(let entries, _): return entries
            case .updated(let postings, _):
                return postings.parallelMap { bucket in
                    var entries = PackedEntries()
                    for (term, list) in bucket.lists { entries.add(term, SearchIndex.entry(list)) }
                    return entries
                }
            }
        }

        var listed: Int {
            switch self {
            case .all(_, let listed): return listed
            case .updated(let postings, _):
                return postings.reduce(0) { sum, bucket in bucket.lists.values.reduce(sum) { $0 + min($1.count, postingsPerTerm) } }
            }
        }
    }
}

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

    /// A changed document: its number, and its terms before (nil if new) and after.
    typealias Change = (doc: Int, old: Terms?, new: Terms)

    /// The lists of a previous build with some documents' terms replaced:
    /// each changed document's old postings out, its new ones in at their
    /// place. Document numbers must be the same as in that build. Only the
    /// buckets the changed terms fall in are unpacked.
    static func update(_ postings: [PostingBucket], changing changed: [Change]) -> [PostingBucket] {
        guard !changed.isEmpty else { return postings }
        return Array(postings.indices).parallelMap { bucket in
            guard changed.contains(where: { !$0.new[bucket].isEmpty || !($0.old?[bucket].isEmpty ?? true) }) else {
                return postings[bucket]
            }
            var lists = postings[bucket].lists
            for (doc, old, new) in changed {
                for (term, _) in old?[bucket] ?? [] {
                    guard var list = lists[term] else { continue }
                    let at = firstPosition(of: doc, in: list)
                    if at < list.count, list[at].doc == Int32(doc) { list.remove(at: at) }
                    lists[term] = list.isEmpty ? nil : list
                }
                for (term, weight) in new[bucket] {
                    var list = lists[term] ?? []
                    list.insert((Int32(doc), Int32(weight)), at: firstPosition(of: doc, in: list))
                    lists[term] = list
                }
            }
            return .lists(lists)
        }
    }

    /// Where `doc` is, or would go, in a list sorted by document.
    private static func firstPosition(of doc: Int, in list: [Posting]) -> Int {
        var (low, high) = (0, list.count)
        while low < high {
            let mid = (low + high) / 2
            if Int(list[mid].doc) < doc { low = mid + 1 } else { high = mid }
        }
        return low
    }
}

/// Posting lists: per bucket of terms, each term's documents in document
/// order with their weights.
extension SearchIndex {
    /// 32 bits each: posting lists are the largest thing a build holds
    /// while the index is made (every term of every document).
    typealias Posting = (doc: Int32, weight: Int32)
    typealias Postings = [[String: [Posting]]]

    /// All documents' terms merged; documents are visited in order, so each
    /// list comes out sorted by document.
    static func merge(_ indexed: [Indexed]) -> Postings {
        Array(0..<buckets).parallelMap { bucket in
            var lists: [String: [Posting]] = [:]
            append(indexed, numberedFrom: 0, bucket: bucket, to: &lists)
            return lists
        }
    }

    /// Appends one bucket's postings of `documents`, numbered from `first`,
    /// to `lists`: called in document order, every list stays sorted.
    static func append(_ documents: [Indexed], numberedFrom first: Int, bucket: Int,
                       to lists: inout [String: [Posting]]) {
        for (offset, item) in documents.enumerated() {
            let doc = Int32(first + offset)
            for (term, weight) in item.terms[bucket] { lists[term, default: []].append((doc, Int32(weight))) }
        }
    }

    /// The lists of a previous build with some documents' terms replaced:
    /// each changed document's old postings out, its new ones in at their
    /// place. Document numbers must be the same as in that build.
    static func update(_ postings: Postings, changing changed: [(doc: Int, old: Indexed?, new: Indexed)]) -> Postings {
        guard !changed.isEmpty else { return postings }
        return Array(postings.indices).parallelMap { bucket in
            var lists = postings[bucket]
            for (doc, old, new) in changed {
                for (term, _) in old?.terms[bucket] ?? [] {
                    guard var list = lists[term] else { continue }
                    let at = firstPosition(of: doc, in: list)
                    if at < list.count, list[at].doc == Int32(doc) { list.remove(at: at) }
                    lists[term] = list.isEmpty ? nil : list
                }
                for (term, weight) in new.terms[bucket] {
                    var list = lists[term] ?? []
                    list.insert((Int32(doc), Int32(weight)), at: firstPosition(of: doc, in: list))
                    lists[term] = list
                }
            }
            return lists
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

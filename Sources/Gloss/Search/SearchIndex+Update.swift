/// An update in place: a rebuild that changed a few documents changes only
/// the postings of the terms whose weight in them changed. A bucket with no
/// such term stays as it was (packed, and not written again); one with some
/// is copied a term at a time, as bytes, with only those terms' lists read
/// and written again. Unpacking every bucket the changed documents touch (a
/// document's terms fall in nearly all of them) held the whole index as
/// lists: 250 MB at 100,000 articles, the peak of a one-change build.
extension SearchIndex {
    /// A changed document: its number, and its terms before (nil if new) and after.
    typealias Change = (doc: Int, old: Terms?, new: Terms)

    /// A term's new weight in each changed document that has it or had it
    /// (nil: it no longer has the term), in the order of the changes.
    typealias TermEdits = [(doc: Int32, weight: Int32?)]

    /// Per bucket, the terms whose weight in a changed document differs,
    /// with their edits. An edit of one sentence changes a few terms, not
    /// every term of the article.
    static func edits(_ changed: [Change]) -> [[String: TermEdits]] {
        var buckets = [[String: TermEdits]](repeating: [:], count: Self.buckets)
        for (doc, old, new) in changed {
            for (bucket, entries) in new.enumerated() where bucket < Self.buckets {
                var weights: [String: Int] = [:]
                if let old, bucket < old.count { for entry in old[bucket] { weights[entry.term] = entry.weight } }
                for entry in entries where weights.removeValue(forKey: entry.term) != entry.weight {
                    buckets[bucket][entry.term, default: []].append((Int32(doc), Int32(entry.weight)))
                }
                for term in weights.keys { buckets[bucket][term, default: []].append((Int32(doc), nil)) }
            }
        }
        return buckets
    }

    /// The previous build's buckets with `edits` applied, and the new lists
    /// of the edited terms (empty: the term is in no document any more).
    static func update(_ postings: [PostingBucket], edits: [[String: TermEdits]], spill: TextSpill?)
        -> (postings: [PostingBucket], edited: [String: [Posting]]) {
        let updated = Array(postings.indices).parallelMap { bucket -> (PostingBucket, [String: [Posting]]) in
            let edits = edits[bucket]
            guard !edits.isEmpty else { return (postings[bucket], [:]) }
            switch postings[bucket] {
            case .packed(let stored):
                // Bytes that cannot be read back: the spill records the
                // failure, and the build publishes nothing.
                if let updated = try? update(stored.bytes, edits) { return (.packed(StoredBytes(updated.bytes, in: spill)), updated.edited) }
                return (postings[bucket], [:])
            case .lists(var lists):
                var edited: [String: [Posting]] = [:]
                for (term, termEdits) in edits {
                    var list = lists[term] ?? []
                    apply(termEdits, to: &list)
                    lists[term] = list.isEmpty ? nil : list
                    edited[term] = list
                }
                return (.lists(lists), edited)
            }
        }
        return (updated.map(\.0), updated.reduce(into: [:]) { all, bucket in all.merge(bucket.1) { $1 } })
    }

    /// A packed bucket with `edits` applied: the terms in String `<` order
    /// (not byte order) as `PostingBucket` packs them, every unedited
    /// term's bytes copied.
    private static func update(_ bytes: [UInt8], _ edits: [String: TermEdits]) throws
        -> (bytes: [UInt8], edited: [String: [Posting]]) {
        let terms = edits.keys.sorted()
        var edited: [String: [Posting]] = [:]
        var body = ByteWriter(), count = 0, next = 0
        func add(_ term: String, _ list: [Posting]) {
            var list = list
            apply(edits[term]!, to: &list)
            edited[term] = list
            guard !list.isEmpty else { return }
            PostingBucket.write(term, list, to: &body)
            count += 1
        }
        try bytes.withUnsafeBytes { buffer in
            var reader = ByteReader(buffer)
            for _ in 0..<(try reader.readCount()) {
                let start = reader.offset
                let term: String = try reader.read()
                while next < terms.count, terms[next] < term {
                    add(terms[next], [])
                    next += 1
                }
                if next < terms.count, terms[next] == term {
                    add(term, try PostingBucket.readList(from: &reader))
                    next += 1
                } else {
                    for _ in 0..<(try reader.readCount()) * 2 { let _: UInt64 = try reader.read() }
                    body.append(raw: reader.bytes(since: start))
                    count += 1
                }
            }
            guard reader.atEnd else { throw ByteReader.Damaged() }
        }
        for term in terms[next...] { add(term, []) }
        var writer = ByteWriter()
        writer.write(count)
        body.bytes.withUnsafeBytes { writer.append(raw: $0) }
        return (writer.bytes, edited)
    }

    /// Each edit applied to a list sorted by document, which stays sorted.
    static func apply(_ edits: TermEdits, to list: inout [Posting]) {
        for (doc, weight) in edits {
            let at = firstPosition(of: doc, in: list)
            let present = at < list.count && list[at].doc == doc
            switch (present, weight) {
            case (true, let weight?): list[at].weight = weight
            case (true, nil): list.remove(at: at)
            case (false, let weight?): list.insert((doc, weight), at: at)
            case (false, nil): break
            }
        }
    }

    /// Where `doc` is, or would go, in a list sorted by document.
    private static func firstPosition(of doc: Int32, in list: [Posting]) -> Int {
        var (low, high) = (0, list.count)
        while low < high {
            let mid = (low + high) / 2
            if list[mid].doc < doc { low = mid + 1 } else { high = mid }
        }
        return low
    }
}

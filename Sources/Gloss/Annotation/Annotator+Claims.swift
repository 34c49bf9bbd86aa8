extension Annotator {
    /// A claim's highlighted bytes in one leaf; mentions must not cross them.
    struct Span: Hashable { let node: Int; let bytes: Range<Int> }

    /// Finds each claim's quote in exactly one block and wraps it.
    func anchorClaims(_ article: ArticleSource, context: ArticleContext,
                      diagnostics: inout Diagnostics) -> ([Int], [MarkupEdit], [Span]) {
        var anchored: [(position: [Int], claim: Int)] = []
        var edits: [MarkupEdit] = []
        var spans: [Span] = []
        for (index, claim) in article.claims.enumerated() {
            guard let (run, range) = locate(claim, in: context.runs, diagnostics: &diagnostics) else { continue }
            let speaker = registry[claim.by.value]?.name ?? claim.by.value
            let pieces = context.runs[run].leafRanges(range)
            // The link to the claim's details follows the last piece that is
            // not inside a link: links must not nest.
            let lastOutsideLinks = pieces.lastIndex { !context.isLinked($0.node) }
            for (index, piece) in pieces.enumerated() {
                let markup = hooks.claim(ClaimContext(claim: claim, speaker: speaker, isFirstPiece: index == 0,
                                                      isLastPiece: index == lastOutsideLinks))
                edits.append(.wrap(node: piece.node, range: piece.bytes, open: markup.open, close: markup.close))
                spans.append(Span(node: piece.node, bytes: piece.bytes))
            }
            anchored.append(([run, range.lowerBound], index))
        }
        // Reading order, whatever the order of the front matter.
        let ordered = anchored.sorted { $0.position.lexicographicallyPrecedes($1.position) }.map(\.claim)
        return (ordered, edits, spans)
    }

    /// The single (run, scalar range) where the quote is, or an error saying
    /// why not: absent, ambiguous, or split across blocks.
    private func locate(_ claim: ClaimSource, in runs: [TextRun],
                        diagnostics: inout Diagnostics) -> (Int, Range<Int>)? {
        let quote = TextRun.normalize(claim.quote.value)
        let prefix = claim.prefix.map(TextRun.normalize) ?? []
        let suffix = claim.suffix.map(TextRun.normalize) ?? []
        var found: [(Int, Range<Int>)] = []
        for (r, run) in runs.enumerated() {
            for start in run.occurrences(of: quote) {
                let end = start + quote.count
                if !prefix.isEmpty, !Self.endsWith(run.scalars[..<start], prefix) { continue }
                if !suffix.isEmpty, !Self.startsWith(run.scalars[end...], suffix) { continue }
                found.append((r, start..<end))
            }
        }
        let at = claim.quote.location
        if found.count == 1 { return found[0] }
        if found.count > 1, config.ambiguousQuotes == .first {
            diagnostics.warning("claim '\(claim.id.value)': quote found \(found.count) times in the text; "
                                + "anchored at the first (add 'prefix' or 'suffix' to choose)", at: at)
            return found[0]
        }
        if found.count > 1 {
            diagnostics.error("claim '\(claim.id.value)': quote found \(found.count) times in the text; "
                              + "add 'prefix' or 'suffix' to say which one", at: at)
            return nil
        }
        if quote.isEmpty {
            diagnostics.error("claim '\(claim.id.value)': quote is empty", at: at)
            return nil
        }
        let whole = runs.map { $0.scalars.map(TextRun.foldQuotes) }.joined(separator: [" "] as [Unicode.Scalar])
        if Self.contains(Array(whole), quote) {
            diagnostics.error("claim '\(claim.id.value)': quote spans two paragraphs or blocks; "
                              + "a claim must be quoted from one block", at: at)
            return nil
        }
        diagnostics.error("claim '\(claim.id.value)': quote not found in the article text"
                          + Self.closestPart(of: quote, in: runs), at: at)
        return nil
    }

    /// "the text agrees up to '…'" hint: the longest prefix of the quote that
    /// occurs, found by binary search (occurrence is monotone in length).
    private static func closestPart(of quote: [Unicode.Scalar], in runs: [TextRun]) -> String {
        var low = 0, high = quote.count
        while low < high {
            let mid = (low + high + 1) / 2
            if runs.contains(where: { !$0.occurrences(of: Array(quote[..<mid])).isEmpty }) { low = mid } else { high = mid - 1 }
        }
        guard low >= 8 else { return "" }
        let matched = String(String.UnicodeScalarView(quote[..<low]))
        let rest = String(String.UnicodeScalarView(quote[low...].prefix(30)))
        return "; the text matches up to \"\(matched)\" but then differs at \"\(rest)\""
    }

    private static func contains(_ haystack: [Unicode.Scalar], _ needle: [Unicode.Scalar]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        for i in 0...(haystack.count - needle.count) where haystack[i..<(i + needle.count)].elementsEqual(needle) {
            return true
        }
        return false
    }

    /// `text` as written against a normalised `tail`, as quotes are matched (`TextRun.matches`).
    private static func endsWith(_ text: ArraySlice<Unicode.Scalar>, _ tail: [Unicode.Scalar]) -> Bool {
        let trimmed = text.last == " " && tail.last != " " ? text.dropLast() : text
        return trimmed.count >= tail.count && trimmed.suffix(tail.count).elementsEqual(tail, by: TextRun.matches)
    }

    private static func startsWith(_ text: ArraySlice<Unicode.Scalar>, _ head: [Unicode.Scalar]) -> Bool {
        let trimmed = text.first == " " && head.first != " " ? text.dropFirst() : text
        return trimmed.count >= head.count && trimmed.prefix(head.count).elementsEqual(head, by: TextRun.matches)
    }
}

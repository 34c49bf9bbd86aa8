import Foundation

extension Annotator {
    /// Resolves explicit `kind:id` links and finds names in plain text;
    /// records every mention and links them as the site asks.
    func mentions(in context: inout ArticleContext, avoiding claimSpans: [Span], excluding excluded: String?,
                  diagnostics: inout Diagnostics) -> [MarkupEdit] {
        let article = context.article
        var edits: [MarkupEdit] = []
        var found: [(order: (Int, Int), mention: Mention, edit: MarkupEdit?)] = []
        // Mentions in one sentence share one copy of it: backlink excerpts
        // are held for the whole build, and an article names ~40 entities.
        var sentences: Set<ExactString> = []
        func shared(_ sentence: String) -> String { sentences.insert(ExactString(sentence)).memberAfterInsert.value }

        for (link, runIndex) in context.explicitLinks {
            let url = link.url ?? ""
            if let site = urls.siteRelative(url) { context.siteRelativeLinks.append((link.id, site)) }
            guard let colon = url.firstIndex(of: ":"), let kind = EntityKind(rawValue: String(url[..<colon])) else { continue }
            let id = String(url[url.index(after: colon)...])
            let at = Self.location(article, link)
            if let problem = registry.check(Located(id, at: at), kinds: [kind]) {
                diagnostics.append(problem)
                continue
            }
            let entity = registry[id]!
            let sentence = shared(runIndex.map { run in context.runs[run].sentence(around: firstPosition(of: link, in: context.runs[run])) } ?? "")
            let markup = explicitMentionMarkup[id] ?? hooks.mention(MentionContext(entity: entity, href: urls.entity(entity.kind, id), explicit: true))
            // The registry's copy of the id, not one per link.
            found.append(((link.line, link.column), Mention(entityID: entity.id, sentence: sentence, explicit: true),
                          .replaceLink(node: link.id, open: markup.open, close: markup.close)))
        }

        let aboutIDs = Set(article.about.values.flatMap { $0.map(\.value) })
        var warned: Set<String> = []
        var sentenceCache: [Int: [Int: String]] = [:]
        for (runIndex, run) in context.runs.enumerated() {
            for (leafIndex, leaf) in run.leaves.enumerated() where leaf.kind == .text && !context.isLinked(leaf.id) {
                let literal = leaf.literal ?? ""
                // Columns count scalars: every byte that does not continue a
                // UTF-8 sequence. Hits come in order, so count incrementally.
                var columns = 0, counted = 0
                let bytes = literal.utf8
                var cursor = bytes.startIndex
                for hit in matcher.matches(in: literal) {
                    while counted < hit.range.lowerBound {
                        if bytes[cursor] & 0xC0 != 0x80 { columns += 1 }
                        cursor = bytes.index(after: cursor)
                        counted += 1
                    }
                    if let excluded, hit.ids.contains(excluded) { continue }
                    guard let id = resolve(hit, about: aboutIDs) else {
                        if warned.insert(hit.surface).inserted {
                            diagnostics.warning("'\(hit.surface)' is a name of \(hit.ids.joined(separator: " and ")); not linked. "
                                                + "List one of them in the front matter or link it explicitly",
                                                at: Self.location(article, leaf, extraColumns: columns))
                        }
                        continue
                    }
                    let crossesClaim = claimSpans.contains { span in
                        span.node == leaf.id && span.bytes.overlaps(hit.range)
                            && !(span.bytes.lowerBound <= hit.range.lowerBound && hit.range.upperBound <= span.bytes.upperBound)
                    }
                    let position = run.position(leaf: leafIndex, offset: hit.range.lowerBound) ?? 0
                    let entity = registry[id]!
                    let markup = mentionMarkup[id] ?? hooks.mention(MentionContext(entity: entity, href: urls.entity(entity.kind, id), explicit: false))
                    let sentence = sentenceCache[runIndex]?[position] ?? shared(run.sentence(around: position))
                    sentenceCache[runIndex, default: [:]][position] = sentence
                    let edit: MarkupEdit? = crossesClaim ? nil
                        : .wrap(node: leaf.id, range: hit.range, open: markup.open, close: markup.close)
                    found.append(((leaf.line, leaf.column + columns),
                                  Mention(entityID: id, sentence: sentence, explicit: false),
                                  edit))
                }
            }
        }

        // Document order decides which mention of an entity is "first".
        found.sort { $0.order < $1.order }
        var linkedOnce: Set<String> = []
        for (_, mention, edit) in found {
            var link = mention.explicit
            if !mention.explicit, edit != nil {
                switch config.mentionLinks {
                case .all: link = true
                case .first: link = !linkedOnce.contains(mention.entityID)
                case .none: link = false
                }
            }
            if link, let edit { edits.append(edit); linkedOnce.insert(mention.entityID) }
            context.mentions.append(mention)
        }
        return edits
    }

    /// A name shared by several entities resolves only if the article says
    /// it is about exactly one of them.
    private func resolve(_ hit: NameMatcher.Hit, about: Set<String>) -> String? {
        if hit.ids.count == 1 { return hit.ids[0] }
        let listed = hit.ids.filter(about.contains)
        return listed.count == 1 ? listed[0] : nil
    }

    private func firstPosition(of node: Markup, in run: TextRun) -> Int {
        var first: Int?
        node.walk { inner, _ in
            if first == nil, inner.kind == .text || inner.kind == .code { first = run.position(node: inner.id, offset: 0) }
        }
        return first ?? 0
    }
}

/// A string hashed and compared by its UTF-8 bytes. Strings compare by
/// canonical equivalence, and share only the very same bytes; hashing one
/// normalised it first, which cost more than finding the mentions.
private struct ExactString: Hashable {
    let value: String
    init(_ value: String) { self.value = value }

    func hash(into hasher: inout Hasher) {
        var value = value
        value.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }

    static func == (a: ExactString, b: ExactString) -> Bool {
        var a = a.value, b = b.value
        return a.withUTF8 { x in
            b.withUTF8 { y in x.count == y.count && (x.isEmpty || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0) }
        }
    }
}

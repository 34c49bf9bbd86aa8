import Foundation

extension PageRenderer {
    func articlePage(_ article: AnnotatedArticle, related: [AnnotatedArticle]) -> [String: Any] {
        let s = article.source
        let about = Set(s.about.values.flatMap { $0.map(\.value) })
        let mentioned = Set(article.mentionedIDs).union(about)
        let groups: [[String: Any]] = EntityKind.allCases.compactMap { kind in
            let entities = mentioned.compactMap { graph.registry[$0] }.filter { $0.kind == kind }
                .sorted { (about.contains($0.id) ? 0 : 1, $0.name) < (about.contains($1.id) ? 0 : 1, $1.name) }
            guard !entities.isEmpty else { return nil }
            return ["title": kind.title, "entities": entities.map { e -> [String: Any] in
                var ref = entityRef(e.id)
                ref["about"] = about.contains(e.id)
                return ref
            }]
        }
        let claims = article.claims.map { SiteGraph.Claim(source: $0, article: article) }
        var page: [String: Any] = [
            "title": s.title, "date": s.date.description, "dateLong": s.date.longForm, "html": article.html,
            "summary": Self.nonEmpty(s.summary ?? article.lede) as Any, "entityGroups": groups,
            "tags": s.tags.map { ["name": $0, "url": urls.asset("tags/\(SiteGraph.slug($0))/")] },
            "related": related.map(articleItem),
            "claims": claims.map { claim -> [String: Any] in
                var card = claimCard(claim)
                card["inArticle"] = true
                return card
            }, "hasClaims": !claims.isEmpty,
        ]
        if let author = s.author { page["author"] = entityRef(author.value) }
        return page
    }

    func entityPage(_ entity: EntitySource) -> [String: Any] {
        var facts: [[String: Any]] = []
        func fact(_ label: String, _ value: String?, links: [[String: Any]] = []) {
            guard let value, !value.isEmpty || !links.isEmpty else { return }
            facts.append(["label": label, "value": value, "links": withLast(links)])
        }
        fact("Signed", entity.signed?.longForm)
        fact("In force", entity.inForce?.longForm)
        fact("Expires", entity.expires?.longForm)
        fact("Status", entity.status)
        if !entity.parties.isEmpty { fact("Parties", "", links: entity.parties.map { entityRef($0.value) }) }
        for f in entity.facts {
            // A fact that names other entities by id (`country: russia`) links to them.
            let ids = f.value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            if !ids.isEmpty, ids.allSatisfy({ graph.registry[$0] != nil }) {
                fact(Self.label(f.label), "", links: ids.map(entityRef))
            } else {
                fact(Self.label(f.label), SimpleDate(f.value)?.longForm ?? f.value)
            }
        }

        let backlinks = graph.backlinks[entity.id] ?? []
        var perYear: [Int: Int] = [:]
        for link in backlinks { perYear[link.article.source.date.year, default: 0] += 1 }
        var events: [Timeline.Event] = []
        if let d = entity.signed { events.append(.init(label: "Signed", date: d)) }
        if let d = entity.inForce { events.append(.init(label: "In force", date: d)) }
        for f in entity.facts {
            if let d = SimpleDate(f.value), let label = Self.lifecycleLabels[f.label] { events.append(.init(label: label, date: d)) }
        }
        if let d = entity.expires { events.append(.init(label: "Expires", date: d)) }
        let mentions = backlinks.prefix(Self.mentionsPerPage).map(backlinkItem)
        let related: [[String: Any]] = (graph.related[entity.id] ?? []).map { pair in
            var ref = entityRef(pair.id)
            ref["count"] = pair.count
            return ref
        }
        return [
            "title": entity.name, "kind": entity.kind.rawValue, "kindTitle": entity.kind.title,
            "kindURL": urls.index(entity.kind), "aliases": entity.aliases.map(\.value),
            "feed": urls.entity(entity.kind, entity.id) + "feed.xml",
            "description": entity.description as Any, "facts": facts,
            "sameAs": withLast(entity.sameAs.map { ["url": $0, "label": Self.siteName($0)] }),
            "authored": (graph.articlesBy[entity.id] ?? []).map(articleItem),
            "html": entityHTML[entity.id] ?? "", "mentions": mentions, "mentionCount": backlinks.count,
            "moreMentions": (backlinks.count > Self.mentionsPerPage ? urls.entity(entity.kind, entity.id) + "mentions/page/2/" : nil) as Any,
            "claimsBy": (graph.claimsBy[entity.id] ?? []).map(claimCard),
            "claimsAbout": (graph.claimsAbout[entity.id] ?? []).map(claimCard), "related": related,
            "timeline": Timeline.mentions(perYear, name: entity.name, id: entity.id) as Any,
            "lifecycle": Timeline.lifecycle(events, name: entity.name, id: entity.id) as Any,
        ]
    }

    /// Backlinks shown on an entity's page; the rest are on its mention pages.
    static let mentionsPerPage = 40

    func backlinkItem(_ link: SiteGraph.Backlink) -> [String: Any] {
        var item = articleItem(link.article)
        item["sentences"] = Array(link.sentences.prefix(3))
        item["about"] = link.isAbout
        return item
    }

    /// `people/<id>/mentions/page/2/` …: the mentions beyond the first page,
    /// so a much-mentioned entity's page stays small.
    func mentionPages(_ entity: EntitySource, inputs: PageInputs) -> [Page] {
        let backlinks = graph.backlinks[entity.id] ?? []
        let size = Self.mentionsPerPage
        guard backlinks.count > size else { return [] }
        let count = (backlinks.count + size - 1) / size
        let folder = urls.entity(entity.kind, entity.id)
        func url(_ n: Int) -> String { n == 1 ? folder : folder + "mentions/page/\(n)/" }
        return (2...count).map { number in
            let pager: [String: Any] = ["pages": Self.pagerLinks(count: count, current: number, url: url),
                                        "previous": url(number - 1), "next": (number < count ? url(number + 1) : nil) as Any]
            // Same inputs as the entity's own page: its backlinks.
            return Page(path: "\(entity.kind.folder)/\(entity.id)/mentions/page/\(number)/index.html", template: "listing", kind: .other) {
                Page.Prepared(inputs: inputs.entity(entity), context: {
                    ["page": ["title": "Articles that mention \(entity.name), page \(number)", "up": ["title": entity.name, "url": folder],
                              "sections": [["articles": backlinks.dropFirst((number - 1) * size).prefix(size).map(backlinkItem)]],
                              "pager": pager] as [String: Any]]
                })
            }
        }
    }

    /// Treaty front matter dates drawn on the lifecycle line besides signed,
    /// in_force and expires.
    static let lifecycleLabels = ["extended": "Extended", "withdrawn": "Withdrawal", "terminated": "Terminated",
                                  "suspended": "Suspended", "withdrawal_notice": "Notice of withdrawal"]

    /// "Wikidata" for a Wikidata URL, else the host name.
    static func siteName(_ url: String) -> String {
        guard let host = URL(string: url)?.host else { return url }
        if host.hasSuffix("wikidata.org") { return "Wikidata" }
        if host.hasSuffix("wikipedia.org") { return "Wikipedia" }
        return host.hasPrefix("www.") ? String(host.dropFirst(4)) : host
    }

    /// `in_force` → "In force".
    static func label(_ key: String) -> String {
        let words = key.replacingOccurrences(of: "_", with: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }

    /// Entities A–Z, grouped by initial letter, with how many articles each appears in.
    func kindIndex(_ kind: EntityKind, _ entities: [EntitySource]) -> [String: Any] {
        var letters: [(letter: String, entities: [[String: Any]])] = []
        for e in entities {
            // "Çelik" files under C, "Ümit" under U: the base letter, accents removed.
            let base = SiteGraph.sortKey(e.name).unicodeScalars.first
            let letter = base.map { $0.properties.isAlphabetic } == true ? String(base!).uppercased() : "#"
            let count = graph.articleCount(e.id)
            var ref = entityRef(e.id)
            ref["count"] = count
            ref["one"] = count == 1
            ref["description"] = e.description
            if letters.last?.letter == letter { letters[letters.count - 1].entities.append(ref) } else { letters.append((letter, [ref])) }
        }
        return ["title": kind.title, "letters": letters.map { ["letter": $0.letter, "anchor": "letter-\(SiteGraph.slug($0.letter).isEmpty ? "other" : SiteGraph.slug($0.letter))", "entities": $0.entities] }]
    }
}

import Foundation

extension PageRenderer {
    func articlePage(_ article: AnnotatedArticle, related: [AnnotatedArticle]) -> TemplateValue {
        let s = article.source
        let about = Set(s.about.values.flatMap { $0.map(\.value) })
        // Each entity looked up once, with whether the article is about it:
        // sorting looked both up in every comparison, for ~40 entities a page.
        // Two of a kind with one name are in the order of their ids, not of a set.
        let named = Set(article.mentionedIDs).union(about).compactMap { id in
            graph.registry[id].map { (entity: $0, isAbout: about.contains(id)) }
        }
        let groups: [TemplateValue] = EntityKind.allCases.compactMap { kind in
            let entities = named.filter { $0.entity.kind == kind }
                .sorted { ($0.isAbout ? 0 : 1, $0.entity.name, $0.entity.id) < ($1.isAbout ? 0 : 1, $1.entity.name, $1.entity.id) }
            guard !entities.isEmpty else { return nil }
            return ["title": .string(kind.title), "entities": .list(entities.map { entityRef($0.entity.id, about: $0.isAbout) })]
        }
        let claims = article.claims.map { SiteGraph.Claim(source: $0, article: article) }
        return [
            "title": .string(s.title), "date": .string(s.date.description), "dateLong": .string(s.date.longForm),
            "html": .string(article.html), "summary": Self.nonEmpty(s.summary ?? article.lede).map(TemplateValue.string),
            "entityGroups": .list(groups),
            "tags": .list(s.tags.map { ["name": .string($0), "url": .string(urls.asset("tags/\(SiteGraph.slug($0))/"))] }),
            "related": .list(related.map(articleItem)),
            "claims": .list(claims.map { claim in
                var card = claimCard(claim)
                card["inArticle"] = true
                return card
            }), "hasClaims": .bool(!claims.isEmpty),
            "author": s.author.map { entityRef($0.value) },
        ]
    }

    func entityPage(_ entity: EntitySource) -> TemplateValue {
        var facts: [TemplateValue] = []
        func fact(_ label: String, _ value: String?, links: [TemplateValue] = []) {
            guard let value, !value.isEmpty || !links.isEmpty else { return }
            facts.append(["label": .string(label), "value": .string(value), "links": withLast(links)])
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
        let related: [TemplateValue] = (graph.related[entity.id] ?? []).map { pair in
            var ref = entityRef(pair.id)
            ref["count"] = .int(pair.count)
            return ref
        }
        let more = backlinks.count > Self.mentionsPerPage ? urls.entity(entity.kind, entity.id) + "mentions/page/2/" : nil
        return [
            "title": .string(entity.name), "kind": .string(entity.kind.rawValue), "kindTitle": .string(entity.kind.title),
            "kindURL": .string(urls.index(entity.kind)), "aliases": .strings(entity.aliases.map(\.value)),
            "feed": .string(urls.entity(entity.kind, entity.id) + "feed.xml"),
            "description": entity.description.map(TemplateValue.string), "facts": .list(facts),
            "sameAs": withLast(entity.sameAs.map { ["url": .string($0), "label": .string(Self.siteName($0))] }),
            "authored": .list((graph.articlesBy[entity.id] ?? []).map(articleItem)),
            "html": .string(entityHTML[entity.id] ?? ""), "mentions": .list(mentions), "mentionCount": .int(backlinks.count),
            "moreMentions": more.map(TemplateValue.string),
            "claimsBy": .list((graph.claimsBy[entity.id] ?? []).map(claimCard)),
            "claimsAbout": .list((graph.claimsAbout[entity.id] ?? []).map(claimCard)), "related": .list(related),
            "timeline": Timeline.mentions(perYear, name: entity.name, id: entity.id).map(TemplateValue.string),
            "lifecycle": Timeline.lifecycle(events, name: entity.name, id: entity.id).map(TemplateValue.string),
        ]
    }

    /// Backlinks shown on an entity's page; the rest are on its mention pages.
    static let mentionsPerPage = 40

    func backlinkItem(_ link: SiteGraph.Backlink) -> TemplateValue {
        var item = articleItem(link.article)
        item["sentences"] = .strings(link.sentences.prefix(3))
        item["about"] = .bool(link.isAbout)
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
            let pager: TemplateValue = ["pages": .list(Self.pagerLinks(count: count, current: number, url: url)),
                                        "previous": .string(url(number - 1)), "next": number < count ? .string(url(number + 1)) : nil]
            // Same inputs as the entity's own page: its backlinks.
            return Page(path: "\(entity.kind.folder)/\(entity.id)/mentions/page/\(number)/index.html", template: "listing", kind: .other) {
                Page.Prepared(inputs: inputs.entity(entity), context: {
                    ["page": ["title": "Articles that mention \(entity.name), page \(number)",
                              "up": ["title": .string(entity.name), "url": .string(folder)],
                              "sections": [["articles": .list(backlinks.dropFirst((number - 1) * size).prefix(size).map(backlinkItem))]],
                              "pager": pager]]
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
    func kindIndex(_ kind: EntityKind, _ entities: [EntitySource]) -> TemplateValue {
        var letters: [(letter: String, entities: [TemplateValue])] = []
        for e in entities {
            let letter = entityTables.initials[e.id] ?? Self.initial(of: e.name)
            let count = graph.articleCount(e.id)
            var ref = entityRef(e.id)
            ref["count"] = .int(count)
            ref["one"] = .bool(count == 1)
            ref["description"] = e.description.map(TemplateValue.string)
            if letters.last?.letter == letter { letters[letters.count - 1].entities.append(ref) } else { letters.append((letter, [ref])) }
        }
        return ["title": .string(kind.title), "letters": .list(letters.map { letter in
            ["letter": .string(letter.letter), "anchor": .string("letter-" + Self.anchor(initial: letter.letter)),
             "entities": .list(letter.entities)]
        })]
    }

    /// The letter a name is listed under: "Çelik" under C, "Ümit" under U
    /// (the base letter, accents removed); "#" when it starts with no letter.
    static func initial(of name: String) -> String {
        let base = SiteGraph.sortKey(name).unicodeScalars.first
        return base.map { $0.properties.isAlphabetic } == true ? String(base!).uppercased() : "#"
    }

    /// One per initial: `a` … `z`, `other` for "#", and for any other
    /// letter its code points (`u141` for Ł, `u535-u552` for "ԵՒ"). Its
    /// slug would not do: Ł's is `l`, which L has, and every Cyrillic
    /// letter's was empty.
    static func anchor(initial: String) -> String {
        guard initial != "#", !initial.isEmpty else { return "other" }
        if initial.unicodeScalars.allSatisfy(\.isASCII) { return initial.lowercased() }
        return initial.unicodeScalars.map { "u" + String($0.value, radix: 16) }.joined(separator: "-")
    }
}

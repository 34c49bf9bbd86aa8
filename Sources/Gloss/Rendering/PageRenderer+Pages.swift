extension PageRenderer {
    func articlePage(_ article: AnnotatedArticle) -> [String: Any] {
        let s = article.source
        let about = Set(s.about.values.flatMap { $0.map(\.value) })
        let mentioned = Set(article.mentions.map(\.entityID)).union(about)
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
            "summary": Self.nonEmpty(s.summary ?? article.lede) as Any, "tags": s.tags, "entityGroups": groups,
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
        for f in entity.facts { fact(Self.label(f.label), f.value) }

        let backlinks = graph.backlinks[entity.id] ?? []
        let mentions: [[String: Any]] = backlinks.map { link in
            var item = articleItem(link.article)
            item["sentences"] = Array(link.sentences.prefix(3))
            item["about"] = link.isAbout
            return item
        }
        let related: [[String: Any]] = (graph.related[entity.id] ?? []).prefix(12).map { pair in
            var ref = entityRef(pair.id)
            ref["count"] = pair.count
            return ref
        }
        return [
            "title": entity.name, "kind": entity.kind.rawValue, "kindTitle": entity.kind.title,
            "kindURL": urls.index(entity.kind), "aliases": entity.aliases.map(\.value),
            "description": entity.description as Any, "facts": facts,
            "sameAs": withLast(entity.sameAs.map { ["url": $0, "label": Self.siteName($0)] }),
            "authored": (graph.articlesBy[entity.id] ?? []).map(articleItem),
            "html": entityHTML[entity.id] ?? "", "mentions": mentions, "mentionCount": mentions.count,
            "claimsBy": (graph.claimsBy[entity.id] ?? []).map(claimCard),
            "claimsAbout": (graph.claimsAbout[entity.id] ?? []).map(claimCard), "related": related,
        ]
    }

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

    func kindIndex(_ kind: EntityKind, _ entities: [EntitySource]) -> [String: Any] {
        ["title": kind.title, "entities": entities.map { e -> [String: Any] in
            let count = graph.articleCount(e.id)
            var ref = entityRef(e.id)
            ref["count"] = count
            ref["one"] = count == 1
            ref["description"] = e.description
            return ref
        }]
    }

    /// Every claim once, newest first, with navigation by speaker and by
    /// subject that points into the list.
    func claimsIndex() -> [String: Any] {
        func group(_ title: String, _ prefix: String, _ index: [String: [SiteGraph.Claim]]) -> [String: Any] {
            let items: [[String: Any]] = index.keys.sorted {
                (graph.registry[$0]?.name ?? $0, $0) < (graph.registry[$1]?.name ?? $1, $1)
            }.map { id in
                var ref = entityRef(id)
                ref["anchor"] = "\(prefix)-\(id)"
                ref["count"] = index[id]!.count
                ref["claims"] = index[id]!.map { ["key": "\($0.article.source.slug.value)/\($0.source.id.value)", "quote": $0.source.quote.value] }
                return ref
            }
            return ["title": title, "anchor": prefix, "items": items]
        }
        var groups: [[String: Any]] = []
        if !graph.claimsBy.isEmpty { groups.append(group("By speaker", "speaker", graph.claimsBy)) }
        if !graph.claimsAbout.isEmpty { groups.append(group("By subject", "subject", graph.claimsAbout)) }
        return ["title": "Claims", "count": graph.claims.count, "claims": graph.claims.map { claim -> [String: Any] in
            var card = claimCard(claim)
            card["listed"] = true
            return card
        }, "groups": groups]
    }
}

import Foundation

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
        let claims = graph.claims.filter { $0.article.source.slug == s.slug }
        var page: [String: Any] = [
            "title": s.title, "date": s.date.description, "dateLong": s.date.longForm, "html": article.html,
            "summary": Self.nonEmpty(s.summary ?? article.lede) as Any, "tags": s.tags, "entityGroups": groups,
            "claims": claims.map(claimCard), "hasClaims": !claims.isEmpty,
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
            "description": entity.description as Any, "facts": facts, "sameAs": entity.sameAs,
            "html": entityHTML[entity.id] ?? "", "mentions": mentions, "mentionCount": mentions.count,
            "claimsBy": (graph.claimsBy[entity.id] ?? []).map(claimCard),
            "claimsAbout": (graph.claimsAbout[entity.id] ?? []).map(claimCard), "related": related,
        ]
    }

    /// `in_force` → "In force".
    static func label(_ key: String) -> String {
        let words = key.replacingOccurrences(of: "_", with: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }

    func kindIndex(_ kind: EntityKind, _ entities: [EntitySource]) -> [String: Any] {
        ["title": kind.title, "entities": entities.map { e -> [String: Any] in
            let count = graph.backlinks[e.id]?.count ?? 0
            var ref = entityRef(e.id)
            ref["count"] = count
            ref["one"] = count == 1
            ref["description"] = e.description
            return ref
        }]
    }

    func claimsIndex() -> [String: Any] {
        func group(_ title: String, _ label: String, _ prefix: String, _ index: [String: [SiteGraph.Claim]]) -> [String: Any] {
            let items: [[String: Any]] = index.keys.sorted {
                (graph.registry[$0]?.name ?? $0) < (graph.registry[$1]?.name ?? $1)
            }.map { id in
                var ref = entityRef(id)
                ref["anchor"] = "\(prefix)-\(id)"
                ref["label"] = label
                ref["count"] = index[id]!.count
                ref["claims"] = index[id]!.map(claimCard)
                return ref
            }
            return ["title": title, "label": label, "items": items]
        }
        var groups: [[String: Any]] = []
        if !graph.claimsBy.isEmpty { groups.append(group("By speaker", "Claims by", "by", graph.claimsBy)) }
        if !graph.claimsAbout.isEmpty { groups.append(group("By subject", "Claims about", "about", graph.claimsAbout)) }
        return ["title": "Claims", "count": graph.claims.count, "groups": groups]
    }
}

import Foundation

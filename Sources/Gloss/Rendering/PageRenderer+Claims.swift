/// Claims browsing: every claim newest first, paginated, with the speakers,
/// subjects and verdicts to browse by; a paginated list per verdict. A
/// speaker's and a subject's claims are on their entity pages.
extension PageRenderer {
    /// Claims per page: cards are larger than article items.
    var claimsPerPage: Int { max(1, graph.config.perPage) }

    func claimPages(_ inputs: PageInputs) -> [Page] {
        let verdicts = byVerdict()
        // Page 1 also lists every speaker, subject and verdict, with counts.
        let groups = claimGroupsKey(verdicts)
        var pages = paginate(graph.claims, folder: "claims/", template: "claims", title: "Claims", kind: .claims,
                             perPage: claimsPerPage, key: { slice in
            guard slice.startIndex == 0 else { return inputs.claims(slice) }
            guard let claims = inputs.claims(slice) else { return nil }
            var hasher = StableHasher()
            hasher.combine(claims)
            hasher.combine(groups)
            return hasher.finalize()
        }) { slice, number in
            var page: TemplateValue = ["countLabel": .string(Self.countLabel(graph.claims.count)), "claims": .list(slice.map(listedCard))]
            if number == 1 { page["groups"] = claimGroups(verdicts) }
            return page
        }
        for (rating, claims) in verdicts {
            pages += paginate(claims, folder: "claims/verdict/\(SiteGraph.slug(rating))/", template: "claims",
                              title: "Claims rated “\(rating)”", up: ["title": "Claims", "url": .string(urls.claims)],
                              perPage: claimsPerPage, key: inputs.claims) { slice, _ in
                ["countLabel": .string(Self.countLabel(claims.count)), "verdict": .string(rating), "claims": .list(slice.map(listedCard))]
            }
        }
        return pages
    }

    /// A claim as a card: on its article's page, its speaker's and
    /// subjects' pages, and the claims lists.
    func claimCard(_ claim: SiteGraph.Claim) -> TemplateValue {
        let s = claim.source
        let speaker = entityRef(s.by.value)
        var card: TemplateValue = [
            "id": .string(s.id.value), "key": .string("\(claim.article.source.slug.value)/\(s.id.value)"),
            "quote": .string(s.quote.value), "speaker": speaker["name"] ?? .string(s.by.value),
            "speakerURL": speaker["url"], "date": .string(claim.date.description), "dateLong": .string(claim.date.longForm),
            "about": entityRefs(s.about.map(\.value)),
            "url": .string(urls.claim(article: claim.article.source.slug.value, id: s.id.value)),
            "articleTitle": .string(claim.article.source.title),
            "context": s.context.map(TemplateValue.string), "source": s.source.map(TemplateValue.string),
        ]
        if let review = s.review {
            var r: TemplateValue = ["rating": .string(review.rating),
                                    "ratingClass": .string(review.rating.lowercased().filter { $0.isLetter || $0 == " " }
                                        .replacingOccurrences(of: " ", with: "-")),
                                    "note": review.note.map(TemplateValue.string)]
            if let by = review.by { r["reviewer"] = entityRef(by.value) }
            card["review"] = r
        }
        return card
    }

    static func countLabel(_ count: Int) -> String { count == 1 ? "1 claim" : "\(count) claims" }

    private func listedCard(_ claim: SiteGraph.Claim) -> TemplateValue {
        var card = claimCard(claim)
        card["listed"] = true
        return card
    }

    /// Verdicts in name order, "Not reviewed" for claims without a review.
    /// Grouped by their pages' folder (the verdict's slug), with the spelling
    /// met first, as tags are: "Accurate" and "accurate" made two pages at
    /// one path, and which one was published depended on the order of work.
    private func byVerdict() -> [(rating: String, claims: [SiteGraph.Claim])] {
        func rating(_ claim: SiteGraph.Claim) -> String { claim.source.review?.rating ?? "Not reviewed" }
        let bySpelling = Dictionary(grouping: graph.claims, by: rating)
        var spellings: [String: [String]] = [:]  // by slug: a few, each slugged once
        for spelling in bySpelling.keys { spellings[SiteGraph.slug(spelling), default: []].append(spelling) }
        return spellings.values.map { same -> (rating: String, claims: [SiteGraph.Claim]) in
            guard same.count > 1 else { return (same[0], bySpelling[same[0]]!) }
            // Rare: the claims of every spelling, in the site's order.
            let claims = graph.claims.filter { same.contains(rating($0)) }
            return (rating(claims[0]), claims)
        }.sorted { $0.rating < $1.rating }
    }

    /// What `claimGroups` is made from besides entity names and kinds (in
    /// every page's key): each speaker's and subject's id and number of
    /// claims, and each verdict's. Making the groups, to hash them, cost
    /// more than the rest of a rebuild's claims pages.
    private func claimGroupsKey(_ verdicts: [(rating: String, claims: [SiteGraph.Claim])]) -> Int {
        var hasher = StableHasher()
        for index in [graph.claimsBy, graph.claimsAbout] {
            hasher.combine(index.count)
            for id in index.keys.sorted() {
                hasher.combine(id)
                hasher.combine(index[id]!.count)
            }
        }
        hasher.combine(verdicts.count)
        for verdict in verdicts {
            hasher.combine(verdict.rating)
            hasher.combine(verdict.claims.count)
        }
        return hasher.finalize()
    }

    /// By speaker and by subject (linking to the entity page's claims) and by
    /// verdict (linking to its list), each with a count.
    private func claimGroups(_ verdicts: [(rating: String, claims: [SiteGraph.Claim])]) -> TemplateValue {
        func group(_ title: String, _ prefix: String, _ index: [String: [SiteGraph.Claim]], section: String) -> TemplateValue {
            let items = index.keys.map { id in
                let anchor = "\(prefix)-\(SiteGraph.slug(id))"
                var ref = entityRef(id)
                if case .string(let url)? = ref["url"] { ref["url"] = .string(url + section) }
                ref["anchor"] = .string(anchor)
                ref["count"] = .int(index[id]!.count)
                return (name: graph.registry[id]?.name ?? id, anchor: anchor, ref: ref)
            }.sorted { ($0.name, $0.anchor) < ($1.name, $1.anchor) }
            return ["title": .string(title), "anchor": .string(prefix), "items": .list(items.map(\.ref))]
        }
        var groups: [TemplateValue] = []
        if !graph.claimsBy.isEmpty { groups.append(group("By speaker", "speaker", graph.claimsBy, section: "#by-heading")) }
        if !graph.claimsAbout.isEmpty { groups.append(group("By subject", "subject", graph.claimsAbout, section: "#about-heading")) }
        if !verdicts.isEmpty {
            groups.append(["title": "By verdict", "anchor": "verdict", "items": .list(verdicts.map { verdict in
                let slug = SiteGraph.slug(verdict.rating)
                return ["name": .string(verdict.rating), "anchor": .string("verdict-\(slug)"), "count": .int(verdict.claims.count),
                        "url": .string(urls.asset("claims/verdict/\(slug)/"))]
            })])
        }
        return .list(groups)
    }
}

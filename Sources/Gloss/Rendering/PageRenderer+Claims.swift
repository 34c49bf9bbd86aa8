/// Claims browsing: every claim newest first, paginated, with the speakers,
/// subjects and verdicts to browse by; a paginated list per verdict. A
/// speaker's and a subject's claims are on their entity pages.
extension PageRenderer {
    /// Claims per page: cards are larger than article items.
    var claimsPerPage: Int { max(1, graph.config.perPage) }

    func claimPages(_ inputs: PageInputs) -> [Page] {
        let verdicts = byVerdict()
        // Page 1 also lists every speaker, subject and verdict: keyed by its view model.
        var pages = paginate(graph.claims, folder: "claims/", template: "claims", title: "Claims", kind: .claims,
                             perPage: claimsPerPage, key: { $0.startIndex == 0 ? nil : inputs.claims($0) }) { slice, number in
            var page: [String: Any] = ["countLabel": Self.countLabel(graph.claims.count), "claims": slice.map(listedCard)]
            if number == 1 { page["groups"] = claimGroups(verdicts) }
            return page
        }
        for (rating, claims) in verdicts {
            pages += paginate(claims, folder: "claims/verdict/\(SiteGraph.slug(rating))/", template: "claims",
                              title: "Claims rated “\(rating)”", up: ["title": "Claims", "url": urls.claims],
                              perPage: claimsPerPage, key: inputs.claims) { slice, _ in
                ["countLabel": Self.countLabel(claims.count), "verdict": rating, "claims": slice.map(listedCard)]
            }
        }
        return pages
    }

    static func countLabel(_ count: Int) -> String { count == 1 ? "1 claim" : "\(count) claims" }

    private func listedCard(_ claim: SiteGraph.Claim) -> [String: Any] {
        var card = claimCard(claim)
        card["listed"] = true
        return card
    }

    /// Verdicts in name order, "Not reviewed" for claims without a review.
    private func byVerdict() -> [(rating: String, claims: [SiteGraph.Claim])] {
        Dictionary(grouping: graph.claims) { $0.source.review?.rating ?? "Not reviewed" }
            .map { ($0.key, $0.value) }.sorted { $0.rating < $1.rating }
    }

    /// By speaker and by subject (linking to the entity page's claims) and by
    /// verdict (linking to its list), each with a count.
    private func claimGroups(_ verdicts: [(rating: String, claims: [SiteGraph.Claim])]) -> [[String: Any]] {
        func group(_ title: String, _ prefix: String, _ index: [String: [SiteGraph.Claim]], section: String) -> [String: Any] {
            let items: [[String: Any]] = index.keys.map { id in
                var ref = entityRef(id)
                if let url = ref["url"] as? String { ref["url"] = url + section }
                ref["anchor"] = "\(prefix)-\(SiteGraph.slug(id))"
                ref["count"] = index[id]!.count
                return ref
            }.sorted { (($0["name"] as? String) ?? "", $0["anchor"] as! String) < (($1["name"] as? String) ?? "", $1["anchor"] as! String) }
            return ["title": title, "anchor": prefix, "items": items]
        }
        var groups: [[String: Any]] = []
        if !graph.claimsBy.isEmpty { groups.append(group("By speaker", "speaker", graph.claimsBy, section: "#by-heading")) }
        if !graph.claimsAbout.isEmpty { groups.append(group("By subject", "subject", graph.claimsAbout, section: "#about-heading")) }
        if !verdicts.isEmpty {
            groups.append(["title": "By verdict", "anchor": "verdict", "items": verdicts.map { verdict -> [String: Any] in
                let slug = SiteGraph.slug(verdict.rating)
                return ["name": verdict.rating, "anchor": "verdict-\(slug)", "count": verdict.claims.count,
                        "url": urls.asset("claims/verdict/\(slug)/")]
            }])
        }
        return groups
    }
}

extension SiteGraph {
    /// Every claim of the site newest first, by speaker and by subject, and
    /// the positions of the articles that have claims by or about each entity.
    struct ClaimIndex: Sendable {
        let claims: [Claim]
        let by: [String: [Claim]]
        let about: [String: [Claim]]
        let articles: [String: [Int]]

        /// `sorted`: the site's articles in the graph's order.
        init(_ sorted: [AnnotatedArticle]) {
            var claims: [Claim] = []
            var claimArticles: [String: [Int]] = [:]
            // Made on all cores: each claim makes its key.
            let made = sorted.parallelMap { article in article.claims.map { Claim(source: $0, article: article) } }
            for (index, article) in sorted.enumerated() {
                claims += made[index]
                for claim in article.claims {
                    claimArticles[claim.by.value, default: []].append(index)
                    for ref in claim.about { claimArticles[ref.value, default: []].append(index) }
                }
            }
            // Sorted by keys taken out once (see `SiteGraph.init`).
            let claimKeys = claims.map { (date: $0.date.ordinal, id: $0.source.id.value) }
            claims = claims.indices.sorted { a, b in
                (claimKeys[a].date, claimKeys[b].id) > (claimKeys[b].date, claimKeys[a].id)
            }.map { claims[$0] }
            var by: [String: [Claim]] = [:], about: [String: [Claim]] = [:]
            for claim in claims {
                by[claim.source.by.value, default: []].append(claim)
                let refs = claim.source.about
                for (place, ref) in refs.enumerated() where !refs[..<place].contains(where: { $0.value == ref.value }) {
                    about[ref.value, default: []].append(claim)
                }
            }
            self.claims = claims
            self.by = by
            self.about = about
            articles = claimArticles
        }
    }
}

/// The list of every page, each with what it is made from.
extension PageRenderer {
    /// Every page, in a fixed order. `related` holds the previous build's
    /// related-article lists, reused where their inputs are unchanged;
    /// `keeping`, what changed since then and that build's page keys, kept
    /// by the article pages whose inputs are provably the same.
    ///
    /// Listed in four groups made side by side: listed one after another,
    /// they were a sixth of a rebuild's wall time after a save, on one core.
    func pages(related cached: [String: (key: Int, slugs: [String])] = [:],
               keeping kept: (unchanged: UnchangedInputs, keys: [String: (key: Int, file: OutputFile?)])? = nil) -> [Page] {
        let groups = [0, 1, 2, 3].parallelMap { group -> [Page] in
            switch group {
            case 0: listingPages(inputs)
            case 1: claimPages(inputs) + [
                Page(path: "404.html", template: "404", context: ["page": ["title": "Page not found"]]),
                Page(path: "search/index.html", template: "search", context: ["page": searchPage()]),
            ]
            case 2: articlePages(related: cached, keeping: kept)
            default: entityPages()
            }
        }
        return Array(groups.joined())
    }

    private func articlePages(related cached: [String: (key: Int, slugs: [String])],
                              keeping kept: (unchanged: UnchangedInputs, keys: [String: (key: Int, file: OutputFile?)])?) -> [Page] {
        graph.articles.map { article in
            let slug = article.source.slug.value, path = "articles/\(slug)/index.html"
            return Page(path: path, template: "article", kind: .article(article)) {
                if let kept, let hit = cached[slug], let old = kept.keys[path],
                   kept.unchanged.keepsKey(of: article, related: hit.slugs) {
                    // Looked up only if the page is made after all (its file is gone).
                    return Page.Prepared(known: old.key, context: {
                        ["page": articlePage(article, related: hit.slugs.compactMap { graph.articleIndex[$0].map { graph.articles[$0] } })]
                    }, related: hit, relatedKept: true)
                }
                let key = inputs.relatedKey(article)
                let related: [AnnotatedArticle]
                var kept = false
                if let hit = cached[slug], hit.key == key {
                    related = hit.slugs.compactMap { graph.articleIndex[$0].map { graph.articles[$0] } }
                    kept = related.count == hit.slugs.count
                } else {
                    related = graph.related(to: article)
                }
                return Page.Prepared(inputs: inputs.article(article, related: related),
                                     context: { ["page": articlePage(article, related: related)] },
                                     related: (key, related.map(\.source.slug.value)), relatedKept: kept)
            }
        }
    }

    private func entityPages() -> [Page] {
        var pages: [Page] = []
        for kind in EntityKind.allCases {
            let entities = graph.entities(of: kind)
            pages.append(Page(path: "\(kind.folder)/index.html", template: "kind-index",
                              context: ["page": kindIndex(kind, entities)], kind: .kindIndex(kind)))
            for entity in entities {
                pages.append(Page(path: "\(kind.folder)/\(entity.id)/index.html", template: "entity", kind: .entity(entity)) {
                    Page.Prepared(inputs: inputs.entity(entity), context: { ["page": entityPage(entity)] })
                })
                pages += mentionPages(entity, inputs: inputs)
            }
        }
        return pages
    }
}

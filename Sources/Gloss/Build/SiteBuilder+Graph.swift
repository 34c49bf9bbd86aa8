extension SiteBuilder {
    /// The site graph, and whether it is the last build's with the edited
    /// articles swapped in: when every article keeps its place, from the
    /// graph the preview holds (`SiteGraph.patched`) or from the shape the
    /// persistent cache stored (`SiteGraph.Shape`); else built anew.
    ///
    /// `reusing`: the last build's cache, when it was made in this build's
    /// environment. `isReused`: whether an article's annotation is the one
    /// that cache holds for it.
    static func siteGraph(config: SiteConfig, registry: EntityRegistry, articles: [AnnotatedArticle],
                          reusing cache: BuildCache?, isReused: (String) -> Bool) -> (SiteGraph, kept: Bool) {
        guard let cache else { return (SiteGraph(config: config, registry: registry, articles: articles), false) }
        if let last = cache.lastGraph, let patched = SiteGraph.patched(from: last, config: config, registry: registry, articles: articles) {
            return (patched, true)
        }
        // The shape describes the cached annotations: an article annotated
        // again must keep the place its cached annotation had.
        // A record that cannot be read back only costs the time of building the graph.
        if let record = cache.graph.shapeRecord {
            // Read on another core while the articles are looked at.
            let shape = Background { try? SiteGraph.Shape(record: record) }
            if articles.allSatisfy({ article in
                isReused(article.source.path)
                    || cache.annotations[article.source.path].map { SiteGraph.samePlace($0.result.0, article) } == true
            }), let shape = shape.value, let shaped = SiteGraph(shape: shape, config: config, registry: registry,
                                       articles: Dictionary(articles.map { ($0.source.slug.value, $0) }, uniquingKeysWith: { a, _ in a }),
                                       cache: cache.graph) {
                return (shaped, true)
            }
            // Not of use: waited for, so that it is freed before the graph
            // is made anew (at 100,000 articles the shape is tens of MB).
            _ = shape.value
        }
        return (SiteGraph(config: config, registry: registry, articles: articles, reusing: cache.graph), false)
    }

    /// Every article annotated again (as it is and, if the cache had it, as
    /// it was), and every article the cache had that is gone: what an edit
    /// changed (`CarriedEntityKeys`). `reused[i]`: whether `annotated[i]` is the cache's.
    static func changedArticles(_ annotated: [AnnotatedArticle], reused: [BuildCache.Annotation?],
                                previous: [String: BuildCache.Annotation]) -> [AnnotatedArticle] {
        var changed: [AnnotatedArticle] = []
        var known = 0
        for (article, hit) in zip(annotated, reused) {
            guard hit == nil else { known += 1; continue }
            changed.append(article)
            if let old = previous[article.source.path] {
                changed.append(old.result.0)
                known += 1
            }
        }
        // Every cached article is still there unless fewer were found.
        if known < previous.count {
            let paths = Set(annotated.map(\.source.path))
            for (path, old) in previous where !paths.contains(path) { changed.append(old.result.0) }
        }
        return changed
    }
}

/// What page rendering keeps from one build for the next.
extension PageRenderer {
    /// What one build's page rendering leaves for the next.
    struct Cache: Sendable {
        /// Rendered pages by output path, with the key they were rendered
        /// for. No file: the page was streamed to the output folder, where
        /// the next build can keep it (`PageSink.keepPublished`).
        var pages: [String: (key: Int, file: OutputFile?)] = [:]
        /// Related articles by article slug, with `PageInputs.relatedKey`.
        var related: [String: (key: Int, slugs: [String])] = [:]
        /// What every page's key starts from, and each entity's backlink
        /// structure (`PageInputs`): with them the next build can tell which
        /// article pages keep their keys (`UnchangedInputs`).
        var siteKey: Int?
        var structures: [String: Int] = [:]
        /// Each entity's key (`PageInputs.entity`), for the next build to
        /// keep those of the entities its changes do not touch (`CarriedEntityKeys`).
        var entityKeys: [String: Int] = [:]
        /// The versions of the source files the keys were made from.
        var versions: SourceVersions?

        init(siteKey: Int? = nil, structures: [String: Int] = [:], entityKeys: [String: Int] = [:]) {
            self.siteKey = siteKey
            self.structures = structures
            self.entityKeys = entityKeys
        }

        /// What `results` leave for the next build. When the pages are the
        /// ones `previous` describes and few were made again, `previous`'s
        /// keys and related lists with those few changed: at 10,000 articles
        /// putting 17,000 keys and 10,000 related lists in new tables after
        /// every save was a sixth of the rendering stage.
        init(after previous: Cache, siteKey: Int, structures: [String: Int], entityKeys: [String: Int] = [:], _ results: [Made]) {
            self.init(siteKey: siteKey, structures: structures, entityKeys: entityKeys)
            // The counts below rest on it: two pages at one path could hide a page gone.
            assert(Set(results.map(\.path)).count == results.count, "two pages at one output path")
            let fresh = results.count(where: \.fresh) * 4 < results.count ? results.filter(\.fresh) : nil
            // A page reused is one `previous` has, and an article's related
            // list kept is one it has; the others are looked up. (A list can
            // outlive its page: a static file may have replaced the page.)
            if let fresh, results.count - fresh.count + fresh.count(where: { previous.pages[$0.path] != nil }) == previous.pages.count {
                let changedLists = results.filter { $0.related != nil && !$0.relatedKept }
                let knownLists = results.count(where: \.relatedKept)
                    + changedLists.count { PageRenderer.articleSlug($0.path).map { previous.related[$0] != nil } ?? false }
                if knownLists == previous.related.count {
                    pages = previous.pages
                    related = previous.related
                    for made in fresh { pages[made.path] = (made.key, made.file) }
                    for made in changedLists {
                        if let list = made.related, let slug = PageRenderer.articleSlug(made.path) { related[slug] = list }
                    }
                    return
                }
            }
            pages.reserveCapacity(results.count)
            for made in results {
                pages[made.path] = (made.key, made.file)
                if let list = made.related, let slug = PageRenderer.articleSlug(made.path) { related[slug] = list }
            }
        }
    }

    /// A page, its key, its related list (an article's, and whether it is
    /// the last build's), and whether it was rendered (not reused). No file:
    /// it is in the sink's output folder.
    struct Made: Sendable {
        let path: String
        let key: Int
        let file: OutputFile?
        let related: (key: Int, slugs: [String])?
        let relatedKept: Bool
        let fresh: Bool
    }
}

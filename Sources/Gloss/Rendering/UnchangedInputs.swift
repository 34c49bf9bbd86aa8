/// What changed since the build that made a cache, as far as article pages
/// are concerned: a rebuild then keeps the key of an article page whose
/// inputs are provably the same, without hashing them (10,000 article pages
/// hashed their entities, related articles and versions on every build).
///
/// An article page's key covers the site key, the article's and its related
/// articles' versions, and the versions of the entities it shows
/// (`PageInputs.article`); its related list is reused while its own fields
/// and its entities' backlink structure are the same (`PageInputs.relatedKey`).
/// So with the same site key and the same entity versions, the page of an
/// unchanged article whose entities kept their backlink structure, and whose
/// related articles are unchanged, has last build's key.
struct UnchangedInputs: Sendable {
    /// Slugs of articles whose version is not last build's: edited, new, or gone.
    let changed: Set<String>
    /// Entities whose backlink structure is not last build's (or that are
    /// new or gone): known once the page inputs are (`comparing(structures:)`);
    /// until then no page keeps its key.
    private var restructured: Set<String>?
    private let previousStructures: [String: Int]
    /// `changed` as a list while it is short: after an edit it holds one
    /// slug, and every article page asks about itself and its related
    /// articles; comparing with one slug costs less than hashing.
    private let fewChanged: [String]?

    /// Nil when nothing is known of the last build or when an entity's
    /// version changed. `pages.versions`: the versions its keys were made
    /// from (after a failed build in a preview server, the last good one's).
    init?(pages: PageRenderer.Cache, versions: SourceVersions) {
        guard !pages.structures.isEmpty, let made = pages.versions else { return nil }
        // An entity's version is hashed into every page that shows it.
        guard made.entities == versions.entities else { return nil }
        previousStructures = pages.structures
        var changed = Set<String>()
        var kept = 0
        for (slug, version) in versions.articles {
            guard let before = made.articles[slug] else { changed.insert(slug); continue }
            kept += 1
            if before != version { changed.insert(slug) }
        }
        // Every article of the last build is still here unless fewer were found.
        if kept < made.articles.count { changed.formUnion(made.articles.keys.filter { versions.articles[$0] == nil }) }
        self.changed = changed
        fewChanged = changed.count <= 8 ? Array(changed) : nil
    }

    /// With the entities whose backlink structure is not the last build's.
    func comparing(structures: [String: Int]) -> UnchangedInputs {
        var compared = self
        var restructured = Set(previousStructures.keys.filter { structures[$0] == nil })
        for (id, structure) in structures where previousStructures[id] != structure { restructured.insert(id) }
        compared.restructured = restructured
        return compared
    }

    /// Whether `article`'s page has last build's key, given the related list
    /// the last build found for it.
    func keepsKey(of article: AnnotatedArticle, related: [String]) -> Bool {
        guard let restructured else { return false }
        return !isChanged(article.source.slug.value)
            && (restructured.isEmpty || !article.excerpts.contains { restructured.contains($0.id) })
            && (changed.isEmpty || !related.contains(where: isChanged))
    }

    private func isChanged(_ slug: String) -> Bool { fewChanged?.contains(slug) ?? changed.contains(slug) }
}

/// Stage 2b: cross-file checks on decoded sources — duplicate ids and
/// slugs, and every entity reference in front matter. Pure.
public enum SiteChecks {
    public static func validate(_ sources: SiteSources, registry: EntityRegistry) -> Diagnostics {
        let checked = validate(sources, registry: registry, known: Array(repeating: false, count: sources.articles.count))
        var d = checked.site
        for own in checked.articles { d.append(contentsOf: own ?? []) }
        return d
    }

    /// What `validate` found: in the site as a whole (entities, shared
    /// slugs and names), and in each article's own front matter, in the
    /// order of `sources.articles`.
    struct Checked {
        var site = Diagnostics()
        /// Nil for an article `known` skipped.
        var articles: [[Diagnostic]?] = []
    }

    /// `validate`, skipping the references of articles that `known` says
    /// were checked already: an article's references depend only on the
    /// article and on the registry's ids and kinds, so a build that reuses
    /// an article's annotation in the same environment reuses what its
    /// references gave too (`BuildCache.annotations`). At 10,000 articles
    /// checking them all was a tenth of a rebuild after an edit.
    /// `known`: per article of `sources`, in order.
    static func validate(_ sources: SiteSources, registry: EntityRegistry, known: [Bool]) -> Checked {
        var d = Diagnostics()
        var firstEntity: [String: EntitySource] = [:]
        for entity in sources.entities {
            if let other = firstEntity[entity.id] {
                d.error("duplicate entity id '\(entity.id)': also defined in \(other.path)", at: .file(entity.path))
            } else {
                firstEntity[entity.id] = entity
            }
            for party in entity.parties { if let e = registry.check(party) { d.append(e) } }
        }
        // Each article's references and claim ids on all cores (but those
        // `known`); then slugs shared by two articles, in order.
        let found = Array(sources.articles.indices).parallelMap { known[$0] ? nil : references(of: sources.articles[$0], registry: registry).all }
        var slugs: [String: ArticleSource] = [:]
        slugs.reserveCapacity(sources.articles.count)
        for article in sources.articles {
            if let other = slugs[article.slug.value] {
                d.error("duplicate article slug '\(article.slug.value)': also used by \(other.path)", at: article.slug.location)
            } else {
                slugs[article.slug.value] = article
            }
        }
        for (name, ids) in registry.sharedNames.sorted(by: { $0.key < $1.key }) {
            let entity = registry[ids[1]]!
            let at = entity.aliases.first { $0.value == name }?.location ?? .file(entity.path)
            d.warning("name '\(name)' is shared by \(ids.joined(separator: ", ")); text mentions of it are linked "
                      + "only where an article's front matter lists exactly one of them", at: at)
        }
        return Checked(site: d, articles: found)
    }

    /// An article's entity references, and its claim ids (unique per
    /// article: each names an anchor in it).
    private static func references(of article: ArticleSource, registry: EntityRegistry) -> Diagnostics {
        var d = Diagnostics()
        if let author = article.author, let e = registry.check(author, kinds: speakers) { d.append(e) }
        for (kind, refs) in article.about {
            for ref in refs { if let e = registry.check(ref, kinds: kinds[kind]) { d.append(e) } }
        }
        // Most articles have a few claims: an earlier one with the same id is
        // found by looking back, not in a dictionary made for each article.
        let many = article.claims.count > 32
        var firstIDs: [String: SourceLocation] = [:]
        for (index, claim) in article.claims.enumerated() {
            let earlier = many ? firstIDs[claim.id.value]
                : article.claims[..<index].first { $0.id.value == claim.id.value }?.id.location
            if let earlier {
                d.error("duplicate claim id '\(claim.id.value)' in this article: also used at line \(earlier.line)", at: claim.id.location)
            } else if many {
                firstIDs[claim.id.value] = claim.id.location
            }
            if let e = registry.check(claim.by, kinds: speakers) { d.append(e) }
            for ref in claim.about { if let e = registry.check(ref) { d.append(e) } }
            if let reviewer = claim.review?.by, let e = registry.check(reviewer, kinds: speakers) { d.append(e) }
        }
        return d
    }

    /// Who may write an article, or make or review a claim. Made once: a
    /// literal in the loop was an array for each of 25,000 claims.
    private static let speakers: [EntityKind] = [.person, .organization]
    private static let kinds = Dictionary(uniqueKeysWithValues: EntityKind.allCases.map { ($0, [$0]) })
}

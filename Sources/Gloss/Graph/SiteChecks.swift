/// Stage 2b: cross-file checks on decoded sources — duplicate ids and
/// slugs, and every entity reference in front matter. Pure.
public enum SiteChecks {
    public static func validate(_ sources: SiteSources, registry: EntityRegistry) -> Diagnostics {
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
        // Each article's references and claim ids on all cores; slugs shared
        // by two articles after, in order, each before that article's own.
        let found = sources.articles.parallelMap { references(of: $0, registry: registry) }
        var slugs: [String: ArticleSource] = [:]
        for (article, own) in zip(sources.articles, found) {
            if let other = slugs[article.slug.value] {
                d.error("duplicate article slug '\(article.slug.value)': also used by \(other.path)", at: article.slug.location)
            } else {
                slugs[article.slug.value] = article
            }
            d.append(contentsOf: own)
        }
        for (name, ids) in registry.sharedNames.sorted(by: { $0.key < $1.key }) {
            let entity = registry[ids[1]]!
            let at = entity.aliases.first { $0.value == name }?.location ?? .file(entity.path)
            d.warning("name '\(name)' is shared by \(ids.joined(separator: ", ")); text mentions of it are linked "
                      + "only where an article's front matter lists exactly one of them", at: at)
        }
        return d
    }

    /// An article's entity references, and its claim ids (unique per
    /// article: each names an anchor in it).
    private static func references(of article: ArticleSource, registry: EntityRegistry) -> Diagnostics {
        var d = Diagnostics()
        var claimIDs: [String: SourceLocation] = [:]
        if let author = article.author, let e = registry.check(author, kinds: [.person, .organization]) { d.append(e) }
        for (kind, refs) in article.about {
            for ref in refs { if let e = registry.check(ref, kinds: [kind]) { d.append(e) } }
        }
        for claim in article.claims {
            if let other = claimIDs[claim.id.value] {
                d.error("duplicate claim id '\(claim.id.value)' in this article: also used at line \(other.line)", at: claim.id.location)
            } else {
                claimIDs[claim.id.value] = claim.id.location
            }
            if let e = registry.check(claim.by, kinds: [.person, .organization]) { d.append(e) }
            for ref in claim.about { if let e = registry.check(ref) { d.append(e) } }
            if let reviewer = claim.review?.by, let e = registry.check(reviewer, kinds: [.person, .organization]) { d.append(e) }
        }
        return d
    }
}

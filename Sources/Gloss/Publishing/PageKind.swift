/// What a rendered page shows, for outputs that describe pages to machines
/// (JSON-LD, feeds, sitemap).
public enum PageKind: Sendable {
    case home
    case article(AnnotatedArticle)
    case entity(EntitySource)
    case kindIndex(EntityKind)
    case claims
    case other
}

/// What a rendered page shows, for outputs that describe pages to machines
/// (JSON-LD, feeds, sitemap).
public enum PageKind: Sendable {
    case home
    case article(AnnotatedArticle)
    /// Boxed: every page carries its kind, and an unboxed entity (some 250
    /// bytes) made every page of the list that large.
    indirect case entity(EntitySource)
    case kindIndex(EntityKind)
    case claims
    case other
}

/// JSON-LD for one page, as a single `@graph` (schema.org).
enum StructuredData {
    /// The script body, already safe to place inside `<script type="application/ld+json">`.
    static func json(for page: PageKind, graph: SiteGraph, urls: SiteURLs) -> String? {
        nil
    }
}

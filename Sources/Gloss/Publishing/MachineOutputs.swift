/// Files for machines rather than readers: feeds, sitemap, robots.txt and
/// the JSON exports of the archive.
struct MachineOutputs {
    let graph: SiteGraph
    let urls: SiteURLs
    /// Output paths of HTML pages beyond those the graph describes (tag or
    /// archive pages, say), for the sitemap. Optional: the sitemap always
    /// lists the home page, articles, entities, their indexes and the claims.
    var pages: [String] = []

    var address: SiteAddress { SiteAddress(config: graph.config, urls: urls) }

    func feeds() -> SiteFeeds { SiteFeeds(graph: graph, address: address) }
    func sitemap(reusing previous: Sitemap.Built? = nil, keepPublished: (String) -> Bool = { _ in false }) -> Sitemap.Built {
        Sitemap(graph: graph, address: address, extraPages: pages).files(reusing: previous, keepPublished: keepPublished)
    }
    func data() -> JSONExport { JSONExport(graph: graph, address: address) }
}

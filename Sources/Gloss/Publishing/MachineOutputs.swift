/// Files for machines rather than readers: feeds, sitemap, robots.txt and
/// the JSON exports of the archive.
struct MachineOutputs {
    let graph: SiteGraph
    let urls: SiteURLs
    /// Output paths of HTML pages beyond those the graph describes (tag or
    /// archive pages, say), for the sitemap. Optional: the sitemap always
    /// lists the home page, articles, entities, their indexes and the claims.
    var pages: [String] = []

    func files() -> [OutputFile] {
        let address = SiteAddress(config: graph.config, urls: urls)
        return SiteFeeds(graph: graph, address: address).files()
            + Sitemap(graph: graph, address: address, extraPages: pages).files()
            + JSONExport(graph: graph, address: address).files()
    }
}

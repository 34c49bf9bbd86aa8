/// Files for machines rather than readers: feeds, sitemap, robots.txt and
/// the JSON exports of the archive.
struct MachineOutputs {
    let graph: SiteGraph
    let urls: SiteURLs

    func files() -> [OutputFile] {
        []
    }
}

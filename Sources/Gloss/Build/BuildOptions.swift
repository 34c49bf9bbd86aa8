import Foundation

public struct BuildOptions: Sendable {
    /// The site folder (holding site.yml).
    public var source: URL
    /// Where the site is written; defaults to `<source>/public`.
    public var output: URL
    /// Overrides `base_url` of site.yml.
    public var baseURL: String?
    public var includeDrafts: Bool
    /// Whether `build()` starts from the last build's `PersistentCache` and
    /// saves one for the next. Off: everything is made again, and no cache
    /// file is left beside the output.
    public var useCache: Bool
    /// Told each stage and, for the long ones, done/total (for a progress line).
    public var progress: (any BuildProgress)?
    /// The process exits once `build()` returns (`gloss build`): what the
    /// build held is then left for the system to take back all at once,
    /// not freed object by object, which took half a second of a one-change
    /// build at 10,000 articles (as clang's `-disable-free` does).
    public var exitsAfterBuild = false

    public init(source: URL, output: URL? = nil, baseURL: String? = nil, includeDrafts: Bool = false,
                useCache: Bool = true, progress: (any BuildProgress)? = nil) {
        self.source = source.standardizedFileURL
        self.output = (output ?? source.appendingPathComponent("public")).standardizedFileURL
        self.baseURL = baseURL
        self.includeDrafts = includeDrafts
        self.useCache = useCache
        self.progress = progress
    }
}

/// What a build did: the numbers for the summary line and every diagnostic.
public struct BuildReport: Sendable {
    public var diagnostics = Diagnostics()
    public var pages = 0
    public var articles = 0
    public var entities = 0
    public var claims = 0
    public var seconds: Double = 0
    /// How much work this build redid (the rest came from the cache).
    public var annotatedArticles = 0
    public var renderedPages = 0
    /// The site graph was the last build's with the edited articles swapped
    /// in (`SiteGraph.patched`, `SiteGraph.Shape`), not built anew.
    public var graphKept = false
    /// Named stages with their wall time, in order, and the process's
    /// resident memory when each ended (nil where the OS does not say).
    /// After a small change, feeds, sitemap, data exports and search index
    /// run two at a time: their times overlap.
    public var stages: [(name: String, seconds: Double, residentBytes: Int?)] = []
    /// The most memory the process had held when the build ended, when the OS says.
    public var peakResidentBytes: Int?

    public var succeeded: Bool { !diagnostics.hasErrors }

    public var summary: String {
        func count(_ n: Int, _ noun: String, _ plural: String? = nil) -> String {
            "\(n) \(n == 1 ? noun : plural ?? noun + "s")"
        }
        let warnings = count(diagnostics.warnings.count, "warning")
        let time = String(format: "%.0f ms", seconds * 1000)
        if !succeeded {
            return "build failed: \(count(diagnostics.errors.count, "error")), \(warnings); output left unchanged (\(time))"
        }
        return "built \(count(pages, "page")): \(count(articles, "article")), \(count(entities, "entity", "entities")), "
            + "\(count(claims, "claim")), \(warnings) in \(time)"
    }
}

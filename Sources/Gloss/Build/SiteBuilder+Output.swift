import Foundation

/// Where a build's site and cache go: saving the cache for the next build,
/// the spill file, and the output folders a build refuses.
extension SiteBuilder {
    /// The cache of a build whose files were published, with the static
    /// files laid over them: a page a static file replaces is not what its
    /// key says is published, nor is a feed, an export file or a search shard.
    static func published(_ generated: Generated) -> BuildCache {
        var next = generated.cache
        let statics = generated.staticFolders.flatMap { StaticFiles.list($0).map(\.relative) }
        for path in statics { next.pages.pages[path] = nil; next.feeds[path] = nil; next.data["#" + path] = nil }
        if let sitemap = next.sitemap, sitemap.paths.contains(where: Set(statics).contains) { next.sitemap = nil }
        if statics.contains(where: { $0.hasPrefix("search/") }) { next.search.output = SearchIndex.Output() }
        next.published = Array(Set(next.pages.pages.keys).union(generated.streamed).union(statics))
        return next
    }

    /// What a build held, kept until the process exits (`exitsAfterBuild`).
    final class Leftovers: Sendable {
        let values: [any Sendable]
        init(values: [any Sendable]) { self.values = values }
    }

    /// After the swap, so that its page keys describe the published folder.
    /// A cache that cannot be written costs the next build time, not its
    /// correctness: a warning, not an error.
    func saveCache(_ cache: BuildCache, into report: inout BuildReport, _ clock: Stopwatch, pack: TextSpill?) {
        guard options.useCache else { return PersistentCache.remove(for: options.output, withTexts: true) }
        guard let pack else {
            // Another process holds the pack (or there is no gloss executable to name the cache by).
            PersistentCache.remove(for: options.output)
            if PersistentCache.toolIdentity != nil {
                report.diagnostics.warning("cannot use the build cache beside \(options.output.path) (another gloss build "
                                           + "holds it, or it cannot be opened); this build's work is not kept for the next one", at: nil)
            }
            return
        }
        do {
            try clock.step("save cache", into: &report) { try PersistentCache.save(cache, for: options.output, pack: pack) }
            // A new pack is made of the texts read back from the old one.
            if let failure = pack.failure {
                PersistentCache.remove(for: options.output)
                report.diagnostics.warning("cannot save the build cache: \(failure); the next build starts from nothing", at: nil)
            }
        } catch {
            report.diagnostics.warning("cannot save the build cache: \(error); the next build starts from nothing", at: nil)
        }
    }

    /// A file of its own beside the output, for a build without the cache's
    /// text pack. The build makes the output's folder anyway, so it makes
    /// the parent now: without it, a --no-cache build into a new path held
    /// every article's HTML in memory (622 MB instead of 150 at 10,000
    /// articles).
    func textSpill() -> TextSpill? {
        try? FileManager.default.createDirectory(at: options.output.deletingLastPathComponent(), withIntermediateDirectories: true)
        return TextSpill(beside: options.output)
    }

    /// The output folder is replaced wholesale, so it must never be the site
    /// itself or hold or sit inside its sources.
    func outputProblem() -> String? {
        let out = options.output.path, src = options.source.path
        if out == src || src.hasPrefix(out + "/") {
            return "output folder \(out) would contain the site's sources; choose another --output"
        }
        for folder in ["content", "templates", "static"] {
            let protected = options.source.appendingPathComponent(folder).path
            if out == protected || out.hasPrefix(protected + "/") {
                return "output folder \(out) is inside the site's \(folder)/ folder; choose another --output"
            }
        }
        return nil
    }
}

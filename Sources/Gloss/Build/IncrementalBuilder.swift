import Foundation

/// A site kept in memory between builds, for the preview server: each
/// `build()` returns the complete site (static files included) and which
/// output paths changed since the last good build. After a failed build the
/// last good site is still available in `files`.
public final class IncrementalBuilder {
    public struct Result: Sendable {
        public let report: BuildReport
        /// Output paths whose bytes differ from the previous good build
        /// (added, changed or removed). Empty when the build failed.
        public let changedPaths: Set<String>
    }

    public let options: BuildOptions
    /// The last good site, by output path (`articles/x/index.html`).
    public private(set) var files: [String: Data] = [:]
    /// The files the last good build generated (before the site's static
    /// files are laid over them): what `cache` describes.
    private var generatedFiles: [String: Data] = [:]
    private var cache = BuildCache()

    public init(options: BuildOptions) {
        self.options = options
    }

    /// Rebuilds the site. `changed` names every source path (relative to the
    /// site folder) changed, made or removed since the last build, or is nil
    /// when that is not known: content files it does not name are then
    /// taken as the last build read them, unlooked-at.
    public func build(changed: Set<String>? = nil) -> Result {
        let generated = SiteBuilder(options: options).generate(reusing: cache, held: generatedFiles, changed: changed)
        // What the new site replaces is freed on another core: after a save
        // at 10,000 articles, freeing the old cache's tables was a twentieth
        // of the wait on this one. A failed build still refreshes the cache:
        // fixing one file later should not redo the work already done for
        // the others.
        let replaced = Handoff((cache, generatedFiles, files))
        defer { replaced.dropInBackground() }
        cache = generated.cache
        let report = generated.report
        guard report.succeeded else { return Result(report: report, changedPaths: []) }
        var next: [String: Data] = [:]
        next.reserveCapacity(files.count)
        for file in generated.files { next[file.path] = file.contents }
        generatedFiles = next
        // As on disk, the site's own static files win over generated ones.
        for folder in generated.staticFolders { StaticFiles.read(folder, into: &next) }
        var changedPaths = Set<String>()
        var kept = 0
        for (path, contents) in next {
            guard let old = files[path] else { changedPaths.insert(path); continue }
            kept += 1
            if !Self.same(old, contents) { changedPaths.insert(path) }
        }
        // Every old path is among the new ones unless fewer were found.
        if kept < files.count { changedPaths.formUnion(files.keys.filter { next[$0] == nil }) }
        files = next
        return Result(report: report, changedPaths: changedPaths)
    }

    /// Equal bytes. A file reused from the last build shares its buffer, so
    /// comparing where the bytes are spares reading hundreds of megabytes.
    private static func same(_ old: Data?, _ new: Data) -> Bool {
        guard let old, old.count == new.count else { return false }
        let shared = old.withUnsafeBytes { a in new.withUnsafeBytes { b in a.baseAddress == b.baseAddress } }
        return shared || old == new
    }
}

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
    /// The same files in the order the build listed them, if no two had
    /// one path; and the static files laid over them.
    private var generatedList: [OutputFile]?
    private var statics: [String: Data] = [:]
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
        // What the new build replaces is freed on another core: after a save
        // at 10,000 articles, freeing the old cache's tables was a twentieth
        // of the wait on this one. A failed build still refreshes the cache:
        // fixing one file later should not redo the work already done for
        // the others.
        let replaced = Handoff(cache)
        defer { replaced.dropInBackground() }
        cache = generated.cache
        let report = generated.report
        guard report.succeeded else { return Result(report: report, changedPaths: []) }
        // As on disk, the site's own static files win over generated ones.
        var statics: [String: Data] = [:]
        for folder in generated.staticFolders { StaticFiles.read(folder, into: &statics) }
        if let list = generatedList, statics == self.statics, Self.samePaths(list, generated.files) {
            return Result(report: report, changedPaths: patch(from: list, to: generated.files))
        }
        return Result(report: report, changedPaths: replaceAll(generated.files, statics: statics))
    }

    /// The same pages and files as last time: only those whose bytes
    /// changed are put in the tables, which are changed in place. Making
    /// them anew, 17,000 paths hashed twice, was a tenth of a preview's
    /// rebuild at 10,000 articles.
    private func patch(from old: [OutputFile], to new: [OutputFile]) -> Set<String> {
        var changedPaths = Set<String>()
        for index in new.indices where !Self.same(old[index].contents, new[index].contents) {
            let file = new[index]
            generatedFiles[file.path] = file.contents
            guard statics[file.path] == nil else { continue }
            files[file.path] = file.contents
            changedPaths.insert(file.path)
        }
        generatedList = new
        return changedPaths
    }

    private func replaceAll(_ generated: [OutputFile], statics: [String: Data]) -> Set<String> {
        var next: [String: Data] = [:]
        next.reserveCapacity(files.count)
        for file in generated { next[file.path] = file.contents }
        // Two files for one path: the later wins, as here. The list is then
        // not kept, since patching it could not tell which one wins.
        generatedList = next.count == generated.count ? generated : nil
        let replaced = Handoff((generatedFiles, files))
        defer { replaced.dropInBackground() }
        generatedFiles = next
        self.statics = statics
        next.merge(statics) { _, file in file }
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
        return changedPaths
    }

    /// The same paths in the same order: a page made from the same sources
    /// is listed where it was.
    private static func samePaths(_ old: [OutputFile], _ new: [OutputFile]) -> Bool {
        // Read in place: a pair of elements copied was four retains.
        old.count == new.count && old.withUnsafeBufferPointer { old in
            new.withUnsafeBufferPointer { new in old.indices.allSatisfy { old[$0].path == new[$0].path } }
        }
    }

    /// Equal bytes. A file reused from the last build shares its buffer, so
    /// comparing where the bytes are spares reading hundreds of megabytes.
    private static func same(_ old: Data?, _ new: Data) -> Bool {
        guard let old, old.count == new.count else { return false }
        let shared = old.withUnsafeBytes { a in new.withUnsafeBytes { b in a.baseAddress == b.baseAddress } }
        return shared || old == new
    }
}

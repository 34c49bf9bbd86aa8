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
    /// one path (`patch`).
    private var generatedList: [OutputFile]?
    /// The site's static files, laid over the generated ones in `files`.
    private var statics: [String: Data] = [:]
    private var cache = BuildCache()
    /// Whether the last good build patched the tables (for tests).
    private(set) var patchedTables = false

    public init(options: BuildOptions) {
        self.options = options
    }

    /// Rebuilds the site. `changed` names every source path (relative to the
    /// site folder) changed, made or removed since the last build, or is nil
    /// when that is not known: content files it does not name are then
    /// taken as the last build read them, unlooked-at.
    public func build(changed: Set<String>? = nil) -> Result {
        let generated = SiteBuilder(options: options).generate(reusing: cache, held: generatedFiles, changed: changed)
        let served = DispatchTime.now()
        // What the new build replaces is freed on another core: after a save
        // at 10,000 articles, freeing the old cache's tables was a twentieth
        // of the wait on this one. A failed build still refreshes the cache:
        // fixing one file later should not redo the work already done for
        // the others.
        let replaced = Handoff(cache)
        defer { replaced.dropInBackground() }
        cache = generated.cache
        var report = generated.report
        guard report.succeeded else { return Result(report: report, changedPaths: []) }
        // As on disk, the site's own static files win over generated ones.
        var statics: [String: Data] = [:]
        for folder in generated.staticFolders { StaticFiles.read(folder, into: &statics) }
        patchedTables = false
        let changedPaths: Set<String>
        if let list = generatedList, statics == self.statics, let moved = Self.moved(list, generated.files) {
            patchedTables = true
            changedPaths = patch(from: list, to: generated.files, moved: moved)
        } else {
            changedPaths = replaceAll(generated.files, statics: statics)
        }
        // Part of the time a writer waits for, and of the time reported.
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - served.uptimeNanoseconds) / 1e9
        report.stages.append((Self.servedStage, seconds, ResidentMemory.current))
        report.seconds += seconds
        return Result(report: report, changedPaths: changedPaths)
    }

    /// The stage after the build: the site's static files read again, and
    /// the served site's tables updated.
    static let servedStage = "update the served site"

    /// The same files as last time: only those whose bytes changed are put
    /// in the tables, which are changed in place. Making them anew, 17,000
    /// paths hashed twice, was a tenth of a preview's rebuild at 10,000
    /// articles. A file at the place it had in the list is compared with
    /// the one there; one that `moved` (places in increasing order) is looked up.
    private func patch(from old: [OutputFile], to new: [OutputFile], moved: [Int]) -> Set<String> {
        var changedPaths = Set<String>()
        var nextMoved = moved.startIndex
        for index in new.indices {
            let file = new[index]
            let isMoved = nextMoved < moved.endIndex && moved[nextMoved] == index
            if isMoved { nextMoved += 1 }
            // A moved file's path is among the old ones (`moved` checks);
            // one that were not would count as changed, never crash here.
            let before = isMoved ? generatedFiles[file.path] ?? Data() : old[index].contents
            if Self.sameBuffer(before, file.contents) { continue }
            // Equal bytes in a new buffer: kept too, so that the old one is
            // freed and the next comparison is of where the bytes are.
            let changed = before != file.contents
            generatedFiles[file.path] = file.contents
            guard statics[file.path] == nil else { continue }
            files[file.path] = file.contents
            if changed { changedPaths.insert(file.path) }
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

    /// Where `new` names another path than `old` at the same place, if the
    /// two name the same paths, each once. Pages are listed in the same
    /// order as long as the articles and entities are the same; feeds and
    /// search shards made again come after those reused, so their order
    /// follows what an edit changed. (`old` names each path once: it is
    /// kept only then.)
    static func moved(_ old: [OutputFile], _ new: [OutputFile]) -> [Int]? {
        guard old.count == new.count else { return nil }
        // Read in place: a pair of elements copied was four retains.
        let moved = old.withUnsafeBufferPointer { old in
            new.withUnsafeBufferPointer { new in old.indices.filter { old[$0].path != new[$0].path } }
        }
        guard !moved.isEmpty else { return [] }
        // The paths at the other places are the same ones, so the lists
        // name the same paths if those at these places are too.
        let before = Set(moved.map { old[$0].path })
        var after = Set<String>()
        after.reserveCapacity(moved.count)
        for index in moved {
            guard before.contains(new[index].path), after.insert(new[index].path).inserted else { return nil }
        }
        return moved
    }

    /// Equal bytes. A file reused from the last build shares its buffer, so
    /// comparing where the bytes are spares reading hundreds of megabytes.
    private static func same(_ old: Data?, _ new: Data) -> Bool {
        guard let old, old.count == new.count else { return false }
        return sameBuffer(old, new) || old == new
    }

    private static func sameBuffer(_ old: Data, _ new: Data) -> Bool {
        old.count == new.count && old.withUnsafeBytes { a in new.withUnsafeBytes { b in a.baseAddress == b.baseAddress } }
    }
}

import Foundation

/// The files made for machines rather than readers: feeds, the sitemap,
/// the data exports and the search index.
extension SiteBuilder {
    /// What they read, all made before them.
    struct MachineInputs: Sendable {
        let machine: MachineOutputs
        let graph: SiteGraph
        let inputs: PageInputs
        let versions: SourceVersions
        let urls: SiteURLs
        let environment: Int
        let spill: TextSpill?
        let sink: (any PageSink)?
        /// Whether the output folder is as the cache describes it: a file the
        /// cache says is unchanged then stays as published.
        let keepsPublished: Bool
        /// Without a sink: the files in memory the cache describes. A file the
        /// cache says is unchanged is then that file, its bytes shared.
        var held: [String: Data] = [:]
    }

    /// What they made: each one's cache for the next build, the files held
    /// in memory (without a sink), and the paths streamed to the sink or kept.
    struct MachineMade: Sendable {
        var feeds: ReuseCache<StoredText> = [:]
        var sitemap: Sitemap.Built?
        var data: ReuseCache<StoredText> = [:]
        var search = SearchIndex.Cache()
        var files: [OutputFile] = []
        var streamed: [String] = []
        var stages: [(name: String, seconds: Double, residentBytes: Int?)] = []
    }

    /// Each of the four reads the graph and writes files of its own. After
    /// a small change most of their work is reused and little of it runs on
    /// all cores, so with `sideBySide` they run on two threads: the search
    /// index on another, the rest on this one (in a preview's rebuild at
    /// 10,000 articles, 52 ms of work against 45 ms; with the sitemap beside
    /// the search index, that thread took 62 ms and this one waited).
    /// A build that makes everything runs them one after another, each on
    /// all cores, which keeps its memory to what one of them holds. Their
    /// stage times then overlap, and a progress line names either.
    func machineOutputs(_ given: MachineInputs, reusing cache: BuildCache, sideBySide: Bool,
                        clock: Stopwatch) -> MachineMade {
        let options = options
        let feeds = Collector(given), sitemap = Collector(given), data = Collector(given), search = Collector(given)
        @Sendable func makeFeeds() {
            feeds.run("feeds", clock) {
                feeds.made.feeds = given.machine.feeds().files(
                    inputs: given.inputs, environment: given.environment, reusing: cache.feeds, spill: given.spill,
                    keepPublished: feeds.keep, emit: feeds.emit)
            }
        }
        @Sendable func makeSitemap() {
            sitemap.run("sitemap", clock) {
                let made = given.machine.sitemap(reusing: cache.sitemap, keepPublished: sitemap.keep)
                sitemap.emit(made.files)
                sitemap.made.sitemap = made
            }
        }
        @Sendable func makeData() {
            data.run("data exports", clock) {
                data.made.data = given.machine.data().files(
                    inputs: given.inputs, environment: given.environment, reusing: cache.data, spill: given.spill,
                    keepPublished: data.keep, emit: data.emit)
            }
        }
        @Sendable func makeSearch() {
            search.run("search index", clock) {
                // Unchanged shards stay as published (`keep` notes them as
                // streamed); a build without a cache keeps nothing. The index
                // is told whether there is a published folder at all.
                let keep: ((String) -> Bool)? = given.keepsPublished && given.sink != nil ? { search.keep($0) } : nil
                let made = SearchIndex(graph: given.graph, urls: given.urls).files(
                    versions: given.versions, environment: given.environment, reusing: cache.search,
                    keep: options.useCache || given.sink == nil, spill: given.spill,
                    keepPublished: keep, emit: search.emit)
                search.emit(made.files)
                search.made.search = made.cache
            }
        }
        if sideBySide {
            let side = Background { makeSearch() }
            makeFeeds()
            makeSitemap()
            makeData()
            _ = side.value
        } else {
            makeFeeds()
            makeSitemap()
            makeData()
            makeSearch()
        }
        // Put together in one order, whichever ran first.
        var made = MachineMade(feeds: feeds.made.feeds, sitemap: sitemap.made.sitemap, data: data.made.data,
                               search: search.made.search)
        for part in [feeds, sitemap, data, search] {
            made.files += part.made.files
            made.streamed += part.made.streamed
            made.stages += part.made.stages
        }
        return made
    }

    /// Where one thread's outputs go: to the sink as they are made, or held.
    private final class Collector: @unchecked Sendable {  // used by one thread at a time
        private let given: MachineInputs
        var made = MachineMade()

        init(_ given: MachineInputs) { self.given = given }

        /// Runs one named stage, timing it.
        func run(_ name: String, _ clock: Stopwatch, _ body: () -> Void) {
            // Timed apart: `body` changes `made` meanwhile.
            var stages: [(name: String, seconds: Double, residentBytes: Int?)] = []
            clock.step(name, into: &stages, body)
            made.stages += stages
        }

        func emit(_ files: [OutputFile]) {
            guard let sink = given.sink else { return made.files += files }
            sink.add(files)
            made.streamed += files.map(\.path)
        }

        /// Written a piece at a time where there is a sink: never held whole.
        func emit(_ file: StreamedFile) {
            guard let sink = given.sink else { return made.files.append(file.file) }
            sink.add(file)
            made.streamed.append(file.path)
        }

        func keep(_ path: String) -> Bool {
            guard let sink = given.sink else {
                guard let held = given.held[path] else { return false }
                made.files.append(OutputFile(path: path, contents: held))
                return true
            }
            guard given.keepsPublished, sink.keepPublished(path) else { return false }
            made.streamed.append(path)
            return true
        }
    }
}

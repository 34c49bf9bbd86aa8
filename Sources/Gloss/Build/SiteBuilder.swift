import Foundation

/// Runs the pipeline as a list of named steps:
/// load content → load templates → check references → annotate articles →
/// build the site graph → render pages → write output.
public struct SiteBuilder: Sendable {
    public let options: BuildOptions

    public init(options: BuildOptions) { self.options = options }

    /// The site as files in memory, with the report. Files are empty when
    /// the build has errors.
    public func generate() -> (files: [OutputFile], staticFolders: [URL], report: BuildReport) {
        let result = generate(reusing: BuildCache())
        return (result.files, result.staticFolders, result.report)
    }

    public struct Generated: Sendable {
        public let files: [OutputFile]
        public let staticFolders: [URL]
        public let report: BuildReport
        /// What the next build may reuse.
        public let cache: BuildCache
        /// Paths of the files handed to the page sink as they were made,
        /// besides the pages; they are not among `files`.
        let streamed: [String]
        /// What the build made on the way (the page inputs), kept with the
        /// result: a `gloss build` exits without freeing them one by one.
        var held: [any Sendable] = []
    }

    /// Generates the site, redoing only the work whose inputs changed since
    /// the build that produced `cache`.
    ///
    /// With a `sink`, pages are written there as they are rendered and are
    /// not among the returned files: memory holds no page of a clean build.
    ///
    /// With a `spill`, new articles' HTML and text are kept there, not in
    /// memory, until their page and the search index read them.
    ///
    /// `held`: without a sink, the files of the build that made `cache`
    /// (the preview server's site in memory). A feed, sitemap or data export
    /// the cache says is unchanged is then that file again, not made anew.
    ///
    /// `changed`: the source files changed since the build that made
    /// `cache`, if known (`ContentLoader.load(reusing:changed:)`).
    func generate(reusing cache: BuildCache, streamingPagesTo sink: (any PageSink)? = nil, spill: TextSpill? = nil,
                  held heldFiles: [String: Data] = [:], changed: Set<String>? = nil) -> Generated {
        var report = BuildReport()
        // Starts as the old cache: a build that stops early keeps what it did not redo.
        var next = cache
        let clock = Stopwatch(progress: options.progress)
        var held: [any Sendable] = []
        func finish(_ files: [OutputFile] = [], _ folders: [URL] = [], _ streamed: [String] = []) -> Generated {
            report.seconds = clock.total
            // The page keys stay the last good build's, but the annotations
            // may be this one's: the entity keys, carried by what changed
            // since the annotations (`CarriedEntityKeys`), are not kept.
            if !report.succeeded { next.pages.entityKeys = [:] }
            return Generated(files: files, staticFolders: folders, report: report, cache: next, streamed: streamed, held: held)
        }

        let loaded = clock.step("load content", into: &report) {
            ContentLoader(root: options.source, includeDrafts: options.includeDrafts, spill: spill).load(reusing: cache.sources, changed: changed)
        }
        report.diagnostics.append(contentsOf: loaded.1)
        next.sources = loaded.2
        guard var sources = loaded.0 else { return finish() }
        if let base = options.baseURL { sources.config.baseURL = base }
        // Every file's version by slug and id, on another core meanwhile: a
        // rebuild after a save waited some 10 ms for it on this one.
        let loadedSources = sources
        let versionsJob = Background { SourceVersions(loadedSources) }

        let (templates, templateDiagnostics) = clock.step("load templates", into: &report) {
            TemplateSet.load(siteTemplates: sources.templatesDirectory)
        }
        report.diagnostics.append(contentsOf: templateDiagnostics)

        let registry = EntityRegistry(sources.entities, reusing: cache.lastGraph?.registry)
        let environment = templates.map { BuildCache.environment(sources.config, registry, $0) }
        let reuse = environment != nil && cache.environment == environment
        // Made on first use, and kept while the environment is the same: a
        // rebuild after an edit annotates one article, and making the name
        // matcher and every entity's mention markup costs more than that.
        // When an article or entity changed, it is started on another core
        // while references are checked.
        let config = sources.config, stamps = sources.stamps, articles = sources.articles
        let kept = reuse ? cache.annotator : nil
        // What the last build made from a file as it is now, in the same environment.
        @Sendable func reusedAnnotation(_ path: String) -> BuildCache.Annotation? {
            guard reuse, let hit = cache.annotations[path], hit.stamp == stamps[path] else { return nil }
            return hit
        }
        @Sendable func reusedDescription(_ path: String) -> String? {
            guard reuse, let hit = cache.descriptions[path], hit.stamp == stamps[path] else { return nil }
            return hit.html
        }
        let reused = articles.parallelMap { reusedAnnotation($0.path) }  // once: each hashes the path twice
        let articlesToAnnotate = reused.count { $0 == nil }
        let toAnnotate = articlesToAnnotate + registry.entities.values.count { reusedDescription($0.path) == nil }
        let changed = toAnnotate > 0
        let annotator = templates.map { templates in
            Lazy { kept ?? Annotator(registry: registry, config: config, hooks: templates.annotationHooks(), forMany: toAnnotate > 64) }
        }
        if changed, kept == nil { annotator?.prefetch() }
        // An article whose annotation is reused is not checked again: what
        // its references gave is among that annotation's diagnostics (below).
        let checked = clock.step("check references", into: &report) {
            SiteChecks.validate(sources, registry: registry, known: reused.map { $0 != nil })
        }
        report.diagnostics.append(contentsOf: checked.site)
        for own in checked.articles { report.diagnostics.append(contentsOf: own ?? []) }
        guard let templates, let environment, let annotator else { return finish() }

        next.environment = environment
        // The graph's shape describes the annotations it was made from: it
        // goes with them, and comes back only with a graph made from the new ones.
        next.graph.shapeRecord = nil
        next.descriptions = [:]
        let urls = SiteURLs(basePath: sources.config.basePath)
        let annotated = clock.step("annotate articles", into: &report) {
            Array(articles.indices).parallelMap(progress: clock.counter) { index -> (AnnotatedArticle, [Diagnostic]) in
                if let hit = reused[index] { return hit.result }
                let (annotated, found) = annotator.value.annotate(articles[index])
                return (annotated.spilled(into: spill), found)
            }
        }
        report.annotatedArticles = articlesToAnnotate
        for (_, found) in annotated { report.diagnostics.append(contentsOf: found) }
        next.annotations = BuildCache.annotations(annotated, references: checked.articles, stamps: stamps, after: cache.annotations)
        let entityHTML = clock.step("render entity descriptions", into: &report) {
            // The registry holds one entity per id (duplicates are errors above).
            Dictionary(uniqueKeysWithValues: Array(registry.entities.values).parallelMap { entity in
                if let html = reusedDescription(entity.path) { return (entity.id, html) }
                return (entity.id, annotator.value.describe(entity))
            })
        }
        for entity in registry.entities.values {
            if let stamp = stamps[entity.path], let html = entityHTML[entity.id] { next.descriptions[entity.path] = (stamp, html) }
        }
        next.annotator = annotator.made ?? (reuse ? cache.annotator : nil)
        guard !report.diagnostics.hasErrors else { return finish() }

        let (graph, graphKept) = clock.step("build site graph", into: &report) {
            Self.siteGraph(config: sources.config, registry: registry, articles: annotated.map(\.0),
                           reusing: reuse ? cache : nil) { reusedAnnotation($0) != nil }
        }
        report.graphKept = graphKept
        next.graph = graph.cache
        // Only a site kept in memory keeps its graph: a `gloss build` saves
        // its cache and ends, and at 100,000 articles the graph's indexes
        // would be held through the save. It saves the graph's shape, made
        // last (below), when pages and machine files no longer take memory.
        next.lastGraph = sink == nil ? graph : nil
        let assets = templates.assets()
        let versions = versionsJob.value
        let (inputs, unchanged) = clock.step("hash page inputs", into: &report) {
            let unchanged = reuse ? UnchangedInputs(pages: cache.pages, versions: versions) : nil
            let carried = unchanged.map { _ in
                CarriedEntityKeys(keys: cache.pages.entityKeys, structures: cache.pages.structures,
                                  changed: Self.changedArticles(annotated.map(\.0), reused: reused, previous: cache.annotations))
            }
            let inputs = PageInputs(graph: graph, versions: versions, carrying: carried)
            return (inputs, unchanged?.comparing(structures: inputs.backlinkStructure))
        }
        held.append(inputs)
        let renderer = PageRenderer(graph: graph, templates: templates, entityHTML: entityHTML,
                                    inputs: inputs, environment: environment, reusing: cache.entityTables)
        next.entityTables = sink == nil ? renderer.entityTables : nil
        let rendered = clock.step("render pages", into: &report) {
            renderer.render(assets: assets.mapValues(\.path), reusing: cache.pages, unchanged: unchanged,
                            progress: clock.counter, sink: sink)
        }
        next.pages = rendered.cache
        next.pages.versions = versions
        report.renderedPages = rendered.rendered
        report.pages = rendered.files.count
        report.articles = graph.articles.count
        report.entities = registry.entities.count
        report.claims = graph.claims.count
        let machine = MachineOutputs(graph: graph, urls: urls, pages: rendered.files.map(\.path))
        // A build that streams its pages hands these files over as they are
        // made too: the JSON exports alone were 64 MB at 10,000 articles.
        // Where the cache describes the output folder, a file it says is
        // unchanged stays as published.
        let given = MachineInputs(machine: machine, graph: graph, inputs: inputs, versions: versions, urls: urls,
                                  environment: environment, spill: spill, sink: sink, keepsPublished: cache.published != nil,
                                  held: sink == nil ? heldFiles : [:])
        let made = machineOutputs(given, reusing: cache, sideBySide: reuse && (cache.published != nil || !heldFiles.isEmpty),
                                  clock: clock)
        report.stages += made.stages
        next.feeds = made.feeds
        next.sitemap = made.sitemap
        next.data = made.data
        next.search = made.search
        let assetFiles = assets.values.sorted { $0.path < $1.path }
        sink?.add(assetFiles)
        let files = sink == nil ? rendered.files + made.files + assetFiles : []
        let streamed = made.streamed + (sink == nil ? [] : assetFiles.map(\.path))
        if sink != nil, options.useCache, next.graph.shapeRecord == nil { next.graph.shapeRecord = graph.shape.record }
        return finish(files, [sources.staticDirectory].compactMap { $0 }, streamed)
    }

    /// Builds and, if there were no errors, publishes the new site. A build
    /// that starts from the persistent cache of the build that wrote the
    /// output folder updates it in place (`SiteWriter.Update`); any other
    /// streams into a staging folder that is swapped in at the end.
    public func build() -> BuildReport {
        switch attempt(mayStartOver: true) {
        case .built(let report): return report
        case .cacheUnreadable(let reason):
            // The cache is of no use (its file was removed): the build starts
            // again from nothing, which costs time, not correctness.
            guard case .built(var report) = attempt(mayStartOver: false) else { fatalError("a second attempt always ends") }
            report.diagnostics.warning("cannot read back the build cache's texts (\(reason)); built without the cache", at: nil)
            return report
        }
    }

    private enum Attempt {
        case built(BuildReport)
        /// A text of the cache's pack could not be read back; nothing was published.
        case cacheUnreadable(String)
    }

    private func attempt(mayStartOver: Bool) -> Attempt {
        let clock = Stopwatch(progress: options.progress)
        var loading = BuildReport()
        var outputError = outputProblem()
        // Not one tuple: a binding that held the cache would keep it alive to the end.
        var cache: BuildCache, pack: TextSpill?
        (cache, pack) = clock.step("load cache", into: &loading) {
            options.useCache && outputError == nil ? PersistentCache.load(for: options.output) : (BuildCache(), nil)
        }
        // Pages stream to disk; articles' HTML and text wait on disk too: in
        // the cache's text pack, where the next build finds them, else in a
        // file of their own.
        let spill = outputError == nil ? pack ?? textSpill() : nil
        // Where the site can go, decided before any work: errors in content
        // are still found and reported with it.
        var target: (any SiteWriter.Target)?
        if outputError == nil {
            let output = options.output
            do {
                if let published = cache.published {
                    // The cache no longer describes the folder once it changes.
                    target = try SiteWriter.Update(output: output, previous: published) { PersistentCache.invalidate(for: output) }
                } else {
                    target = try SiteWriter.Staging(output: output)
                }
            } catch {
                outputError = "cannot write \(output.path): \(error)"
            }
        }
        let generated = generate(reusing: cache, streamingPagesTo: target, spill: spill)
        // What the new cache replaced (page keys, export items, the search
        // index's documents…) goes now, not after saving the new one: at
        // 100,000 articles it was some 120 MB of the build's peak. It is
        // freed on another core while this one publishes and saves (what the
        // new cache shares with it stays).
        let replaced = Handoff(cache)
        cache = BuildCache()
        replaced.dropInBackground()
        var report = generated.report
        report.stages.insert(contentsOf: loading.stages, at: 0)
        if let outputError { report.diagnostics.error(outputError, at: nil) }
        // Something was built from an empty text: nothing of it may be published.
        if let failure = spill?.failure {
            if pack != nil { PersistentCache.remove(for: options.output) }
            if pack != nil, mayStartOver {
                target?.discard()
                return .cacheUnreadable(failure)
            }
            let file = pack == nil ? "the build's temporary file beside \(options.output.path)"
                : "the build cache's texts \(PersistentCache.packLocation(for: options.output).path)"
            report.diagnostics.error("cannot read back \(file): \(failure)", at: nil)
        }
        if let target, !report.succeeded {
            target.discard()
        } else if let target {
            do {
                // Every file went to the target as it was made (`generated.files` is empty).
                try clock.step("write output", into: &report) { try target.publish(copying: generated.staticFolders) }
                saveCache(Self.published(generated), into: &report, clock, pack: pack)
            } catch {
                target.discard()
                report.diagnostics.error("cannot write \(options.output.path): \(error)", at: nil)
            }
        }
        report.seconds = clock.total  // generate's time is part of this clock's
        report.peakResidentBytes = ResidentMemory.peak
        if options.exitsAfterBuild { _ = Unmanaged.passRetained(Leftovers(values: [generated])) }
        return .built(report)
    }
}

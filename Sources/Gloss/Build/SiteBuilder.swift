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
        var report = BuildReport()
        let clock = Stopwatch()
        defer { report.seconds = clock.total }

        let loaded = clock.step("load content", into: &report) {
            ContentLoader(root: options.source, includeDrafts: options.includeDrafts).load()
        }
        report.diagnostics.append(contentsOf: loaded.1)
        guard var sources = loaded.0 else { return ([], [], report) }
        if let base = options.baseURL { sources.config.baseURL = base }

        let (templates, templateDiagnostics) = clock.step("load templates", into: &report) {
            TemplateSet.load(siteTemplates: sources.templatesDirectory, siteRoot: options.source)
        }
        report.diagnostics.append(contentsOf: templateDiagnostics)

        let registry = EntityRegistry(sources.entities)
        report.diagnostics.append(contentsOf: clock.step("check references", into: &report) {
            SiteChecks.validate(sources, registry: registry)
        })
        guard let templates else { return ([], [], report) }

        let urls = SiteURLs(basePath: sources.config.basePath)
        let annotator = Annotator(registry: registry, config: sources.config,
                                  hooks: templates.annotationHooks(urls: urls, registry: registry))
        let annotated = clock.step("annotate articles", into: &report) {
            sources.articles.parallelMap { annotator.annotate($0) }
        }
        for (_, found) in annotated { report.diagnostics.append(contentsOf: found) }
        let entityHTML = clock.step("render entity descriptions", into: &report) {
            // The registry holds one entity per id (duplicates are errors above).
            Dictionary(uniqueKeysWithValues: Array(registry.entities.values).parallelMap { entity in
                (entity.id, annotator.describe(entity))
            })
        }
        guard !report.diagnostics.hasErrors else { return ([], [], report) }

        let graph = clock.step("build site graph", into: &report) {
            SiteGraph(config: sources.config, registry: registry, articles: annotated.map(\.0))
        }
        let stylesheet = templates.stylesheet()
        let renderer = PageRenderer(graph: graph, templates: templates, entityHTML: entityHTML)
        var files = clock.step("render pages", into: &report) { renderer.render(stylesheet: stylesheet.path) }
        files.append(stylesheet)

        report.pages = files.count - 1
        report.articles = graph.articles.count
        report.entities = registry.entities.count
        report.claims = graph.claims.count
        return (files, [sources.staticDirectory].compactMap { $0 }, report)
    }

    /// Builds and, if there were no errors, swaps the new site into place.
    public func build() -> BuildReport {
        let clock = Stopwatch()
        var (files, folders, report) = generate()
        if report.succeeded {
            if let problem = outputProblem() {
                report.diagnostics.error(problem, at: nil)
            } else {
                do {
                    try clock.step("write output", into: &report) {
                        try SiteWriter(output: options.output).write(files, copying: folders)
                    }
                } catch {
                    report.diagnostics.error("cannot write \(options.output.path): \(error)", at: nil)
                }
            }
        }
        report.seconds += clock.total
        return report
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

/// Wall time per named step, for `--verbose` and benchmarks.
final class Stopwatch: Sendable {
    private let start = DispatchTime.now()

    var total: Double { Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9 }

    func step<T>(_ name: String, into report: inout BuildReport, _ body: () throws -> T) rethrows -> T {
        let begin = DispatchTime.now()
        let value = try body()
        report.stages.append((name, Double(DispatchTime.now().uptimeNanoseconds - begin.uptimeNanoseconds) / 1e9))
        return value
    }
}

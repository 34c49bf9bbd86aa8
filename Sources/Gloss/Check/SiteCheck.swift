import Foundation

/// `gloss check`: builds the site in memory (nothing is written) and
/// verifies the output. See `OutputChecker` for what is checked and what
/// an orphan is, and `SourceMap` for what the sources promise.
public struct SiteCheck: Sendable {
    public let options: BuildOptions

    public init(options: BuildOptions) { self.options = options }

    public func run() -> CheckReport {
        let clock = Stopwatch()
        let generated = SiteBuilder(options: options).generate(reusing: BuildCache())
        var report = CheckReport(build: generated.report)
        report.buildSeconds = clock.total
        if generated.report.succeeded, let sources = generated.sources(for: options) {
            let address = LinkResolver(basePath: sources.config.basePath, absoluteBase: sources.config.absoluteBase)
            let statics = Set(generated.staticFolders.flatMap(Self.files(in:)))
            report.merge(Self.check(generated.files, otherFiles: statics, address: address, sources: sources))
        }
        report.seconds = clock.total
        return report
    }

    /// Checks files already generated. `sources`, when given, tells each
    /// page's source file and what the output must hold for it.
    static func check(_ files: [OutputFile], otherFiles: Set<String> = [], address: LinkResolver,
                      sources: SiteSources? = nil) -> CheckReport {
        let map = SourceMap(sources)
        let output = OutputChecker(address: address, files: files, otherFiles: otherFiles).check()
        let paths = Set(files.map(\.path)).union(otherFiles)
        var problems = output.problems.map { problem in
            problem.source != nil ? problem : problem.with(source: map.source(of: problem.page, url: problem.url, address: address))
        }
        problems += map.expectations(files: paths, ids: { output.ids[$0] })
        var report = CheckReport(build: BuildReport())
        // By page and line; on one line, in the order found (document order).
        report.problems = problems.enumerated().sorted {
            ($0.element.page, $0.element.line ?? 0, $0.offset) < ($1.element.page, $1.element.line ?? 0, $1.offset)
        }.map(\.element)
        report.pages = output.pages
        report.references = output.references
        return report
    }

    /// Regular files under a static folder, relative to it, as SiteWriter copies them.
    static func files(in folder: URL) -> [String] {
        let base = folder.standardizedFileURL.path + "/"
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey],
                                                          options: [.skipsHiddenFiles]) else { return [] }
        var paths: [String] = []
        while let url = walker.nextObject() as? URL {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
            paths.append(String(url.standardizedFileURL.path.dropFirst(base.count)))
        }
        return paths
    }
}

/// What a check found: the build's own report (its diagnostics, when it
/// failed) and every problem in the output, sorted by page and line.
public struct CheckReport: Sendable {
    public var build: BuildReport
    public var problems: [CheckProblem] = []
    /// Pages checked (see `OutputChecker`) and URLs followed.
    public var pages = 0
    public var references = 0
    /// Wall time in all, and of the build alone.
    public var seconds: Double = 0
    public var buildSeconds: Double = 0

    public init(build: BuildReport) { self.build = build }

    public var succeeded: Bool { build.succeeded && problems.isEmpty }

    mutating func merge(_ other: CheckReport) {
        problems += other.problems
        pages += other.pages
        references += other.references
    }

    /// Problems found the same (kind and message) on three pages or more,
    /// most often, with their page counts: usually one mistake in a template.
    public var recurring: [(problem: String, pages: Int)] {
        var counts: [String: Int] = [:]
        for problem in problems { counts["\(problem.kind.rawValue): \(problem.message)", default: 0] += 1 }
        return counts.filter { $0.value >= 3 }.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { ($0.key, $0.value) }
    }

    public var summary: String {
        let time = String(format: "build %.0f ms, check %.0f ms", buildSeconds * 1000, (seconds - buildSeconds) * 1000)
        guard build.succeeded else {
            let errors = build.diagnostics.errors.count
            return "check failed: the build has \(errors) error\(errors == 1 ? "" : "s"); nothing checked"
        }
        let checked = "\(pages) page\(pages == 1 ? "" : "s"), \(references) URL\(references == 1 ? "" : "s")"
        if problems.isEmpty { return "check passed: \(checked), no problems (\(time))" }
        let pagesWithProblems = Set(problems.map(\.page)).count
        return "check failed: \(problems.count) problem\(problems.count == 1 ? "" : "s") on \(pagesWithProblems) "
            + "page\(pagesWithProblems == 1 ? "" : "s") (checked \(checked); \(time))"
    }
}

extension SiteBuilder.Generated {
    /// The sources this build read, from its cache (nothing is decoded
    /// again), with `--base-url` applied as the build applied it.
    func sources(for options: BuildOptions) -> SiteSources? {
        let loader = ContentLoader(root: options.source, includeDrafts: options.includeDrafts)
        guard var sources = loader.load(reusing: cache.sources).0 else { return nil }
        if let base = options.baseURL { sources.config.baseURL = base }
        return sources
    }
}

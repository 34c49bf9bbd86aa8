import ArgumentParser
import Foundation
import Gloss

struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build", abstract: "Build the site into the output folder (public/ by default).")

    @Option(help: "The site folder, holding site.yml and content/.")
    var source: String = "."

    @Option(help: "Where to write the site (default: <source>/public). Replaced only when the build succeeds.")
    var output: String?

    @Option(name: .customLong("base-url"), help: "Override base_url from site.yml, e.g. https://example.org/watch/.")
    var baseURL: String?

    @Flag(help: "Include articles marked draft: true.")
    var drafts = false

    @Flag(name: .customLong("no-cache"),
          help: "Make every page again instead of reusing the last build's work, and keep no cache file beside the output.")
    var noCache = false

    @Flag(help: "Print the time of each build step.")
    var verbose = false

    @Flag(help: "Print only warnings and errors: no progress line, no summary.")
    var quiet = false

    func run() throws {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let sourceURL = URL(fileURLWithPath: source, relativeTo: cwd)
        var options = BuildOptions(source: sourceURL, output: output.map { URL(fileURLWithPath: $0, relativeTo: cwd) },
                                   baseURL: baseURL, includeDrafts: drafts, useCache: !noCache)
        let progress = quiet ? nil : TerminalProgress.forStandardError()
        options.progress = progress
        options.exitsAfterBuild = true
        let report = SiteBuilder(options: options).build()
        progress?.clear()
        Console.print(report.diagnostics)
        if !quiet, verbose {
            Console.err("  annotated \(report.annotatedArticles) articles, rendered \(report.renderedPages) pages")
            for stage in report.stages {
                let name = stage.name.padding(toLength: 28, withPad: " ", startingAt: 0)
                let memory = stage.residentBytes.map { String(format: "%8.0f MB", Double($0) / 1_048_576) } ?? ""
                Console.err("  \(name)" + String(format: "%8.1f ms", stage.seconds * 1000) + memory)
            }
            if let peak = report.peakResidentBytes {
                Console.err("  peak memory" + String(repeating: " ", count: 28) + String(format: "%8.0f MB", Double(peak) / 1_048_576))
            }
        }
        if !quiet { print(report.summary) }
        if !report.succeeded { throw ExitCode.failure }
    }
}

enum Console {
    static func err(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// All diagnostics, sorted by file and line, on stderr.
    static func print(_ diagnostics: Diagnostics) {
        for diagnostic in diagnostics.sorted { err(diagnostic.description) }
    }
}

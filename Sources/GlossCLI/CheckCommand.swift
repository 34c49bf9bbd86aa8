import ArgumentParser
import Foundation
import Gloss

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Build the site in memory and verify the output: links, fragments, entity pages, claim anchors, orphans.",
        discussion: """
        Nothing is written. Every internal link and asset must name a file of the output and every #fragment an \
        element of its page; every entity an article or treaty refers to must have its page and every claim its \
        anchor; every page (an .html file other than 404.html) must be reachable by links from the home page. \
        Links to other sites are not followed. Prints one line per problem, `page (source): problem`, then a \
        summary; the exit code is non-zero when there is any problem or build error.
        """)

    @Option(help: "The site folder, holding site.yml and content/.")
    var source: String = "."

    @Option(name: .customLong("base-url"), help: "Override base_url from site.yml, e.g. https://example.org/watch/.")
    var baseURL: String?

    @Flag(help: "Include articles marked draft: true.")
    var drafts = false

    func run() throws {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let options = BuildOptions(source: URL(fileURLWithPath: source, relativeTo: cwd), baseURL: baseURL,
                                   includeDrafts: drafts)
        let report = SiteCheck(options: options).run()
        Console.print(report.build.diagnostics)
        for problem in report.problems { print(problem.description) }
        for (problem, pages) in report.recurring {
            print("note: \(problem) is on \(pages) pages; a template is the likely cause")
        }
        print(report.summary)
        if !report.succeeded { throw ExitCode.failure }
    }
}

import ArgumentParser
import Foundation
import Gloss

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render Markdown from stdin to HTML on stdout, as cmark-gfm with GFM extensions does.",
        discussion: """
        Without --site the output is byte-identical to `cmark-gfm -e table -e strikethrough -e autolink \
        -e tagfilter -e tasklist`, with footnotes on. With --site, the site's entities are recognised \
        and linked as in an article.
        """)

    @Option(help: "A site folder whose entities are linked in the output.")
    var site: String?

    @Flag(help: "Let raw HTML and javascript: links through (cmark-gfm --unsafe).")
    var unsafe = false

    func run() throws {
        let input = FileHandle.standardInput.readDataToEndOfFile()
        guard let site else {
            let document = CommonMarkDocument(bytes: input, options: .init(unsafe: unsafe))
            FileHandle.standardOutput.write(Data(document.renderHTMLBytes()))
            return
        }
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let (html, diagnostics) = SiteRenderer.render(markdown: input, site: URL(fileURLWithPath: site, relativeTo: cwd),
                                                      unsafe: unsafe)
        Console.print(diagnostics)
        if diagnostics.hasErrors { throw ExitCode.failure }
        FileHandle.standardOutput.write(Data(html.utf8))
    }
}

import ArgumentParser
import Foundation
import GlossServe
#if canImport(CJemallocOptions)
import CJemallocOptions
#endif

/// The `gloss-serve` executable, which `gloss serve` runs (see
/// `ServeLauncher` in GlossCLI): the preview server's HTTP stack stays out of
/// the `gloss` binary, whose every build would otherwise pay to load it.
@main
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gloss serve",
        abstract: "Preview the site: build it in memory, serve it, and rebuild and reload pages on every save.",
        discussion: "Nothing is written to disk. Build errors are printed here and shown over every open page.")

    @Option(help: "The site folder, holding site.yml and content/.")
    var source: String = "."

    @Option(help: "The address to listen on; 0.0.0.0 serves other machines too.")
    var host: String = "127.0.0.1"

    @Option(help: "The port to listen on; 0 picks a free one.")
    var port: UInt16 = 8080

    @Flag(help: "Include articles marked draft: true.")
    var drafts = false

    @Flag(help: "Open the site in the default browser.")
    var open = false

    @Flag(help: "Poll the files for changes instead of using inotify.")
    var poll = false

    @Flag(help: "Print the time of each build step.")
    var verbose = false

    func run() async throws {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let server = PreviewServer(PreviewConfiguration(
            source: URL(fileURLWithPath: source, relativeTo: cwd), host: host, port: port,
            includeDrafts: drafts, polling: poll, verbose: verbose, log: { Console.out($0) }))
        let url: URL
        do {
            url = try await server.start()
        } catch let error as PreviewError {
            Console.err("error: \(error)")
            throw ExitCode.failure
        }
        Console.out("Serving at \(url.absoluteString)  (Ctrl-C to stop)")
        // Before the flag below: a browser it starts would inherit it.
        if open { Browser.open(url) }
        #if canImport(CJemallocOptions)
        // The first build, a whole site, ran in huge pages (`CJemallocOptions`);
        // rebuilds were slower with them. A failure costs only speed.
        _ = gloss_small_pages_from_now_on()
        #endif
        await server.runUntilInterrupted()
        Console.out("Stopped.")
    }
}

enum Console {
    /// Unbuffered, so a script reading the URL sees it at once.
    static func out(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func err(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

enum Browser {
    static func open(_ url: URL) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        #if os(macOS)
        process.arguments = ["open", url.absoluteString]
        #else
        process.arguments = ["xdg-open", url.absoluteString]
        #endif
        do { try process.run() } catch { Console.err("cannot open a browser (\(error)); open \(url.absoluteString) yourself") }
    }
}

import ArgumentParser
import Foundation

/// Listed in `gloss --help`; `GlossCommand.main` hands `gloss serve …` to
/// `gloss-serve` before it gets here, except through `gloss help serve`.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Preview the site: build it in memory, serve it, and rebuild and reload pages on every save.",
        discussion: "Runs gloss-serve, installed beside gloss; `gloss serve --help` lists its options.")

    @Argument(parsing: .allUnrecognized, help: "Options for gloss-serve.")
    var options: [String] = []

    func run() throws { ServeLauncher.run(options) }
}

/// The preview server is its own executable: it links an HTTP stack
/// (FlyingFox, whose proxy handler imports FoundationNetworking and with it
/// libcurl and two dozen libraries) that every `gloss build` would otherwise
/// load before doing anything, about 11 ms of a cold start.
enum ServeLauncher {
    static let executableName = "gloss-serve"

    /// Replaces this process with `gloss-serve`, so that Ctrl-C, the exit
    /// status and the terminal are the server's. Returns only by exiting.
    static func run(_ arguments: [String]) -> Never {
        guard let path = locate() else {
            Console.err("""
                error: gloss serve needs the \(executableName) executable beside gloss or on PATH; \
                build it as gloss was built (`swift build`, with the same options) or copy it beside gloss
                """)
            exit(1)
        }
        let argv = ([executableName] + arguments).map { strdup($0) } + [nil]
        execv(path, argv)
        Console.err("error: cannot run \(path): \(String(cString: strerror(errno)))")
        exit(1)
    }

    /// Beside the running `gloss` first (the build folder, or wherever both
    /// were installed), then on PATH.
    static func locate() -> String? {
        var candidates: [String] = []
        if let own = ownExecutable() {
            candidates.append(URL(fileURLWithPath: own).deletingLastPathComponent().appendingPathComponent(executableName).path)
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        candidates += path.split(separator: ":").map { "\($0)/\(executableName)" }
        return candidates.first { path in
            // A folder of that name is not it (it is "executable" too).
            var info = stat()
            return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG && access(path, X_OK) == 0
        }
    }

    private static func ownExecutable() -> String? {
        #if os(Linux)
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return resolved }
        #endif
        return Bundle.main.executablePath
    }
}

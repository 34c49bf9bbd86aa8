import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// `gloss serve` hands over to the `gloss-serve` executable beside `gloss`:
/// its help, its options and its server are the preview server's own.
@Suite struct ServeLauncherTests {
    let cli = CommandLineTests()

    @Test func helpIsTheServersOwn() throws {
        let run = try cli.gloss(["serve", "--help"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("USAGE: gloss serve [--source <source>] [--host <host>] [--port <port>]"), "\(run.stdout)")
    }

    @Test func helpServeIsTheServersHelpToo() throws {
        let run = try cli.gloss(["help", "serve"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("USAGE: gloss serve [--source <source>] [--host <host>] [--port <port>]"), "\(run.stdout)")
    }

    @Test func aBadOptionIsReportedByTheServer() throws {
        let run = try cli.gloss(["serve", "--prot", "0"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("Unknown option '--prot'"), "\(run.stderr)")
    }

    /// The process `gloss` started becomes the server: it prints the address,
    /// answers over HTTP, and stops on Ctrl-C.
    @Test func servesTheSiteAndStopsOnInterrupt() async throws {
        let site = try SiteFixture(SiteBuildTests.articles)
        defer { site.remove() }
        let process = Process()
        process.executableURL = CommandLineTests.binary
        process.arguments = ["serve", "--source", site.root.path, "--port", "0"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        var printed = Data()
        var address: URL?
        while address == nil {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }  // the process ended
            printed += chunk
            let text = String(decoding: printed, as: UTF8.self)
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Serving at ") }) {
                address = URL(string: String(line.dropFirst("Serving at ".count).prefix { $0 != " " }))
            }
        }
        let url = try #require(address, "no address in: \(String(decoding: printed, as: UTF8.self))")
        let (body, response) = try await URLSession.shared.data(from: url)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: body, as: UTF8.self).contains("<title>Test Archive</title>"))

        process.interrupt()
        let rest = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(String(decoding: rest, as: UTF8.self).contains("Stopped."))
        #expect(process.terminationStatus == 0)
    }

    @Test func aMissingServerIsAClearError() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-alone-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let alone = folder.appendingPathComponent("gloss")
        try FileManager.default.copyItem(at: CommandLineTests.binary, to: alone)
        let process = Process()
        process.executableURL = alone
        process.arguments = ["serve"]
        process.environment = ["PATH": folder.path]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = Pipe()
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        #expect(message.contains("error: gloss serve needs the gloss-serve executable beside gloss or on PATH"), "\(message)")
    }
}

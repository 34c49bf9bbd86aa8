import Foundation
import Gloss
@testable import GlossServe

/// A throwaway site folder (the format of GlossTests' SiteFixture, which
/// this target cannot import) served by a `PreviewServer` on a free port.
final class ServeFixture: Sendable {
    let root: URL
    let server: PreviewServer
    let log = LogLines()
    let url: URL
    var port: UInt16 { UInt16(url.port!) }

    static let config = "title: Test Archive\nbase_url: https://example.org/watch/\nlanguage: en\ndescription: Tests.\n"

    static let files: [String: String] = [
        "content/people/marshall-billingslea.md": "---\nname: Marshall Billingslea\naliases: [Billingslea]\nrole: Envoy\n---\nU.S. envoy.\n",
        "content/people/sergei-ryabkov.md": "---\nname: Sergei Ryabkov\naliases: [Ryabkov]\n---\nDiplomat.\n",
        "content/treaties/new-start.md": "---\nname: New START\nsigned: 2010-04-08\nparties: [united-states, russia]\n---\nA treaty.\n",
        "content/places/russia.md": "---\nname: Russia\n---\n",
        "content/places/united-states.md": "---\nname: United States\n---\n",
        "content/places/vienna.md": "---\nname: Vienna\n---\n",
        "content/articles/2020/vienna.md": article("Talks in Vienna", date: "2020-06-22",
                                                   body: "Billingslea met Ryabkov in Vienna about New START."),
        "content/articles/2021/extension.md": article("Extended", date: "2021-02-03",
                                                      body: "Russia and the United States extended New START."),
        "static/notes.txt": "Notes.\n",
        "static/img/dot.svg": "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
    ]

    static func article(_ title: String, date: String, body: String) -> String {
        "---\ntitle: \(title)\ndate: \(date)\nauthor: marshall-billingslea\ntreaties: [new-start]\n---\n\(body)\n"
    }

    /// Writes the site and starts serving it; `extra` adds or replaces files.
    init(_ extra: [String: String] = [:], polling: Bool = false) async throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-serve-test-\(UUID().uuidString)")
        var all = Self.files
        all["site.yml"] = Self.config
        for (path, text) in extra { all[path] = text }
        for (path, text) in all { try Self.write(text, to: root.appendingPathComponent(path)) }
        let log = log
        server = PreviewServer(PreviewConfiguration(source: root, port: 0, polling: polling, log: { log.append($0) }))
        url = try await server.start()
    }

    func write(_ path: String, _ text: String) throws { try Self.write(text, to: root.appendingPathComponent(path)) }

    func remove(_ path: String) throws { try FileManager.default.removeItem(at: root.appendingPathComponent(path)) }

    func move(_ from: String, _ to: String) throws {
        let target = root.appendingPathComponent(to)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: root.appendingPathComponent(from), to: target)
    }

    /// Saves as editors that write a temporary file and rename it do.
    static func write(_ text: String, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url, options: .atomic)
    }

    func get(_ target: String, method: String = "GET") async throws -> RawResponse {
        try await RawHTTP.request(method, target, port: port)
    }

    func events(since: Int? = nil) throws -> EventClient { try EventClient(port: port, since: since) }

    /// What a clean build of the same folder produces, static files included,
    /// with the options the preview uses (the server's address as base URL).
    func cleanBuild() -> (files: [String: Data], report: BuildReport) {
        let (outputs, statics, report) = SiteBuilder(options: BuildOptions(source: root, baseURL: url.absoluteString)).generate()
        var files: [String: Data] = [:]
        for folder in statics {
            let base = folder.standardizedFileURL.path + "/"
            let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil, options: [.skipsHiddenFiles])
            while let url = walker?.nextObject() as? URL {
                var isFolder: ObjCBool = false
                if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), !isFolder.boolValue {
                    files[String(url.standardizedFileURL.path.dropFirst(base.count))] = FileManager.default.contents(atPath: url.path)
                }
            }
        }
        for file in outputs { files[file.path] = file.contents }
        return (files, report)
    }

    func shutDown() async {
        await server.stop()
        try? FileManager.default.removeItem(at: root)
    }
}

/// Log lines of the server, collected for assertions.
final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Waits until `condition` holds, checking every 20 ms, up to a generous
/// limit: for state that settles asynchronously, never a timing assertion.
func eventually(_ what: String, within limit: Duration = .seconds(30), _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + limit
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw TestFailure("never happened: \(what)") }
        try await Task.sleep(for: .milliseconds(20))
    }
}

/// Runs `body` against a served fixture site and always shuts it down.
func withServer(_ extra: [String: String] = [:], polling: Bool = false,
                _ body: (ServeFixture) async throws -> Void) async throws {
    let site = try await ServeFixture(extra, polling: polling)
    do {
        try await body(site)
    } catch {
        await site.shutDown()
        throw error
    }
    await site.shutDown()
}

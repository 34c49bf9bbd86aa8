import Foundation
import Testing
@testable import Gloss

/// A throwaway site folder written from a dictionary of files, in the
/// spirit of Hugo's txtar tests: each test shows the whole site it builds.
struct SiteFixture {
    let root: URL

    static let minimalConfig = "title: Test Archive\nbase_url: https://example.org/\nlanguage: en\ndescription: Tests.\n"

    /// Entities most fixtures share.
    static let entities: [String: String] = [
        "content/people/marshall-billingslea.md": """
            ---
            name: Marshall Billingslea
            aliases: [Billingslea]
            role: Envoy
            ---
            U.S. envoy.
            """,
        "content/people/sergei-ryabkov.md": "---\nname: Sergei Ryabkov\naliases: [Ryabkov]\n---\nDiplomat.\n",
        "content/treaties/new-start.md": """
            ---
            name: New START
            signed: 2010-04-08
            in_force: 2011-02-05
            expires: 2026-02-05
            parties: [united-states, russia]
            status: In force
            ---
            A treaty.
            """,
        "content/places/russia.md": "---\nname: Russia\n---\n",
        "content/places/united-states.md": "---\nname: United States\n---\n",
        "content/places/vienna.md": "---\nname: Vienna\n---\n",
    ]

    init(_ files: [String: String], config: String = SiteFixture.minimalConfig, withEntities: Bool = true) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-test-\(UUID().uuidString)")
        var all = withEntities ? Self.entities : [:]
        all["site.yml"] = config
        for (path, text) in files { all[path] = text }
        for (path, text) in all { try write(path, Data(text.utf8)) }
    }

    func write(_ path: String, _ data: Data) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }

    func remove() { try? FileManager.default.removeItem(at: root) }

    var output: URL { root.appendingPathComponent("public") }

    func generate(baseURL: String? = nil, drafts: Bool = false) -> (files: [String: String], report: BuildReport) {
        let (files, _, report) = SiteBuilder(options: BuildOptions(source: root, baseURL: baseURL, includeDrafts: drafts)).generate()
        return (Dictionary(uniqueKeysWithValues: files.map { ($0.path, String(decoding: $0.contents, as: UTF8.self)) }), report)
    }

    func build() -> BuildReport {
        SiteBuilder(options: BuildOptions(source: root)).build()
    }

    func read(_ path: String) -> String? {
        try? String(contentsOf: output.appendingPathComponent(path), encoding: .utf8)
    }
}

/// An article file with front matter lines and a body.
func article(_ frontMatter: String, _ body: String) -> String {
    "---\n\(frontMatter)\n---\n\(body)"
}

extension BuildReport {
    /// Diagnostics printed as the CLI prints them, for exact assertions.
    var printed: [String] { diagnostics.sorted.map(\.description) }
    var errorLines: [String] { diagnostics.sorted.filter { $0.severity == .error }.map(\.description) }
}

/// The repository root, for tests over the example archive.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

func fixtureURL(_ path: String) -> URL {
    Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent(path)
}

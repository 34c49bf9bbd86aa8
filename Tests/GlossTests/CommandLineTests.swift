import Foundation
import Testing
@testable import Gloss

/// The `gloss` binary end to end: exit codes, stdout and stderr.
@Suite struct CommandLineTests {
    static var binary: URL {
        Bundle.module.bundleURL.deletingLastPathComponent().appendingPathComponent("gloss")
    }

    struct Run { let status: Int32; let stdout: String; let stderr: String; let bytes: Data }

    func gloss(_ arguments: [String], stdin: Data = Data(), in directory: URL? = nil) throws -> Run {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(stdin)
        try input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                   stderr: String(decoding: err, as: UTF8.self), bytes: out)
    }

    /// Two processes: the second starts from the first's cache and redoes
    /// nothing; `--no-cache` makes everything and leaves no cache file.
    @Test func aSecondBuildStartsFromTheCache() throws {
        let site = try SiteFixture(SiteBuildTests.articles)
        defer { site.remove() }
        let cacheFile = site.root.appendingPathComponent(".public.gloss-cache").path
        #expect(try gloss(["build", "--source", site.root.path]).status == 0)
        #expect(FileManager.default.fileExists(atPath: cacheFile))
        let second = try gloss(["build", "--source", site.root.path, "--verbose"])
        #expect(second.stderr.contains("annotated 0 articles, rendered 0 pages"), "\(second.stderr)")
        let fresh = try gloss(["build", "--source", site.root.path, "--verbose", "--no-cache"])
        #expect(fresh.stderr.contains("annotated 2 articles, rendered 23 pages"), "\(fresh.stderr)")
        #expect(!FileManager.default.fileExists(atPath: cacheFile))
    }

    @Test func buildSucceedsWithASummaryLine() throws {
        let site = try SiteFixture(SiteBuildTests.articles)
        defer { site.remove() }
        let run = try gloss(["build", "--source", site.root.path])
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("built 23 pages: 2 articles, 6 entities, 1 claim, 0 warnings in "))
        #expect(FileManager.default.fileExists(atPath: site.output.appendingPathComponent("index.html").path))
    }

    @Test func buildFailsWithLocatedErrorsAndNonZeroExit() throws {
        let site = try SiteFixture(["content/articles/a.md": article("title: T\ndate: 2020-01-01", "[x](person:ryabkov)\n")])
        defer { site.remove() }
        let run = try gloss(["build"], in: site.root)
        #expect(run.status != 0)
        #expect(run.stderr == "content/articles/a.md:5:1: error: unknown person 'ryabkov'\n")
        #expect(run.stdout.hasPrefix("build failed: 1 error, 0 warnings; output left unchanged"))
        #expect(!FileManager.default.fileExists(atPath: site.output.path))
    }

    @Test func outputAndBaseURLOptions() throws {
        let site = try SiteFixture(SiteBuildTests.articles)
        defer { site.remove() }
        let out = site.root.appendingPathComponent("elsewhere")
        let run = try gloss(["build", "--source", site.root.path, "--output", out.path, "--base-url", "https://x.org/sub/"])
        #expect(run.status == 0)
        let home = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(home.contains("href=\"/sub/articles/vienna/\""))
    }

    @Test func renderIsByteIdenticalToCmarkGFM() throws {
        let input = Data("# Hi\n\n| a | b |\n|---|---|\n| 1 | ~~2~~ |\n\n- [x] www.example.org\n\n<script>x</script>\n".utf8)
        let safe = try gloss(["render"], stdin: input)
        #expect(safe.status == 0)
        #expect(safe.stdout.contains("<table>"))
        #expect(safe.stdout.contains("<!-- raw HTML omitted -->"))
        if DifferentialTests.cli != nil {
            for unsafe in [false, true] {
                let ours = try gloss(["render"] + (unsafe ? ["--unsafe"] : []), stdin: input)
                #expect(Array(ours.bytes) == (try DifferentialTests.runCLI(String(decoding: input, as: UTF8.self), unsafe: unsafe)))
            }
        }
    }

    @Test func renderPassesInvalidUTF8Through() throws {
        let run = try gloss(["render"], stdin: Data([0x61, 0xFF, 0x0A]))
        #expect(run.bytes == Data("<p>a".utf8) + Data([0xFF]) + Data("</p>\n".utf8))
    }

    @Test func renderWithSiteLinksEntities() throws {
        let site = try SiteFixture([:])
        defer { site.remove() }
        let run = try gloss(["render", "--site", site.root.path], stdin: Data("Talks in Vienna on New START.\n".utf8))
        #expect(run.status == 0)
        #expect(run.stdout == "<p>Talks in <a class=\"mention mention-place\" href=\"/places/vienna/\" title=\"Vienna\">Vienna</a> on "
                + "<a class=\"mention mention-treaty\" href=\"/treaties/new-start/\" title=\"New START\">New START</a>.</p>\n")
    }

    @Test func missingSiteIsAClearError() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        let run = try gloss(["build", "--source", empty.path])
        #expect(run.status != 0)
        #expect(run.stderr.contains("error: no site.yml in"))
    }
}

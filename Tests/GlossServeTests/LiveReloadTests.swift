import Foundation
import Gloss
import Testing
@testable import GlossServe

/// Edits on disk → rebuild → events → new content, over real sockets.
@Suite struct LiveReloadTests {
    @Test func anEditReloadsThePageWithTheNewText() async throws {
        try await withServer { site in
            let events = try site.events()
            let hello = try JSONDecoder().decode(LiveStatus.self, from: Data(try await events.next("hello").utf8))
            #expect(hello == LiveStatus(generation: 1, errors: []))

            try site.write("content/articles/2020/vienna.md",
                           ServeFixture.article("Talks in Vienna, revised", date: "2020-06-22", body: "Billingslea met Ryabkov."))
            let reload = try JSONDecoder().decode(ReloadPayload.self, from: Data(try await events.next("reload").utf8))
            #expect(reload.generation == 2)
            let paths = try #require(reload.paths)
            #expect(paths.contains("/articles/vienna/"))
            #expect(paths.contains("/"), "the home page lists the article")
            #expect(paths.count < (await site.server.files.count), "only what changed is listed")

            let page = try await site.get("/articles/vienna/")
            #expect(page.text.contains("<title>Talks in Vienna, revised"))
            #expect(page.text.contains("{\"errors\":[],\"generation\":2}"))
            #expect(site.log.all.contains { $0.contains("content/articles/2020/vienna.md: rebuilt in") })

            // A tab that was in the background learns what changed meanwhile.
            func helloPaths(since: Int) async throws -> [String]? {
                try JSONDecoder().decode(Hello.self, from: Data(try await site.events(since: since).next("hello").utf8)).paths
            }
            #expect(try await helloPaths(since: 1) == paths)
            #expect(try await helloPaths(since: 2) == [])
            #expect(try await helloPaths(since: 7) == nil, "a generation this server never had: reload")
        }
    }

    @Test func changesSinceAGenerationAreTheUnionOfItsSuccessors() async {
        let state = PreviewState()
        await state.publish(files: [:], changed: ["index.html", "a/index.html"])
        await state.publish(files: [:], changed: ["b/index.html"])
        await state.publish(files: [:], changed: [])
        #expect(await state.snapshot.status.generation == 2, "a build that changed nothing is no new generation")
        #expect(await state.changes(since: 1) == ["/b/"])
        #expect(await state.changes(since: 0) == ["/", "/a/", "/b/"])
        await state.publish(files: [:], changed: Set((0...PreviewState.maxListedPaths).map { "p\($0).html" }))
        #expect(await state.changes(since: 2) == nil, "too many to list")
        for round in 0..<PreviewState.historyLength { await state.publish(files: [:], changed: ["r\(round).css"]) }
        #expect(await state.changes(since: 2) == nil, "older than the history")
        #expect(await state.changes(since: 3)?.count == PreviewState.historyLength)
        #expect(await state.changes(since: 4 + PreviewState.historyLength - 2)?.count == 1)
    }

    @Test func aFailedBuildShowsItsErrorsAndKeepsServingTheLastGoodSite() async throws {
        try await withServer { site in
            let events = try site.events()
            _ = try await events.next("hello")
            let broken = "---\ntitle: Talks in Vienna\ndate: 2020-02-30\nauthor: marshall-billingslea\n---\nBroken.\n"
            try site.write("content/articles/2020/vienna.md", broken)

            let status = try JSONDecoder().decode(LiveStatus.self, from: Data(try await events.next("errors").utf8))
            #expect(status.generation == 1)
            let error = try #require(status.errors.first)
            #expect(status.errors.count == 1)
            #expect(error.path == "content/articles/2020/vienna.md")
            #expect(error.line == 3)
            #expect(error.column == 7)
            #expect(error.message == "'date' is not a valid date '2020-02-30'; write YYYY-MM-DD")
            #expect(error.sourceLine == "date: 2020-02-30")
            #expect(error.description == "content/articles/2020/vienna.md:3:7: error: 'date' is not a valid date '2020-02-30'; write YYYY-MM-DD")

            // The old page is still served, now carrying the errors for the overlay.
            let page = try await site.get("/articles/vienna/")
            #expect(page.status == 200)
            #expect(page.text.contains("Billingslea met Ryabkov in Vienna"))
            #expect(page.text.contains("\"sourceLine\":\"date: 2020-02-30\""))
            let served = try JSONDecoder().decode(LiveStatus.self, from: try await site.get("/_gloss/status").body)
            #expect(served == status)
            // A page opened now hears about the errors first thing.
            let late = try site.events()
            #expect(try JSONDecoder().decode(LiveStatus.self, from: Data(try await late.next("hello").utf8)) == status)
            // The terminal shows the same, with the line and a caret.
            #expect(site.log.all.contains {
                $0 == "content/articles/2020/vienna.md:3:7: error: 'date' is not a valid date '2020-02-30'; write YYYY-MM-DD\n"
                    + " 3 | date: 2020-02-30\n   |       ^"
            })

            // Fixing the file clears the errors everywhere.
            try site.write("content/articles/2020/vienna.md", broken.replacingOccurrences(of: "2020-02-30", with: "2020-06-22"))
            let reload = try JSONDecoder().decode(ReloadPayload.self, from: Data(try await events.next("reload").utf8))
            #expect(reload.generation == 2)
            #expect(await site.server.status.errors.isEmpty)
            #expect(try await site.get("/articles/vienna/").text.contains("Broken."))
        }
    }

    @Test func aFirstBuildThatFailsIsServedAsErrorsUntilFixed() async throws {
        let broken = "---\ntitle: Talks in Vienna\ndate: 2020-06-22\nauthor: marshal-billingslea\n---\nText.\n"
        try await withServer(["content/articles/2020/vienna.md": broken]) { site in
            let home = try await site.get("/")
            #expect(home.status == 404)
            #expect(home.text.contains("No successful build yet"))
            #expect(home.text.contains("did you mean 'marshall-billingslea'?"))
            let events = try site.events()
            let hello = try JSONDecoder().decode(LiveStatus.self, from: Data(try await events.next("hello").utf8))
            #expect(hello.generation == 0 && hello.errors.first?.sourceLine == "author: marshal-billingslea")
            try site.write("content/articles/2020/vienna.md", broken.replacingOccurrences(of: "marshal-", with: "marshall-"))
            let reload = try JSONDecoder().decode(ReloadPayload.self, from: Data(try await events.next("reload").utf8))
            #expect(reload.generation == 1)
            #expect(try await site.get("/").status == 200)
        }
    }

    /// The overlay's source line is the right one in a file with Windows line endings.
    @Test func sourceLinesOfWindowsFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-crlf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("---\r\ntitle: T\r\ndate: 2020-02-30\r\n---\r\nBody.\r\n".utf8).write(to: folder.appendingPathComponent("a.md"))
        var lines: [String: [Substring]] = [:]
        let problem = BuildProblem(.error("'date' is not a valid date", at: SourceLocation(path: "a.md", line: 3, column: 7)),
                                   siteFolder: folder, lines: &lines)
        #expect(problem.sourceLine == "date: 2020-02-30")
    }

    @Test func errorsInJSONCannotCloseTheScriptElement() {
        var lines: [String: [Substring]] = [:]
        let problem = BuildProblem(.error("bad </script><script>alert(1)</script> & co", at: nil),
                                   siteFolder: URL(fileURLWithPath: "/nonexistent"), lines: &lines)
        let page = LiveReload.inject(into: Data("<html><BODY>x</BODY></html>".utf8),
                                     status: LiveStatus(generation: 3, errors: [problem]), page: "/a\"b/")
        let text = String(decoding: page, as: UTF8.self)
        #expect(!text.contains("</script><script>alert"))
        #expect(text.contains("bad \\u003c/script\\u003e"))
        #expect(text.hasSuffix("<script src=\"/_gloss/live.js\" data-page=\"/a&quot;b/\"></script></BODY></html>"))
        let noBody = LiveReload.inject(into: Data("<p>x".utf8), status: LiveStatus(generation: 1, errors: []), page: "/")
        #expect(String(decoding: noBody, as: UTF8.self).hasPrefix("<p>x<script type=\"application/json\""))
    }

    /// After a series of edits of every kind, the served site is exactly
    /// what a clean build of the same folder gives.
    @Test(arguments: [false, true])
    func theServedSiteEqualsACleanBuildAfterEdits(polling: Bool) async throws {
        try await withServer(polling: polling) { site in
            let steps: [(String, () throws -> Void)] = [
                ("edit an article", { try site.write("content/articles/2020/vienna.md",
                                                     ServeFixture.article("Vienna again", date: "2020-06-23", body: "Ryabkov spoke.")) }),
                ("add an article in a new folder", { try site.write("content/articles/2022/deep/new.md",
                                                                    ServeFixture.article("New one", date: "2022-01-01", body: "Vienna.")) }),
                ("rename an article", { try site.move("content/articles/2021/extension.md", "content/articles/2021/extended.md") }),
                ("add an entity", { try site.write("content/people/fu-cong.md", "---\nname: Fu Cong\n---\nDiplomat.\n") }),
                ("mention it", { try site.write("content/articles/2022/deep/new.md",
                                                ServeFixture.article("New one", date: "2022-01-01", body: "Fu Cong in Vienna.")) }),
                ("break the build", { try site.write("content/people/fu-cong.md", "---\nname: [unclosed\n---\n") }),
                ("fix it", { try site.write("content/people/fu-cong.md", "---\nname: Fu Cong\naliases: [Fu]\n---\nChina.\n") }),
                ("change site.yml", { try site.write("site.yml", ServeFixture.config.replacingOccurrences(of: "Test Archive", with: "Renamed")) }),
                ("override a template", { try site.write("templates/partials/footer.mustache", "<footer>custom footer</footer>\n") }),
                ("add a static file", { try site.write("static/docs/readme.txt", "hello\n") }),
                ("delete a static file", { try site.remove("static/notes.txt") }),
                ("delete an article", { try site.remove("content/articles/2020/vienna.md") }),
            ]
            let events = try site.events()
            _ = try await events.next("hello")
            for (name, step) in steps {
                try step()
                if name == "break the build" {
                    _ = try await events.next("errors")
                } else {
                    _ = try await events.next("reload")
                }
            }
            let clean = site.cleanBuild()
            #expect(clean.report.succeeded)
            try await eventually("the served site equals a clean build") { await site.server.files == clean.files }
            #expect(await site.server.files.keys.sorted() == clean.files.keys.sorted())
            #expect(!clean.files.values.contains { $0.range(of: Data("/_gloss/".utf8)) != nil }, "the script is only added while serving")
            // And over HTTP, less the injected script.
            let page = try await site.get("/articles/new/")
            let expected = try #require(clean.files["articles/new/index.html"])
            #expect(page.body == LiveReload.inject(into: expected, status: await site.server.status, page: "/articles/new/"))
            #expect(page.text.contains("custom footer") && page.text.contains("Renamed"))
            #expect(try await site.get("/docs/readme.txt").text == "hello\n")
            #expect(try await site.get("/notes.txt").status == 404)
            #expect(try await site.get("/articles/vienna/").status == 404)
            // Nothing was written next to the sources.
            #expect(!FileManager.default.fileExists(atPath: site.root.appendingPathComponent("public").path))
        }
    }
}

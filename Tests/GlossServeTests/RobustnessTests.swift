import Foundation
import Testing
@testable import GlossServe

/// Load, disconnects, save bursts, busy ports and shutdown.
@Suite struct RobustnessTests {
    @Test func manyConcurrentRequestsAndTabs() async throws {
        try await withServer { site in
            let tabs = try (0..<8).map { _ in try site.events() }
            for tab in tabs { _ = try await tab.next("hello") }
            let targets = ["/", "/articles/vienna/", "/people/", "/notes.txt", "/missing", "/articles/vienna", "/../x"]
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<200 {
                    group.addTask { try await site.get(targets[index % targets.count]).status }
                }
                var all: [Int] = []
                for try await status in group { all.append(status) }
                return all
            }
            #expect(statuses.count == 200)
            #expect(statuses.allSatisfy { [200, 301, 404].contains($0) })
            #expect(await site.server.subscriberCount == 8)
            try site.write("content/articles/2021/extension.md", ServeFixture.article("Extended again", date: "2021-02-03", body: "Russia."))
            for tab in tabs { _ = try await tab.next("reload") }
        }
    }

    @Test func clientsThatVanishMidStreamAreReleased() async throws {
        try await withServer { site in
            let staying = try site.events()
            _ = try await staying.next("hello")
            var leaving: [EventClient] = []
            for _ in 0..<10 {
                let client = try site.events()
                _ = try await client.next("hello")
                leaving.append(client)
            }
            #expect(await site.server.subscriberCount == 11)
            for client in leaving { client.disconnect() }
            leaving = []
            // A write to a closed connection fails and ends its response.
            try await eventually("vanished clients are unsubscribed") {
                await site.server.ping()
                return await site.server.subscriberCount == 1
            }
            // Connections that die before reading anything do no harm either.
            for _ in 0..<10 {
                let fd = try RawHTTP.connect(port: site.port)
                RawHTTP.send(fd, "GET /_gloss/events HTTP/1.1\r\nHost: x\r\n\r\n")
                close(fd)
                let half = try RawHTTP.connect(port: site.port)
                RawHTTP.send(half, "GET /articles/vi")
                close(half)
            }
            try await eventually("the half-open ones are gone too") {
                await site.server.ping()
                return await site.server.subscriberCount == 1
            }
            #expect(try await site.get("/").status == 200)
            try site.write("content/articles/2021/extension.md", ServeFixture.article("Still fine", date: "2021-02-03", body: "Russia."))
            _ = try await staying.next("reload")
        }
    }

    @Test func aBurstOfSavesIsBuiltOnceNotOncePerSave() async throws {
        try await withServer { site in
            let events = try site.events()
            _ = try await events.next("hello")
            for round in 1...30 {
                try site.write("content/articles/2020/vienna.md",
                               ServeFixture.article("Vienna draft \(round)", date: "2020-06-22", body: "Ryabkov."))
            }
            try await eventually("the last save is served") {
                try await site.get("/articles/vienna/").text.contains("Vienna draft 30")
            }
            let rebuilds = site.log.all.filter { $0.contains(": rebuilt in") }.count
            #expect(rebuilds >= 1 && rebuilds < 30, "\(rebuilds) rebuilds for 30 saves")
        }
    }

    @Test func aBusyPortIsReportedByNumber() async throws {
        try await withServer { site in
            let second = PreviewServer(PreviewConfiguration(source: site.root, port: site.port, log: { _ in }))
            await #expect(throws: PreviewError.portInUse(host: "127.0.0.1", port: site.port)) { try await second.start() }
            #expect(PreviewError.portInUse(host: "127.0.0.1", port: 8080).description.contains("port 8080 is already in use"))
        }
    }

    @Test func badHostsAndFoldersAreClearErrors() async throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("no-site-\(UUID().uuidString)")
        let server = PreviewServer(PreviewConfiguration(source: missing, port: 0, log: { _ in }))
        await #expect(throws: PreviewError.noSiteFolder(missing.path)) { try await server.start() }
        #expect(throws: PreviewError.invalidHost("example.org")) { try PreviewServer.address(host: "example.org", port: 0) }
    }

    @Test func stoppingEndsEveryStreamAndClosesThePort() async throws {
        let site = try await ServeFixture()
        let events = try site.events()
        _ = try await events.next("hello")
        await site.shutDown()
        #expect(await events.end(), "the event stream ended with the server")
        #expect(await site.server.subscriberCount == 0)
        #expect(throws: (any Error).self) { try RawHTTP.connect(port: site.port) }
    }

    @Test func theChangeQueueMergesABurstIntoOneBatch() async throws {
        let queue = ChangeQueue(quiet: .milliseconds(30))
        await queue.add(["content/a.md"])
        await queue.add(["content/b.md"])
        let first = await queue.next()
        #expect(first == ChangeQueue.Batch(paths: ["content/a.md", "content/b.md"], unknown: false))
        await queue.add(["site.yml"])
        await queue.add(nil)
        #expect(await queue.next()?.hint == nil, "an unknown change means a build without hints")
        await queue.close()
        #expect(await queue.next() == nil)
    }

    @Test func theWatchScopeIgnoresHiddenFilesAndOtherFolders() {
        let scope = WatchScope(root: URL(fileURLWithPath: "/site"))
        #expect(scope.isRelevant("site.yml"))
        #expect(scope.isRelevant("content/articles/a.md"))
        #expect(scope.isRelevant("templates/layout.mustache"))
        #expect(scope.isRelevant("static/img/a.png"))
        #expect(!scope.isRelevant("content/articles/.a.md.swp"))
        #expect(!scope.isRelevant("content/.git/index"))
        #expect(!scope.isRelevant("public/index.html"))
        #expect(!scope.isRelevant("notes.txt"))
    }
}

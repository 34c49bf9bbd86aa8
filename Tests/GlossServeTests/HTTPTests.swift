import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
@testable import GlossServe

/// The HTTP side of `gloss serve`, over real sockets.
@Suite struct HTTPTests {
    @Test func servesPagesWithTheLiveReloadScript() async throws {
        try await withServer { site in
            let page = try await site.get("/articles/vienna/")
            #expect(page.status == 200)
            #expect(page.headers["content-type"] == "text/html; charset=utf-8")
            #expect(page.text.contains("<title>Talks in Vienna"))
            // Links start at the server's root, whatever base_url says.
            #expect(page.text.contains("href=\"/people/marshall-billingslea/\""))
            #expect(page.text.contains("<script src=\"/_gloss/live.js\" data-page=\"/articles/vienna/\"></script></body>"))
            #expect(page.text.contains("<script type=\"application/json\" id=\"gloss-status\">{\"errors\":[],\"generation\":1}</script>"))
            let home = try await site.get("/")
            #expect(home.status == 200 && home.text.contains("Talks in Vienna"))
            let script = try await site.get("/_gloss/live.js")
            #expect(script.headers["content-type"] == "text/javascript; charset=utf-8")
            #expect(script.text.contains("new EventSource(\"/_gloss/events?since=\" + generation)"))
        }
    }

    @Test func contentTypesCarryACharset() async throws {
        try await withServer { site in
            let css = try #require(await site.server.files.keys.first { $0.hasSuffix(".css") })
            #expect(try await site.get("/" + css).headers["content-type"] == "text/css; charset=utf-8")
            let notes = try await site.get("/notes.txt")
            #expect(notes.status == 200 && notes.text == "Notes.\n")
            #expect(notes.headers["content-type"] == "text/plain; charset=utf-8")
            #expect(try await site.get("/img/dot.svg").headers["content-type"] == "image/svg+xml; charset=utf-8")
            #expect(try await site.get("/_gloss/status").headers["content-type"] == "application/json; charset=utf-8")
            // Only HTML gets the script.
            #expect(!notes.text.contains("gloss"))
        }
        #expect(ContentType.of("a/b.PNG") == "image/png")
        #expect(ContentType.of("feed.xml") == "application/xml; charset=utf-8")
        #expect(ContentType.of("data.json") == "application/json; charset=utf-8")
        #expect(ContentType.of("photo.jpg") == "image/jpeg")
        #expect(ContentType.of("Makefile") == "application/octet-stream")
    }

    @Test func redirectsFoldersToTheirSlash() async throws {
        try await withServer { site in
            let moved = try await site.get("/articles/vienna")
            #expect(moved.status == 301)
            #expect(moved.headers["location"] == "/articles/vienna/")
            #expect(try await site.get("/people?sort=name").headers["location"] == "/people/?sort=name")
            #expect(try await site.get("/img").status == 404, "a folder without index.html is not a page")
        }
    }

    @Test func missingPagesGetTheSite404Page() async throws {
        try await withServer { site in
            let missing = try await site.get("/no/such/page/")
            #expect(missing.status == 404)
            #expect(missing.text.contains("Page not found"))
            #expect(missing.text.contains("<script src=\"/_gloss/live.js\" data-page=\"/404.html\">"), "the 404 page reloads itself too")
            #expect(try await site.get("/nope.css").status == 404)
        }
    }

    @Test func headHasTheHeadersOfGetWithoutTheBody() async throws {
        try await withServer { site in
            let get = try await site.get("/articles/vienna/")
            let head = try await site.get("/articles/vienna/", method: "HEAD")
            #expect(head.status == 200)
            #expect(head.body.isEmpty)
            #expect(head.headers["content-length"] == String(get.body.count))
            #expect(head.headers["content-type"] == get.headers["content-type"])
            #expect(try await site.get("/missing", method: "HEAD").status == 404)
        }
    }

    @Test func onlyGetAndHeadAreAllowed() async throws {
        try await withServer { site in
            for method in ["POST", "PUT", "DELETE", "OPTIONS", "PATCH"] {
                let response = try await site.get("/", method: method)
                #expect(response.status == 405, "\(method)")
                #expect(response.headers["allow"] == "GET, HEAD")
            }
        }
    }

    @Test func nothingOutsideTheSiteIsReachable() async throws {
        // A symlink in static/ to a file outside the site is not copied, so not served.
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-secret-\(UUID().uuidString)")
        try Data("secret\n".utf8).write(to: outside)
        defer { try? FileManager.default.removeItem(at: outside) }
        try await withServer { site in
            try FileManager.default.createSymbolicLink(at: site.root.appendingPathComponent("static/secret.txt"),
                                                       withDestinationURL: outside)
            try site.write("static/marker.txt", "marker\n")
            try await eventually("the marker is served") { try await site.get("/marker.txt").status == 200 }
            let targets = ["/../site.yml", "/%2e%2e/site.yml", "/%2E%2E/site.yml", "/..%2fsite.yml", "/..%2Fsite.yml",
                           "/%2e%2e%2fsite.yml", "/articles/../../site.yml", "/articles/%2e%2e/%2e%2e/site.yml",
                           "/.%2e/site.yml", "/..\\site.yml", "/..%5csite.yml", "//etc/passwd", "/etc/passwd",
                           outside.path, "/secret.txt", "/content/articles/2020/vienna.md", "/site.yml",
                           "/static/notes.txt", "/notes.txt%00.html", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd"]
            for target in targets {
                let response = try await site.get(target)
                #expect(response.status == 404, "\(target) → \(response.status)")
                #expect(!response.text.contains("secret") && !response.text.contains("Test Archive\nbase_url"), "\(target)")
            }
            // An absolute-form target is no way around it either.
            #expect(try await site.get("http://127.0.0.1:\(site.port)/../site.yml").status == 404)
        }
    }

    @Test func foreignHostNamesAreRefusedOnLoopback() async throws {
        try await withServer { site in
            for (host, status) in [("attacker.example", 403), ("localhost", 200), ("[::1]", 200), ("127.0.0.1", 200)] {
                let response = try await RawHTTP.request("GET", "/", port: site.port, host: host + ":" + String(site.port))
                #expect(response.status == status, "\(host)")
            }
        }
        #expect(SiteHandler.isLoopbackName("127.0.0.1:8080") && SiteHandler.isLoopbackName("app.localhost"))
        #expect(!SiteHandler.isLoopbackName("127.0.0.1.evil.com") && !SiteHandler.isLoopbackName("localhost.evil.com"))
    }

    /// A stock client too. (Not for redirects: URLSession on Linux drops
    /// the trailing slash of a relative Location and loops, with any server.)
    @Test func urlSessionReadsPages() async throws {
        try await withServer { site in
            let (data, response) = try await URLSession.shared.data(from: site.url.appendingPathComponent("people/"))
            let http = try #require(response as? HTTPURLResponse)
            #expect(http.statusCode == 200)
            #expect(http.value(forHTTPHeaderField: "Content-Type") == "text/html; charset=utf-8")
            #expect(String(decoding: data, as: UTF8.self).contains("Marshall Billingslea"))
        }
    }
}

import Testing
@testable import GlossServe

@Suite struct RequestPathTests {
    @Test(arguments: [
        ("/", "index.html"),
        ("/articles/x/", "articles/x/index.html"),
        ("/style.1234.css", "style.1234.css"),
        ("/people/caf%C3%A9/", "people/café/index.html"),
        ("/a%20b.txt", "a b.txt"),
    ])
    func mapsToOutputPaths(raw: String, output: String) {
        #expect(RequestPath(raw: raw)?.outputPath == output)
    }

    @Test(arguments: [
        "/../etc/passwd", "/articles/../../x", "/%2e%2e/x", "/%2E%2E/x", "/.%2e/x", "/..%2fx", "/..%2Fetc%2Fpasswd",
        "/a%2fb", "/a%5cb", "/..\\x", "/./x", "/%2e/x", "//etc/passwd", "/a//b", "etc/passwd", "http://evil/x",
        "*", "", "/a%00b", "/%ZZ", "/a/..",
    ])
    func refusesAnythingThatCouldLeaveTheSite(raw: String) {
        #expect(RequestPath(raw: raw) == nil)
    }

    @Test func offersTheFolderIndexForRedirects() {
        #expect(RequestPath(raw: "/articles/x")?.folderIndexPath == "articles/x/index.html")
        #expect(RequestPath(raw: "/articles/x/")?.folderIndexPath == nil)
    }

    @Test func urlPathsOfOutputFiles() {
        #expect(RequestPath.urlPath(forOutput: "index.html") == "/")
        #expect(RequestPath.urlPath(forOutput: "articles/x/index.html") == "/articles/x/")
        #expect(RequestPath.urlPath(forOutput: "style.css") == "/style.css")
    }
}

import FlyingFox
import Foundation

/// Answers every request: the site from memory, and the live-reload
/// endpoints under `/_gloss/`. GET and HEAD only.
struct SiteHandler: HTTPHandler {
    let state: PreviewState
    /// Listening on loopback only: then only requests naming a loopback
    /// host are answered, so a web page cannot read the preview (drafts
    /// included) through a DNS name rebound to 127.0.0.1.
    let loopbackOnly: Bool

    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        if loopbackOnly, let host = request.headers[.host], !Self.isLoopbackName(host) {
            return Self.text(.forbidden, "403 forbidden: this preview answers to localhost and IP addresses only\n")
        }
        guard request.method == .GET || request.method == .HEAD else {
            return Self.text(.methodNotAllowed, "405 method not allowed: \(request.method.rawValue)\n", extra: [.allow: "GET, HEAD"])
        }
        let raw = request.target.path()
        let response = await respond(to: raw, query: request.target.query(), head: request.method == .HEAD)
        return request.method == .HEAD ? Self.withoutBody(response) : response
    }

    private func respond(to raw: String, query: String, head: Bool) async -> HTTPResponse {
        switch raw {
        case LiveReload.eventsPath:
            return head ? HTTPResponse(statusCode: .ok, headers: Self.headers("text/event-stream; charset=utf-8"))
                : await .eventStream(from: state, since: Self.since(in: query))
        case LiveReload.statusPath:
            return Self.ok(Data(JSON.encode(await state.snapshot.status)), type: "application/json; charset=utf-8")
        case LiveReload.scriptPath:
            return Self.ok(Data(LiveReload.script.utf8), type: "text/javascript; charset=utf-8")
        default:
            break
        }
        let snapshot = await state.snapshot
        guard let path = RequestPath(raw: raw) else { return notFound(snapshot) }
        if let data = snapshot.files[path.outputPath] {
            return page(data, path: path.outputPath, snapshot: snapshot, status: .ok)
        }
        if let index = path.folderIndexPath, snapshot.files[index] != nil {
            // `/x` → `/x/`, built from the validated raw path: never `//host`.
            let location = raw + "/" + (query.isEmpty ? "" : "?" + query)
            return Self.text(.movedPermanently, "moved to \(location)\n", extra: [.location: location])
        }
        return notFound(snapshot)
    }

    private func notFound(_ snapshot: PreviewState.Snapshot) -> HTTPResponse {
        if let page = snapshot.files["404.html"] {
            return self.page(page, path: "404.html", snapshot: snapshot, status: .notFound)
        }
        let html = snapshot.files.isEmpty
            ? "<!doctype html><meta charset=utf-8><title>Gloss preview</title><body><p>No successful build yet.</p></body>"
            : "<!doctype html><meta charset=utf-8><title>Not found</title><body><h1>404 not found</h1></body>"
        return page(Data(html.utf8), path: "404.html", snapshot: snapshot, status: .notFound)
    }

    private func page(_ data: Data, path: String, snapshot: PreviewState.Snapshot, status: HTTPStatusCode) -> HTTPResponse {
        let type = ContentType.of(path)
        let body = type == ContentType.html
            ? LiveReload.inject(into: data, status: snapshot.status, page: RequestPath.urlPath(forOutput: path)) : data
        return HTTPResponse(statusCode: status, headers: Self.headers(type), body: body)
    }

    private static func ok(_ data: Data, type: String) -> HTTPResponse {
        HTTPResponse(statusCode: .ok, headers: headers(type), body: data)
    }

    private static func text(_ status: HTTPStatusCode, _ text: String, extra: [HTTPHeader: String] = [:]) -> HTTPResponse {
        var headers = headers("text/plain; charset=utf-8")
        for (name, value) in extra { headers[name] = value }
        return HTTPResponse(statusCode: status, headers: headers, body: Data(text.utf8))
    }

    /// A preview is never cached: every reload must show the latest build.
    static func headers(_ type: String) -> HTTPHeaders {
        [.contentType: type, .cacheControl: "no-store", HTTPHeader("X-Content-Type-Options"): "nosniff"]
    }

    /// The `since=N` of a query string.
    static func since(in query: String) -> Int? {
        query.split(separator: "&").lazy.compactMap { $0.hasPrefix("since=") ? Int($0.dropFirst(6)) : nil }.first
    }

    /// `localhost`, `*.localhost` or an IP literal, with or without a port.
    static func isLoopbackName(_ host: String) -> Bool {
        if host.hasPrefix("[") { return true }   // IPv6 literal
        let name = host.split(separator: ":", maxSplits: 1).first.map { $0.lowercased() } ?? ""
        if name == "localhost" || name.hasSuffix(".localhost") { return true }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { UInt8($0) != nil }
    }

    /// HEAD: the same status and headers, the length of the body, no body.
    private static func withoutBody(_ response: HTTPResponse) -> HTTPResponse {
        guard case .httpBody(let body) = response.payload, let count = body.count else { return response }
        var headers = response.headers
        headers[.contentLength] = String(count)
        return HTTPResponse(statusCode: response.statusCode, headers: headers, body: Data())
    }
}

extension HTTPHeader {
    static let allow = HTTPHeader("Allow")
}

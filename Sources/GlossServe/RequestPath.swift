/// A request path mapped strictly onto the in-memory site. The site is a
/// dictionary of output paths, so there is no file system to escape from;
/// still, anything that could mean "up" or "elsewhere" is refused rather
/// than normalised: `..` and `.` segments (also percent-encoded), encoded
/// slashes and backslashes, empty segments (`//`), control characters, and
/// targets that are not absolute paths.
public struct RequestPath: Equatable, Sendable {
    /// Percent-decoded segments, none empty.
    public let segments: [String]
    /// The path ended with `/` (or is the root): it names a folder.
    public let isFolder: Bool

    /// `raw` is the path of the request target as sent, still percent-encoded
    /// and without the query.
    public init?(raw: String) {
        guard raw.hasPrefix("/") else { return nil }
        var parts = raw.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        var folder = false
        if parts.last == "" {
            folder = true
            parts.removeLast()
        }
        var decoded: [String] = []
        for part in parts {
            guard !part.isEmpty, let segment = String(part).removingPercentEncoding, Self.isPlain(segment) else { return nil }
            decoded.append(segment)
        }
        segments = decoded
        isFolder = folder || decoded.isEmpty
    }

    private static func isPlain(_ segment: String) -> Bool {
        guard segment != ".", segment != "..", !segment.isEmpty else { return false }
        return !segment.unicodeScalars.contains { $0 == "/" || $0 == "\\" || $0.value < 0x20 || $0.value == 0x7F }
    }

    /// The output path this request reads: `index.html` for a folder.
    public var outputPath: String {
        let joined = segments.joined(separator: "/")
        if isFolder { return joined.isEmpty ? "index.html" : joined + "/index.html" }
        return joined
    }

    /// For a path without a trailing slash, the folder index it could mean
    /// (`x` → `x/index.html`), to redirect `/x` to `/x/`.
    public var folderIndexPath: String? {
        isFolder ? nil : segments.joined(separator: "/") + "/index.html"
    }
}

extension RequestPath {
    /// The URL path a browser shows for an output path:
    /// `articles/x/index.html` → `/articles/x/`, `style.css` → `/style.css`.
    static func urlPath(forOutput path: String) -> String {
        if path == "index.html" { return "/" }
        if path.hasSuffix("/index.html") { return "/" + path.dropLast("index.html".count) }
        return "/" + path
    }
}

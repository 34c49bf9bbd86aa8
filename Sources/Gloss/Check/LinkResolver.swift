import Foundation

/// Where a site is published, to tell its own URLs from others and map
/// them to output files: `/watch/articles/a/#claim-x` (or
/// `https://example.org/watch/articles/a/#claim-x`) is the file
/// `articles/a/index.html`, element `claim-x`.
struct LinkResolver: Sendable, Hashable {
    /// Starts and ends with `/`.
    let basePath: String
    /// The absolute URL of the base path, ending with `/`, if known.
    let absoluteBase: String?

    init(basePath: String, absoluteBase: String? = nil) {
        var path = basePath.hasPrefix("/") ? basePath : "/" + basePath
        if !path.hasSuffix("/") { path += "/" }
        self.basePath = path
        self.absoluteBase = absoluteBase.map { $0.hasSuffix("/") ? $0 : $0 + "/" }
    }

    enum Target: Hashable, Sendable {
        /// Another site, another scheme (`mailto:`), or outside this site's host.
        case external
        /// A file of the output, by path relative to the output folder, and
        /// the fragment (percent-decoded), if any.
        case file(String, fragment: String?)
        /// A path on this host that is not under the base path.
        case outsideBase(String)
    }

    /// Resolves `url` as written on the page at output path `page`. With
    /// `sameOrigin`, an absolute URL on the site's host but outside its base
    /// path is `.outsideBase` (right for feeds and sitemaps, which list only
    /// the site's own pages); otherwise it is `.external` (a page may well
    /// link to the rest of its host).
    func resolve(_ url: String, from page: String, sameOrigin: Bool = false) -> Target {
        var url = url
        if !url.hasPrefix("/") {  // the common case, a path, needs none of this
            let lower = url.lowercased()
            if let absoluteBase, lower.hasPrefix(absoluteBase.lowercased()) {
                url = basePath + url.dropFirst(absoluteBase.count)
            } else if let absoluteBase, lower + "/" == absoluteBase.lowercased() {
                url = basePath
            } else if sameOrigin, let origin, lower.hasPrefix(origin.lowercased() + "/") {
                url = String(url.dropFirst(origin.count))
            }
        }
        if url.hasPrefix("//") || (!url.hasPrefix("/") && Self.hasScheme(url)) { return .external }
        var fragment: String?
        if let hash = url.firstIndex(of: "#") {
            fragment = String(url[url.index(after: hash)...])
            url = String(url[..<hash])
        }
        if let query = url.firstIndex(of: "?") { url = String(url[..<query]) }
        fragment = fragment.flatMap { $0.isEmpty ? nil : ($0.removingPercentEncoding ?? $0) }
        if url.isEmpty { return .file(page, fragment: fragment) }

        let absolute = url.hasPrefix("/") ? url : directoryURL(of: page) + url
        let dotted = absolute.utf8.split(separator: UInt8(ascii: "/")).contains { $0.first == UInt8(ascii: ".") }
        guard let normalized = dotted ? Self.normalize(absolute) : absolute else { return .outsideBase(absolute) }
        let path = normalized.utf8.contains(UInt8(ascii: "%")) ? normalized.removingPercentEncoding ?? normalized : normalized
        if path + "/" == basePath { return .file("index.html", fragment: fragment) }
        guard path.hasPrefix(basePath) else { return .outsideBase(path) }
        var relative = String(path.dropFirst(basePath.count))
        if relative.isEmpty || relative.hasSuffix("/") { relative += "index.html" }
        return .file(relative, fragment: fragment)
    }

    /// `https://example.org` for `https://example.org/watch/`.
    var origin: String? {
        guard let absoluteBase, let scheme = absoluteBase.range(of: "://") else { return nil }
        let rest = absoluteBase[scheme.upperBound...]
        guard let slash = rest.firstIndex(of: "/"), slash > rest.startIndex else { return nil }
        return String(absoluteBase[..<slash])
    }

    /// The URL path of the folder holding output file `page`.
    func directoryURL(of page: String) -> String {
        guard let slash = page.lastIndex(of: "/") else { return basePath }
        return basePath + page[...slash]
    }

    /// The URL path at which output file `page` is served (`a/index.html` → `/base/a/`).
    func url(of page: String) -> String {
        if page == "index.html" { return basePath }
        if page.hasSuffix("/index.html") { return basePath + page.dropLast("index.html".count) }
        return basePath + page
    }

    /// Removes `.` and `..` segments; nil if `..` climbs above the root.
    static func normalize(_ path: String) -> String? {
        var segments: [Substring] = []
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        for (index, part) in parts.enumerated() {
            let last = index == parts.count - 1
            switch part {
            case ".": if last { segments.append("") }
            case "..":
                guard !segments.isEmpty else { return nil }
                segments.removeLast()
                if last { segments.append("") }
            default: segments.append(part)
            }
        }
        return "/" + segments.joined(separator: "/")
    }

    /// `http:`, `mailto:`, `data:`… (RFC 3986: a letter, then letters, digits, `+`, `-`, `.`).
    static func hasScheme(_ url: String) -> Bool {
        guard let colon = url.firstIndex(of: ":"), let first = url.first, first.isASCII, first.isLetter else { return false }
        return url[..<colon].allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }
    }
}

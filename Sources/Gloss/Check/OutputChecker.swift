import Foundation

/// Checks a built site as files, without writing or changing them:
///
/// - every URL of this site in an HTML page (`href`, `src`, `srcset`,
///   `action`, `data`, `poster`) or in a feed or sitemap (`<link href>`,
///   `<loc>`) names a file of the output, and its `#fragment`, if it points
///   into an HTML file, names an `id` (or `<a name>`) there;
/// - no page defines an id twice;
/// - no page is orphaned.
///
/// **Pages and orphans.** A *page* is an `.html` file the build generated,
/// other than `404.html` (which a host serves for any missing URL, never by
/// its own link). Files copied from `static/` are the author's own and are not
/// pages; feeds, sitemaps, `robots.txt` and JSON exports are not HTML and so
/// not pages either. A page is *reachable* when a chain of navigation links
/// (`<a href>`, `<area href>`, `<form action>`) leads to it from the home page
/// `index.html`, going through pages only; an *orphan* is a page that is not
/// reachable. Fragments and queries do not matter for reachability, and a
/// link that points to a folder reaches its `index.html`.
struct OutputChecker: Sendable {
    let address: LinkResolver
    let files: [OutputFile]
    /// Files that exist in the output but are not scanned (copied from static/).
    let otherFiles: Set<String>

    struct Result: Sendable {
        var problems: [CheckProblem] = []
        var pages = 0
        var references = 0
        /// The ids of each scanned file, with their lines.
        var ids: [String: [String: Int]] = [:]
    }

    static let home = "index.html"
    static let notFound = "404.html"

    /// Whether the output file at `path` is a page (see above).
    static func isPage(_ path: String) -> Bool { path.hasSuffix(".html") && path != notFound }

    func check() -> Result {
        let scanned = files.filter { $0.path.hasSuffix(".html") || $0.path.hasSuffix(".xml") }
        let scans = scanned.parallelMap { file in
            (file.path, HTMLScan(html: [UInt8](file.contents), xml: file.path.hasSuffix(".xml")))
        }
        let ids = Dictionary(scans.map { ($0.0, $0.1.ids) }, uniquingKeysWith: { first, _ in first })
        let existing = Set(files.map(\.path)).union(otherFiles)
        // Each file on its own, on all cores: its problems and where its navigation links go.
        let checked = scans.parallelMap { path, scan in check(path, scan, existing: existing, ids: ids) }
        var result = Result()
        result.ids = ids
        var links: [String: Set<String>] = [:]
        for ((path, scan), found) in zip(scans, checked) {
            result.references += scan.references.count
            result.problems += found.problems
            links[path] = found.links
        }
        let pages = Set(files.map(\.path).filter(Self.isPage))
        result.pages = pages.count
        result.problems += orphans(pages: pages, links: links)
        return result
    }

    private func check(_ path: String, _ scan: HTMLScan, existing: Set<String>, ids: [String: [String: Int]])
        -> (problems: [CheckProblem], links: Set<String>) {
        var problems: [CheckProblem] = []
        var links: Set<String> = []
        var seen: Set<String> = []
        let xml = path.hasSuffix(".xml")
        for reference in scan.references {
            let resolved = address.resolve(reference.url, from: path, sameOrigin: xml)
            guard case .file(let target, let fragment) = resolved else {
                if case .outsideBase(let absolute) = resolved, seen.insert(reference.url).inserted {
                    problems.append(CheckProblem(.outsideBase, page: path, line: reference.line,
                        message: "\(reference.url) (\(absolute) is not under \(address.basePath))", url: reference.url))
                }
                continue
            }
            guard let file = Self.lookup(target, in: existing) else {
                if seen.insert(reference.url).inserted {
                    problems.append(CheckProblem(.brokenLink, page: path, line: reference.line,
                        message: "\(reference.url) (no file \(target) in the output)", url: reference.url))
                }
                continue
            }
            if reference.isNavigation { links.insert(file) }
            if let fragment, fragment.lowercased() != "top", file.hasSuffix(".html"), let targetIDs = ids[file],
               targetIDs[fragment] == nil, seen.insert(reference.url).inserted {
                problems.append(CheckProblem(.brokenFragment, page: path, line: reference.line,
                    message: "\(reference.url) (\(file) has no element with id \"\(fragment)\")", url: reference.url))
            }
        }
        for duplicate in scan.duplicateIDs {
            problems.append(CheckProblem(.duplicateID, page: path, line: duplicate.line,
                message: "id \"\(duplicate.id)\" is already defined on line \(scan.ids[duplicate.id] ?? 0)"))
        }
        return (problems, links)
    }

    /// The file a resolved path names: itself, or a folder's `index.html`
    /// (static hosts answer `/a` with a redirect to `/a/`).
    static func lookup(_ target: String, in existing: Set<String>) -> String? {
        if existing.contains(target) { return target }
        let index = target + "/index.html"
        return existing.contains(index) ? index : nil
    }

    func orphans(pages: Set<String>, links: [String: Set<String>]) -> [CheckProblem] {
        guard pages.contains(Self.home) else {
            return pages.isEmpty ? [] : [CheckProblem(.missingPage, page: Self.home, message: "the site has no home page")]
        }
        var reached: Set<String> = [Self.home]
        var queue = [Self.home]
        while let page = queue.popLast() {
            for target in links[page] ?? [] where pages.contains(target) && reached.insert(target).inserted {
                queue.append(target)
            }
        }
        var inbound: [String: [String]] = [:]
        for (from, targets) in links {
            for target in targets where target != from { inbound[target, default: []].append(from) }
        }
        return pages.subtracting(reached).sorted().map { page in
            let from = (inbound[page] ?? []).sorted()
            let how = from.isEmpty ? "nothing links to it"
                : "linked only from " + from.prefix(3).joined(separator: ", ") + (from.count > 3 ? " and \(from.count - 3) more" : "")
            return CheckProblem(.orphan, page: page, message: "no chain of links from the home page reaches this page; \(how)")
        }
    }
}

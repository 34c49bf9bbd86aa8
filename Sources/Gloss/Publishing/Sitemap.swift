/// `sitemap.xml` (sitemaps.org protocol 0.9) and `robots.txt`.
///
/// A sitemap holds at most 50,000 URLs; a larger archive gets numbered
/// sitemaps (`sitemap-1.xml`, …) and `sitemap.xml` becomes their index.
/// Sitemaps need absolute URLs, so a site whose `base_url` is only a path
/// gets no sitemap (and robots.txt does not point to one).
struct Sitemap {
    struct Entry: Equatable, Sendable {
        let loc: String
        /// The newest article date the page shows, when it shows articles.
        let lastmod: SimpleDate?
    }

    static let namespace = "http://www.sitemaps.org/schemas/sitemap/0.9"
    /// The protocol's maximum number of URLs in one file.
    static let maxURLs = 50_000

    let graph: SiteGraph
    let address: SiteAddress
    /// Output paths of further HTML pages (tag or archive pages, say), listed
    /// after the pages the graph itself describes.
    let extraPages: [String]
    var limit = Sitemap.maxURLs

    /// The files with the key of what they list, so a rebuild whose entries
    /// are all the same keeps them without writing 17,000 URLs again.
    ///
    /// Either made (files, key and paths), or only known by key and paths:
    /// as read from the persistent cache, or kept as published.
    struct Built: Sendable {
        var files: [OutputFile] = []
        /// What the entries are made from, hashed (`key()`).
        let key: Int
        /// The files' output paths.
        let paths: [String]
    }

    func files() -> [OutputFile] { files(reusing: nil).files }

    /// The files, or none where `previous` was made from the same inputs and
    /// its files are in memory or `keepPublished` keeps each of them.
    func files(reusing previous: Built?, keepPublished: (String) -> Bool = { _ in false }) -> Built {
        let key = key()
        if let previous, previous.key == key, !previous.paths.isEmpty {
            if !previous.files.isEmpty { return previous }
            if previous.paths.allSatisfy(keepPublished) { return Built(key: key, paths: previous.paths) }
        }
        let files = address.isAbsolute ? files(entries()) : [robots(sitemap: nil)]
        return Built(files: files, key: key, paths: files.map(\.path))
    }

    /// Everything `entries()` and the files are made from, hashed without
    /// making 17,000 absolute URLs: the address, the articles' slugs and
    /// dates in order, the newest claim's article date, each kind's entities
    /// with the date of the newest article involving them, the other pages.
    func key() -> Int {
        var hasher = StableHasher()
        hasher.combine(address.isAbsolute)
        hasher.combine(address.home)
        hasher.combine(limit)
        hasher.combine(graph.articles.count)
        for article in graph.articles {
            hasher.combine(article.source.slug.value)
            hasher.combine(article.source.date.ordinal)
        }
        hasher.combine(graph.claims.lazy.map(\.article.source.date.ordinal).max() ?? -1)
        for kind in EntityKind.allCases {
            let entities = graph.entities(of: kind)
            hasher.combine(entities.count)
            for entity in entities {
                hasher.combine(entity.id)
                hasher.combine(graph.involving[entity.id]?.first.map { graph.articles[$0].source.date.ordinal } ?? -1)
            }
        }
        hasher.combine(extraPages.count)
        for path in extraPages { hasher.combine(path) }
        return hasher.finalize()
    }

    private func files(_ entries: [Entry]) -> [OutputFile] {
        let index = address.absolute(address.urls.asset("sitemap.xml"))
        guard entries.count > limit else {
            return [OutputFile(path: "sitemap.xml", text: Self.urlset(entries)), robots(sitemap: index)]
        }
        var files: [OutputFile] = []
        var parts: [Entry] = []
        for (number, start) in stride(from: 0, to: entries.count, by: limit).enumerated() {
            let chunk = Array(entries[start..<min(start + limit, entries.count)])
            let name = "sitemap-\(number + 1).xml"
            files.append(OutputFile(path: name, text: Self.urlset(chunk)))
            parts.append(Entry(loc: address.absolute(address.urls.asset(name)), lastmod: chunk.compactMap(\.lastmod).max()))
        }
        return [OutputFile(path: "sitemap.xml", text: Self.sitemapIndex(parts)), robots(sitemap: index)] + files
    }

    /// Every page worth a search engine's visit (not 404.html), home first.
    func entries() -> [Entry] {
        let urls = address.urls
        let newest = graph.articles.first?.source.date
        var list = [Entry(loc: address.home, lastmod: newest)]
        for article in graph.articles {
            list.append(Entry(loc: address.article(article.source.slug.value), lastmod: article.source.date))
        }
        list.append(Entry(loc: address.absolute(urls.claims), lastmod: graph.claims.map(\.article.source.date).max()))
        for kind in EntityKind.allCases {
            let entities = graph.entities(of: kind)
            let dates = entities.map { (entity: $0, date: graph.articles(involving: $0.id).first?.source.date) }
            list.append(Entry(loc: address.absolute(urls.index(kind)), lastmod: dates.compactMap(\.date).max()))
            for (entity, date) in dates.sorted(by: { $0.entity.id < $1.entity.id }) {
                list.append(Entry(loc: address.entity(entity), lastmod: date))
            }
        }
        // Most further pages are among those above; the rest go in path
        // order (sorted once found: paths are unique, so are their URLs).
        let seen = Set(list.map(\.loc))
        let further = extraPages.compactMap { path -> (path: String, loc: String)? in
            guard let page = Self.pagePath(path) else { return nil }
            let loc = address.absolute(urls.asset(page))
            return seen.contains(loc) ? nil : (path, loc)
        }
        list += further.sorted { $0.path < $1.path }.map { Entry(loc: $0.loc, lastmod: nil) }
        return list
    }

    /// `tags/x/index.html` → `tags/x/`; nil for what is not a page to list.
    static func pagePath(_ outputPath: String) -> String? {
        guard outputPath.hasSuffix(".html"), outputPath != "404.html" else { return nil }
        if outputPath == "index.html" { return "" }
        if outputPath.hasSuffix("/index.html") { return String(outputPath.dropLast("index.html".count)) }
        return outputPath
    }

    static func urlset(_ entries: [Entry]) -> String {
        var w = XMLWriter()
        w.open("urlset", ["xmlns": namespace])
        for entry in entries {
            w.open("url")
            w.element("loc", entry.loc)
            w.element("lastmod", entry.lastmod?.description)
            w.close("url")
        }
        w.close("urlset")
        return w.output
    }

    static func sitemapIndex(_ parts: [Entry]) -> String {
        var w = XMLWriter()
        w.open("sitemapindex", ["xmlns": namespace])
        for part in parts {
            w.open("sitemap")
            w.element("loc", part.loc)
            w.element("lastmod", part.lastmod?.description)
            w.close("sitemap")
        }
        w.close("sitemapindex")
        return w.output
    }

    /// Everything may be crawled. Crawlers read robots.txt only at the root
    /// of a host: a site under a sub-path should merge these lines into the
    /// host's own file.
    func robots(sitemap: String?) -> OutputFile {
        var text = "User-agent: *\nDisallow:\n"
        if let sitemap { text += "\nSitemap: \(sitemap)\n" }
        return OutputFile(path: "robots.txt", text: text)
    }
}

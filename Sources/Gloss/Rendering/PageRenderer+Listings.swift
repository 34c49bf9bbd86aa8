/// Listing pages: the paginated home page, the archive by year and month,
/// and the tag pages.
extension PageRenderer {
    static let monthNames = ["January", "February", "March", "April", "May", "June", "July",
                             "August", "September", "October", "November", "December"]

    func listingPages(_ inputs: PageInputs) -> [Page] {
        var pages = paginated(graph.articles, folder: "", template: "home", title: graph.config.title, kind: .home, inputs: inputs)
        // Grouped once: it goes over every article.
        let archive = graph.archive
        pages.append(Page(path: "archive/index.html", template: "archive", context: ["page": archiveIndex(archive)]))
        for (year, months) in archive {
            let all = months.flatMap(\.articles)
            // The month sections follow from the articles' dates, which their versions cover.
            pages.append(Page(path: "archive/\(year)/index.html", template: "listing", inputs: inputs.listing(all), context: ["page": [
                "title": "\(year)", "intro": "\(all.count) article\(all.count == 1 ? "" : "s") from \(year).",
                "sections": .list(months.map { ["title": "\(Self.monthNames[$0.month - 1]) \(year)",
                                                "url": .string(urls.asset("archive/\(year)/\(Self.two($0.month))/")),
                                                "articles": .list($0.articles.map(articleItem))] }),
                "up": ["title": "Archive", "url": .string(urls.asset("archive/"))],
            ]]))
            for (month, articles) in months {
                pages.append(Page(path: "archive/\(year)/\(Self.two(month))/index.html", template: "listing",
                                  inputs: inputs.listing(articles), context: ["page": [
                    "title": "\(Self.monthNames[month - 1]) \(year)",
                    "sections": [["articles": .list(articles.map(articleItem))]],
                    "up": ["title": "\(year)", "url": .string(urls.asset("archive/\(year)/"))],
                ]]))
            }
        }
        let tags = graph.tags
        pages.append(Page(path: "tags/index.html", template: "tags", context: ["page": [
            "title": "Tags",
            "tags": .list(tags.map { ["name": .string($0.name), "url": .string(urls.asset("tags/\($0.slug)/")), "count": .int($0.articles.count)] }),
        ]]))
        for tag in tags {
            pages += paginated(tag.articles, folder: "tags/\(tag.slug)/", template: "listing", title: "Tagged “\(tag.name)”",
                               up: ["title": "Tags", "url": .string(urls.asset("tags/"))], inputs: inputs)
        }
        return pages
    }

    static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// The numbered links of a pager: the first and last pages and two on
    /// each side of the current one, with a gap for the rest, so a listing of
    /// 500 pages does not carry 500 links on each of them.
    static func pagerLinks(count: Int, current: Int, url: (Int) -> String) -> [TemplateValue] {
        var links: [TemplateValue] = []
        var last: Int?
        for number in 1...count where number == 1 || number == count || abs(number - current) <= 2 {
            if let last, number > last + 1 { links.append(["gap": true, "current": false]) }
            links.append(["number": .int(number), "url": .string(url(number)), "current": .bool(number == current), "gap": false])
            last = number
        }
        return links
    }

    /// `folder/index.html`, `folder/page/2/index.html`, … with a pager.
    func paginated(_ articles: [AnnotatedArticle], folder: String, template: String, title: String,
                   kind: PageKind = .other, up: TemplateValue? = nil, inputs: PageInputs) -> [Page] {
        paginate(articles, folder: folder, template: template, title: title, kind: kind, up: up, key: inputs.listing) { slice, _ in
            ["sections": [["articles": .list(slice.map(articleItem))]]]
        }
    }

    /// Splits `items` into pages of `per_page` (page 1 at `folder`, then
    /// `folder/page/N/`), each with its title, pager and `up` link; `fill`
    /// makes the view model of one page from its items and number; `key`
    /// hashes what a page's items show (see `PageInputs`).
    func paginate<Item>(_ items: [Item], folder: String, template: String, title: String, kind: PageKind = .other,
                        up: TemplateValue? = nil, perPage: Int? = nil, key: @escaping (ArraySlice<Item>) -> Int?,
                        fill: @escaping (ArraySlice<Item>, Int) -> TemplateValue) -> [Page] {
        let size = max(1, perPage ?? graph.config.perPage)
        let count = max(1, (items.count + size - 1) / size)
        func url(_ page: Int) -> String { urls.asset(folder + (page == 1 ? "" : "page/\(page)/")) }
        return (1...count).map { number in
            let path = folder + (number == 1 ? "" : "page/\(number)/") + "index.html"
            let slice = items.dropFirst((number - 1) * size).prefix(size)
            return Page(path: path, template: template, kind: number == 1 ? kind : .other) {
                // The pager follows from the item count. The title is hashed too: a
                // tag's or verdict's spelling can change without its path.
                let inputs = key(slice).map { var h = StableHasher(); h.combine($0); h.combine(items.count); h.combine(title); return h.finalize() }
                return Page.Prepared(inputs: inputs, context: {
                    var page = fill(slice, number)
                    page["title"] = .string(number == 1 ? title : "\(title), page \(number)")
                    if let up { page["up"] = up }
                    if count > 1 {
                        page["pager"] = ["current": .int(number), "total": .int(count),
                                         "pages": .list(Self.pagerLinks(count: count, current: number, url: url)),
                                         "previous": number > 1 ? .string(url(number - 1)) : nil,
                                         "next": number < count ? .string(url(number + 1)) : nil]
                    }
                    return ["page": page]
                })
            }
        }
    }

    func archiveIndex(_ archive: [(year: Int, months: [(month: Int, articles: [AnnotatedArticle])])]) -> TemplateValue {
        ["title": "Archive", "years": .list(archive.map { year, months in
            ["year": .int(year), "url": .string(urls.asset("archive/\(year)/")), "count": .int(months.reduce(0) { $0 + $1.articles.count }),
             "months": .list(months.map { ["name": .string(Self.monthNames[$0.month - 1]),
                                            "url": .string(urls.asset("archive/\(year)/\(Self.two($0.month))/")),
                                            "count": .int($0.articles.count)] })]
        })]
    }
}

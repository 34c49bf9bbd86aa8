/// An Atom 1.0 feed (RFC 4287) as a value, and its XML.
///
/// Deterministic: the feed's `updated` is the newest entry's date (the
/// archive works in days), never the time of the build.
struct AtomFeed {
    struct Person {
        let name: String
        let uri: String?
    }

    struct Category {
        let term: String
        let label: String?
        let scheme: String?
    }

    struct Entry {
        /// The article's absolute URL: stable, and the same in every feed.
        let id: String
        let title: String
        let link: String
        let date: SimpleDate
        /// Nil: the feed's author stands for the entry's (RFC 4287 §4.2.1).
        let author: Person?
        let summary: String?
        /// The article body as HTML, or nil for summary-only entries.
        let html: String?
        let categories: [Category]
    }

    let id: String
    let title: String
    let subtitle: String?
    let language: String
    /// Base for relative links inside entry content (the site's absolute base).
    let xmlBase: String?
    /// The HTML page the feed follows.
    let alternate: String
    /// The feed's own URL.
    let selfLink: String
    let author: Person
    let entries: [Entry]
    /// `updated` when there are no entries.
    let emptyDate: SimpleDate

    var updated: SimpleDate { entries.map(\.date).max() ?? emptyDate }

    static func timestamp(_ date: SimpleDate) -> String { "\(date.description)T00:00:00Z" }

    func xml() -> String {
        var w = XMLWriter()
        w.open("feed", ["xmlns": "http://www.w3.org/2005/Atom", "xml:lang": language.isEmpty ? nil : language,
                        "xml:base": xmlBase])
        w.element("id", id)
        w.element("title", title)
        w.element("subtitle", subtitle.flatMap { $0.isEmpty ? nil : $0 })
        w.empty("link", ["rel": "alternate", "type": "text/html", "href": alternate])
        w.empty("link", ["rel": "self", "type": "application/atom+xml", "href": selfLink])
        w.element("updated", Self.timestamp(updated))
        write(author, as: "author", into: &w)
        w.element("generator", "Gloss")
        for entry in entries {
            w.open("entry")
            w.element("id", entry.id)
            w.element("title", entry.title, ["type": "text"])
            w.empty("link", ["rel": "alternate", "type": "text/html", "href": entry.link])
            w.element("published", Self.timestamp(entry.date))
            w.element("updated", Self.timestamp(entry.date))
            if let person = entry.author { write(person, as: "author", into: &w) }
            for category in entry.categories {
                w.empty("category", ["term": category.term, "scheme": category.scheme, "label": category.label])
            }
            w.element("summary", entry.summary.flatMap { $0.isEmpty ? nil : $0 }, ["type": "text"])
            w.element("content", entry.html, ["type": "html"])
            w.close("entry")
        }
        w.close("feed")
        return w.output
    }

    private func write(_ person: Person, as name: String, into w: inout XMLWriter) {
        w.open(name)
        w.element("name", person.name)
        w.element("uri", person.uri)
        w.close(name)
    }
}

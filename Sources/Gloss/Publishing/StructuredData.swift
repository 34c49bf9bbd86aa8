/// JSON-LD for one page, as a single `@graph` (schema.org).
///
/// Every page has the `WebSite` and its publisher, and describes itself
/// (`CollectionPage`, `ProfilePage`, `WebPage`). An article page adds its
/// `NewsArticle` and a `Claim` (with its `ClaimReview` when reviewed) for
/// each claim it anchors: the article is where the claim appears and where
/// the review's `url` points, so claims are described there only, not again
/// on every entity page and index that lists them (on a 10,000-article
/// archive that repetition was a quarter of the output). An entity page adds
/// its `Person`, `Organization`, `Place` or `Legislation`. Entities referred
/// to are added as short nodes, so every `@id` a page uses is described on it.
enum StructuredData {
    /// The script body, already safe to place inside `<script type="application/ld+json">`:
    /// `<`, `>` and `&` are written as JSON escapes, so no content can end
    /// the element or open a comment, and the text is still the same JSON.
    /// `nodes` is made once for every page (its address parses the base URL).
    static func json(for page: PageKind, nodes: SchemaNodes) -> String? {
        // The nodes every page has are written already (`SchemaNodes.opening`),
        // and so is each entity's short node: the page's own are written after them.
        let own = pageNodes(for: page, nodes)
        var out = nodes.opening
        out.reserveCapacity(out.count + 2048)
        for node in own {
            out.append(UInt8(ascii: ","))
            JSONValue.object(node).write(into: &out, escaping: .script, omitEmpty: true)
        }
        // Every entity referred to but not described gets its short node, so
        // every `@id` the page uses is described on it. (The website and
        // publisher refer to nothing else.)
        var described = Set(own.compactMap { node -> String? in
            if case .string(let id)? = node["@id"] { return id }
            return nil
        })
        described.insert(nodes.websiteID)
        described.insert(nodes.publisherID)
        for id in SchemaNodes.referencedIDs(in: own) where !described.contains(id) {
            guard let node = nodes.entityNode(forID: id) else { continue }
            described.insert(id)
            out.append(UInt8(ascii: ","))
            out += node.utf8
        }
        out += "]}".utf8
        return String(decoding: out, as: UTF8.self)
    }

    /// A node or document as a page's script writes it: on one line, with
    /// `<`, `>` and `&` escaped, and without empty members.
    static func written(_ value: JSONValue) -> String { value.serialized(escaping: .script, omitEmpty: true) }

    /// The page's own nodes, after the `WebSite` and publisher.
    private static func pageNodes(for page: PageKind, _ nodes: SchemaNodes) -> [JSONObject] {
        let graph = nodes.graph, address = nodes.address
        switch page {
        case .home:
            return [nodes.webPage("CollectionPage", url: address.home, name: graph.config.title)]
        case .article(let article):
            return [nodes.article(article)] + article.claims.flatMap { nodes.claim(SiteGraph.Claim(source: $0, article: article)) }
        case .entity(let entity):
            let type = entity.kind == .person || entity.kind == .organization ? "ProfilePage" : "WebPage"
            return [nodes.webPage(type, url: address.entity(entity), name: entity.name, mainEntity: nodes.entityID(entity)),
                    nodes.entity(entity, full: true)]
        case .kindIndex(let kind):
            return [nodes.webPage("CollectionPage", url: address.absolute(address.urls.index(kind)), name: kind.title)]
        case .claims:
            return [nodes.webPage("CollectionPage", url: address.absolute(address.urls.claims), name: "Claims")]
        case .other:
            return []
        }
    }
}

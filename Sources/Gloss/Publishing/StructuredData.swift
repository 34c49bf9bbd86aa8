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
        let list = self.nodes(for: page, nodes)
        let document: JSONValue = .object(["@context": "https://schema.org", "@graph": .array(list.map { .object($0) })])
        return document.serialized(escaping: .script, omitEmpty: true)
    }

    static func nodes(for page: PageKind, _ nodes: SchemaNodes) -> [JSONObject] {
        let graph = nodes.graph, address = nodes.address
        var list = [nodes.websiteNode, nodes.publisherNode]
        switch page {
        case .home:
            list.append(nodes.webPage("CollectionPage", url: address.home, name: graph.config.title))
        case .article(let article):
            list.append(nodes.article(article))
            for claim in article.claims { list += nodes.claim(SiteGraph.Claim(source: claim, article: article)) }
        case .entity(let entity):
            let type = entity.kind == .person || entity.kind == .organization ? "ProfilePage" : "WebPage"
            list.append(nodes.webPage(type, url: address.entity(entity), name: entity.name, mainEntity: nodes.entityID(entity)))
            list.append(nodes.entity(entity, full: true))
        case .kindIndex(let kind):
            list.append(nodes.webPage("CollectionPage", url: address.absolute(address.urls.index(kind)), name: kind.title))
        case .claims:
            list.append(nodes.webPage("CollectionPage", url: address.absolute(address.urls.claims), name: "Claims"))
        case .other:
            break
        }
        return withReferencedEntities(list, nodes)
    }

    /// Adds a short node for each entity referred to but not described.
    private static func withReferencedEntities(_ list: [JSONObject], _ nodes: SchemaNodes) -> [JSONObject] {
        var result = list
        var described = Set(list.compactMap { node -> String? in
            if case .string(let id)? = node["@id"] { return id }
            return nil
        })
        for id in SchemaNodes.referencedIDs(in: list) where !described.contains(id) {
            guard let node = nodes.entityNode(forID: id) else { continue }
            described.insert(id)
            result.append(node)
        }
        return result
    }
}

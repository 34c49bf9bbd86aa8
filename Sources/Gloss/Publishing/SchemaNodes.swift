/// schema.org nodes for JSON-LD, one function per kind of thing. Nodes
/// refer to each other by `@id` (absolute URLs with a fragment), so the same
/// person is one node whichever page describes it.
struct SchemaNodes {
    let graph: SiteGraph
    let address: SiteAddress
    /// What every page repeats, written once per build as the JSON-LD of a
    /// page writes it (`StructuredData`): the document's opening with the
    /// `WebSite` and publisher nodes, and each entity's short node by its
    /// `@id`. Writing them again for each page was half the time spent
    /// writing its JSON-LD text (`perf`, a clean build of 10,000 articles).
    private(set) var opening: [UInt8] = []
    private var shortEntityNodes: [String: String] = [:]

    /// `shortNodes`: each entity's short node, if written already (`EntityTables`).
    init(graph: SiteGraph, address: SiteAddress, shortNodes: [String: String]? = nil) {
        self.graph = graph
        self.address = address
        let document: JSONValue = .object(["@context": "https://schema.org", "@graph": [.object(website()), .object(publisher())]])
        // All but the closing `]}`, for the page's own nodes to follow.
        opening = Array(StructuredData.written(document).utf8.dropLast(2))
        if let shortNodes {
            shortEntityNodes = shortNodes
        } else {
            for entity in graph.registry.entities.values {
                shortEntityNodes[entityID(entity)] = StructuredData.written(.object(self.entity(entity, full: false)))
            }
        }
    }

    /// Each entity's short node as written, by its `@id`.
    var shortNodes: [String: String] { shortEntityNodes }

    var websiteID: String { address.home + "#website" }
    var publisherID: String { address.home + "#publisher" }
    func entityID(_ entity: EntitySource) -> String { address.entity(entity) + "#entity" }
    func articleID(_ slug: String) -> String { address.article(slug) + "#article" }
    func reviewID(_ claim: SiteGraph.Claim) -> String { address.claim(claim) + "-review" }

    static func ref(_ id: String) -> JSONValue { .object(["@id": .string(id)]) }

    static func type(of kind: EntityKind) -> String {
        switch kind {
        case .person: "Person"
        case .organization: "Organization"
        case .place: "Place"
        case .treaty: "Legislation"
        }
    }

    private func website() -> JSONObject {
        ["@type": "WebSite", "@id": .string(websiteID), "url": .string(address.home), "name": .string(graph.config.title),
         "description": .string(graph.config.description.isEmpty ? nil : graph.config.description),
         "inLanguage": .string(graph.config.language), "publisher": Self.ref(publisherID)]
    }

    /// The archive as the publisher of its articles and reviews.
    private func publisher() -> JSONObject {
        ["@type": "Organization", "@id": .string(publisherID), "name": .string(graph.config.title), "url": .string(address.home)]
    }

    /// The page itself (`WebPage`, `CollectionPage`, `ProfilePage`).
    func webPage(_ type: String, url: String, name: String, mainEntity: String? = nil) -> JSONObject {
        ["@type": .string(type), "@id": .string(url), "url": .string(url), "name": .string(name),
         "inLanguage": .string(graph.config.language), "isPartOf": Self.ref(websiteID),
         "mainEntity": mainEntity.map(Self.ref) ?? .string(nil)]
    }

    /// An entity: its type, name, page and `sameAs` links; `full` adds what
    /// its own page shows (aliases, description, a treaty's dates and parties).
    func entity(_ e: EntitySource, full: Bool) -> JSONObject {
        var node: JSONObject = ["@type": .string(Self.type(of: e.kind)), "@id": .string(entityID(e)),
                                "name": .string(e.name), "url": .string(address.entity(e)), "sameAs": .strings(e.sameAs)]
        if e.kind == .treaty { node["legislationType"] = "treaty" }
        guard full else { return node }
        node["alternateName"] = .strings(e.aliases.map(\.value))
        node["description"] = .string(e.description)
        if e.kind == .treaty {
            node["legislationDate"] = .string(e.signed?.description)
            node["legislationDateOfApplicability"] = .string(e.inForce?.description)
            node["expires"] = .string(e.expires?.description)
            node["creativeWorkStatus"] = .string(e.status)
            node["legislationPassedBy"] = .array(e.parties.compactMap { graph.registry[$0.value] }.map { Self.ref(entityID($0)) })
        }
        return node
    }

    /// Entities listed in the article's front matter are what it is `about`;
    /// the others it names are `mentions`.
    func article(_ a: AnnotatedArticle) -> JSONObject {
        let s = a.source
        let about = EntityKind.allCases.flatMap { s.about[$0] ?? [] }.compactMap { graph.registry[$0.value] }
        let aboutIDs = Set(about.map(\.id))
        var mentioned: [EntitySource] = []
        var seen = aboutIDs
        for id in a.mentionedIDs where seen.insert(id).inserted {
            if let entity = graph.registry[id] { mentioned.append(entity) }
        }
        let url = address.article(s.slug.value)
        let author = s.author.flatMap { graph.registry[$0.value] }.map { entityID($0) } ?? publisherID
        return ["@type": "NewsArticle", "@id": .string(articleID(s.slug.value)), "url": .string(url),
                "mainEntityOfPage": .string(url), "headline": .string(s.title),
                "description": .string(PageRenderer.nonEmpty(s.summary ?? a.lede)),
                "datePublished": .string(s.date.description), "inLanguage": .string(graph.config.language),
                "author": Self.ref(author), "publisher": Self.ref(publisherID), "isPartOf": Self.ref(websiteID),
                "keywords": .strings(s.tags), "wordCount": .int(a.wordCount),
                "about": .array(about.map { Self.ref(entityID($0)) }),
                "mentions": .array(mentioned.map { Self.ref(entityID($0)) })]
    }

    /// The claim, where it appears (the article, and its source if given),
    /// and its review when there is one.
    func claim(_ c: SiteGraph.Claim) -> [JSONObject] {
        let s = c.source
        let speaker = graph.registry[s.by.value].map { Self.ref(entityID($0)) } ?? .string(nil)
        var appearance: [JSONValue] = [Self.ref(articleID(c.article.source.slug.value))]
        var first = JSONValue.string(nil)
        if let source = s.source {
            first = .object(["@type": "CreativeWork", "url": .string(source)])
            appearance.append(first)
        }
        let claim: JSONObject = [
            "@type": "Claim", "@id": .string(address.claim(c)), "text": .string(s.quote.value),
            "author": speaker, "datePublished": .string(c.date.description), "description": .string(s.context),
            "about": .array(s.about.compactMap { graph.registry[$0.value] }.map { Self.ref(entityID($0)) }),
            "appearance": .array(appearance), "firstAppearance": first,
        ]
        guard let review = s.review else { return [claim] }
        let reviewer = review.by.flatMap { graph.registry[$0.value] }.map { entityID($0) } ?? publisherID
        let rating: JSONObject = ["@type": "Rating", "alternateName": .string(review.rating)]
        let node: JSONObject = [
            "@type": "ClaimReview", "@id": .string(reviewID(c)), "url": .string(address.claim(c)),
            "claimReviewed": .string(s.quote.value), "itemReviewed": Self.ref(address.claim(c)),
            "reviewRating": .object(rating), "reviewBody": .string(review.note), "author": Self.ref(reviewer),
            "publisher": Self.ref(publisherID), "datePublished": .string(c.article.source.date.description),
        ]
        return [claim, node]
    }

    /// The short node for an entity `@id` (`…/people/x/#entity`) as written, if it is one.
    func entityNode(forID id: String) -> String? { shortEntityNodes[id] }

    /// Every `@id` a node list refers to (`{"@id": …}` objects), in order.
    static func referencedIDs(in nodes: [JSONObject]) -> [String] {
        var found: [String] = []
        func visit(_ value: JSONValue, top: Bool) {
            switch value {
            case .array(let items): items.forEach { visit($0, top: false) }
            case .object(let object):
                if !top, object.members.count == 1, case .string(let id)? = object["@id"] { found.append(id) }
                object.members.forEach { visit($0.value, top: false) }
            default: break
            }
        }
        nodes.forEach { visit(.object($0), top: true) }
        return found
    }
}

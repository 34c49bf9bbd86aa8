/// Each entity as a link (with `about` and `last` marked either way) and as
/// a short JSON-LD node, by id: made from the entities and the site's
/// addresses, and kept for the next build while those are the same objects
/// and addresses. A preview's rebuild after an article was saved made them
/// again for every entity: 10 ms of each save at 1,500 entities.
struct EntityTables: Sendable {
    /// What they were made from.
    private let registry: EntityRegistry
    private let home: String
    private let basePath: String
    let refs: [String: TemplateValue]
    let markedRefs: [String: PageRenderer.MarkedRefs]
    let schemaNodes: [String: String]
    /// The letter each is listed under on its kind's index: folding accents
    /// away for each entity was 2 % of a preview's rebuild at 1,500 entities.
    let initials: [String: String]

    init(registry: EntityRegistry, urls: SiteURLs, address: SiteAddress, schemaNodes: [String: String]) {
        self.registry = registry
        home = address.home
        basePath = urls.basePath
        refs = registry.entities.mapValues { entity in
            ["name": .string(entity.name), "url": .string(urls.entity(entity.kind, entity.id)), "id": .string(entity.id),
             "kind": .string(entity.kind.rawValue)]
        }
        markedRefs = refs.mapValues(PageRenderer.MarkedRefs.init)
        self.schemaNodes = schemaNodes
        initials = registry.entities.mapValues { PageRenderer.initial(of: $0.name) }
    }

    /// Whether they were made from these very entities and addresses.
    func fit(_ registry: EntityRegistry, _ urls: SiteURLs, _ address: SiteAddress) -> Bool {
        home == address.home && basePath == urls.basePath && self.registry.hasSameEntities(as: registry)
    }
}

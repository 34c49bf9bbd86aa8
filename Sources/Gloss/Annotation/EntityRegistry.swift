/// Every entity of the site by id, with the matcher for its names. Built
/// once, read by every article task.
public struct EntityRegistry: Sendable {
    public let entities: [String: EntitySource]
    /// Made on first use: only annotating needs it, and a build whose
    /// articles and entities are as last time (or that reuses its annotator)
    /// never makes it.
    private let lazyMatcher: Lazy<NameMatcher>
    public var matcher: NameMatcher { lazyMatcher.value }
    /// Surface forms claimed by more than one entity.
    public let sharedNames: [String: [String]]
    /// The entities it was made from, as given.
    private let sources: [EntitySource]

    /// `previous` itself when it was made from the same entity objects (a
    /// preview's rebuild after an article was saved): making the tables
    /// again took 7 ms of every save at 1,500 entities.
    public init(_ list: [EntitySource], reusing previous: EntityRegistry?) {
        if let previous, previous.hasSameEntities(as: list) {
            self = previous
        } else {
            self.init(list)
        }
    }

    /// Whether `other` was made from the very entity objects this was, in order.
    func hasSameEntities(as other: EntityRegistry) -> Bool { hasSameEntities(as: other.sources) }

    /// Whether `list` holds the very entity objects this was made from, in order.
    func hasSameEntities(as list: [EntitySource]) -> Bool {
        sources.count == list.count && zip(sources, list).allSatisfy { $0 === $1 }
    }

    public init(_ list: [EntitySource]) {
        sources = list
        var byID: [String: EntitySource] = [:]
        var names: [(String, String)] = []
        var owners: [String: Set<String>] = [:]
        for entity in list where byID[entity.id] == nil {
            byID[entity.id] = entity
            for surface in [entity.name] + entity.aliases.map(\.value) where !surface.isEmpty {
                names.append((surface, entity.id))
                owners[surface, default: []].insert(entity.id)
            }
        }
        entities = byID
        let surfaces = names.map { (surface: $0.0, id: $0.1) }
        lazyMatcher = Lazy { NameMatcher(names: surfaces) }
        sharedNames = owners.filter { $0.value.count > 1 }.mapValues { $0.sorted() }
    }

    public subscript(id: String) -> EntitySource? { entities[id] }

    /// An error for an unknown id, with the closest existing id as a hint.
    public func unknown(_ id: String, at location: SourceLocation, kinds: [EntityKind]? = nil) -> Diagnostic {
        let candidates = entities.values.filter { kinds?.contains($0.kind) ?? true }.map(\.id)
        let what = kinds.map { $0.map(\.rawValue).joined(separator: " or ") } ?? "entity"
        return .error("unknown \(what) '\(id)'", at: location, suggestion: Suggestion.closest(to: id, in: candidates))
    }

    /// Checks that `id` names an entity of one of `kinds`; nil if it does.
    public func check(_ ref: Located<String>, kinds: [EntityKind]? = nil) -> Diagnostic? {
        guard let entity = entities[ref.value] else { return unknown(ref.value, at: ref.location, kinds: kinds) }
        if let kinds, !kinds.contains(entity.kind) {
            return .error("'\(ref.value)' is a \(entity.kind.rawValue), not a \(kinds.map(\.rawValue).joined(separator: " or "))",
                          at: ref.location)
        }
        return nil
    }
}

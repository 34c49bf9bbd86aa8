/// `entities.json` and `claims.json`: the whole archive's entities and
/// claims as data, with absolute URLs. Every key is always present (`null`
/// or `[]` when there is nothing), so consumers can rely on the shape.
struct JSONExport {
    let graph: SiteGraph
    let address: SiteAddress

    /// Bumped when the shape changes incompatibly.
    static let version = 1

    /// Tens of megabytes on a large archive: items are written in parallel,
    /// and an item whose inputs (the versions of the files it is made from,
    /// entity names and settings) are as in `cache` is not written again.
    /// Items wait in `spill`, if given, until the two files are put together;
    /// each file goes to `emit` to be written a piece at a time, never held whole.
    /// A file whose head and items are all as last time, byte for byte and
    /// in the same order, is not put together again if `keepPublished`
    /// keeps the published one.
    func files(inputs: PageInputs, environment: Int, reusing cache: ReuseCache<StoredText>, spill: TextSpill? = nil,
               keepPublished: (String) -> Bool = { _ in false }, emit: (StreamedFile) -> Void) -> ReuseCache<StoredText> {
        @Sendable func key(_ inputs: Int?) -> Int? {
            inputs.map { var hasher = StableHasher(); hasher.combine(environment); hasher.combine($0); return hasher.finalize() }
        }
        let entities = graph.registry.entities.values.sorted { ($0.kind, $0.id) < ($1.kind, $1.id) }
        let claims = graph.claims, entityCount = entities.count, paths = ["entities.json", "claims.json"]
        var texts = ReuseRun(count: entityCount + claims.count, reusing: cache, others: paths.map { "#" + $0 }) { index in
            guard index >= entityCount else { return ("e:" + entities[index].id, key(inputs.entity(entities[index]))) }
            let claim = claims[index - entityCount]
            // Its key has a "/", which no entity's id nor file name has.
            return (claim.key, key(inputs.claims(CollectionOfOne(claim))))
        } make: { index in
            StoredText(index < entityCount ? entity(entities[index]).prettyItem : claim(claims[index - entityCount]).prettyItem, in: spill)
        }
        let head: JSONObject = ["version": .int(Self.version), "site": site]
        /// The file's bytes, hashed from the head and each item's checksum in
        /// the spill. By content, not by the items' keys: an edit to an
        /// article changes the keys of its claims, rarely their text. An item
        /// not in the spill (all of them in a build in memory) adds its name,
        /// and `compare` says its text must be compared with last time's.
        func contentKey(_ range: Range<Int>) -> (key: Int, compare: Bool) {
            var hasher = StableHasher()
            hasher.combine(JSONValue.object(head).serialized())
            hasher.combine(range.count)
            var compare = false
            for index in range {
                if let spill, let place = texts.items[index].value.place(in: spill) {
                    hasher.combine(place.count)
                    hasher.combine(place.checksum)
                } else {
                    hasher.combine(texts.items[index].name)
                    compare = true
                }
            }
            return (hasher.finalize(), compare)
        }
        /// Whether each item's text is as last time: an item reused from the
        /// cache is, and one made again is compared with the cache's.
        func sameItems(_ range: Range<Int>) -> Bool {
            texts.items[range].allSatisfy { item in item.reused || cache[item.name].map { $0.value.value == item.value.value } ?? false }
        }
        func document(_ path: String, _ listKey: String, _ range: Range<Int>) {
            let name = "#" + path
            let (key, compare) = contentKey(range)
            texts.cache[name] = (key, StoredText(""))
            // `keepPublished` last: it keeps the file when it says so.
            if cache[name]?.key == key, !compare || sameItems(range), keepPublished(path) { return }
            let items = texts.items[range].map(\.value)
            emit(StreamedFile(path: path) { append in
                JSONValue.prettyDocument(head, listKey: listKey, count: items.count, item: { items[$0].value }, to: append)
            })
        }
        document(paths[0], "entities", 0..<entityCount)
        document(paths[1], "claims", entityCount..<texts.items.count)
        return texts.cache
    }

    private var site: JSONValue {
        .object(["title": .string(graph.config.title), "url": .string(address.home),
                 "language": .string(graph.config.language)])
    }

    private func date(_ date: SimpleDate?) -> JSONValue { .string(date?.description) }

    func entity(_ e: EntitySource) -> JSONValue {
        let mentioned = (graph.backlinks[e.id] ?? []).map { link -> JSONValue in
            .object(["slug": .string(link.article.source.slug.value), "url": .string(address.article(link.article.source.slug.value)),
                     "about": .bool(link.isAbout), "mentions": .int(link.mentionCount)])
        }
        return .object([
            "id": .string(e.id), "kind": .string(e.kind.rawValue), "name": .string(e.name),
            "aliases": .strings(e.aliases.map(\.value)), "description": .string(e.description),
            "url": .string(address.entity(e)), "feed": .string(address.entity(e) + "feed.xml"),
            "sameAs": .strings(e.sameAs),
            "signed": date(e.signed), "inForce": date(e.inForce), "expires": date(e.expires), "status": .string(e.status),
            "parties": .strings(e.parties.map(\.value)),
            "facts": .array(e.facts.map { .object(["label": .string($0.label), "value": .string($0.value)]) }),
            "articles": .array(mentioned),
            "authored": .strings((graph.articlesBy[e.id] ?? []).map(\.source.slug.value)),
            "claimsBy": .strings((graph.claimsBy[e.id] ?? []).map(\.key)),
            "claimsAbout": .strings((graph.claimsAbout[e.id] ?? []).map(\.key)),
        ])
    }

    private func reference(_ id: String) -> JSONValue {
        guard let entity = graph.registry[id] else { return .object(["id": .string(id), "kind": .string(nil), "name": .string(id), "url": .string(nil)]) }
        return .object(["id": .string(id), "kind": .string(entity.kind.rawValue), "name": .string(entity.name),
                        "url": .string(address.entity(entity))])
    }

    func claim(_ c: SiteGraph.Claim) -> JSONValue {
        let s = c.source, article = c.article.source
        var review = JSONValue.string(nil)
        if let r = s.review {
            review = .object(["rating": .string(r.rating), "by": r.by.map { reference($0.value) } ?? .string(nil),
                              "note": .string(r.note)])
        }
        return .object([
            "key": .string(c.key), "id": .string(s.id.value), "quote": .string(s.quote.value),
            "url": .string(address.claim(c)), "date": date(c.date),
            "by": reference(s.by.value), "about": .array(s.about.map { reference($0.value) }),
            "article": .object(["slug": .string(article.slug.value), "title": .string(article.title),
                                "date": date(article.date), "url": .string(address.article(article.slug.value))]),
            "source": .string(s.source), "context": .string(s.context), "review": review,
        ])
    }
}

/// What one build can reuse from the previous one, so that a change to one
/// article re-does only the work that depends on it. A value: a build reads
/// the old cache and returns a new one; nothing is shared while tasks run.
/// Keys are `StableHasher` values, the same in every process, so the part
/// of a cache that `PersistentCache` stores is valid for the next
/// `gloss build` too.
public struct BuildCache: Sendable {
    var sources = SourceCache()
    /// Everything annotation depends on besides the article itself: entity
    /// names and aliases, settings, templates.
    var environment: Int?
    /// An annotated article with what was found in it: what its references
    /// gave (`SiteChecks`), then what annotating it did.
    typealias Annotation = (stamp: FileStamp, result: (AnnotatedArticle, [Diagnostic]))
    var annotations: [String: Annotation] = [:]
    var descriptions: [String: (stamp: FileStamp, html: String)] = [:]
    /// The annotator of that environment, if one was needed.
    var annotator: Annotator?
    /// Backlink excerpts and co-mention counts.
    var graph = SiteGraph.Cache()
    /// The last build's whole graph, kept in memory by a build that keeps
    /// its site in memory (the preview server's): an edit that leaves every
    /// article's place in the graph as it was is patched into it
    /// (`SiteGraph.patched`). Not stored by `PersistentCache`.
    var lastGraph: SiteGraph?
    /// Each entity as a link and a JSON-LD node, kept with `lastGraph`.
    var entityTables: EntityTables?
    /// Rendered pages and related-article lists.
    var pages = PageRenderer.Cache()
    /// Atom feeds by output path, with the key of what they list.
    var feeds: ReuseCache<StoredText> {
        get { ownFeeds ?? late?.value?.feeds ?? [:] }
        set { ownFeeds = newValue }
    }
    /// The sitemap's files and the key of what they list.
    var sitemap: Sitemap.Built?
    /// Items of `entities.json` and `claims.json`, written, by entity and claim.
    var data: ReuseCache<StoredText> {
        get { ownData ?? late?.value?.data ?? [:] }
        set { ownData = newValue }
    }
    /// Every path in the output folder, when the cache was loaded for the
    /// folder the build that saved it published (`PersistentCache`): the
    /// next build may then update that folder in place.
    var published: [String]?
    /// Search documents, tokenized, by source.
    var search: SearchIndex.Cache {
        get { ownSearch ?? late?.value?.search ?? SearchIndex.Cache() }
        set { ownSearch = newValue }
    }
    /// The feeds, export items and search index of a cache loaded from its
    /// file, decoded on another core while the build goes on
    /// (`PersistentCache.decode`): the properties above wait for them on
    /// first use. Damaged, they count as empty: each only saves work.
    var late: Background<LateSections?>?
    private var ownFeeds: ReuseCache<StoredText>?, ownData: ReuseCache<StoredText>?, ownSearch: SearchIndex.Cache?
    /// Where the cache file this cache was loaded from holds its records,
    /// and in what order: the next save copies those of what did not change
    /// (`LoadedRecords`).
    var loaded: LoadedRecords?

    public init() {}

    static func environment(_ config: SiteConfig, _ registry: EntityRegistry, _ templates: TemplateSet) -> Int {
        var hasher = StableHasher()
        hasher.combine(templates.fingerprint)
        hasher.combine(config.baseURL)
        hasher.combine(config.mentionLinks.rawValue)
        hasher.combine(config.unsafeHTML)
        hasher.combine(config.ambiguousQuotes.rawValue)
        for entity in registry.entities.values.sorted(by: { $0.id < $1.id }) {
            hasher.combine(entity.id)
            hasher.combine(entity.kind.rawValue)
            hasher.combine(entity.name)
            hasher.combine(entity.aliases.map(\.value))
        }
        return hasher.finalize()
    }
}

extension BuildCache {
    /// The annotations a build made or reused, by path: `annotated` in the
    /// order of its articles, with `references` (what each article's
    /// references gave, nil where its annotation was reused from `previous`,
    /// whose diagnostics hold them already).
    ///
    /// After a few edits, `previous` with those articles set (when each
    /// article it holds is still one): putting 10,000 annotations in a new
    /// table after every save cost more than annotating the edited one.
    static func annotations(_ annotated: [(AnnotatedArticle, [Diagnostic])], references: [[Diagnostic]?],
                            stamps: [String: FileStamp], after previous: [String: Annotation]) -> [String: Annotation] {
        let fresh = zip(annotated, references).filter { $0.1 != nil }
        let known = annotated.count - fresh.count + fresh.count { previous[$0.0.0.source.path] != nil }
        var table: [String: Annotation]
        if known == previous.count, fresh.count * 4 < annotated.count {
            table = previous
        } else {
            table = [:]
            table.reserveCapacity(annotated.count)
            for ((article, found), own) in zip(annotated, references) where own == nil {
                table[article.source.path] = stamps[article.source.path].map { ($0, (article, found)) }
            }
        }
        for ((article, found), own) in fresh {
            let diagnostics = own.map { $0.isEmpty ? found : $0 + found } ?? found
            table[article.source.path] = stamps[article.source.path].map { ($0, (article, diagnostics)) }
        }
        return table
    }
}

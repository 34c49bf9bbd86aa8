import Foundation

/// Stage 5: turns the site graph into output files through the templates.
/// View models are written as `TemplateValue` literals;
/// every value from content is escaped by the templates' `{{…}}`, and only
/// cmark's HTML goes in raw.
public struct PageRenderer: Sendable {
    /// What every page reads, in one object: each of the 17,000 pages of
    /// 10,000 articles keeps closures that capture the renderer, and copying
    /// eight references into each was a third of listing them on a rebuild.
    private final class State: Sendable {
        let graph: SiteGraph
        let templates: TemplateSet
        let urls: SiteURLs
        let entityHTML: [String: String]
        let inputs: PageInputs
        let environment: Int
        let schema: SchemaNodes
        /// Each entity as a link and as a short JSON-LD node (`EntityTables`).
        /// Links are also there with `about` or `last` set either way:
        /// article pages and claim cards mark them on every page, and
        /// setting a field copied the link's fields each time.
        let tables: EntityTables

        init(graph: SiteGraph, templates: TemplateSet, entityHTML: [String: String], inputs: PageInputs, environment: Int,
             reusing previous: EntityTables?) {
            self.graph = graph
            self.templates = templates
            let urls = SiteURLs(basePath: graph.config.basePath)
            self.urls = urls
            self.entityHTML = entityHTML
            self.inputs = inputs
            self.environment = environment
            let address = SiteAddress(config: graph.config, urls: urls)
            let kept = previous.flatMap { $0.fit(graph.registry, urls, address) ? $0 : nil }
            schema = SchemaNodes(graph: graph, address: address, shortNodes: kept?.schemaNodes)
            tables = kept ?? EntityTables(registry: graph.registry, urls: urls, address: address, schemaNodes: schema.shortNodes)
        }
    }

    struct MarkedRefs: Sendable {
        let about: [TemplateValue], last: [TemplateValue]

        init(_ ref: TemplateValue) {
            func marked(_ key: String, _ flag: Bool) -> TemplateValue {
                var ref = ref
                ref[key] = .bool(flag)
                return ref
            }
            about = [marked("about", false), marked("about", true)]
            last = [marked("last", false), marked("last", true)]
        }
    }

    private let state: State

    public var graph: SiteGraph { state.graph }
    public var templates: TemplateSet { state.templates }
    public var urls: SiteURLs { state.urls }
    /// Entity descriptions rendered to HTML, by id.
    public var entityHTML: [String: String] { state.entityHTML }
    /// Source file versions and the hash of everything every page depends on
    /// (entity names, settings): what lets a rebuild skip unchanged pages
    /// without making their view models.
    var inputs: PageInputs { state.inputs }
    var environment: Int { state.environment }
    /// Every page's JSON-LD is made from these.
    var schema: SchemaNodes { state.schema }
    /// Each entity as a link (name, URL, id, kind), made once: claim cards,
    /// listings and JSON-LD name the same entities on thousands of pages.
    private var entityRefs: [String: TemplateValue] { state.tables.refs }
    /// For the next build (`reusing`).
    var entityTables: EntityTables { state.tables }

    /// `reusing`: the last build's entity tables, kept if they fit.
    init(graph: SiteGraph, templates: TemplateSet, entityHTML: [String: String], inputs: PageInputs, environment: Int,
         reusing tables: EntityTables? = nil) {
        state = State(graph: graph, templates: templates, entityHTML: entityHTML, inputs: inputs, environment: environment,
                      reusing: tables)
    }

    /// Renders the pages whose inputs changed. Most pages are keyed by the
    /// versions of what they show (`PageInputs`), so an unchanged one costs
    /// no view model; the others are keyed by their view model. A page whose
    /// key is as in `cache` is reused as it was.
    ///
    /// With a `sink`, each page is handed over as soon as it is made, the
    /// returned files keep only their paths, and the cache only the keys: a
    /// build that streams its pages to disk holds none of them in memory.
    ///
    /// `unchanged`: what changed since the build that made `cache`, if known.
    func render(assets: [String: String], reusing cache: Cache, unchanged: UnchangedInputs? = nil,
                progress: ParallelProgress? = nil, sink: (any PageSink)? = nil) -> (files: [OutputFile], cache: Cache, rendered: Int) {
        let site = siteContext(assets: assets)
        var siteHasher = StableHasher()
        siteHasher.combine(templates.fingerprint)
        siteHasher.combine(environment)
        siteHasher.combine(site)
        let siteKey = siteHasher.finalize()
        let kept = cache.siteKey == siteKey ? unchanged.map { (unchanged: $0, keys: cache.pages) } : nil
        let list = pages(related: cache.related, keeping: kept)
        let results = list.parallelMap(progress: progress) { page -> Made in
            let made = make(page)
            guard let sink, let file = made.file else { return made }
            sink.add(file)
            return Made(path: made.path, key: made.key, file: nil, related: made.related, relatedKept: made.relatedKept, fresh: made.fresh)
        }
        // Freed on another core: each page's closures were 3 % of a preview
        // rebuild's samples on the thread the writer waits for.
        Handoff(list).dropInBackground()
        let next = Cache(after: cache, siteKey: siteKey, structures: inputs.backlinkStructure, entityKeys: inputs.entityKeys, results)
        return (results.map { $0.file ?? OutputFile(path: $0.path, contents: Data()) }, next, results.count(where: \.fresh))

        @Sendable func reuse(_ page: Page, _ key: Int, _ related: (key: Int, slugs: [String])?, kept: Bool) -> Made? {
            guard let hit = cache.pages[page.path], hit.key == key else { return nil }
            if let file = hit.file { return Made(path: page.path, key: key, file: file, related: related, relatedKept: kept, fresh: false) }
            return sink?.keepPublished(page.path) == true
                ? Made(path: page.path, key: key, file: nil, related: related, relatedKept: kept, fresh: false) : nil
        }

        @Sendable func make(_ page: Page) -> Made {
            let prepared = page.prepare()
            if let key = prepared.known {
                if let hit = reuse(page, key, prepared.related, kept: prepared.relatedKept) { return hit }
                return render(page, prepared, key: key)
            }
            var hasher = StableHasher()
            hasher.combine(siteKey)
            hasher.combine(page.template)
            if let inputs = prepared.inputs {
                hasher.combine(inputs)
                if let hit = reuse(page, hasher.finalize(), prepared.related, kept: prepared.relatedKept) { return hit }
            }
            let model = viewModel(page, prepared)
            if prepared.inputs == nil { hasher.combine(model) }
            let key = hasher.finalize()
            if let hit = reuse(page, key, prepared.related, kept: prepared.relatedKept) { return hit }
            return render(page, prepared, key: key, model: model)
        }

        @Sendable func viewModel(_ page: Page, _ prepared: Page.Prepared) -> TemplateValue {
            var context = prepared.context()
            context["site"] = site
            if let jsonld = StructuredData.json(for: page.kind, nodes: schema) { context["jsonld"] = .string(jsonld) }
            return .object(context)
        }

        @Sendable func render(_ page: Page, _ prepared: Page.Prepared, key: Int, model: TemplateValue? = nil) -> Made {
            let model = model ?? viewModel(page, prepared)
            let file = OutputFile(path: page.path, contents: Data(templates.renderBytes(page.template, model)))
            return Made(path: page.path, key: key, file: file, related: prepared.related, relatedKept: prepared.relatedKept, fresh: true)
        }
    }

    /// `articles/x/index.html` → `x`.
    static func articleSlug(_ path: String) -> String? {
        guard path.hasPrefix("articles/"), path.hasSuffix("/index.html") else { return nil }
        return String(path.dropFirst("articles/".count).dropLast("/index.html".count))
    }

    struct Page: @unchecked Sendable {  // the closures read only the immutable graph
        let path: String
        let template: String
        /// Run on the worker that renders the page, so view models are made
        /// in parallel, one at a time.
        let prepare: () -> Prepared
        let kind: PageKind

        struct Prepared {
            /// The page's input key, when it has one.
            var inputs: Int?
            /// The page's whole key, when it is known to be last build's.
            var known: Int?
            var context: () -> TemplateFields
            /// An article page's related list, for the next build, and whether
            /// it is the last build's.
            var related: (key: Int, slugs: [String])?
            var relatedKept = false
        }

        init(path: String, template: String, context: @autoclosure @escaping () -> TemplateFields, kind: PageKind = .other) {
            self.init(path: path, template: template, kind: kind) { Prepared(inputs: nil, context: context) }
        }

        /// A page keyed by `inputs` (see `PageInputs`) instead of its view model.
        init(path: String, template: String, inputs: @autoclosure @escaping () -> Int?,
             context: @autoclosure @escaping () -> TemplateFields, kind: PageKind = .other) {
            self.init(path: path, template: template, kind: kind) { Prepared(inputs: inputs(), context: context) }
        }

        init(path: String, template: String, kind: PageKind, prepare: @escaping () -> Prepared) {
            self.path = path
            self.template = template
            self.prepare = prepare
            self.kind = kind
        }
    }

    func siteContext(assets: [String: String]) -> TemplateValue {
        let config = graph.config
        var nav: [TemplateValue] = [["title": "Articles", "url": .string(urls.home)]]
        nav += EntityKind.allCases.map { ["title": .string($0.title), "url": .string(urls.index($0))] }
        nav.append(["title": "Claims", "url": .string(urls.claims)])
        nav.append(["title": "Archive", "url": .string(urls.asset("archive/"))])
        return ["title": .string(config.title), "description": .string(config.description),
                "language": .string(config.language), "home": .string(urls.home), "base": .string(urls.basePath),
                "stylesheet": .string(urls.asset(assets["style.css"] ?? "style.css")),
                "script": .string(urls.asset(assets["search.js"] ?? "search.js")), "nav": .list(nav),
                "feed": .string(urls.asset("feed.xml"))]
    }

    func articleItem(_ article: AnnotatedArticle) -> TemplateValue {
        let s = article.source
        return ["title": .string(s.title), "url": .string(urls.article(s.slug.value)), "date": .string(s.date.description),
                "dateLong": .string(s.date.longForm), "summary": Self.nonEmpty(s.summary ?? article.lede).map(TemplateValue.string),
                // Explicit, so a section never picks these up from an enclosing context.
                "about": false, "sentences": []]
    }

    func entityRef(_ id: String) -> TemplateValue {
        entityRefs[id] ?? ["name": .string(id)]
    }

    /// `entityRef` with `about` set.
    func entityRef(_ id: String, about: Bool) -> TemplateValue {
        state.tables.markedRefs[id]?.about[about ? 1 : 0] ?? ["name": .string(id), "about": .bool(about)]
    }

    /// Links to the entities, the last one marked, as `withLast` marks them.
    func entityRefs(_ ids: [String]) -> TemplateValue {
        .list(ids.indices.map { index in
            let last = index == ids.count - 1
            return state.tables.markedRefs[ids[index]]?.last[last ? 1 : 0] ?? ["name": .string(ids[index]), "last": .bool(last)]
        })
    }

    func searchPage() -> TemplateValue {
        let years = Set(graph.articles.map(\.source.date.year) + graph.claims.map(\.date.year)).sorted(by: >)
        let kinds = [("article", "Articles"), ("claim", "Claims")] + EntityKind.allCases.map { ($0.rawValue, $0.title) }
        return ["title": "Search", "years": .strings(years.map(String.init)),
                "kinds": .list(kinds.map { ["value": .string($0.0), "label": .string($0.1)] })]
    }

    /// Mustache treats "" as true; absent values must be nil to hide sections.
    static func nonEmpty(_ text: String?) -> String? { text?.isEmpty == false ? text : nil }

    /// Marks the last element so templates can write separators.
    func withLast(_ items: [TemplateValue]) -> TemplateValue {
        .list(items.enumerated().map { index, item in
            var item = item
            item["last"] = .bool(index == items.count - 1)
            return item
        })
    }
}

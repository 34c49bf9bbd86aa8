/// Turns a content file into an `EntitySource` or `ArticleSource`,
/// reporting every problem in the front matter with its location.
enum FrontMatterDecoder {
    static let entityFields: Set<String> = ["name", "aliases", "description", "wikidata", "same_as",
                                            "signed", "in_force", "expires", "status", "parties"]

    static func entity(_ file: SourceFile, kind: EntityKind, id: String) -> (EntitySource?, [Diagnostic]) {
        let split: SplitDocument
        switch SplitDocument.split(file) {
        case .success(let s): split = s
        case .failure(let d): return (nil, [d])
        }
        var fields: YAMLFields
        switch YAMLFields.parse(split.yaml, path: file.path, firstLine: split.yamlFirstLine) {
        case .success(let f): fields = f
        case .failure(let d): return (nil, [d])
        }
        let name = fields.string("name", required: true)
        let aliases = fields.stringList("aliases")
        let description = fields.string("description")?.value
        var sameAs = fields.stringList("same_as").map(\.value)
        if let q = fields.string("wikidata") {
            if q.value.range(of: #"^Q[0-9]+$"#, options: .regularExpression) == nil {
                fields.report(.error("'wikidata' must be an item id such as Q42", at: q.location))
            } else {
                sameAs.insert("https://www.wikidata.org/wiki/\(q.value)", at: 0)
            }
        }
        let signed = kind == .treaty ? fields.date("signed") : nil
        let inForce = kind == .treaty ? fields.date("in_force") : nil
        let expires = kind == .treaty ? fields.date("expires") : nil
        let status = kind == .treaty ? fields.string("status")?.value : nil
        let parties = kind == .treaty ? fields.stringList("parties") : []
        let facts = fields.unusedScalarFields().map { EntitySource.Fact(label: $0.key, value: $0.value) }
        guard let name, !fields.diagnostics.hasErrors else { return (nil, fields.diagnostics.all) }
        return (EntitySource(kind: kind, id: id, path: file.path, name: name.value, aliases: aliases,
                             description: description, sameAs: sameAs, signed: signed?.value,
                             inForce: inForce?.value, expires: expires?.value, status: status, parties: parties,
                             facts: facts, body: split.body, bodyLineOffset: split.bodyLineOffset),
                fields.diagnostics.all)
    }

    static let articleFields: Set<String> = ["title", "date", "author", "summary", "tags", "draft", "slug",
                                             "people", "treaties", "organizations", "places", "claims"]
    static let claimFields: Set<String> = ["id", "quote", "prefix", "suffix", "by", "about", "date",
                                           "source", "context", "review"]

    static func article(_ file: SourceFile, defaultSlug: String) -> (ArticleSource?, [Diagnostic]) {
        let split: SplitDocument
        switch SplitDocument.split(file) {
        case .success(let s): split = s
        case .failure(let d): return (nil, [d])
        }
        var fields: YAMLFields
        switch YAMLFields.parse(split.yaml, path: file.path, firstLine: split.yamlFirstLine) {
        case .success(let f): fields = f
        case .failure(let d): return (nil, [d])
        }
        var diagnostics = Diagnostics()
        fields.warnUnknownKeys(known: articleFields, what: "front matter field")
        let title = fields.string("title", required: true)
        let date = fields.date("date", required: true)
        let author = fields.string("author")
        let summary = fields.string("summary")?.value
        let tagged = fields.stringList("tags")
        for tag in tagged where SiteGraph.slug(tag.value).isEmpty {
            diagnostics.error("tag '\(tag.value)' has no letter or digit to make its page's address from", at: tag.location)
        }
        let tags = tagged.map(\.value)
        let draft = fields.bool("draft")
        let slug = fields.string("slug") ?? Located(defaultSlug, at: .file(file.path))
        if !Identifier.isValid(slug.value) {
            diagnostics.error("invalid slug '\(slug.value)': \(Identifier.rule)", at: slug.location)
        }
        var about: [EntityKind: [Located<String>]] = [:]
        for kind in EntityKind.allCases { about[kind] = fields.stringList(kind.folder) }
        let items = fields.mappingList("claims")
        // At its exact size: grown one claim at a time, the list the build
        // keeps for every article was up to twice that.
        var claims: [ClaimSource] = []
        claims.reserveCapacity(items.count)
        for var item in items {
            if let claim = decodeClaim(&item, diagnostics: &diagnostics) { claims.append(claim) }
            diagnostics.append(contentsOf: item.diagnostics)
        }
        diagnostics.append(contentsOf: fields.diagnostics)
        // An article with errors is kept, with a stand-in for a missing title
        // or date, so that its references and its body are checked in the
        // same build: every error of the file is reported at once. It is
        // never published: a build stops before the site graph at any error.
        guard let title = title?.value ?? (diagnostics.hasErrors ? "" : nil),
              let date = date?.value ?? (diagnostics.hasErrors ? SimpleDate(year: 1970, month: 1, day: 1) : nil)
        else { return (nil, diagnostics.all) }
        return (ArticleSource(path: file.path, slug: slug, title: title, date: date, author: author,
                              summary: summary, tags: tags, draft: draft, about: about, claims: claims,
                              body: split.body, bodyLineOffset: split.bodyLineOffset),
                diagnostics.all)
    }

    private static func decodeClaim(_ item: inout YAMLFields, diagnostics: inout Diagnostics) -> ClaimSource? {
        item.warnUnknownKeys(known: claimFields, what: "claim field")
        let id = item.string("id", required: true)
        let quote = item.string("quote", required: true)
        let by = item.string("by", required: true)
        let about = item.stringList("about")
        let date = item.date("date")
        let source = item.string("source")
        if let source, !isWebURL(source.value) {
            diagnostics.error("claim 'source' must be an http or https URL", at: source.location)
        }
        let review: ReviewSource? = item.mapping("review").flatMap { reviewFields in
            var r = reviewFields
            defer { item.merge(r) }
            guard let rating = r.string("rating", required: true) else { return nil }
            // Its claims are listed at `claims/verdict/<slug>/`.
            if SiteGraph.slug(rating.value).isEmpty {
                diagnostics.error("review rating '\(rating.value)' has no letter or digit to make its page's address from",
                                  at: rating.location)
            }
            return ReviewSource(rating: rating.value, by: r.string("by"), note: r.string("note")?.value)
        }
        if let id, !Identifier.isValid(id.value) {
            diagnostics.error("invalid claim id '\(id.value)': \(Identifier.rule)", at: id.location)
        }
        guard let id, let quote, let by else { return nil }
        return ClaimSource(id: id, quote: quote, prefix: item.string("prefix")?.value, suffix: item.string("suffix")?.value,
                           by: by, about: about, date: date?.value, source: source?.value,
                           context: item.string("context")?.value, review: review)
    }

    static func isWebURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        return (lower.hasPrefix("https://") || lower.hasPrefix("http://")) && !text.contains(where: \.isWhitespace)
    }
}

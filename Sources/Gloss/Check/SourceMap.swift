import Foundation

/// Which source file each page came from, and what the sources promise the
/// output holds: a page per article and entity, an entity page for every
/// entity an article or treaty refers to, a `claim-<id>` anchor on the
/// article's page for every claim.
struct SourceMap: Sendable {
    struct Origin: Sendable {
        /// Relative to the site folder: `content/articles/2020/a.md`, or
        /// the template of a generated page.
        let path: String
        /// The Markdown body and the file line before its first line, to
        /// find where a URL was written.
        let body: String?
        let bodyLineOffset: Int
    }

    var origins: [String: Origin] = [:]
    let sources: SiteSources?

    init(_ sources: SiteSources?) {
        self.sources = sources
        guard let sources else { return }
        for article in sources.articles {
            origins[Self.articlePage(article.slug.value)] = Origin(path: article.path, body: article.body,
                                                                  bodyLineOffset: article.bodyLineOffset)
        }
        for entity in sources.entities {
            origins[Self.entityPage(entity.kind, entity.id)] = Origin(path: entity.path, body: entity.body,
                                                                     bodyLineOffset: entity.bodyLineOffset)
        }
        var generated = ["index.html": "home", "claims/index.html": "claims", "404.html": "404"]
        for kind in EntityKind.allCases { generated["\(kind.folder)/index.html"] = "kind-index" }
        for (page, template) in generated {
            let name = "\(template).mustache"
            let own = sources.templatesDirectory.map { FileManager.default.fileExists(atPath: $0.appendingPathComponent(name).path) }
            origins[page] = Origin(path: own == true ? "templates/\(name)" : "default theme \(name)", body: nil, bodyLineOffset: 0)
        }
    }

    static func articlePage(_ slug: String) -> String { "articles/\(slug)/index.html" }
    static func entityPage(_ kind: EntityKind, _ id: String) -> String { "\(kind.folder)/\(id)/index.html" }

    /// The source of `page`, with the line where `url` is written in it when
    /// it is (an author's link); a URL not in the text came from the template.
    func source(of page: String, url: String?, address: LinkResolver) -> String? {
        guard let origin = origins[page] else { return nil }
        guard let url, let body = origin.body, !url.isEmpty else { return origin.path }
        var candidates = [url]
        if url.hasPrefix(address.basePath), address.basePath != "/" { candidates.append("/" + url.dropFirst(address.basePath.count)) }
        for candidate in candidates {
            if let range = body.range(of: candidate) {
                let line = body[..<range.lowerBound].utf8.count { $0 == UInt8(ascii: "\n") } + 1
                return "\(origin.path):\(origin.bodyLineOffset + line)"
            }
        }
        return "\(origin.path), from the template"
    }

    /// What the sources promise, checked against the files and the ids of
    /// the HTML pages.
    func expectations(files: Set<String>, ids: (String) -> [String: Int]?) -> [CheckProblem] {
        guard let sources else { return [] }
        var problems: [CheckProblem] = []
        let kinds = Dictionary(sources.entities.map { ($0.id, $0.kind) }, uniquingKeysWith: { first, _ in first })
        func reference(_ ref: Located<String>, from page: String, _ role: String) {
            guard let kind = kinds[ref.value] else {
                problems.append(CheckProblem(.missingPage, page: page, source: ref.location.description,
                                             message: "\(role) '\(ref.value)' is no entity of the site"))
                return
            }
            let target = Self.entityPage(kind, ref.value)
            if !files.contains(target) {
                problems.append(CheckProblem(.missingPage, page: page, source: ref.location.description,
                                             message: "\(role) '\(ref.value)' has no page \(target)"))
            }
        }
        for article in sources.articles {
            let page = Self.articlePage(article.slug.value)
            guard files.contains(page) else {
                problems.append(CheckProblem(.missingPage, page: page, source: article.slug.location.description,
                                             message: "article '\(article.title)' has no page"))
                continue
            }
            if let author = article.author { reference(author, from: page, "author") }
            for kind in EntityKind.allCases { for ref in article.about[kind] ?? [] { reference(ref, from: page, "subject") } }
            let anchors = ids(page) ?? [:]
            for claim in article.claims {
                reference(claim.by, from: page, "speaker of claim '\(claim.id.value)'")
                for ref in claim.about { reference(ref, from: page, "subject of claim '\(claim.id.value)'") }
                if anchors["claim-\(claim.id.value)"] == nil {
                    problems.append(CheckProblem(.missingClaimAnchor, page: page, source: claim.id.location.description,
                        message: "claim '\(claim.id.value)' has no element with id \"claim-\(claim.id.value)\" on its article's page"))
                }
            }
        }
        for entity in sources.entities {
            let page = Self.entityPage(entity.kind, entity.id)
            guard files.contains(page) else {
                problems.append(CheckProblem(.missingPage, page: page, source: entity.path,
                                             message: "\(entity.kind.rawValue) '\(entity.id)' has no page"))
                continue
            }
            for party in entity.parties { reference(party, from: page, "party") }
        }
        return problems
    }
}

extension Annotator {
    /// An entity's Markdown description as HTML: other entities it names are
    /// linked (never itself), and nothing here can carry claims.
    public func describe(_ entity: EntitySource) -> String {
        let asArticle = ArticleSource(
            path: entity.path, slug: Located(entity.id, at: .file(entity.path)), title: entity.name,
            date: SimpleDate(year: 2000, month: 1, day: 1)!, author: nil, summary: nil, tags: [], draft: false,
            about: [:], claims: [], body: entity.body, bodyLineOffset: entity.bodyLineOffset)
        return annotate(asArticle, excluding: entity.id).0.html
    }
}

/// Each entity's key and backlink structure as the last build made them
/// (`PageInputs`), kept for the entities an edit did not touch: after a
/// save, hashing every entity's backlinks, authored articles and claims
/// again was most of the page inputs' time, and an edit touches a few.
///
/// An entity's key is made from its own version and its parties', and from
/// the articles that name it: the ones that mention it or are about it,
/// are by it, or have claims by or about it, and the entities named with it
/// in those. Its structure, from the first of these. So while every
/// entity's version is as last time (`UnchangedInputs`), only an entity
/// named by an edited, new or removed article, as it was or as it is, can
/// have another key or structure.
struct CarriedEntityKeys: Sendable {
    private let keys: [String: Int]
    private let structures: [String: Int]
    /// Entities the changed articles name, before or after the change.
    private let touched: Set<String>

    /// `changed`: every edited article as it was and as it is, and every
    /// new and removed article.
    init(keys: [String: Int], structures: [String: Int], changed: [AnnotatedArticle]) {
        self.keys = keys
        self.structures = structures
        var touched = Set<String>()
        for article in changed {
            for excerpt in article.excerpts { touched.insert(excerpt.id) }
            for refs in article.source.about.values { for ref in refs { touched.insert(ref.value) } }
            if let author = article.source.author { touched.insert(author.value) }
            for claim in article.source.claims {
                touched.insert(claim.by.value)
                for ref in claim.about { touched.insert(ref.value) }
            }
        }
        self.touched = touched
    }

    /// The last build's structure and key of an entity no change touched.
    /// None without a key: a build that failed keeps none (its annotations
    /// are not those the keys were made from), and an entity whose version
    /// was unknown had none.
    func entry(_ id: String) -> (structure: Int, key: Int)? {
        guard !touched.contains(id), let structure = structures[id], let key = keys[id] else { return nil }
        return (structure, key)
    }
}

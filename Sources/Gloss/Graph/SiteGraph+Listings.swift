/// Groupings of articles for browsing: by year and month, by tag.
extension SiteGraph {
    /// Years, newest first, each with its months (newest first) and articles.
    public var archive: [(year: Int, months: [(month: Int, articles: [AnnotatedArticle])])] {
        var byYear: [Int: [Int: [AnnotatedArticle]]] = [:]
        for article in articles { byYear[article.source.date.year, default: [:]][article.source.date.month, default: []].append(article) }
        return byYear.keys.sorted(by: >).map { year in
            (year, byYear[year]!.keys.sorted(by: >).map { ($0, byYear[year]![$0]!) })
        }
    }

    /// Tags by URL slug, with the name as first written and the articles.
    public var tags: [(slug: String, name: String, articles: [AnnotatedArticle])] {
        var names: [String: String] = [:]
        var lists: [String: [AnnotatedArticle]] = [:]
        for article in articles {
            for tag in Set(article.source.tags.map(Self.slug)) where !tag.isEmpty {
                lists[tag, default: []].append(article)
            }
            for tag in article.source.tags where names[Self.slug(tag)] == nil { names[Self.slug(tag)] = tag }
        }
        return lists.keys.sorted().map { ($0, names[$0] ?? $0, lists[$0]!) }
    }

    /// A URL-safe slug for free text: lowercase letters and digits joined by '-'.
    public static func slug(_ text: String) -> String {
        var out = ""
        var pendingDash = false
        for scalar in text.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars {
            if scalar.properties.generalCategory == .nonspacingMark { continue }
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                if pendingDash, !out.isEmpty { out += "-" }
                out.unicodeScalars.append(scalar)
                pendingDash = false
            } else {
                pendingDash = true
            }
        }
        return out
    }

    /// Other articles ranked by what they share with `article`: an entity
    /// either article is *about* weighs 3, one merely mentioned weighs 1.
    public func related(to article: AnnotatedArticle, limit: Int = 5) -> [AnnotatedArticle] {
        func weights(_ a: AnnotatedArticle) -> [String: Int] {
            var w: [String: Int] = [:]
            for mention in a.mentions { w[mention.entityID] = 1 }
            for refs in a.source.about.values { for ref in refs { w[ref.value] = 3 } }
            return w
        }
        let mine = weights(article)
        var scores: [String: (score: Int, article: AnnotatedArticle)] = [:]
        for (id, weight) in mine {
            for link in backlinks[id] ?? [] where link.article.source.slug != article.source.slug {
                let theirs = link.isAbout ? 3 : 1
                let slug = link.article.source.slug.value
                scores[slug] = ((scores[slug]?.score ?? 0) + min(weight, theirs) * max(weight, theirs), link.article)
            }
        }
        return scores.values.sorted {
            ($0.score, $0.article.source.date, $1.article.source.slug.value) > ($1.score, $1.article.source.date, $0.article.source.slug.value)
        }.prefix(limit).map(\.article)
    }
}

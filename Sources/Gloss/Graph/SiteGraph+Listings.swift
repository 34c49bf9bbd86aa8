import Foundation

/// Groupings of articles for browsing: by year and month, by tag.
extension SiteGraph {
    /// Years, newest first, each with its months (newest first) and articles.
    public var archive: [(year: Int, months: [(month: Int, articles: [AnnotatedArticle])])] { listings.archive }

    /// Tags by URL slug, with the name as first written and the articles.
    public var tags: [(slug: String, name: String, articles: [AnnotatedArticle])] { listings.tags }

    /// The archive and the tags, made once with the graph: each goes over
    /// every article, and the listing pages of every build read them (at
    /// 10,000 articles, 5 % of a preview's rebuild). A patched graph takes
    /// them over with the edited articles swapped in (`replacing`).
    struct Listings: Sendable {
        let archive: [(year: Int, months: [(month: Int, articles: [AnnotatedArticle])])]
        let tags: [(slug: String, name: String, articles: [AnnotatedArticle])]

        /// `articles` in the graph's order.
        init(_ articles: [AnnotatedArticle]) {
            var byYear: [Int: [Int: [AnnotatedArticle]]] = [:]
            for article in articles { byYear[article.source.date.year, default: [:]][article.source.date.month, default: []].append(article) }
            archive = byYear.keys.sorted(by: >).map { year in
                (year, byYear[year]!.keys.sorted(by: >).map { ($0, byYear[year]![$0]!) })
            }
            var names: [String: String] = [:]
            var lists: [String: [AnnotatedArticle]] = [:]
            // A few hundred distinct spellings among tens of thousands of uses:
            // each is slugged (Unicode decomposition) once.
            var slugs: [String: String] = [:]
            func slug(_ tag: String) -> String {
                if let known = slugs[tag] { return known }
                let made = SiteGraph.slug(tag)
                slugs[tag] = made
                return made
            }
            var seen: [String] = []  // an article's tags so far: a few, looked through, not a set per article
            for article in articles {
                seen.removeAll(keepingCapacity: true)
                for tag in article.source.tags {
                    let slug = slug(tag)
                    guard !slug.isEmpty, !seen.contains(slug) else { continue }
                    seen.append(slug)
                    lists[slug, default: []].append(article)
                    if names[slug] == nil { names[slug] = tag }
                }
            }
            tags = lists.keys.sorted().map { ($0, names[$0] ?? $0, lists[$0]!) }
        }

        private init(archive: [(year: Int, months: [(month: Int, articles: [AnnotatedArticle])])],
                     tags: [(slug: String, name: String, articles: [AnnotatedArticle])]) {
            self.archive = archive
            self.tags = tags
        }

        /// The same listings with each `new` article where its `old` one
        /// was; nil unless each has its old one's date and tags (it then
        /// has its place in every list, and the tags their names).
        func replacing(_ changed: [(old: AnnotatedArticle, new: AnnotatedArticle)]) -> Listings? {
            var archive = self.archive, tags = self.tags
            for (old, new) in changed {
                let date = old.source.date
                // Byte for byte: `==` on strings takes "é" and "e" with a combining accent
                // as equal, and a tag's name is shown as the first article spells it.
                guard new.source.date == date, new.source.tags.elementsEqual(old.source.tags, by: { $0.utf8.elementsEqual($1.utf8) }),
                      let year = archive.firstIndex(where: { $0.year == date.year }),
                      let month = archive[year].months.firstIndex(where: { $0.month == date.month }),
                      let place = archive[year].months[month].articles.firstIndex(where: { $0 === old }) else { return nil }
                archive[year].months[month].articles[place] = new
                var seen: Set<String> = []
                for tag in old.source.tags {
                    let slug = SiteGraph.slug(tag)
                    guard !slug.isEmpty, seen.insert(slug).inserted else { continue }
                    guard let list = tags.firstIndex(where: { $0.slug == slug }),
                          let place = tags[list].articles.firstIndex(where: { $0 === old }) else { return nil }
                    tags[list].articles[place] = new
                }
            }
            return Listings(archive: archive, tags: tags)
        }
    }

    /// Alphabetical order for readers: case and accents ignored ("Çelik" before "Dmitri").
    public static func sortKey(_ name: String) -> String {
        // Most names are ASCII: lowercased on bytes, without Foundation's
        // decomposition (the preview sorts every entity's initial on each save).
        if name.utf8.allSatisfy({ $0 < 0x80 }) {
            return String(decoding: name.utf8.map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }, as: UTF8.self)
        }
        return String(String.UnicodeScalarView(name.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars
            .filter { $0.properties.generalCategory != .nonspacingMark }))
    }

    /// A URL-safe slug for free text: lowercase letters and digits joined by '-'.
    public static func slug(_ text: String) -> String {
        // Tags and verdicts are ASCII nearly always, and are slugged on every
        // article page: without Foundation's lowercasing and decomposition.
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else { return unicodeSlug(text) }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var pendingDash = false
        for byte in text.utf8 {
            let lower = (0x41...0x5A).contains(byte) ? byte + 0x20 : byte
            if (0x61...0x7A).contains(lower) || (0x30...0x39).contains(lower) {
                if pendingDash, !out.isEmpty { out.append(UInt8(ascii: "-")) }
                out.append(lower)
                pendingDash = false
            } else {
                pendingDash = true
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `slug` by the full rules: accents dropped after decomposition, and
    /// text in other scripts (or with letters such as ß or ø, which have no
    /// decomposition) first written in Latin letters, as ICU's
    /// `Any-Latin; Latin-ASCII` does it: "Договор о РСМД" is
    /// `dogovor-o-rsmd`, not an empty slug, and "Straße" is `strasse`.
    static func unicodeSlug(_ text: String) -> String {
        let decomposed = text.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars
            .filter { $0.properties.generalCategory != .nonspacingMark }
        // Only letters that decomposition leaves outside ASCII are
        // transliterated: accented Latin keeps the slugs it always had, and
        // other symbols (©, ½, emoji) stay separators, not "(C)" or "1/2".
        var scalars = String.UnicodeScalarView(decomposed)
        if scalars.contains(where: { !$0.isASCII && $0.properties.isAlphabetic }) {
            var letters = String.UnicodeScalarView()
            for scalar in text.unicodeScalars {
                letters.append(scalar.isASCII || scalar.properties.isAlphabetic || scalar.properties.generalCategory == .nonspacingMark
                               ? scalar : " ")
            }
            if let latin = String(letters).applyingTransform(Self.toASCII, reverse: false) { scalars = latin.lowercased().unicodeScalars }
        }
        var out = ""
        var pendingDash = false
        for scalar in scalars {
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

    private static let toASCII = StringTransform(rawValue: "Any-Latin; Latin-ASCII")

    /// Other articles ranked by what they share with `article`: an entity
    /// either article is *about* weighs 3, one merely mentioned weighs 1,
    /// and an entity that appears everywhere counts for less (like a word's
    /// inverse document frequency), so shared rare subjects rank first.
    public func related(to article: AnnotatedArticle, limit: Int = 5) -> [AnnotatedArticle] {
        guard limit > 0 else { return [] }
        var weights: [String: Double] = [:]
        for id in article.mentionedIDs { weights[id] = 1 }
        for refs in article.source.about.values { for ref in refs { weights[ref.value] = 3 } }
        // Scores by article position: an array, since most of the archive can be touched.
        var scores = [Double](repeating: 0, count: articles.count)
        var touched: [Int] = []
        let own = articleIndex[article.source.slug.value]
        // In a fixed order: floating-point sums in hash order would break ties
        // differently from one run to the next.
        for (id, weight) in weights.sorted(by: { $0.key < $1.key }) {
            guard let links = backlinks[id], links.count > 1 else { continue }
            let rarity = 1 / Double(links.count).squareRoot()
            // Newest first; very common entities are sampled, not scanned whole.
            // Read in place: copying a backlink out retains its article, and
            // that was over half of this function's time.
            links.withUnsafeBufferPointer { links in
                for k in 0..<min(links.count, 300) where links[k].index != own {
                    let index = links[k].index
                    if scores[index] == 0 { touched.append(index) }
                    scores[index] += weight * (links[k].isAbout ? 3 : 1) * rarity
                }
            }
        }
        // The best `limit`, highest score first and ties by position, without sorting them all.
        var best: [Int] = []
        func before(_ a: Int, _ b: Int) -> Bool { (scores[a], b) > (scores[b], a) }
        for index in touched where best.count < limit || before(index, best[best.count - 1]) {
            best.insert(index, at: best.firstIndex { before(index, $0) } ?? best.count)
            if best.count > limit { best.removeLast() }
        }
        return best.map { articles[$0] }
    }
}

import Foundation
import Testing
@testable import Gloss

/// `PageRenderer.Cache(after:…)`: updated in place after a small change,
/// it must hold what one made anew from the same pages holds.
@Suite struct PageCacheTests {
    typealias Made = PageRenderer.Made

    /// Ten pages: six articles (with related lists) and four others.
    func pages(changing changed: [Int: Int] = [:], relating: [Int: [String]] = [:], dropping: Int? = nil) -> [Made] {
        (0..<10).compactMap { index -> Made? in
            guard index != dropping else { return nil }
            let article = index < 6
            let key = changed[index] ?? index
            let related = relating[index].map { (key: 100 + index, slugs: $0) } ?? (article ? (key: index, slugs: ["a\(index + 1)"]) : nil)
            return Made(path: article ? "articles/a\(index)/index.html" : "page\(index).html", key: key,
                        file: OutputFile(path: "p", contents: Data("\(key)".utf8)), related: related,
                        relatedKept: relating[index] == nil && article, fresh: changed[index] != nil || relating[index] != nil)
        }
    }

    func summary(_ cache: PageRenderer.Cache) -> [String] {
        cache.pages.map { "\($0.key) \($0.value.key) \($0.value.file.map { String(decoding: $0.contents, as: UTF8.self) } ?? "-")" }.sorted()
            + cache.related.map { "\($0.key) \($0.value.key) \($0.value.slugs)" }.sorted()
    }

    func made(_ results: [Made], after previous: PageRenderer.Cache) -> [String] {
        summary(PageRenderer.Cache(after: previous, siteKey: 1, structures: [:], results))
    }

    @Test func updatedInPlaceItHoldsWhatANewOneHolds() {
        let previous = PageRenderer.Cache(after: PageRenderer.Cache(), siteKey: 1, structures: [:], pages())
        let cases: [[Made]] = [
            pages(),
            pages(changing: [7: 70]),                        // a page made again
            pages(relating: [2: ["a5", "a4"]]),              // an article's related list changed
            pages(changing: [1: 10], relating: [1: []]),     // both
            pages(dropping: 8),                              // a page gone: not in place
            pages(changing: [0: 1, 1: 2, 2: 3, 3: 4, 7: 8]), // most made again: not in place
        ]
        for results in cases {
            #expect(made(results, after: previous) == made(results, after: PageRenderer.Cache()))
        }
        #expect(made(pages(dropping: 8), after: previous).contains { $0.hasPrefix("page8.html") } == false)
    }

    /// A static file replaced an article's page (its key was dropped, its
    /// related list kept), then the article went: its list goes too.
    @Test func aListWhosePageWasReplacedGoesWithItsArticle() {
        var previous = PageRenderer.Cache(after: PageRenderer.Cache(), siteKey: 1, structures: [:], pages())
        previous.pages["articles/a3/index.html"] = nil
        let results = pages(dropping: 3)
        #expect(made(results, after: previous) == made(results, after: PageRenderer.Cache()))
        #expect(PageRenderer.Cache(after: previous, siteKey: 1, structures: [:], results).related["a3"] == nil)
    }
}

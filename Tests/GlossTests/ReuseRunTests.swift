import Foundation
import Testing
@testable import Gloss

/// `ReuseRun`: what is reused, what is made, and that the cache it leaves is
/// exactly the items' (updated in place or made anew).
@Suite struct ReuseRunTests {
    typealias Item = (name: String, key: Int?, value: String)

    func run(_ items: [Item], _ cache: ReuseCache<String>, others: [String] = []) -> (ReuseRun<String>, made: [Int]) {
        let made = Made()
        let run = ReuseRun(count: items.count, reusing: cache, others: others) { (items[$0].name, items[$0].key) } make: { index in
            made.add(index)
            return items[index].value
        }
        return (run, made.indices)
    }

    /// Which items were made, from any thread.
    final class Made: @unchecked Sendable {  // `list` only under `lock`
        private let lock = NSLock()
        private var list: [Int] = []
        func add(_ index: Int) { lock.withLock { list.append(index) } }
        var indices: [Int] { lock.withLock { list.sorted() } }
    }

    func cache(_ items: [Item]) -> [String: String] {
        run(items, [:]).0.cache.mapValues { "\($0.key) \($0.value)" }
    }

    @Test func reusesWhatHasTheSameKeyAndMakesTheRest() {
        let first: [Item] = [("a", 1, "A"), ("b", 2, "B"), ("c", 3, "C")]
        let (before, made) = run(first, [:])
        #expect(made == [0, 1, 2] && before.items.map(\.value) == ["A", "B", "C"])
        let second: [Item] = [("a", 1, "new A"), ("b", 20, "new B"), ("c", 3, "new C")]
        let (after, again) = run(second, before.cache)
        #expect(again == [1])
        #expect(after.items.map(\.value) == ["A", "new B", "C"] && after.items.map(\.reused) == [true, false, true])
        #expect(after.items.map(\.name) == ["a", "b", "c"])
        #expect(after.cache.mapValues { "\($0.key) \($0.value)" } == ["a": "1 A", "b": "20 new B", "c": "3 C"])
    }

    /// Items added, removed, renamed, or of unknown key: the cache left is
    /// what a run without a cache leaves (with the values it reused).
    @Test func theCacheLeftHoldsExactlyTheItems() {
        let first: [Item] = [("a", 1, "A"), ("b", 2, "B"), ("c", 3, "C")]
        let old = run(first, [:]).0.cache
        let cases: [[Item]] = [
            [("a", 1, "A"), ("b", 2, "B")],                    // one gone
            [("a", 1, "A"), ("b", 2, "B"), ("c", 3, "C"), ("d", 4, "D")],  // one added
            [("a", 1, "A"), ("b", 2, "B"), ("d", 3, "C")],     // one renamed
            [("a", 1, "A"), ("b", nil, "B"), ("c", 3, "C")],   // a key unknown: not kept
            [("c", 3, "C"), ("a", 1, "A"), ("b", 2, "B")],     // reordered
        ]
        for items in cases {
            #expect(run(items, old).0.cache.mapValues { "\($0.key) \($0.value)" } == cache(items), "\(items.map(\.name))")
        }
    }

    /// Names the caller keeps in the cache stay there; any other name not an
    /// item's goes.
    @Test func otherNamesTheCallerKeepsStay() {
        var old = run([("a", 1, "A"), ("b", 2, "B")], [:]).0.cache
        old["#file"] = (9, "")
        let kept = run([("a", 1, "A"), ("b", 2, "B")], old, others: ["#file"]).0.cache
        #expect(kept["#file"]?.key == 9 && kept.count == 3)
        let dropped = run([("a", 1, "A")], old, others: ["#file"]).0.cache
        #expect(dropped["b"] == nil && dropped["#file"] == nil && dropped.count == 1)
    }
}

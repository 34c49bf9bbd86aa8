/// What `ReuseRun` keeps for the next build, by name: each item's key
/// (a hash of everything it is made from) and value.
typealias ReuseCache<Value> = [String: (key: Int, value: Value)]

/// `count` items, each named and keyed by `item` (a nil key: unknown, always
/// made, not kept), taken from `cache` where it holds one under its name
/// with the same key, else made by `make`; in parallel, in order. No
/// closure is made per item, and the next cache is the old one with the
/// changed items set: after a save, the 26,000 items of a large archive's
/// data exports were each given a closure and put in a new cache.
struct ReuseRun<Value: Sendable> {
    var names: [String]
    var values: [Value]
    /// Whether each value is the cache's.
    var reused: [Bool]
    /// For the next build. Names must be unique.
    var cache: ReuseCache<Value>

    /// `others`: names in `cache` that are not items' (kept there by the
    /// caller): they stay in the returned cache, to be set again.
    init(count: Int, reusing cache: ReuseCache<Value>, others: [String] = [],
         item: @Sendable (Int) -> (name: String, key: Int?), make: @Sendable (Int) -> Value) {
        let results = Array(0..<count).parallelMap { index -> (name: String, key: Int?, value: Value, reused: Bool, known: Bool) in
            let (name, key) = item(index)
            let old = cache[name]
            if let key, let old, old.key == key { return (name, key, old.value, true, true) }
            return (name, key, make(index), false, old != nil)
        }
        names = results.map(\.name)
        values = results.map(\.value)
        reused = results.map(\.reused)
        // Every name the cache holds is an item's (or one of `others`): the
        // cache is updated where an item changed, not made anew.
        let known = results.count(where: \.known) + others.count { cache[$0] != nil }
        var next: ReuseCache<Value>
        if known == cache.count {
            next = cache
            for result in results where !result.reused { next[result.name] = result.key.map { ($0, result.value) } }
        } else {
            next = [:]
            next.reserveCapacity(count)
            for result in results { if let key = result.key { next[result.name] = (key, result.value) } }
        }
        self.cache = next
    }
}

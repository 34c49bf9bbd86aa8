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
    struct Item {
        let name: String
        let key: Int?
        let value: Value
        /// Whether `value` is the cache's.
        let reused: Bool
        /// Whether the cache held its name (with whatever key).
        fileprivate let known: Bool
    }

    /// In order. (One array: splitting it into one of names and one of
    /// values cost a retain and a release of each.)
    let items: [Item]
    /// For the next build. Names must be unique.
    var cache: ReuseCache<Value>

    /// `others`: names in `cache` that are not items' (kept there by the
    /// caller): they stay in the returned cache, to be set again.
    init(count: Int, reusing cache: ReuseCache<Value>, others: [String] = [],
         item: @Sendable (Int) -> (name: String, key: Int?), make: @Sendable (Int) -> Value) {
        items = Array(0..<count).parallelMap { index -> Item in
            let (name, key) = item(index)
            let old = cache[name]
            if let key, let old, old.key == key { return Item(name: name, key: key, value: old.value, reused: true, known: true) }
            return Item(name: name, key: key, value: make(index), reused: false, known: old != nil)
        }
        // Every name the cache holds is an item's (or one of `others`): the
        // cache is updated where an item changed, not made anew.
        let known = items.count(where: \.known) + others.count { cache[$0] != nil }
        var next: ReuseCache<Value>
        if known == cache.count {
            next = cache
            for item in items where !item.reused { next[item.name] = item.key.map { ($0, item.value) } }
        } else {
            next = [:]
            next.reserveCapacity(count)
            for item in items { if let key = item.key { next[item.name] = (key, item.value) } }
        }
        self.cache = next
    }
}

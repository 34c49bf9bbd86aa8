/// A piece of output that a build can take from the previous one: `key`
/// hashes everything it is made from (nil: unknown, always made, not kept).
struct Reusable<Value: Sendable>: Sendable {
    let name: String
    let key: Int?
    let make: @Sendable () -> Value
}

/// What `reusing` keeps for the next build, by name.
typealias ReuseCache<Value> = [String: (key: Int, value: Value)]

extension Array {
    /// Each item's value, made in parallel unless `cache` holds one under its
    /// name with the same key; in order, with the cache for the next build.
    func reusing<Value: Sendable>(_ cache: ReuseCache<Value>) -> (values: [Value], cache: ReuseCache<Value>)
        where Element == Reusable<Value> {
        let values = parallelMap { item -> Value in
            if let key = item.key, let hit = cache[item.name], hit.key == key { return hit.value }
            return item.make()
        }
        var next: ReuseCache<Value> = [:]
        next.reserveCapacity(count)
        for (item, value) in zip(self, values) { if let key = item.key { next[item.name] = (key, value) } }
        return (values, next)
    }
}

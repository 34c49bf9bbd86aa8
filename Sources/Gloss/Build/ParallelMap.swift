import Foundation

extension Array where Element: Sendable {
    /// Maps on all cores, keeping the order. Each call owns its result
    /// buffer, so stages stay free of shared mutable state.
    func parallelMap<T: Sendable>(_ transform: @Sendable (Element) -> T) -> [T] {
        if count < 2 { return map(transform) }
        let results = ResultBuffer<T>(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { index in
            results.set(index, transform(self[index]))
        }
        return results.values()
    }
}

private final class ResultBuffer<T>: @unchecked Sendable {
    // Each index is written exactly once by one iteration, and read only
    // after concurrentPerform has returned; the lock guards the array itself.
    private var storage: [T?]
    private let lock = NSLock()

    init(count: Int) { storage = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: T) {
        lock.lock()
        storage[index] = value
        lock.unlock()
    }

    func values() -> [T] { storage.map { $0! } }
}

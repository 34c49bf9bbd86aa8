import Foundation

/// Told `(done, total)` as items finish, in increasing order of `done`.
typealias ParallelProgress = @Sendable (Int, Int) -> Void

extension Array where Element: Sendable {
    /// Maps on all cores, keeping the order. Each call owns its result
    /// buffer, so stages stay free of shared mutable state.
    func parallelMap<T: Sendable>(progress: ParallelProgress? = nil, _ transform: @Sendable (Element) -> T) -> [T] {
        if count < 2, progress == nil { return map(transform) }
        let results = ResultBuffer<T>(count: count, progress: progress)
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
    private var done = 0
    private let progress: ParallelProgress?
    private let lock = NSLock()

    init(count: Int, progress: ParallelProgress?) {
        storage = Array(repeating: nil, count: count)
        self.progress = progress
    }

    func set(_ index: Int, _ value: T) {
        lock.lock()
        storage[index] = value
        done += 1
        // Under the lock, so counts arrive in order; listeners are quick (throttled).
        progress?(done, storage.count)
        lock.unlock()
    }

    func values() -> [T] { storage.map { $0! } }
}

/// A value made on first use, once, whichever worker asks first; the others
/// wait for it.
final class Lazy<Value: Sendable>: @unchecked Sendable {
    // `stored` is written once under the lock and only read under it.
    private let lock = NSLock()
    private var stored: Value?
    private let make: @Sendable () -> Value

    init(_ make: @escaping @Sendable () -> Value) { self.make = make }

    /// The value if something asked for it.
    var made: Value? { lock.withLock { stored } }

    var value: Value {
        lock.withLock {
            if let stored { return stored }
            let value = make()
            stored = value
            return value
        }
    }
}

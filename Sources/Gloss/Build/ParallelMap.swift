import Foundation

/// Told `(done, total)` as items finish, in increasing order of `done`.
typealias ParallelProgress = @Sendable (Int, Int) -> Void

extension Array where Element: Sendable {
    /// Maps on all cores, keeping the order. Each result is made in its
    /// place in the new array: collecting them as optionals under a lock
    /// and unwrapping them after copied every value twice, a retain per
    /// field each time, which was a tenth of loading a large cache.
    func parallelMap<T: Sendable>(progress: ParallelProgress? = nil, _ transform: @Sendable (Element) -> T) -> [T] {
        if count < 2, progress == nil { return map(transform) }
        if isEmpty { return [] }
        let counter = progress.map { ProgressCounter(total: count, report: $0) }
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            let slots = Slots(base: buffer.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: count) { index in
                // Each iteration initializes its own element, once.
                (slots.base + index).initialize(to: transform(self[index]))
                counter?.finished()
            }
            initialized = count
        }
    }
}

/// The new array's storage, written by the iterations of `parallelMap`.
private struct Slots<T>: @unchecked Sendable {  // each element is initialized by exactly one iteration
    let base: UnsafeMutablePointer<T>
}

/// Counts finished items for a progress listener.
private final class ProgressCounter: @unchecked Sendable {  // `done` is used only under the lock
    private var done = 0
    private let total: Int
    private let report: ParallelProgress
    private let lock = NSLock()

    init(total: Int, report: @escaping ParallelProgress) {
        self.total = total
        self.report = report
    }

    func finished() {
        // Under the lock, so counts arrive in order; listeners are quick (throttled).
        lock.withLock {
            done += 1
            report(done, total)
        }
    }
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

    /// Starts making the value on another thread, if nothing has yet;
    /// `value` then waits for it.
    func prefetch() { DispatchQueue.global().async { _ = self.value } }

    var value: Value {
        lock.withLock {
            if let stored { return stored }
            let value = make()
            stored = value
            return value
        }
    }
}

/// A value made on another thread, started at once; `value` waits for it.
/// For work that depends on nothing the caller does meanwhile.
final class Background<Value: Sendable>: @unchecked Sendable {  // `result` is written once, before `done` is signalled
    private var result: Value?
    private let done = DispatchSemaphore(value: 0)

    init(_ make: @escaping @Sendable () -> Value) {
        DispatchQueue.global().async {
            self.result = make()
            self.done.signal()
        }
    }

    var value: Value {
        done.wait()
        defer { done.signal() }
        return result!
    }
}

/// Holds a value until `drop` lets it go, on whichever thread calls it:
/// given the caller's last reference, that thread frees it.
final class Handoff<Value: Sendable>: @unchecked Sendable {  // `drop` is called once, by one thread
    private var value: Value?
    init(_ value: Value) { self.value = value }
    func drop() { value = nil }

    /// Frees the value on another core, once the caller has let go of it.
    func dropInBackground() { DispatchQueue.global().async { self.drop() } }
}

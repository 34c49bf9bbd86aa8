/// Collects source changes from a watcher and hands them to the rebuild
/// loop in batches: a batch is ready once no change has arrived for the
/// quiet window (or `maxDelay` after its first change, so a file written
/// continuously still gets built). Changes that arrive during a rebuild
/// gather into the next batch: one rebuild per burst, never a queue of them.
actor ChangeQueue {
    struct Batch: Equatable, Sendable {
        /// Source paths relative to the site folder.
        var paths: Set<String> = []
        /// Something changed that cannot be named file by file (a folder
        /// moved away, an event queue overflow): rebuild without hints.
        var unknown = false

        /// What `IncrementalBuilder.build(changed:)` takes.
        var hint: Set<String>? { unknown ? nil : paths }
    }

    let quiet: Duration
    let maxDelay: Duration
    private var pending: Batch?
    private var firstChange = ContinuousClock.now
    private var lastChange = ContinuousClock.now
    private var waiter: CheckedContinuation<Void, Never>?
    private var closed = false

    init(quiet: Duration, maxDelay: Duration = .seconds(1)) {
        self.quiet = quiet
        self.maxDelay = maxDelay
    }

    /// Records changed paths; nil means "unknown, rebuild everything".
    func add(_ paths: Set<String>?) {
        let now = ContinuousClock.now
        if pending == nil {
            pending = Batch()
            firstChange = now
        }
        if let paths { pending?.paths.formUnion(paths) } else { pending?.unknown = true }
        lastChange = now
        wake()
    }

    /// The next batch, after its quiet window; nil once closed.
    func next() async -> Batch? {
        while pending == nil && !closed {
            await withCheckedContinuation { waiter = $0 }
        }
        while !closed {
            let until = min(lastChange + quiet, firstChange + maxDelay)
            if ContinuousClock.now >= until { break }
            try? await Task.sleep(until: until, clock: .continuous)
        }
        guard !closed else { return nil }
        defer { pending = nil }
        return pending
    }

    func close() {
        closed = true
        wake()
    }

    private func wake() {
        waiter?.resume()
        waiter = nil
    }
}

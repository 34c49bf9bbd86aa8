import Foundation

/// The state shared by request handlers and the rebuild loop: the last good
/// site, the current errors, and the pages listening for events.
actor PreviewState {
    struct Snapshot: Sendable {
        /// The last good site by output path; empty before the first good build.
        var files: [String: Data] = [:]
        var status = LiveStatus(generation: 0, errors: [])
    }

    private(set) var snapshot = Snapshot()
    private var subscribers: [UInt64: AsyncStream<[UInt8]>.Continuation] = [:]
    private var nextID: UInt64 = 0
    private var closed = false
    /// The URL paths each recent generation changed (nil: too many), so a
    /// page that was away (a hidden tab) can tell whether it is stale.
    private var history: [(generation: Int, paths: Set<String>?)] = []
    /// Most URL paths a reload event lists before it says "everything".
    static let maxListedPaths = 200
    static let historyLength = 64

    var subscriberCount: Int { subscribers.count }

    /// A successful build: serve the new files and tell every page.
    func publish(files: [String: Data], changed: Set<String>) {
        let hadErrors = !snapshot.status.errors.isEmpty
        snapshot.files = files
        snapshot.status.errors = []
        guard !changed.isEmpty || hadErrors else { return }
        let paths = changed.count <= Self.maxListedPaths ? Set(changed.map(RequestPath.urlPath(forOutput:))) : nil
        if !changed.isEmpty {
            snapshot.status.generation += 1
            history.append((snapshot.status.generation, paths))
            if history.count > Self.historyLength { history.removeFirst() }
        }
        broadcast(.reload(generation: snapshot.status.generation, paths: paths.map { $0.sorted() }))
    }

    /// URL paths changed after generation `since` (nil: unknown or too many).
    func changes(since: Int) -> [String]? {
        let current = snapshot.status.generation
        if since == current { return [] }
        guard since < current, let oldest = history.first?.generation, oldest <= since + 1 else { return nil }
        var union = Set<String>()
        for entry in history where entry.generation > since {
            guard let paths = entry.paths else { return nil }
            union.formUnion(paths)
        }
        return union.count <= Self.maxListedPaths ? union.sorted() : nil
    }

    /// A failed build: keep the files, show the errors everywhere.
    func fail(with errors: [BuildProblem]) {
        snapshot.status.errors = errors
        broadcast(.errors(snapshot.status))
    }

    /// A new event stream, starting with the current state. Its
    /// continuation is dropped when the stream ends or the client goes.
    /// `since` is the generation the page shows, if it says.
    func subscribe(since: Int? = nil) -> (id: UInt64, events: AsyncStream<[UInt8]>) {
        let (stream, continuation) = AsyncStream<[UInt8]>.makeStream(bufferingPolicy: .bufferingNewest(16))
        nextID += 1
        let id = nextID
        let hello = Hello(generation: snapshot.status.generation, errors: snapshot.status.errors,
                          paths: since.map { changes(since: $0) } ?? nil)
        continuation.yield(ServerEvent.preamble + ServerEvent.hello(hello).bytes)
        if closed {
            continuation.finish()
        } else {
            subscribers[id] = continuation
            continuation.onTermination = { _ in Task { await self.unsubscribe(id) } }
        }
        return (id, stream)
    }

    func unsubscribe(_ id: UInt64) {
        subscribers.removeValue(forKey: id)?.finish()
    }

    /// A comment to every stream: a write to a client that has gone fails,
    /// which ends its response and releases its subscription.
    func ping() { broadcast(.ping) }

    /// Ends every stream (shutdown); later subscribers get the state and an end.
    func close() {
        closed = true
        for continuation in subscribers.values { continuation.finish() }
        subscribers = [:]
    }

    private func broadcast(_ event: ServerEvent) {
        let bytes = event.bytes
        for continuation in subscribers.values { continuation.yield(bytes) }
    }
}

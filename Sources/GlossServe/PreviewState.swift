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
    /// Most URL paths a reload event lists before it says "everything".
    static let maxListedPaths = 200

    var subscriberCount: Int { subscribers.count }

    /// A successful build: serve the new files and tell every page.
    func publish(files: [String: Data], changed: Set<String>) {
        let hadErrors = !snapshot.status.errors.isEmpty
        snapshot.files = files
        snapshot.status.errors = []
        guard !changed.isEmpty || hadErrors else { return }
        if !changed.isEmpty { snapshot.status.generation += 1 }
        let paths = changed.count <= Self.maxListedPaths ? changed.map(RequestPath.urlPath(forOutput:)).sorted() : nil
        broadcast(.reload(generation: snapshot.status.generation, paths: paths))
    }

    /// A failed build: keep the files, show the errors everywhere.
    func fail(with errors: [BuildProblem]) {
        snapshot.status.errors = errors
        broadcast(.errors(snapshot.status))
    }

    /// A new event stream, starting with the current state. Its
    /// continuation is dropped when the stream ends or the client goes.
    func subscribe() -> (id: UInt64, events: AsyncStream<[UInt8]>) {
        let (stream, continuation) = AsyncStream<[UInt8]>.makeStream(bufferingPolicy: .bufferingNewest(16))
        nextID += 1
        let id = nextID
        continuation.yield(ServerEvent.preamble + ServerEvent.hello(snapshot.status).bytes)
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

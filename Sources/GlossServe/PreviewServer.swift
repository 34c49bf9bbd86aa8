import FlyingFox
import FlyingSocks
import Foundation
import Gloss
#if canImport(Glibc)
import Glibc
#endif

/// `gloss serve` as a library: builds the site into memory, serves it over
/// HTTP with live reload, watches the sources and rebuilds on change.
/// Nothing is written to disk: not `public/`, not anywhere.
///
///     let server = PreviewServer(PreviewConfiguration(source: site, port: 0))
///     let url = try await server.start()
///     ...
///     await server.stop()
public actor PreviewServer {
    public nonisolated let configuration: PreviewConfiguration
    let state = PreviewState()
    private var rebuilder: SiteRebuilder?
    private let changes: ChangeQueue
    private var http: HTTPServer?
    private var serverTask: Task<Void, Never>?
    private var rebuildTask: Task<Void, Never>?
    private var watcher: (any SourceWatcher)?
    private var pinger: Task<Void, Never>?
    private(set) var stopped = false
    /// Where the site is served, once started.
    public private(set) var url: URL?

    public init(_ configuration: PreviewConfiguration) {
        self.configuration = configuration
        changes = ChangeQueue(quiet: configuration.debounce)
    }

    /// Listens, builds the site once, and starts watching; returns the URL
    /// to open. A failed first build is no error: its errors are shown in
    /// the terminal and in the browser until fixed.
    public func start() async throws -> URL {
        let source = configuration.source
        guard FileManager.default.fileExists(atPath: source.appendingPathComponent("site.yml").path) else {
            throw PreviewError.noSiteFolder(source.path)
        }
        let url = try await listen()
        self.url = url
        // The site is built for this server's address, whatever base_url
        // says, so links, feeds and canonical URLs point here. The output
        // folder is never written (and not even created).
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-serve-\(UUID().uuidString)")
        let rebuilder = SiteRebuilder(options: BuildOptions(source: source, output: scratch, baseURL: url.absoluteString,
                                                            includeDrafts: configuration.includeDrafts))
        self.rebuilder = rebuilder
        // Watch before building: a save during the first build is not lost.
        do {
            try startWatching()
        } catch {
            await stop()
            throw error
        }
        configuration.log("Building \(source.path) for \(url.absoluteString) …")
        await apply(await rebuilder.build(changed: nil), trigger: nil)
        rebuildTask = Task { await self.rebuildLoop(rebuilder) }
        pinger = Task { await self.pingLoop() }
        return url
    }

    /// Returns once the server has stopped.
    public func wait() async {
        await serverTask?.value
        await rebuildTask?.value
    }

    /// Stops watching, ends every event stream and closes the server.
    public func stop() async {
        guard !stopped else { return }
        stopped = true
        watcher?.stop()
        pinger?.cancel()
        await changes.close()
        await state.close()
        // Event streams have ended; page responses come from memory and take
        // microseconds. FlyingFox's listener only ends when cancelled, so a
        // grace period would be waited out in full on every stop.
        await http?.stop(timeout: 0)
        await wait()
    }

    /// Open event streams, for tests and diagnostics.
    public var subscriberCount: Int { get async { await state.subscriberCount } }

    /// The current build status: generation and errors.
    public var status: LiveStatus { get async { await state.snapshot.status } }

    /// The site as served now (without the live-reload script), by output path.
    public var files: [String: Data] { get async { await state.snapshot.files } }

    /// Sends a keep-alive comment to every stream now (normally every 15 s).
    public func ping() async { await state.ping() }

    // MARK: - Listening

    private func listen() async throws -> URL {
        let (host, port) = (configuration.host, configuration.port)
        let server = HTTPServer(config: .init(address: try Self.address(host: host, port: port), timeout: 30,
                                              pool: Self.socketPool(), logger: .disabled),
                                handler: SiteHandler(state: state, loopbackOnly: Self.isLoopback(host)))
        let failure = FailureBox()
        serverTask = Task {
            do { try await server.run() } catch { await failure.set(error) }
        }
        // FlyingFox binds inside run(): wait for it to listen, or to fail.
        // Generous: on a loaded machine (a parallel test run) the task may wait long for a thread.
        let deadline = ContinuousClock.now + .seconds(60)
        while await !server.isListening {
            if let error = await failure.error { throw Self.describe(error, host: host, port: port) }
            guard ContinuousClock.now < deadline else { throw PreviewError.cannotListen(host: host, port: port, reason: "timed out") }
            try await Task.sleep(for: .milliseconds(2))
        }
        http = server
        var bound = port
        if case let .ip4(_, actual)? = await server.listeningAddress { bound = actual }
        if case let .ip6(_, actual)? = await server.listeningAddress { bound = actual }
        let shown = host == "0.0.0.0" || host == "::" ? "localhost" : host.contains(":") ? "[\(host)]" : host
        return URL(string: "http://\(shown):\(bound)/")!
    }

    /// See `EpollSocketPool` for why Linux does not use FlyingFox's own.
    static func socketPool() -> any AsyncSocketPool {
        #if os(Linux)
        EpollSocketPool()
        #else
        HTTPServer.defaultPool()
        #endif
    }

    static func address(host: String, port: UInt16) throws -> any SocketAddress {
        let ip = host == "localhost" ? "127.0.0.1" : host
        do {
            return ip.contains(":") ? try sockaddr_in6.inet6(ip6: ip, port: port) : try sockaddr_in.inet(ip4: ip, port: port)
        } catch {
            throw PreviewError.invalidHost(host)
        }
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    static func describe(_ error: any Error, host: String, port: UInt16) -> PreviewError {
        if case let SocketError.failed(_, code, message) = error {
            return code == EADDRINUSE ? .portInUse(host: host, port: port) : .cannotListen(host: host, port: port, reason: message)
        }
        return .cannotListen(host: host, port: port, reason: "\(error)")
    }

    // MARK: - Watching and rebuilding

    private func startWatching() throws {
        let scope = WatchScope(root: configuration.source)
        let changes = changes
        let report: @Sendable (Set<String>?) -> Void = { paths in Task { await changes.add(paths) } }
        #if os(Linux)
        if !configuration.polling {
            do {
                let inotify = try InotifyWatcher(scope: scope)
                try inotify.start(report)
                watcher = inotify
                return
            } catch {
                configuration.log("\(error); polling for changes instead")
            }
        }
        #endif
        let polling = try PollingWatcher(scope: scope)
        try polling.start(report)
        watcher = polling
    }

    private func rebuildLoop(_ rebuilder: SiteRebuilder) async {
        while let batch = await changes.next() {
            await apply(await rebuilder.build(changed: batch.hint), trigger: batch)
        }
    }

    private func pingLoop() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(15))
            await state.ping()
        }
    }

    private func apply(_ outcome: SiteRebuilder.Outcome, trigger: ChangeQueue.Batch?) async {
        if outcome.report.succeeded {
            await state.publish(files: outcome.files, changed: outcome.changed)
        } else {
            await state.fail(with: outcome.errors)
        }
        for line in BuildLog.lines(for: outcome, trigger: trigger, verbose: configuration.verbose) { configuration.log(line) }
    }
}

/// The error of the server task, if it ended with one.
private actor FailureBox {
    private(set) var error: (any Error)?
    func set(_ error: any Error) { self.error = error }
}

import Foundation

/// How `PreviewServer` serves and watches a site.
public struct PreviewConfiguration: Sendable {
    /// The site folder (holding site.yml).
    public var source: URL
    /// An IP address to bind: 127.0.0.1 (default), 0.0.0.0, ::1, or "localhost".
    public var host: String
    /// 0 picks a free port.
    public var port: UInt16
    public var includeDrafts: Bool
    /// Changes are built once no new change has come for this long.
    public var debounce: Duration
    /// Poll the files instead of using inotify (always the case off Linux).
    public var polling: Bool
    /// Also log the time of each build step.
    public var verbose: Bool
    /// Where progress, build summaries and errors go, one line per call.
    public var log: @Sendable (String) -> Void

    public init(source: URL, host: String = "127.0.0.1", port: UInt16 = 8080, includeDrafts: Bool = false,
                debounce: Duration = .milliseconds(50), polling: Bool = false, verbose: Bool = false,
                log: @escaping @Sendable (String) -> Void = { print($0) }) {
        self.source = source.standardizedFileURL
        self.host = host
        self.port = port
        self.includeDrafts = includeDrafts
        self.debounce = debounce
        self.polling = polling
        self.verbose = verbose
        self.log = log
    }
}

public enum PreviewError: Error, Equatable, CustomStringConvertible {
    case portInUse(host: String, port: UInt16)
    case cannotListen(host: String, port: UInt16, reason: String)
    case invalidHost(String)
    case noSiteFolder(String)

    public var description: String {
        switch self {
        case let .portInUse(host, port):
            "port \(port) is already in use on \(host); stop the other server, choose another with --port, or use --port 0 for a free one"
        case let .cannotListen(host, port, reason):
            "cannot listen on \(host) port \(port): \(reason)"
        case let .invalidHost(host):
            "'\(host)' is not an IP address to listen on; use 127.0.0.1, 0.0.0.0, ::1 or localhost"
        case let .noSiteFolder(path):
            "\(path) has no site.yml: give the site folder with --source"
        }
    }
}

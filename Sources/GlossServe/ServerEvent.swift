import Foundation

/// What the live-reload stream tells a page, as Server-Sent Events.
/// Every payload is one line of JSON.
enum ServerEvent: Sendable {
    /// First event on every connection: the current state, so a page that
    /// missed a rebuild (or loaded while the build was broken) catches up.
    case hello(Hello)
    /// A rebuild succeeded; `paths` are the URL paths that changed (nil: too
    /// many to list). A page not listed may stay, but drops its overlay.
    case reload(generation: Int, paths: [String]?)
    /// A rebuild failed; the previous site is still served.
    case errors(LiveStatus)
    /// A comment line that keeps proxies quiet and finds dead connections.
    case ping

    var bytes: [UInt8] {
        switch self {
        case .hello(let status): Self.event("hello", status)
        case .reload(let generation, let paths): Self.event("reload", ReloadPayload(generation: generation, paths: paths))
        case .errors(let status): Self.event("errors", status)
        case .ping: Array(": ping\n\n".utf8)
        }
    }

    /// Sent once before the first event: reconnect after a second if the
    /// server goes away (a restart of `gloss serve`).
    static let preamble = Array("retry: 1000\n\n".utf8)

    private static func event(_ name: String, _ payload: some Encodable) -> [UInt8] {
        Array("event: \(name)\ndata: ".utf8) + JSON.encode(payload) + Array("\n\n".utf8)
    }
}

/// The state a page needs: which build it shows and what is broken now.
public struct LiveStatus: Codable, Equatable, Sendable {
    /// Counts successful builds that changed the site.
    public var generation: Int
    /// Errors of the latest build; empty when it succeeded.
    public var errors: [BuildProblem]
}

/// The current state, and what changed since the generation the page
/// showed when it connected (nil: unknown, or too much to list).
struct Hello: Codable, Equatable, Sendable {
    var generation: Int
    var errors: [BuildProblem]
    var paths: [String]?

    /// Always written, `null` included, so the page can tell "unknown" from absent.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(generation, forKey: .generation)
        try container.encode(errors, forKey: .errors)
        try container.encode(paths, forKey: .paths)
    }
}

struct ReloadPayload: Codable, Equatable, Sendable {
    var generation: Int
    var paths: [String]?
}

enum JSON {
    /// Compact, sorted JSON. `<`, `>` and `&` only ever occur inside JSON
    /// strings, so escaping them as `\u00XX` keeps the text safe to place
    /// inside an HTML `<script>` element.
    static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("null".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(data.count)
        for byte in data {
            switch byte {
            case UInt8(ascii: "<"): out += Array("\\u003c".utf8)
            case UInt8(ascii: ">"): out += Array("\\u003e".utf8)
            case UInt8(ascii: "&"): out += Array("\\u0026".utf8)
            default: out.append(byte)
            }
        }
        return out
    }
}

/// One finding about the user's input. Stages return these instead of
/// throwing, so that a build reports every problem at once.
public struct Diagnostic: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Sendable, Comparable {
        case warning, error
        public static func < (a: Severity, b: Severity) -> Bool { a == .warning && b == .error }
    }

    public var severity: Severity
    public var location: SourceLocation?
    public var message: String
    /// A near match for a misspelled name, printed as "did you mean 'x'?".
    public var suggestion: String?

    public init(_ severity: Severity, _ message: String, at location: SourceLocation?, suggestion: String? = nil) {
        self.severity = severity
        self.location = location
        self.message = message
        self.suggestion = suggestion
    }

    public static func error(_ message: String, at location: SourceLocation?, suggestion: String? = nil) -> Diagnostic {
        Diagnostic(.error, message, at: location, suggestion: suggestion)
    }

    public static func warning(_ message: String, at location: SourceLocation?) -> Diagnostic {
        Diagnostic(.warning, message, at: location)
    }

    /// `path:line:column: error: message; did you mean 'x'?`, the format of
    /// compilers, so editors and CI annotators can jump to the spot.
    public var description: String {
        var text = location.map { "\($0): " } ?? ""
        text += "\(severity.rawValue): \(message)"
        if let suggestion { text += "; did you mean '\(suggestion)'?" }
        return text
    }
}

/// Collects diagnostics from one stage. A value type: each parallel task
/// owns its own and the results are merged, so there is no shared state.
public struct Diagnostics: Sendable {
    public private(set) var all: [Diagnostic] = []

    public init() {}

    public mutating func append(_ diagnostic: Diagnostic) { all.append(diagnostic) }
    public mutating func append(contentsOf other: Diagnostics) { all.append(contentsOf: other.all) }
    public mutating func append(contentsOf list: [Diagnostic]) { all.append(contentsOf: list) }

    public mutating func error(_ message: String, at location: SourceLocation?, suggestion: String? = nil) {
        all.append(.error(message, at: location, suggestion: suggestion))
    }

    public mutating func warning(_ message: String, at location: SourceLocation?) {
        all.append(.warning(message, at: location))
    }

    public var hasErrors: Bool { all.contains { $0.severity == .error } }
    public var errors: [Diagnostic] { all.filter { $0.severity == .error } }
    public var warnings: [Diagnostic] { all.filter { $0.severity == .warning } }

    /// Stable order for printing: by file, line, column; unlocated last.
    public var sorted: [Diagnostic] {
        all.sorted { a, b in
            switch (a.location, b.location) {
            case let (x?, y?): return x == y ? a.message < b.message : x < y
            case (_?, nil): return true
            case (nil, _?): return false
            case (nil, nil): return a.message < b.message
            }
        }
    }
}

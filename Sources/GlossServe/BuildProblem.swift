import Foundation
import Gloss

/// One error of a failed build as the browser overlay and the terminal show
/// it: where, what, and the offending line read back from the source file.
public struct BuildProblem: Codable, Equatable, Sendable {
    public var path: String?
    public var line: Int?
    public var column: Int?
    public var message: String
    /// `path:line:column: error: message; did you mean 'x'?`, as `gloss build` prints it.
    public var description: String
    /// The source line the location points at, without its newline.
    public var sourceLine: String?

    public init(_ diagnostic: Diagnostic, siteFolder: URL, lines: inout [String: [Substring]]) {
        path = diagnostic.location?.path
        line = diagnostic.location?.line
        column = diagnostic.location?.column
        message = diagnostic.message + (diagnostic.suggestion.map { "; did you mean '\($0)'?" } ?? "")
        description = diagnostic.description
        if let location = diagnostic.location {
            if lines[location.path] == nil {
                let text = (try? String(contentsOf: siteFolder.appendingPathComponent(location.path), encoding: .utf8)) ?? ""
                // Split on the byte: "\r\n" is one Character, so splitting on the
                // character "\n" left a Windows file as a single line.
                lines[location.path] = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { Substring($0) }
            }
            if let all = lines[location.path], location.line >= 1, location.line <= all.count {
                sourceLine = String(all[location.line - 1].trimmingSuffix("\r"))
            }
        }
    }

    /// The errors of a report, sorted as the CLI prints them.
    public static func errors(of report: BuildReport, siteFolder: URL) -> [BuildProblem] {
        var cache: [String: [Substring]] = [:]
        return report.diagnostics.sorted.filter { $0.severity == .error }.map { BuildProblem($0, siteFolder: siteFolder, lines: &cache) }
    }

    /// The terminal form: the diagnostic, then the source line with a caret
    /// under the column, as compilers show it.
    public var terminalText: String {
        guard let sourceLine, let line, let column else { return description }
        let number = String(line)
        let gutter = String(repeating: " ", count: number.count)
        // Tabs keep their width so the caret lines up under the column.
        let lead = sourceLine.unicodeScalars.prefix(max(0, column - 1)).map { $0 == "\t" ? "\t" : " " }.joined()
        return "\(description)\n \(number) | \(sourceLine)\n \(gutter) | \(lead)^"
    }
}

private extension Substring {
    func trimmingSuffix(_ suffix: String) -> Substring { hasSuffix(suffix) ? dropLast(suffix.count) : self }
}

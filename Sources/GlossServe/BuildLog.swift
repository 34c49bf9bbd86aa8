import Foundation
import Gloss

/// What the terminal shows for each build: the summary line, and for a
/// failed build every error with its source line, as the browser shows them.
enum BuildLog {
    static func lines(for outcome: SiteRebuilder.Outcome, trigger: ChangeQueue.Batch?, verbose: Bool) -> [String] {
        let report = outcome.report
        var lines: [String] = []
        if verbose {
            lines += report.stages.map { "  " + $0.name.padding(toLength: 28, withPad: " ", startingAt: 0)
                + String(format: "%8.1f ms", $0.seconds * 1000) }
        }
        if trigger == nil {
            // The first build prints warnings too, as `gloss build` does.
            lines += report.diagnostics.sorted.filter { $0.severity == .warning }.map(\.description)
        }
        lines += outcome.errors.map(\.terminalText)
        let time = String(format: "%.0f ms", report.seconds * 1000)
        guard let trigger else {
            lines.append(report.summary)
            return lines
        }
        let what = describe(trigger)
        if !report.succeeded {
            lines.append("\(stamp()) \(what): \(report.summary); still serving the last good build")
        } else if outcome.changed.isEmpty {
            lines.append("\(stamp()) \(what): rebuilt in \(time), no page changed")
        } else {
            let count = outcome.changed.count
            lines.append("\(stamp()) \(what): rebuilt in \(time), \(count) file\(count == 1 ? "" : "s") changed, reloading")
        }
        return lines
    }

    private static func describe(_ batch: ChangeQueue.Batch) -> String {
        if batch.unknown { return "sources changed" }
        let sorted = batch.paths.sorted()
        return sorted.prefix(2).joined(separator: ", ") + (sorted.count > 2 ? " and \(sorted.count - 2) more" : "")
    }

    private static func stamp() -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "HH:mm:ss"
        return "[" + formatter.string(from: Date()) + "]"
    }
}

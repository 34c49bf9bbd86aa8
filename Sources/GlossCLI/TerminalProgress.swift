import Foundation
import Gloss

/// The progress line on a terminal: one line on stderr, redrawn in place
/// (`\r`, erase to end of line) at most ten times a second, cleared at the end.
final class TerminalProgress: BuildProgress, @unchecked Sendable {  // state behind `lock`
    private let lock = NSLock()
    private var stage = ""
    private var lastDraw: UInt64 = 0
    private var drawn = false

    /// Only when stderr is a terminal: a log file should not fill with `\r` lines.
    static func forStandardError() -> TerminalProgress? {
        isatty(STDERR_FILENO) != 0 ? TerminalProgress() : nil
    }

    func begin(stage: String) {
        lock.withLock {
            self.stage = stage
            draw(stage + "…", force: true)
        }
    }

    func advance(done: Int, total: Int) {
        lock.withLock { draw("\(stage) \(done)/\(total)", force: false) }
    }

    /// Erases the line, before the summary and diagnostics are printed.
    func clear() {
        lock.withLock {
            if drawn { write("\r\u{1B}[K") }
            drawn = false
        }
    }

    private func draw(_ text: String, force: Bool) {
        let now = DispatchTime.now().uptimeNanoseconds
        guard force || now - lastDraw >= 100_000_000 else { return }
        lastDraw = now
        drawn = true
        write("\r\u{1B}[K" + text)
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}

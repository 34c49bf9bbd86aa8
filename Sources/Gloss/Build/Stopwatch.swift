import Foundation

/// Wall time per named step, for `--verbose` and benchmarks; it also tells
/// `progress` which step is running.
final class Stopwatch: Sendable {
    private let start = DispatchTime.now()
    let progress: (any BuildProgress)?

    init(progress: (any BuildProgress)? = nil) { self.progress = progress }

    var total: Double { Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9 }

    /// For `parallelMap(progress:)` in a step that counts its items.
    var counter: ParallelProgress? {
        guard let progress else { return nil }
        return { done, total in progress.advance(done: done, total: total) }
    }

    func step<T>(_ name: String, into report: inout BuildReport, _ body: () throws -> T) rethrows -> T {
        progress?.begin(stage: name)
        let begin = DispatchTime.now()
        let value = try body()
        report.stages.append((name, Double(DispatchTime.now().uptimeNanoseconds - begin.uptimeNanoseconds) / 1e9))
        return value
    }
}

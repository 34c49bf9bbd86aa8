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
        try step(name, into: &report.stages, body)
    }

    func step<T>(_ name: String, into stages: inout [(name: String, seconds: Double, residentBytes: Int?)],
                 _ body: () throws -> T) rethrows -> T {
        progress?.begin(stage: name)
        let begin = DispatchTime.now()
        let value = try body()
        stages.append((name, Double(DispatchTime.now().uptimeNanoseconds - begin.uptimeNanoseconds) / 1e9, ResidentMemory.current))
        return value
    }
}

/// The process's resident memory, from Linux's `/proc/self`: where a build's
/// memory grows, for `--verbose`. Nil on systems without `/proc`.
enum ResidentMemory {
    /// Resident now: the second field of `statm`, in pages.
    static var current: Int? {
        guard let statm = read("/proc/self/statm"), let pages = statm.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
        else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// The high-water mark: `VmHWM` in `status`, in kB.
    static var peak: Int? {
        guard let status = read("/proc/self/status"),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
        else { return nil }
        return kilobytes * 1024
    }

    private static func read(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}

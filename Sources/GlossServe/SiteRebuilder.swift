import Dispatch
import Foundation
import Gloss

/// Owns the `IncrementalBuilder` (which is not Sendable) and runs every
/// build on a dispatch queue of its own: a build is seconds of CPU on a
/// large archive, and must not hold one of the few threads that serve
/// requests. Builds run one at a time, in order.
actor SiteRebuilder {
    struct Outcome: Sendable {
        let report: BuildReport
        /// The last good site after this build (unchanged when it failed).
        let files: [String: Data]
        /// Output paths that changed; empty when the build failed.
        let changed: Set<String>
        /// The errors, each with its source line; empty on success.
        let errors: [BuildProblem]
    }

    private let executor = QueueExecutor(label: "gloss.build")
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    private let builder: IncrementalBuilder
    let options: BuildOptions

    init(options: BuildOptions) {
        self.options = options
        builder = IncrementalBuilder(options: options)
    }

    /// Rebuilds; `changed` lists source paths relative to the site folder
    /// (nil: unknown).
    func build(changed: Set<String>?) -> Outcome {
        let result = builder.build(changed: changed)
        let errors = result.report.succeeded ? [] : BuildProblem.errors(of: result.report, siteFolder: options.source)
        return Outcome(report: result.report, files: builder.files, changed: result.changedPaths, errors: errors)
    }
}

/// A serial executor backed by a dispatch queue (Linux has no
/// `DispatchSerialQueue` executor), so an actor's work runs on that queue.
final class QueueExecutor: SerialExecutor {
    private let queue: DispatchQueue

    init(label: String) { queue = DispatchQueue(label: label, qos: .userInitiated) }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedSerialExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }

    func asUnownedSerialExecutor() -> UnownedSerialExecutor { UnownedSerialExecutor(ordinary: self) }
}

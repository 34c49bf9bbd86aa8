/// Where a build says how far it is, for a progress line on a terminal.
/// Passed in `BuildOptions` (nothing global); `nil` means nobody is
/// listening. Called from worker threads, so implementations must be
/// thread-safe; within a stage, `done` never decreases.
public protocol BuildProgress: Sendable {
    /// A named stage begins (the names of `BuildReport.stages`).
    func begin(stage: String)
    /// `done` of the current stage's `total` items are finished. Only the
    /// long stages count their items.
    func advance(done: Int, total: Int)
}

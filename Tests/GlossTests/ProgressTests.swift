import Foundation
import Testing
@testable import Gloss

/// The progress a build reports, and the CLI's `--quiet`.
@Suite struct ProgressTests {
    /// Records every call; builds call it from worker threads.
    final class Recorder: BuildProgress, @unchecked Sendable {  // state behind `lock`
        private let lock = NSLock()
        private var events: [(stage: String, done: Int?, total: Int?)] = []

        func begin(stage: String) { lock.withLock { events.append((stage, nil, nil)) } }
        func advance(done: Int, total: Int) {
            lock.withLock { events.append((events.last?.stage ?? "", done, total)) }
        }
        var recorded: [(stage: String, done: Int?, total: Int?)] { lock.withLock { events } }
    }

    @Test func stagesAndMonotoneCounts() throws {
        let site = try SiteFixture(BrowsingTests.articles(25))
        defer { site.remove() }
        let recorder = Recorder()
        let report = SiteBuilder(options: BuildOptions(source: site.root, progress: recorder)).build()
        #expect(report.succeeded)
        let events = recorder.recorded
        // Every stage of the report was announced, in order.
        #expect(events.filter { $0.done == nil }.map(\.stage) == report.stages.map(\.name))
        let annotate = events.filter { $0.stage == "annotate articles" && $0.done != nil }
        #expect(annotate.map { $0.done! } == Array(1...25))
        #expect(annotate.allSatisfy { $0.total == 25 })
    }

    @Test func parallelMapCountsInOrder() {
        let counts = Recorder()
        let squares = Array(0..<500).parallelMap(progress: { counts.advance(done: $0, total: $1) }) { $0 * $0 }
        #expect(squares == (0..<500).map { $0 * $0 })
        #expect(counts.recorded.map { $0.done! } == Array(1...500))
    }

    /// Each result is made in its place: values that own memory (strings,
    /// arrays, objects) come back whole and in order, none copied twice or lost.
    @Test func parallelMapKeepsValuesThatOwnMemory() {
        final class Box: Sendable { let value: Int; init(_ value: Int) { self.value = value } }
        let made = Array(0..<3_000).parallelMap { index in
            (name: String(repeating: "x", count: index % 40) + "\(index)", boxes: [Box(index), Box(-index)])
        }
        #expect(made.count == 3_000)
        #expect(made.indices.allSatisfy { made[$0].name.hasSuffix("\($0)") && made[$0].boxes.map(\.value) == [$0, -$0] })
        let counts = Recorder()
        #expect([Int]().parallelMap(progress: { counts.advance(done: $0, total: $1) }) { $0 }.isEmpty)
        #expect(counts.recorded.isEmpty)
        #expect([7].parallelMap(progress: { counts.advance(done: $0, total: $1) }) { $0 + 1 } == [8])
        #expect(counts.recorded.map { $0.done! } == [1])
    }

    @Test func quietPrintsNoSummaryButStillDiagnostics() throws {
        let cli = CommandLineTests()
        let good = try SiteFixture(SiteBuildTests.articles)
        defer { good.remove() }
        let quiet = try cli.gloss(["build", "--quiet", "--verbose", "--source", good.root.path])
        #expect(quiet.status == 0)
        #expect(quiet.stdout.isEmpty)
        #expect(quiet.stderr.isEmpty)  // and no progress line: stderr is a pipe
        let bad = try SiteFixture(["content/articles/a.md": "---\ntitle: T\ndate: 2020-01-01\n---\n[x](person:ryabkov)\n"])
        defer { bad.remove() }
        let failed = try cli.gloss(["build", "--quiet", "--source", bad.root.path])
        #expect(failed.status != 0)
        #expect(failed.stdout.isEmpty)
        #expect(failed.stderr == "content/articles/a.md:5:1: error: unknown person 'ryabkov'\n")
    }
}

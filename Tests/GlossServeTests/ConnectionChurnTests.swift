import Foundation
import Testing
@testable import GlossServe

/// Thousands of short connections, several at a time: socket numbers are
/// reused as fast as the kernel hands them out.
@Suite struct ConnectionChurnTests {
    @Test func thousandsOfShortConnectionsAllGetAnswers() async throws {
        try await withServer { site in
            let port = site.port
            let failures = try await withThrowingTaskGroup(of: Int.self) { group in
                for worker in 0..<6 {
                    group.addTask {
                        try await withCheckedThrowingContinuation { continuation in
                            Thread {
                                var failed = 0
                                for index in 0..<400 {
                                    let target = ["/", "/notes.txt", "/missing", "/articles/vienna/"][(index + worker) % 4]
                                    let started = Date()
                                    if (try? RawHTTP.requestBlocking("GET", target, port: port, host: "127.0.0.1", headers: [], timeout: 5)) == nil {
                                        failed += 1
                                        print("stalled: worker \(worker) request \(index) after \(Date().timeIntervalSince(started)) s")
                                    }
                                }
                                continuation.resume(returning: failed)
                            }.start()
                        }
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(failures == 0)
        }
    }
}

import Foundation
#if canImport(Glibc)
import Glibc
#endif

struct ServerSentEvent: Sendable {
    let name: String
    let data: String
}

/// Subscribes to `/_gloss/events` over a raw socket, as a page does, and
/// hands out the events in order. The socket is read on a thread of its
/// own; a timeout shuts the socket down, which ends the stream.
final class EventClient: @unchecked Sendable {
    private let fd: Int32
    private let stream: AsyncStream<ServerSentEvent>
    private var iterator: AsyncStream<ServerSentEvent>.Iterator
    /// What the reader thread saw, for the message of a stream that stalls:
    /// whether the server answered at all narrows down where it stuck.
    private let progress = ReadProgress()

    /// `since`: the generation the page shows, as the page script sends it.
    init(port: UInt16, since: Int? = nil) throws {
        fd = try RawHTTP.connect(port: port)
        var timeout = timeval(tv_sec: 120, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let query = since.map { "?since=\($0)" } ?? ""
        RawHTTP.send(fd, "GET /_gloss/events\(query) HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
        let (stream, continuation) = AsyncStream<ServerSentEvent>.makeStream()
        self.stream = stream
        iterator = stream.makeAsyncIterator()
        let (fd, progress) = (fd, progress)
        Thread { Self.read(fd, into: continuation, progress: progress) }.start()
    }

    /// The data of the next event called `name`, skipping others.
    func next(_ name: String, timeout: Duration = .seconds(60)) async throws -> String {
        let fd = fd
        let watchdog = Task {
            try await Task.sleep(for: timeout)
            shutdown(fd, Int32(SHUT_RDWR))
        }
        defer { watchdog.cancel() }
        while let event = await iterator.next() {
            if event.name == name { return event.data }
        }
        throw TestFailure("the event stream ended before a '\(name)' event; \(progress.summary)")
    }

    /// Waits for the server to end the stream.
    func end(timeout: Duration = .seconds(60)) async -> Bool {
        let fd = fd
        let watchdog = Task {
            try await Task.sleep(for: timeout)
            shutdown(fd, Int32(SHUT_RDWR))
        }
        defer { watchdog.cancel() }
        let started = ContinuousClock.now
        while await iterator.next() != nil {}
        return ContinuousClock.now - started < timeout
    }

    /// Goes away without a word, as a closed tab does.
    func disconnect() { shutdown(fd, Int32(SHUT_RDWR)) }

    deinit {
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }

    /// Reads the response head, then de-chunks the body and splits events.
    private static func read(_ fd: Int32, into continuation: AsyncStream<ServerSentEvent>.Continuation,
                             progress: ReadProgress) {
        defer { continuation.finish() }
        var raw = Data(), body = Data()
        var buffer = [UInt8](repeating: 0, count: 16384)
        var headDone = false
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return }
            raw.append(contentsOf: buffer[..<n])
            progress.received(n)
            if !headDone {
                guard let end = raw.firstRange(of: Data("\r\n\r\n".utf8)) else { continue }
                raw = Data(raw[end.upperBound...])
                headDone = true
            }
            // Chunks: hex size CRLF, data CRLF.
            while let line = raw.firstRange(of: Data("\r\n".utf8)),
                  let size = Int(String(decoding: raw[raw.startIndex..<line.lowerBound], as: UTF8.self), radix: 16),
                  raw.distance(from: line.upperBound, to: raw.endIndex) >= size + 2 {
                if size == 0 { return }
                let start = line.upperBound
                body.append(raw[start..<raw.index(start, offsetBy: size)])
                raw = Data(raw[raw.index(start, offsetBy: size + 2)...])
            }
            // Events end with a blank line; split on bytes, so a character
            // cut between two chunks is decoded whole.
            while let end = body.firstRange(of: Data("\n\n".utf8)) {
                let block = String(decoding: body[body.startIndex..<end.lowerBound], as: UTF8.self)
                body = Data(body[end.upperBound...])
                var name = "message", data: [String] = []
                for line in block.split(separator: "\n") {
                    if line.hasPrefix("event: ") { name = String(line.dropFirst(7)) }
                    if line.hasPrefix("data: ") { data.append(String(line.dropFirst(6))) }
                }
                if !data.isEmpty { continuation.yield(ServerSentEvent(name: name, data: data.joined(separator: "\n"))) }
                progress.event(name)
            }
        }
    }
}

/// Bytes and events received so far on one stream, shared with its reader thread.
final class ReadProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var bytes = 0
    private var events: [String] = []
    private let opened = ContinuousClock.now

    func received(_ count: Int) { lock.withLock { bytes += count } }
    func event(_ name: String) { lock.withLock { events.append(name) } }

    var summary: String {
        lock.withLock {
            "\(bytes) bytes and events \(events) received in \(ContinuousClock.now - opened) since connecting"
        }
    }
}

import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

struct RawResponse: Sendable {
    let status: Int
    /// Header names lowercased.
    let headers: [String: String]
    let body: Data
    var text: String { String(decoding: body, as: UTF8.self) }
}

/// A deliberately dumb HTTP/1.1 client on a blocking socket: it sends the
/// request target exactly as given (URLSession would normalise `/../`), and
/// reads until the server closes. Runs off the cooperative thread pool.
enum RawHTTP {
    static func connect(port: UInt16, timeout seconds: Int = 30) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket failed") }
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { close(fd); throw TestFailure("connect to port \(port) failed: errno \(errno)") }
        return fd
    }

    static func send(_ fd: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            sent += n
        }
    }

    static func request(_ method: String, _ target: String, port: UInt16, host: String? = nil,
                        headers: [String] = []) async throws -> RawResponse {
        // A thread of its own: dispatch's global pool grows only slowly past
        // the core count when its threads block, which would serialise
        // concurrent requests.
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result {
                    try requestBlocking(method, target, port: port, host: host ?? "127.0.0.1:\(port)", headers: headers)
                })
            }.start()
        }
    }

    static func requestBlocking(_ method: String, _ target: String, port: UInt16, host: String,
                                headers: [String], timeout seconds: Int = 30) throws -> RawResponse {
        let fd = try connect(port: port, timeout: seconds)
        defer { close(fd) }
        send(fd, "\(method) \(target) HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n"
             + headers.map { $0 + "\r\n" }.joined() + "\r\n")
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            data.append(contentsOf: buffer[..<n])
        }
        return try parse(data)
    }

    static func parse(_ data: Data) throws -> RawResponse {
        guard let end = data.firstRange(of: Data("\r\n\r\n".utf8)) else { throw TestFailure("no response head in \(data.count) bytes") }
        let head = String(decoding: data[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let status = Int(head[0].split(separator: " ")[1]) ?? 0
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return RawResponse(status: status, headers: headers, body: Data(data[end.upperBound...]))
    }
}

#if os(Linux)
import FlyingSocks
import Foundation
import Glibc
import CSystemLinux

/// The socket pool the preview server waits on: epoll, level-triggered and
/// one-shot, with one registration per wait.
///
/// Why not FlyingFox's own `ePoll` pool: it is edge-triggered and remembers
/// which events it registered for each descriptor, skipping `epoll_ctl` when
/// asked for the same ones again. When a connection is closed before its
/// registration is removed (it resumes the waiting task first, then calls
/// `EPOLL_CTL_DEL`, which then fails), that memory goes stale, and the next
/// connection given the same descriptor number is never registered: it waits
/// forever. Here nothing is remembered between waits: each wait arms the
/// descriptor (`MOD`, or `ADD` when the kernel no longer knows it), and a
/// closed descriptor simply leaves the kernel's set.
final class EpollSocketPool: AsyncSocketPool, @unchecked Sendable {
    // Everything below is guarded by `lock`; epoll and eventfd calls are
    // thread-safe in themselves.
    private let lock = NSLock()
    private var epoll: Int32 = -1
    private var wake: Int32 = -1
    private var waiters: [Int32: [Waiter]] = [:]
    private var nextID: UInt64 = 0
    private var stopped = false

    /// `EPOLLERR | EPOLLHUP`, which Glibc's module does not import.
    private static let errorOrHangUp: UInt32 = 0x008 | 0x010

    private struct Waiter {
        let id: UInt64
        let events: UInt32
        let continuation: CheckedContinuation<Void, any Error>
    }

    init() {}

    func prepare() async throws {
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        wake = eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
        guard epoll >= 0, wake >= 0 else { throw SocketError.makeFailed("epoll_create1/eventfd") }
        var event = epoll_event(events: EPOLLIN.rawValue, data: epoll_data_t(fd: wake))
        guard epoll_ctl(epoll, EPOLL_CTL_ADD, wake, &event) == 0 else { throw SocketError.makeFailed("epoll_ctl") }
    }

    /// Waits for events on a thread of its own (a blocked `epoll_wait` must
    /// not hold one of the few cooperative threads) until cancelled.
    func run() async throws {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                let thread = Thread { [self] in
                    loop()
                    done.resume()
                }
                thread.name = "gloss.epoll"
                thread.start()
            }
        } onCancel: {
            stop()
        }
        close(epoll)
        close(wake)
        throw CancellationError()
    }

    func suspendSocket(_ socket: Socket, untilReadyFor events: Socket.Events) async throws {
        let fd = socket.file.rawValue
        var mask: UInt32 = 0
        if events.contains(.read) { mask |= EPOLLIN.rawValue }
        if events.contains(.write) { mask |= EPOLLOUT.rawValue }
        let id = lock.withLock { nextID += 1; return nextID }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                lock.lock()
                defer { lock.unlock() }
                // Cancelled before this point, the handler below found no
                // waiter to resume: the flag is set before it runs.
                guard !stopped, !Task.isCancelled else { return continuation.resume(throwing: CancellationError()) }
                waiters[fd, default: []].append(Waiter(id: id, events: mask, continuation: continuation))
                if !arm(fd) { fail(fd, with: SocketError.makeFailed("epoll_ctl")) }
            }
        } onCancel: {
            lock.withLock {
                guard var list = waiters[fd], let index = list.firstIndex(where: { $0.id == id }) else { return }
                let waiter = list.remove(at: index)
                waiters[fd] = list.isEmpty ? nil : list
                waiter.continuation.resume(throwing: CancellationError())
            }
        }
    }

    /// Registers `fd` for what its waiters want, once. Under the lock.
    private func arm(_ fd: Int32) -> Bool {
        let wanted = (waiters[fd] ?? []).reduce(UInt32(0)) { $0 | $1.events }
        var event = epoll_event(events: wanted | EPOLLONESHOT.rawValue, data: epoll_data_t(fd: fd))
        if epoll_ctl(epoll, EPOLL_CTL_MOD, fd, &event) == 0 { return true }
        guard errno == ENOENT else { return false }
        return epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event) == 0
    }

    /// Resumes every waiter of `fd` with an error. Under the lock.
    private func fail(_ fd: Int32, with error: any Error) {
        for waiter in waiters.removeValue(forKey: fd) ?? [] { waiter.continuation.resume(throwing: error) }
    }

    private func loop() {
        var events = [epoll_event](repeating: epoll_event(), count: 64)
        while true {
            let count = epoll_wait(epoll, &events, Int32(events.count), -1)
            if count < 0 {
                if errno == EINTR { continue }
                break
            }
            var ready: [CheckedContinuation<Void, any Error>] = []
            lock.lock()
            if stopped { lock.unlock(); break }
            for event in events[..<Int(count)] {
                let fd = event.data.fd
                if fd == wake { continue }
                guard let list = waiters[fd] else { continue }
                // An error or hang-up wakes every waiter: their next read or
                // write reports it.
                let broken = event.events & Self.errorOrHangUp != 0
                let woken = list.filter { broken || $0.events & event.events != 0 }
                let rest = list.filter { !(broken || $0.events & event.events != 0) }
                waiters[fd] = rest.isEmpty ? nil : rest
                if !rest.isEmpty, !arm(fd) { fail(fd, with: SocketError.makeFailed("epoll_ctl")) }
                ready += woken.map(\.continuation)
            }
            lock.unlock()
            for continuation in ready { continuation.resume() }
        }
    }

    private func stop() {
        lock.withLock {
            stopped = true
            for fd in Array(waiters.keys) { fail(fd, with: CancellationError()) }
        }
        var one: UInt64 = 1
        _ = write(wake, &one, MemoryLayout<UInt64>.size)
    }
}
#endif

#if os(Linux)
import FlyingSocks
import Foundation
import CEpoll
import Glibc

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

    private static let errorOrHangUp = EPOLLERR.rawValue | EPOLLHUP.rawValue

    private struct Waiter {
        let id: UInt64
        let events: UInt32
        let continuation: CheckedContinuation<Void, any Error>
    }

    init() {}

    func prepare() async throws {
        let (epoll, wake) = (epoll_create1(Int32(EPOLL_CLOEXEC)), eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC)))
        var event = epoll_event(events: EPOLLIN.rawValue, data: epoll_data_t(fd: wake))
        guard epoll >= 0, wake >= 0, epoll_ctl(epoll, EPOLL_CTL_ADD, wake, &event) == 0 else {
            if epoll >= 0 { close(epoll) }
            if wake >= 0 { close(wake) }
            throw SocketError.makeFailed("epoll_create1/eventfd/epoll_ctl")
        }
        lock.withLock {
            (self.epoll, self.wake) = (epoll, wake)
            waiters = [:]
            stopped = false
        }
    }

    /// Waits for events on a thread of its own (a blocked `epoll_wait` must
    /// not hold one of the few cooperative threads) until cancelled. The
    /// descriptors are closed under the lock once the loop has ended, so no
    /// wait can arm a closed (or reused) number.
    func run() async throws {
        let failure: (any Error)? = await withTaskCancellationHandler {
            await withCheckedContinuation { (done: CheckedContinuation<(any Error)?, Never>) in
                let thread = Thread { [self] in done.resume(returning: loop()) }
                thread.name = "gloss.epoll"
                thread.start()
            }
        } onCancel: {
            stop()
        }
        let left = lock.withLock {
            stopped = true
            close(epoll)
            close(wake)
            (epoll, wake) = (-1, -1)
            return takeAll()
        }
        for waiter in left { waiter.continuation.resume(throwing: CancellationError()) }
        throw failure ?? CancellationError()
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
                guard arm(fd) else {
                    // Only this waiter: any other one of `fd` is still armed.
                    waiters[fd]?.removeAll { $0.id == id }
                    if waiters[fd]?.isEmpty == true { waiters[fd] = nil }
                    return continuation.resume(throwing: SocketError.makeFailed("epoll_ctl"))
                }
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

    /// Removes every waiter. Under the lock; the caller resumes them after
    /// releasing it (resuming a task takes that task's own lock, which its
    /// cancellation handler may hold while waiting for ours).
    private func takeAll() -> [Waiter] {
        defer { waiters = [:] }
        return waiters.values.flatMap { $0 }
    }

    /// Runs until stopped; returns the error that ended it otherwise.
    private func loop() -> (any Error)? {
        var events = [epoll_event](repeating: epoll_event(), count: 64)
        let epoll = lock.withLock { self.epoll }
        while true {
            let count = epoll_wait(epoll, &events, Int32(events.count), -1)
            if count < 0 {
                if errno == EINTR { continue }
                return SocketError.makeFailed("epoll_wait")
            }
            var ready: [CheckedContinuation<Void, any Error>] = []
            var failed: [CheckedContinuation<Void, any Error>] = []
            lock.lock()
            if stopped { lock.unlock(); return nil }
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
                if !rest.isEmpty, !arm(fd) {
                    failed += rest.map(\.continuation)
                    waiters[fd] = nil
                }
                ready += woken.map(\.continuation)
            }
            lock.unlock()
            for continuation in ready { continuation.resume() }
            for continuation in failed { continuation.resume(throwing: SocketError.makeFailed("epoll_ctl")) }
        }
    }

    /// Fails what is waiting and wakes the loop to end it; `run` then
    /// closes the descriptors (under the lock, so this never writes to a
    /// closed one).
    private func stop() {
        let left = lock.withLock {
            stopped = true
            var one: UInt64 = 1
            if wake >= 0 { _ = write(wake, &one, MemoryLayout<UInt64>.size) }
            return takeAll()
        }
        for waiter in left { waiter.continuation.resume(throwing: CancellationError()) }
    }
}
#endif

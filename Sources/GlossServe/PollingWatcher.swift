import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The fallback watcher, for systems without inotify or when inotify has
/// run out of watches: compares the stamps (modification time, size,
/// inode) of every file in scope at a fixed interval.
final class PollingWatcher: SourceWatcher {
    let scope: WatchScope
    let interval: Duration
    private let wake: WakePipe

    init(scope: WatchScope, interval: Duration = .milliseconds(300)) throws {
        self.scope = scope
        self.interval = interval
        wake = try WakePipe()
    }

    func start(_ onChange: @escaping @Sendable (Set<String>?) -> Void) throws {
        let scope = scope, wake = wake
        let milliseconds = Int32(interval.components.seconds * 1000 + interval.components.attoseconds / 1_000_000_000_000_000)
        let first = Self.stamps(scope)
        let thread = Thread {
            var previous = first
            while wake.wait(for: nil, timeout: max(10, milliseconds)) {
                let current = Self.stamps(scope)
                let changed = Set(current.keys.filter { current[$0] != previous[$0] })
                    .union(previous.keys.filter { current[$0] == nil })
                if !changed.isEmpty { onChange(changed) }
                previous = current
            }
            wake.close()
        }
        thread.name = "gloss-poll"
        thread.start()
    }

    func stop() { wake.signal() }

    /// Modification time (ns), size and inode by file: saving, even by rename, changes them.
    static func stamps(_ scope: WatchScope) -> [String: [Int64]] {
        var stamps: [String: [Int64]] = [:]
        for file in scope.walkAll().files {
            var info = stat()
            guard stat(scope.url(file).path, &info) == 0 else { continue }
            stamps[file] = [Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec),
                            Int64(info.st_size), Int64(bitPattern: UInt64(info.st_ino))]
        }
        return stamps
    }
}

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Watches a site's sources and reports changed paths, relative to the
/// site folder (nil: unknown, rebuild everything). Reports may come in
/// bursts from any thread; `ChangeQueue` turns them into rebuilds.
protocol SourceWatcher: Sendable {
    func start(_ onChange: @escaping @Sendable (Set<String>?) -> Void) throws
    func stop()
}

/// What a build reads: `site.yml`, and everything under `content/`,
/// `templates/` and `static/` except hidden files (which the builder skips
/// too: editors' swap files must not trigger rebuilds).
struct WatchScope: Sendable {
    let root: URL
    static let folders = ["content", "templates", "static"]
    static let files = ["site.yml"]

    init(root: URL) { self.root = root.standardizedFileURL }

    func isRelevant(_ relative: String) -> Bool {
        let parts = relative.split(separator: "/")
        guard let top = parts.first, !parts.contains(where: { $0.hasPrefix(".") }) else { return false }
        return parts.count == 1 ? Self.files.contains(String(top)) || Self.folders.contains(String(top))
                                : Self.folders.contains(String(top))
    }

    func url(_ relative: String) -> URL { relative.isEmpty ? root : root.appendingPathComponent(relative) }

    /// Visible regular files and folders at or under `relative`, as relative paths.
    func walk(_ relative: String) -> (files: [String], folders: [String]) {
        var files: [String] = [], folders: [String] = []
        let start = url(relative)
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: start.path, isDirectory: &isFolder) else { return ([], []) }
        guard isFolder.boolValue else { return ([relative], []) }
        folders.append(relative)
        let base = root.path + "/"
        let walker = FileManager.default.enumerator(at: start, includingPropertiesForKeys: [.isDirectoryKey, .isSymbolicLinkKey],
                                                    options: [.skipsHiddenFiles])
        while let item = walker?.nextObject() as? URL {
            let path = item.standardizedFileURL.path
            guard path.hasPrefix(base) else { continue }
            let values = try? item.resourceValues(forKeys: [.isDirectoryKey, .isSymbolicLinkKey])
            let name = String(path.dropFirst(base.count))
            if values?.isDirectory == true, values?.isSymbolicLink != true { folders.append(name) } else { files.append(name) }
        }
        return (files, folders)
    }

    /// Everything in scope: the root itself (for site.yml and the folders
    /// appearing), then each folder that exists.
    func walkAll() -> (files: [String], folders: [String]) {
        var files = Self.files.filter { FileManager.default.fileExists(atPath: url($0).path) }, folders = [""]
        for folder in Self.folders {
            let found = walk(folder)
            files += found.files
            folders += found.folders
        }
        return (files, folders)
    }
}

/// A pipe whose only job is to wake a watcher thread blocked in `poll`.
struct WakePipe: Sendable {
    let readEnd: Int32
    let writeEnd: Int32

    init() throws {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw WatchError.cannotStart("pipe: \(String(cString: strerror(errno)))") }
        (readEnd, writeEnd) = (fds[0], fds[1])
        _ = fcntl(readEnd, F_SETFD, FD_CLOEXEC)
        _ = fcntl(writeEnd, F_SETFD, FD_CLOEXEC)
    }

    func signal() { var byte: UInt8 = 1; _ = write(writeEnd, &byte, 1) }

    /// Waits for `fd` to be readable or the pipe to be signalled; returns
    /// false when signalled. `timeout` in milliseconds, -1 for none.
    func wait(for fd: Int32?, timeout: Int32) -> Bool {
        var fds = [pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)]
        if let fd { fds.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0)) }
        while true {
            let n = poll(&fds, nfds_t(fds.count), timeout)
            if n < 0 && errno == EINTR { continue }
            return fds[0].revents == 0
        }
    }

    func close() {
        _ = Glibc.close(readEnd)
        _ = Glibc.close(writeEnd)
    }
}

enum WatchError: Error, CustomStringConvertible {
    case cannotStart(String)
    var description: String {
        switch self { case .cannotStart(let reason): "cannot watch the sources: \(reason)" }
    }
}

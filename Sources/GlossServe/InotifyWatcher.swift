#if os(Linux)
import Foundation
import Glibc

/// Watches the sources with Linux inotify: the site folder itself (for
/// `site.yml` and for `content/`, `templates/`, `static/` appearing) and
/// every folder under those, recursively. Folders created or moved in get
/// watches of their own, and their files are reported, since they may
/// have been filled before the watch existed. Editors that save by
/// renaming produce create/move events, which count like writes.
final class InotifyWatcher: SourceWatcher {
    let scope: WatchScope
    private let fd: Int32
    private let wake: WakePipe

    init(scope: WatchScope) throws {
        self.scope = scope
        fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { throw WatchError.cannotStart("inotify_init1: \(String(cString: strerror(errno)))") }
        do { wake = try WakePipe() } catch { Glibc.close(fd); throw error }
    }

    /// Adds the watches now (throwing if the system refuses, e.g. too many
    /// watches), then reads events on a thread of its own.
    func start(_ onChange: @escaping @Sendable (Set<String>?) -> Void) throws {
        var table = WatchTable(fd: fd, scope: scope)
        do {
            try table.addAll()
        } catch {
            Glibc.close(fd)
            wake.close()
            throw error
        }
        let fd = fd, wake = wake, ready = table
        let thread = Thread {
            var table = ready
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            while wake.wait(for: fd, timeout: -1) {
                let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                guard count > 0 else { continue }
                let (paths, unknown) = table.process(buffer[..<count])
                if unknown { onChange(nil) } else if !paths.isEmpty { onChange(paths) }
            }
            Glibc.close(fd)
            wake.close()
        }
        thread.name = "gloss-watch"
        thread.start()
    }

    func stop() { wake.signal() }
}

/// Watch descriptors and the folder each one watches. Owned by the watcher
/// thread (a value moved into it), so it needs no lock.
struct WatchTable: Sendable {
    let fd: Int32
    let scope: WatchScope
    private(set) var folders: [Int32: String] = [:]
    /// A folder could not be watched (the system's limit on watches): the
    /// changes no longer reported are unknown from then on.
    private(set) var unwatched = false

    static let mask = UInt32(IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_CLOSE_WRITE | IN_MODIFY
                             | IN_ATTRIB | IN_ONLYDIR | IN_EXCL_UNLINK)

    init(fd: Int32, scope: WatchScope) {
        self.fd = fd
        self.scope = scope
    }

    mutating func addAll() throws {
        for folder in scope.walkAll().folders { try add(folder) }
    }

    mutating func add(_ folder: String) throws {
        let wd = inotify_add_watch(fd, scope.url(folder).path, Self.mask)
        if wd >= 0 { folders[wd] = folder; return }
        // A folder that vanished meanwhile is no error; running out of watches is.
        if errno == ENOSPC || errno == ENOMEM {
            throw WatchError.cannotStart("inotify_add_watch: \(String(cString: strerror(errno))) (see fs.inotify.max_user_watches)")
        }
    }

    /// Watches a folder just made (and what is inside it) and returns the
    /// files already in it. Each folder is watched before it is looked at,
    /// and looked at again until no new folder turns up: a file made between
    /// a look and its folder's watch would otherwise be missed (`mkdir -p`
    /// then a write, as an editor saving into a new folder does).
    mutating func watchNew(_ path: String) -> Set<String> {
        var watched = Set<String>(), files = Set<String>(), pending = [path]
        while !pending.isEmpty {
            for folder in pending {
                do { try add(folder) } catch { unwatched = true }
                watched.insert(folder)
            }
            let found = scope.walk(path)
            files.formUnion(found.files)
            pending = found.folders.filter { !watched.contains($0) }
        }
        return files
    }

    /// Stops watching `folder` and everything under it (moved away).
    mutating func remove(under folder: String) {
        for (wd, path) in folders where path == folder || path.hasPrefix(folder + "/") {
            inotify_rm_watch(fd, wd)
            folders[wd] = nil
        }
    }

    /// Parses one read's worth of events into changed paths.
    mutating func process(_ bytes: ArraySlice<UInt8>) -> (paths: Set<String>, unknown: Bool) {
        var paths = Set<String>(), unknown = false
        bytes.withUnsafeBytes { raw in
            var offset = 0
            let header = MemoryLayout<inotify_event>.size
            while offset + header <= raw.count {
                let wd = raw.loadUnaligned(fromByteOffset: offset, as: Int32.self)
                let mask = raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
                let length = Int(raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
                let nameBytes = raw[(offset + header)..<min(raw.count, offset + header + length)]
                let name = String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self)
                offset += header + length
                if mask & UInt32(IN_Q_OVERFLOW) != 0 {
                    // Events were lost, folders created meanwhile among them.
                    do { try addAll() } catch { unwatched = true }
                    unknown = true
                    continue
                }
                if mask & UInt32(IN_IGNORED) != 0 { folders[wd] = nil; continue }
                guard let folder = folders[wd], !name.isEmpty else { continue }
                let path = folder.isEmpty ? name : folder + "/" + name
                guard scope.isRelevant(path) else { continue }
                if mask & UInt32(IN_ISDIR) == 0 { paths.insert(path); continue }
                if mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 {
                    paths.formUnion(watchNew(path))
                } else if mask & UInt32(IN_MOVED_FROM | IN_DELETE) != 0 {
                    // Its files are gone without an event each.
                    remove(under: path)
                    unknown = true
                }
            }
        }
        // What changes in a folder without a watch is never named: no
        // batch can say what changed any more.
        return (paths, unknown || unwatched)
    }
}
#endif

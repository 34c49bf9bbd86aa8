import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where a build streams its pages as they are made.
protocol PageSink: Sendable {
    @discardableResult
    func add(_ file: OutputFile) -> SiteWriter.WriteError?
    /// Writes a file as its pieces come (by default, whole).
    @discardableResult
    func add(_ file: StreamedFile) -> SiteWriter.WriteError?
    /// Keeps the already published page at `path`; false if there is none.
    func keepPublished(_ path: String) -> Bool
}

extension PageSink {
    /// Adds files on all cores: they are independent, and writing them in
    /// parallel hides disk latency. A file that cannot be written is
    /// recorded by the target, and its `publish` throws it.
    func add(_ files: [OutputFile]) {
        _ = files.parallelMap { self.add($0) }
    }

    func add(_ file: StreamedFile) -> SiteWriter.WriteError? { add(file.file) }
}

/// Stage 6: writes the output files. Everything goes into a staging folder
/// beside the output first and is swapped in at the end, so a failed or
/// interrupted build leaves the previous site exactly as it was.
public enum SiteWriter {
    /// The folder a build is written into before it replaces the output.
    /// Files may be added from many threads as they are made (a build
    /// streams its pages here instead of holding them all); `publish` swaps
    /// the folder in, `discard` throws it away.
    public final class Staging: Target, @unchecked Sendable {
        let output: URL
        let folder: URL
        /// `output.path` and `folder.path`, made once: asked for every page.
        private let outputPath: String, folderPath: String
        private let old: URL
        // Folders already created, and the first file that could not be
        // written; both guarded by `lock`.
        private let lock = NSLock()
        private var folders: Set<String> = []
        private var failure: WriteError?

        init(output: URL) throws {
            let output = output.standardizedFileURL
            let parent = output.deletingLastPathComponent()
            let pid = ProcessInfo.processInfo.processIdentifier
            self.output = output
            outputPath = output.path
            // Pages stream into staging for the whole build, so a Ctrl-C leaves one behind.
            folder = SiteWriter.workPath(beside: output, kind: "staging")
            folderPath = folder.path
            old = parent.appendingPathComponent(".\(output.lastPathComponent).old-\(pid)")
            try? FileManager.default.removeItem(at: folder)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }

        /// Adds one file, from any thread. A file identical to the one
        /// already published is hard-linked instead of written again: after
        /// a small change, a build writes only what changed.
        @discardableResult
        public func add(_ file: OutputFile) -> WriteError? {
            let target: String
            switch prepare(file.path) {
            case .success(let path): target = path
            case .failure(let error): return record(error)
            }
            let previous = outputPath + "/" + file.path
            if SiteWriter.sameContents(previous, file.contents), link(previous, target) == 0 { return nil }
            return SiteWriter.writeFile(target, file.contents) ? nil : record(.cannotWrite(file.path))
        }

        /// Writes the pieces as they come; a file equal to the published one
        /// is then that file (a hard link), as `add` makes it.
        func add(_ file: StreamedFile) -> WriteError? {
            let target: String
            switch prepare(file.path) {
            case .success(let path): target = path
            case .failure(let error): return record(error)
            }
            let previous = outputPath + "/" + file.path
            let (written, same) = SiteWriter.write(file, to: target, comparingWith: previous)
            guard written else { return record(.cannotWrite(file.path)) }
            // Linked beside it and renamed over it: the written copy stays if the link cannot be made.
            if same, link(previous, target + ".same") == 0, rename(target + ".same", target) != 0 { unlink(target + ".same") }
            return nil
        }

        /// Takes the published file at `path` as it is (a hard link), for a
        /// page the persistent cache knows to be unchanged. False when there
        /// is no such file: the page must then be made.
        public func keepPublished(_ path: String) -> Bool {
            guard case .success(let target) = prepare(path) else { return false }
            return link(outputPath + "/" + path, target) == 0
        }

        /// The staging path for an output path, its folder made, and nothing
        /// at it: a file already there may be a hard link to the published
        /// one, and writing through it would change the live site before the swap.
        private func prepare(_ path: String) -> Result<String, WriteError> {
            let target: String
            do { target = try SiteWriter.resolve(path, in: folderPath) } catch { return .failure(error as? WriteError ?? .cannotWrite(path)) }
            let parent = (target as NSString).deletingLastPathComponent
            if !lock.withLock({ folders.contains(parent) }) {
                guard Self.makeFolders(parent, under: folderPath) else { return .failure(.cannotWrite(path)) }
                lock.withLock { _ = folders.insert(parent) }
            }
            unlink(target)
            return .success(target)
        }

        /// `mkdir -p` below `root`, one component at a time. Threads making
        /// the same folders at once each find the others' work done
        /// (`EEXIST`), which FileManager may report as a failure.
        static func makeFolders(_ path: String, under root: String) -> Bool {
            var current = root
            for part in path.dropFirst(root.count).split(separator: "/") {
                current += "/" + part
                if mkdir(current, 0o755) != 0, errno != EEXIST { return false }
            }
            return true
        }

        private func record(_ error: WriteError) -> WriteError {
            lock.withLock { if failure == nil { failure = error } }
            return error
        }

        /// The first file that could not be added, if any.
        var firstFailure: WriteError? { lock.withLock { failure } }

        /// Copies the site's own static files (last, so its `static/robots.txt`
        /// wins over the generated one) and swaps the folder in.
        func publish(copying staticFolders: [URL]) throws {
            let fm = FileManager.default
            if let failure = firstFailure { throw failure }
            for source in staticFolders { try SiteWriter.copyTree(source, into: folder) }
            if fm.fileExists(atPath: output.path) {
                // Left by an earlier process that had this pid and stopped
                // mid-swap: the output exists, so it is no longer needed.
                try? fm.removeItem(at: old)
                try fm.moveItem(at: output, to: old)
            }
            do {
                try fm.moveItem(at: folder, to: output)
            } catch {
                if !fm.fileExists(atPath: output.path), fm.fileExists(atPath: old.path) { try? fm.moveItem(at: old, to: output) }
                throw error
            }
            try? fm.removeItem(at: old)
        }

        func discard() {
            try? FileManager.default.removeItem(at: folder)
        }
    }

    /// This process's `.<output>.<kind>-<pid>` beside the output, once those
    /// that interrupted builds left there are removed. Only these names, and
    /// the output folder itself, are ever written.
    static func workPath(beside output: URL, kind: String) -> URL {
        let prefix = ".\(output.lastPathComponent).\(kind)-"
        removeAbandoned(beside: output, prefix: prefix)
        return output.deletingLastPathComponent().appendingPathComponent(prefix + String(getpid()))
    }

    /// Removes what interrupted builds left beside the output: names of
    /// `prefix` followed by the pid of a process that is gone.
    private static func removeAbandoned(beside output: URL, prefix: String) {
        let parent = output.deletingLastPathComponent()
        for name in (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? [] where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count)), kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(at: parent.appendingPathComponent(name))
        }
    }

    /// Whether the file at `path` holds exactly `data` (size first, then bytes).
    static func sameContents(_ path: String, _ data: Data) -> Bool {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) == data.count else { return false }
        if data.isEmpty { return true }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: data.count)
        guard buffer.withUnsafeMutableBytes({ readAll(fd, into: $0) }) else { return false }
        return data.withUnsafeBytes { new in buffer.withUnsafeBytes { old in memcmp(new.baseAddress!, old.baseAddress!, data.count) == 0 } }
    }

    /// Writes `file` at `path` a piece at a time, comparing each piece with
    /// the same bytes of the regular file at `previous`, if there is one:
    /// whether it was written, and whether it equals that file.
    static func write(_ file: StreamedFile, to path: String, comparingWith previous: String) -> (written: Bool, same: Bool) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return (false, false) }
        defer { close(fd) }
        var info = stat()
        let old = lstat(previous, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG ? open(previous, O_RDONLY | O_CLOEXEC) : -1
        defer { if old >= 0 { close(old) } }
        var written = true, same = old >= 0, total = 0
        var buffer: [UInt8] = []
        file.write { piece in
            guard written, piece.count > 0 else { return }
            written = writeAll(fd, piece)
            total += piece.count
            guard same else { return }
            if buffer.count < piece.count { buffer = [UInt8](repeating: 0, count: piece.count) }
            same = buffer.withUnsafeMutableBytes { readAll(old, into: UnsafeMutableRawBufferPointer(rebasing: $0[..<piece.count])) }
                && buffer.withUnsafeBytes { memcmp($0.baseAddress!, piece.baseAddress!, piece.count) == 0 }
        }
        return (written, written && same && Int(info.st_size) == total)
    }

    /// Fills `buffer` from `fd`; false at the end of the file or on an error.
    private static func readAll(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Bool {
        var offset = 0
        while offset < buffer.count {
            let got = read(fd, buffer.baseAddress! + offset, buffer.count - offset)
            if got < 0 && errno == EINTR { continue }
            guard got > 0 else { return false }
            offset += got
        }
        return true
    }

    /// Plain open/write/close. FileManager writes each file atomically with
    /// an fsync and a rename, a cost we need not pay: the whole staging
    /// folder is swapped in at once.
    static func writeFile(_ path: String, _ data: Data) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return data.withUnsafeBytes { writeAll(fd, $0) }
    }

    /// Writes every byte, retrying short and interrupted writes.
    static func writeAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < buffer.count {
            let written = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0 { if errno == EINTR { continue }; return false }
            offset += written
        }
        return true
    }

    public enum WriteError: Error, CustomStringConvertible, Sendable {
        case unsafePath(String)
        case cannotWrite(String)
        public var description: String {
            switch self {
            case .unsafePath(let p): "refusing to write '\(p)' outside the output folder"
            case .cannotWrite(let p): "cannot write '\(p)'"
            }
        }
    }

    /// Copies regular files only; symlinks are skipped so a link in static/
    /// cannot pull in files from elsewhere on the machine.
    static func copyTree(_ source: URL, into destination: URL) throws {
        let fm = FileManager.default
        for (relative, url) in StaticFiles.list(source) {
            let target = try Self.resolve(relative, in: destination)
            try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            if fm.fileExists(atPath: target.path) { try fm.removeItem(at: target) }
            try fm.copyItem(at: url, to: target)
        }
    }
}

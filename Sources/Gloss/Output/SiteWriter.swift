import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Stage 6: writes the output files. Everything goes into a staging folder
/// beside the output first and is swapped in at the end, so a failed or
/// interrupted build leaves the previous site exactly as it was.
public struct SiteWriter: Sendable {
    public let output: URL

    public init(output: URL) { self.output = output.standardizedFileURL }

    public func write(_ files: [OutputFile], copying staticFolders: [URL]) throws {
        let fm = FileManager.default
        let parent = output.deletingLastPathComponent()
        let pid = ProcessInfo.processInfo.processIdentifier
        let staging = parent.appendingPathComponent(".\(output.lastPathComponent).staging-\(pid)")
        let old = parent.appendingPathComponent(".\(output.lastPathComponent).old-\(pid)")
        try? fm.removeItem(at: staging)
        try fm.createDirectory(at: staging, withIntermediateDirectories: true)
        do {
            let targets = try files.map { try Self.resolve($0.path, in: staging) }
            for folder in Set(targets.map { $0.deletingLastPathComponent().path }).sorted() {
                try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
            }
            // Files are independent; writing them on all cores hides disk latency.
            // A file identical to the one already published is hard-linked
            // into the staging folder instead of written again: after a small
            // change, a build writes only what changed.
            let current = output.path
            let failures = files.indices.map { $0 }.parallelMap { index -> String? in
                let previous = current + "/" + files[index].path
                if Self.sameContents(previous, files[index].contents), link(previous, targets[index].path) == 0 { return nil }
                return Self.writeFile(targets[index].path, files[index].contents) ? nil : files[index].path
            }.compactMap { $0 }
            if let first = failures.first { throw WriteError.cannotWrite(first) }
            // The site's own static files come last: its `static/robots.txt`
            // wins over the generated one.
            for folder in staticFolders { try copyTree(folder, into: staging) }
            if fm.fileExists(atPath: output.path) { try fm.moveItem(at: output, to: old) }
            try fm.moveItem(at: staging, to: output)
            try? fm.removeItem(at: old)
        } catch {
            try? fm.removeItem(at: staging)
            if !fm.fileExists(atPath: output.path), fm.fileExists(atPath: old.path) { try? fm.moveItem(at: old, to: output) }
            throw error
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
        var offset = 0
        while offset < data.count {
            let got = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + offset, data.count - offset) }
            if got <= 0 { return false }
            offset += got
        }
        return data.withUnsafeBytes { new in buffer.withUnsafeBytes { old in memcmp(new.baseAddress!, old.baseAddress!, data.count) == 0 } }
    }

    /// Plain open/write/close. FileManager writes each file atomically with
    /// an fsync and a rename, a cost we need not pay: the whole staging
    /// folder is swapped in at once.
    static func writeFile(_ path: String, _ data: Data) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return data.withUnsafeBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 { if errno == EINTR { continue }; return false }
                offset += written
            }
            return true
        }
    }

    /// The file URL for a site-relative path, refusing anything that could
    /// land outside the folder (`..`, absolute paths, empty components).
    static func resolve(_ path: String, in root: URL) throws -> URL {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard !path.hasPrefix("/"), !parts.isEmpty,
              parts.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." && !$0.contains("\\") }) else {
            throw WriteError.unsafePath(path)
        }
        return root.appendingPathComponent(path)
    }

    public enum WriteError: Error, CustomStringConvertible {
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
    private func copyTree(_ source: URL, into destination: URL) throws {
        let fm = FileManager.default
        for (relative, url) in StaticFiles.list(source) {
            let target = try Self.resolve(relative, in: destination)
            try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            if fm.fileExists(atPath: target.path) { try fm.removeItem(at: target) }
            try fm.copyItem(at: url, to: target)
        }
    }
}

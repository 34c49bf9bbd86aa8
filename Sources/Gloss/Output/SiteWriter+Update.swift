import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension SiteWriter {
    /// Where a build's files go: a staging folder swapped in at the end, or
    /// the published folder itself, updated file by file.
    protocol Target: PageSink {
        func add(_ files: [OutputFile]) throws
        func publish(copying staticFolders: [URL]) throws
        func discard()
    }

    /// Updates the published folder in place, for a build that starts from
    /// the persistent cache of the build that wrote it. Only files whose
    /// bytes changed are written, each to a temporary name and renamed over
    /// the old one, so a reader never sees half a file; pages the cache
    /// knows to be unchanged are not touched at all.
    ///
    /// Nothing is written before the whole site has been generated without
    /// errors (content errors are all found before pages are rendered). The
    /// cache file is removed before the first write, so a build interrupted
    /// part way leaves a next build that starts from nothing, with a swap.
    final class Update: Target, @unchecked Sendable {
        let output: URL
        /// Every path the last build published, from the cache: what is not
        /// published again is removed.
        private let previous: Set<String>
        private let onFirstWrite: @Sendable () -> Void
        // Guarded by `lock`: folders known to exist, whether anything was
        // written yet, paths published this time, the first failure.
        private let lock = NSLock()
        private var folders: Set<String> = []
        private var wrote = false
        private var published: Set<String> = []
        private var failure: String?

        init(output: URL, previous: [String], onFirstWrite: @escaping @Sendable () -> Void) {
            self.output = output.standardizedFileURL
            self.previous = Set(previous)
            self.onFirstWrite = onFirstWrite
        }

        func add(_ files: [OutputFile]) throws {
            for failed in files.parallelMap({ self.add($0) }) { if let failed { throw failed } }
        }

        @discardableResult
        func add(_ file: OutputFile) -> WriteError? {
            let target: URL
            do { target = try SiteWriter.resolve(file.path, in: output) } catch { return record(error as? WriteError ?? .cannotWrite(file.path)) }
            lock.withLock { _ = published.insert(file.path) }
            if SiteWriter.sameContents(target.path, file.contents) { return nil }
            markWriting()
            let parent = target.deletingLastPathComponent().path
            if !lock.withLock({ folders.contains(parent) }) {
                // A folder where a file used to be (or the reverse) is for a clean build.
                guard Staging.makeFolders(parent, under: output.path) else { return record(.cannotWrite(file.path)) }
                lock.withLock { _ = folders.insert(parent) }
            }
            let temporary = parent + "/.\(target.lastPathComponent).gloss-\(ProcessInfo.processInfo.processIdentifier)"
            guard SiteWriter.writeFile(temporary, file.contents), rename(temporary, target.path) == 0 else {
                unlink(temporary)
                return record(.cannotWrite(file.path))
            }
            return nil
        }

        func keepPublished(_ path: String) -> Bool {
            guard let target = try? SiteWriter.resolve(path, in: output) else { return false }
            var info = stat()
            guard lstat(target.path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return false }
            lock.withLock { _ = published.insert(path) }
            return true
        }

        private func markWriting() {
            if lock.withLock({ defer { wrote = true }; return !wrote }) { onFirstWrite() }
        }

        private func record(_ error: WriteError) -> WriteError {
            lock.withLock { if failure == nil { failure = error.description } }
            return error
        }

        /// Copies changed static files (last, so they win over generated
        /// ones), then removes what the last build published and this one
        /// did not, with folders left empty.
        func publish(copying staticFolders: [URL]) throws {
            if let failure = lock.withLock({ failure }) { throw WriteError.cannotWrite(failure) }
            for folder in staticFolders {
                for (relative, url) in StaticFiles.list(folder) {
                    guard let data = FileManager.default.contents(atPath: url.path) else { throw WriteError.cannotWrite(relative) }
                    if let error = add(OutputFile(path: relative, contents: data)) { throw error }
                }
            }
            let stale = previous.subtracting(lock.withLock { published })
            if !stale.isEmpty { markWriting() }
            for path in stale.sorted(by: >) {
                guard let target = try? SiteWriter.resolve(path, in: output) else { continue }
                unlink(target.path)
                var folder = target.deletingLastPathComponent()
                while folder.path.count > output.path.count, rmdir(folder.path) == 0 { folder.deleteLastPathComponent() }
            }
        }

        /// Nothing to undo: files are written only once the site is known good.
        func discard() {}
    }
}

import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension SiteWriter {
    /// Where a build's files go: a staging folder swapped in at the end, or
    /// the published folder itself, updated file by file.
    protocol Target: PageSink {
        func publish(copying staticFolders: [URL]) throws
        func discard()
    }

    /// Updates the published folder in place, for a build that starts from
    /// the persistent cache of the build that wrote it. Pages the cache
    /// knows to be unchanged are not touched, and neither are files whose
    /// bytes are the same.
    ///
    /// Changed files wait in a folder beside the output (`.public.update-PID`)
    /// until `publish`, which then removes what is no longer made and renames
    /// each changed file into place: the published site changes only once
    /// the whole build has succeeded, and `discard` leaves it as it was.
    /// Where a file must replace a folder or the reverse, the update becomes
    /// a staging folder (unchanged files hard-linked) swapped in whole.
    final class Update: Target, @unchecked Sendable {
        let output: URL
        /// `output.path`, made once: a build asks for it for every page.
        private let outputPath: String
        /// The output folder, open (-1 if it could not be): a page kept as
        /// published is looked up from here rather than from the root.
        private let folder: Int32
        private let pending: URL
        /// Every path the last build published, from the cache: what is not
        /// published again is removed.
        private let previous: Set<String>
        /// Called once, before the published folder is first changed.
        private let beforeChanging: () -> Void
        // Guarded by `lock`: paths published this time (files added, and
        // pages kept as published), changed files by path with their name
        // in `pending`, and the first failure.
        private let lock = NSLock()
        private var added: Set<String> = []
        /// Only appended to: 17,000 kept pages inserted in a set took the
        /// lock long enough for the threads to queue on it.
        private var kept: [String] = []
        private var changed: [String: String] = [:]
        private var written = 0
        private var failure: WriteError?

        init(output: URL, previous: [String], beforeChanging: @escaping () -> Void) throws {
            self.output = output.standardizedFileURL
            outputPath = self.output.path
            folder = open(outputPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            pending = SiteWriter.workPath(beside: self.output, kind: "update")
            self.previous = Set(previous)
            self.beforeChanging = beforeChanging
            try? FileManager.default.removeItem(at: pending)
            try FileManager.default.createDirectory(at: pending, withIntermediateDirectories: true)
        }

        /// Notes the file as published; if its bytes differ from the
        /// published file's, writes it to the pending folder. A later file
        /// for the same path (a static file over a page) replaces it.
        @discardableResult
        func add(_ file: OutputFile) -> WriteError? {
            let target: String
            do { target = try SiteWriter.resolve(file.path, in: outputPath) } catch { return record(error as? WriteError ?? .cannotWrite(file.path)) }
            if SiteWriter.sameContents(target, file.contents) {
                lock.withLock { added.insert(file.path); changed[file.path] = nil }
                return nil
            }
            let name = lock.withLock { () -> String in
                added.insert(file.path)
                if let name = changed[file.path] { return name }
                written += 1
                changed[file.path] = String(written)
                return String(written)
            }
            return SiteWriter.writeFile(pending.path + "/" + name, file.contents) ? nil : record(.cannotWrite(file.path))
        }

        /// Writes the pieces as they come to a pending file, which is
        /// dropped if it turns out equal to the published one.
        func add(_ file: StreamedFile) -> WriteError? {
            let target: String
            do { target = try SiteWriter.resolve(file.path, in: outputPath) } catch { return record(error as? WriteError ?? .cannotWrite(file.path)) }
            let name = lock.withLock { () -> String in
                written += 1
                return String(written)
            }
            let pendingFile = pending.path + "/" + name
            let (done, same) = SiteWriter.write(file, to: pendingFile, comparingWith: target)
            guard done else { return record(.cannotWrite(file.path)) }
            if same { unlink(pendingFile) }
            lock.withLock {
                added.insert(file.path)
                changed[file.path] = same ? nil : name
            }
            return nil
        }

        deinit { if folder >= 0 { close(folder) } }

        func keepPublished(_ path: String) -> Bool {
            guard SiteWriter.isInside(path) else { return false }
            var info = stat()
            let found = folder >= 0 ? fstatat(folder, path, &info, AT_SYMLINK_NOFOLLOW) : lstat(outputPath + "/" + path, &info)
            guard found == 0, (info.st_mode & S_IFMT) == S_IFREG else { return false }
            lock.withLock { kept.append(path) }
            return true
        }

        private func record(_ error: WriteError) -> WriteError {
            lock.withLock { if failure == nil { failure = error } }
            return error
        }

        /// Adds the static files (last, so they win over generated ones),
        /// then changes the published folder: stale files out (with folders
        /// left empty), changed files renamed in.
        func publish(copying staticFolders: [URL]) throws {
            var statics: [String] = []
            for folder in staticFolders {
                for (relative, url) in StaticFiles.list(folder) {
                    guard let data = FileManager.default.contents(atPath: url.path) else { throw WriteError.cannotWrite(relative) }
                    add(OutputFile(path: relative, contents: data))
                    statics.append(relative)
                }
            }
            if let failure = lock.withLock({ failure }) { throw failure }
            let (added, kept, changed) = lock.withLock { (self.added, self.kept, self.changed) }
            var stale = previous.subtracting(added)
            stale.subtract(kept)
            defer { discard() }
            if changed.isEmpty, stale.isEmpty { return }
            beforeChanging()
            if changed.keys.contains(where: { blocked($0, stale: stale) }) {
                // A static file replaces a generated folder, as in a clean build.
                let shadowed = Set(statics.map { $0 + "/" })
                let published = added.union(kept).filter { path in !shadowed.contains { path.hasPrefix($0) } }
                return try swapWhole(published: published, changed: changed)
            }
            for path in stale.sorted(by: >) {
                guard let target = try? SiteWriter.resolve(path, in: outputPath) else { continue }
                unlink(target)
                var folder = (target as NSString).deletingLastPathComponent
                while folder.hasPrefix(outputPath + "/"), rmdir(folder) == 0 { folder = (folder as NSString).deletingLastPathComponent }
            }
            for (path, name) in changed.sorted(by: { $0.key < $1.key }) {
                let target = outputPath + "/" + path
                guard Staging.makeFolders((target as NSString).deletingLastPathComponent, under: outputPath),
                      rename(pending.path + "/" + name, target) == 0 else { throw WriteError.cannotWrite(path) }
            }
        }

        /// Whether renaming a file to `path` would meet a folder where the
        /// file goes, or a file that is to stay where a folder goes.
        private func blocked(_ path: String, stale: Set<String>) -> Bool {
            var info = stat()
            if lstat(outputPath + "/" + path, &info) == 0, (info.st_mode & S_IFMT) != S_IFREG { return true }
            var prefix = ""
            for part in path.split(separator: "/").dropLast() {
                prefix += prefix.isEmpty ? String(part) : "/" + part
                // A stale file is removed before the folder is made.
                if lstat(outputPath + "/" + prefix, &info) == 0, (info.st_mode & S_IFMT) != S_IFDIR, !stale.contains(prefix) { return true }
            }
            return false
        }

        /// The site in a staging folder, every unchanged file hard-linked
        /// from the published one, swapped in whole.
        private func swapWhole(published: Set<String>, changed: [String: String]) throws {
            let staging = try Staging(output: output)
            do {
                for path in published.sorted() {
                    if let name = changed[path] {
                        guard let data = FileManager.default.contents(atPath: pending.path + "/" + name) else { throw WriteError.cannotWrite(path) }
                        if let error = staging.add(OutputFile(path: path, contents: data)) { throw error }
                    } else if !staging.keepPublished(path) {
                        throw WriteError.cannotWrite(path)
                    }
                }
                try staging.publish(copying: [])
            } catch {
                staging.discard()
                throw error
            }
        }

        func discard() {
            try? FileManager.default.removeItem(at: pending)
        }
    }
}

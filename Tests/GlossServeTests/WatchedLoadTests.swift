import Foundation
import Testing
@testable import Gloss
@testable import GlossServe

/// The preview server's loads are told what changed by its watcher
/// (`ContentLoader.load(reusing:changed:)`): with either watcher, after each
/// kind of change to the files, a told load must read what a walk reads.
/// (Several cases came from an independent review.)
@Suite(.serialized) struct WatchedLoadTests {
    /// What a watcher reported since it was last asked.
    final class Reported: @unchecked Sendable {  // fields only under `lock`
        private let lock = NSLock()
        private var paths = Set<String>(), unknown = false
        private var reports = 0
        func add(_ changed: Set<String>?) {
            lock.withLock {
                reports += 1
                if let changed { paths.formUnion(changed) } else { unknown = true }
            }
        }

        /// What was reported, once no report has come for a while (as the
        /// server's queue waits for quiet): on a busy machine a watcher's
        /// report can come well after the change. `expected`: whether the
        /// change is one the watcher sees (else it waits half a second).
        func take(expected: Bool = true) -> Set<String>? {
            var seen = -1
            for _ in 0..<(expected ? 50 : 5) {
                Thread.sleep(forTimeInterval: 0.1)
                let now = lock.withLock { reports }
                if now == seen, now > 0 { break }
                seen = now
            }
            return lock.withLock {
                defer { (paths, unknown, reports) = ([], false, 0) }
                return unknown ? nil : paths
            }
        }
    }

    static func article(_ title: String) -> String { "---\ntitle: \(title)\ndate: 2020-01-01\n---\nText.\n" }

    func summary(_ loaded: (SiteSources?, Diagnostics, SourceCache)) -> [String] {
        (loaded.0?.articles.map { "\($0.path) \($0.title)" } ?? ["no site"])
            + (loaded.0?.entities.map { "\($0.path) \($0.name)" } ?? []) + loaded.1.sorted.map(\.description)
    }

    /// Runs `steps` on a small site watched by the polling or the inotify
    /// watcher, loading after each as the server does; returns the steps
    /// after which the told load differs from a walk.
    /// `unseen`: the steps that change nothing in the site's folders.
    func differences(polling: Bool, unseen: Set<String> = [], _ steps: [(String, (URL, URL) throws -> Void)]) throws -> [String] {
        let temporary = FileManager.default.temporaryDirectory
        let root = temporary.appendingPathComponent("gloss-watched-\(UUID().uuidString)")
        let outside = temporary.appendingPathComponent("gloss-outside-\(UUID().uuidString)")
        defer { for folder in [root, outside] { try? FileManager.default.removeItem(at: folder) } }
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        for (path, text) in ["site.yml": ServeFixture.config, "content/places/vienna.md": "---\nname: Vienna\n---\n",
                             "content/articles/a.md": Self.article("A"), "content/articles/2020/b.md": Self.article("B")] {
            try Self.write(root.appendingPathComponent(path), text)
        }
        let scope = WatchScope(root: root), reported = Reported()
        let watcher: any SourceWatcher = polling ? try PollingWatcher(scope: scope, interval: .milliseconds(50))
            : try InotifyWatcher(scope: scope)
        try watcher.start { reported.add($0) }
        defer { watcher.stop() }
        let loader = ContentLoader(root: root)
        Thread.sleep(forTimeInterval: 0.15)  // older than a clock tick: files are not read again unasked
        var cache = loader.load(reusing: SourceCache()).2
        _ = reported.take(expected: false)
        var found: [String] = []
        for (name, step) in steps {
            try step(root, outside)
            let told = loader.load(reusing: cache, changed: reported.take(expected: !unseen.contains(name)))
            let walked = loader.load(reusing: SourceCache())
            if summary(told) != summary(walked) { found.append("\(name): \(summary(told)) != \(summary(walked))") }
            cache = told.2
        }
        return found
    }

    static func write(_ url: URL, _ text: String) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    @Test(arguments: [false, true]) func toldLoadsReadWhatWalksRead(polling: Bool) throws {
        let files = FileManager.default
        func url(_ site: URL, _ path: String) -> URL { site.appendingPathComponent(path) }
        let found = try differences(polling: polling, unseen: ["its target edited", "an edit through that link"], [
            ("an edit", { site, _ in try Self.write(url(site, "content/articles/a.md"), Self.article("A2")) }),
            ("a save by rename", { site, _ in
                try Self.write(url(site, "content/articles/.a.md.tmp"), Self.article("A3"))
                _ = rename(url(site, "content/articles/.a.md.tmp").path, url(site, "content/articles/a.md").path)
            }),
            ("a folder moved in", { site, outside in
                try Self.write(outside.appendingPathComponent("x/y/c.md"), Self.article("C"))
                try files.moveItem(at: outside.appendingPathComponent("x"), to: url(site, "content/articles/x"))
            }),
            ("a folder renamed", { site, _ in try files.moveItem(at: url(site, "content/articles/x"), to: url(site, "content/articles/z")) }),
            ("a hidden folder made visible", { site, _ in
                try Self.write(url(site, "content/articles/.new/n.md"), Self.article("N"))
                try files.moveItem(at: url(site, "content/articles/.new"), to: url(site, "content/articles/new"))
            }),
            ("a file turned folder", { site, _ in
                try files.removeItem(at: url(site, "content/articles/a.md"))
                try Self.write(url(site, "content/articles/a.md/inner.md"), Self.article("Inner"))
            }),
            ("and back", { site, _ in
                try files.removeItem(at: url(site, "content/articles/a.md"))
                try Self.write(url(site, "content/articles/a.md"), Self.article("A4"))
            }),
            ("an entity moved to another kind", { site, _ in
                try files.createDirectory(at: url(site, "content/organizations"), withIntermediateDirectories: true)
                try files.moveItem(at: url(site, "content/places/vienna.md"), to: url(site, "content/organizations/vienna.md"))
            }),
            ("a second name for a file", { site, _ in
                try files.linkItem(at: url(site, "content/articles/2020/b.md"), to: url(site, "content/articles/b-too.md"))
            }),
            ("an edit in place under the first name", { site, _ in
                let handle = try FileHandle(forWritingTo: url(site, "content/articles/2020/b.md"))
                try handle.truncate(atOffset: 0)
                try handle.write(contentsOf: Data(Self.article("B both").utf8))
                try handle.close()
            }),
            ("a folder replaced by a link to it", { site, outside in
                try files.moveItem(at: url(site, "content/articles/2020"), to: outside.appendingPathComponent("2020"))
                try files.createSymbolicLink(at: url(site, "content/articles/2020"), withDestinationURL: outside.appendingPathComponent("2020"))
            }),
            ("a link to a file", { site, outside in
                try Self.write(outside.appendingPathComponent("l.md"), Self.article("L"))
                try files.createSymbolicLink(at: url(site, "content/articles/l.md"), withDestinationURL: outside.appendingPathComponent("l.md"))
            }),
            ("its target edited", { _, outside in try Self.write(outside.appendingPathComponent("l.md"), Self.article("L2")) }),
            ("the articles folder replaced by a link to it", { site, outside in
                try files.moveItem(at: url(site, "content/articles"), to: outside.appendingPathComponent("articles"))
                try files.createSymbolicLink(at: url(site, "content/articles"), withDestinationURL: outside.appendingPathComponent("articles"))
            }),
            ("an edit through that link", { _, outside in
                try Self.write(outside.appendingPathComponent("articles/new/n.md"), Self.article("N2"))
            }),
        ])
        #expect(found.isEmpty, "\(found.joined(separator: "\n"))")
    }
}

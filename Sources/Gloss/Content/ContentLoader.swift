import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Everything read from a site folder, decoded but not yet cross-checked.
public struct SiteSources: Sendable {
    public var config: SiteConfig
    public var entities: [EntitySource]
    public var articles: [ArticleSource]
    /// Folder of the site's own templates, if it has one.
    public var templatesDirectory: URL?
    /// Folder of static files copied as they are (`static/`), if any.
    public var staticDirectory: URL?
    /// Version of every content file read, by path: what caches key on.
    public var stamps: [String: FileStamp] = [:]
}

/// Identifies one version of a file: modification time (nanoseconds),
/// size and inode from `stat`, and once read, a hash of the contents.
public struct FileStamp: Hashable, Sendable {
    public let modified: Int64
    public let size: Int64
    public let inode: UInt64
    /// Hash of the contents (0 until the file is read).
    public var digest: Int = 0

    public static func of(_ path: String) -> FileStamp? {
        var names = 0
        return of(path, names: &names)
    }

    /// With the number of names (hard links) the file has.
    static func of(_ path: String, names: inout Int) -> FileStamp? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        names = Int(info.st_nlink)
        return FileStamp(modified: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec),
                         size: Int64(info.st_size), inode: UInt64(info.st_ino))
    }

    /// Same `stat` data: the file has not been touched since.
    func sameFile(as other: FileStamp) -> Bool {
        modified == other.modified && size == other.size && inode == other.inode
    }
}

/// Decoded content files from an earlier load, reused while unchanged.
public struct SourceCache: Sendable {
    struct Entry: Sendable {
        let stamp: FileStamp
        /// Read within a clock tick of its last change: a second write in the
        /// same tick would keep the same stamp, so it is read again next time
        /// (git's "racy" entries).
        var racy = false
        let entity: EntitySource?
        let article: ArticleSource?
        let diagnostics: [Diagnostic]
    }
    var entries: [String: Entry] = [:]
    /// The files the load found, if it looked for all of them: a reload
    /// told what changed then walks no folder (not stored).
    var listing: ContentLoader.Listing?
    public init() {}
}

/// Stage 1: find the content files and decode their front matter.
/// Reads only; content/ is never written.
public struct ContentLoader: Sendable {
    public let root: URL
    /// `root.path`, made once: a reload stats every file under it.
    let rootPath: String
    public let includeDrafts: Bool
    /// Where articles' Markdown waits for annotation, if not in memory.
    let spill: TextSpill?

    public init(root: URL, includeDrafts: Bool = false) {
        self.init(root: root, includeDrafts: includeDrafts, spill: nil)
    }

    init(root: URL, includeDrafts: Bool, spill: TextSpill?) {
        self.root = root.standardizedFileURL
        self.rootPath = self.root.path
        self.includeDrafts = includeDrafts
        self.spill = spill
    }

    public func load() -> (SiteSources?, Diagnostics) {
        let (sources, diagnostics, _) = load(reusing: SourceCache())
        return (sources, diagnostics)
    }

    /// Loads the site, decoding only files whose stamp differs from `cache`.
    ///
    /// `changed`: the paths (relative to the site folder) of every file
    /// changed, made or removed since the load that made `cache`, if known;
    /// the others are then taken from `cache` as they are (`Listing`).
    public func load(reusing cache: SourceCache, changed: Set<String>? = nil) -> (SiteSources?, Diagnostics, SourceCache) {
        var diagnostics = Diagnostics()
        var nextCache = SourceCache()
        let configURL = root.appendingPathComponent("site.yml")
        guard let configFile = read(configURL, diagnostics: &diagnostics) else {
            if !FileManager.default.fileExists(atPath: configURL.path) {
                diagnostics.error("no site.yml in \(root.path); is this a Gloss site folder?", at: nil)
            }
            return (nil, diagnostics, nextCache)
        }
        let (config, configDiagnostics) = SiteConfig.decode(configFile)
        diagnostics.append(contentsOf: configDiagnostics)

        let content = root.appendingPathComponent("content")
        let known = changed.flatMap { listing(cache, changed: $0) }
        var listed = known ?? Listing()
        let named = changed ?? []
        // Told what changed: a file not named is as `cache` has it, and one
        // named is read whatever its stamp says (a clock too coarse, or an
        // edit that kept size and time, would leave the stamp as it was).
        // With whether the file has other names, and whether the entry is
        // the one `cache` holds for it.
        @Sendable func entry(_ found: FoundFile, _ body: (SourceFile) -> (EntitySource?, ArticleSource?, [Diagnostic]))
            -> (SourceCache.Entry?, shared: Bool, kept: Bool) {
            if let entry = known.flatMap({ Self.untouched(found.path, cache, named, $0) }) { return (entry, false, true) }
            var shared = false, kept = false
            return (decode(found, cache, reread: named.contains(found.path), shared: &shared, kept: &kept, body), shared, kept)
        }
        // The next load's entries start as this one's: after an edit, putting
        // 11,500 of them in a new table was most of this stage's own time.
        // Files the cache had and this load did not find are removed below.
        nextCache.entries = cache.entries
        var foundInCache = 0
        // Each file's entry kept for the next load, in order; files with
        // other names noted, to be looked at every time.
        func record(_ files: [FoundFile], _ decoded: [(SourceCache.Entry?, shared: Bool, kept: Bool)]) -> [SourceCache.Entry] {
            zip(files, decoded).compactMap { found, decoded in
                if decoded.shared { listed.links.insert(found.path) }
                if decoded.kept {
                    foundInCache += 1
                } else {
                    if cache.entries[found.path] != nil { foundInCache += 1 }
                    nextCache.entries[found.path] = decoded.0
                }
                guard let entry = decoded.0 else { return nil }
                diagnostics.append(contentsOf: entry.diagnostics)
                return entry
            }
        }
        var entities: [EntitySource] = []
        for kind in EntityKind.allCases {
            let folder = content.appendingPathComponent(kind.folder)
            if known == nil { listed.entities[kind] = markdownFiles(in: folder, recursive: false, links: &listed.links) }
            let files = listed.entities[kind] ?? []
            let decoded = files.parallelMap { found in
                entry(found) { file in
                    let id = found.name
                    guard Identifier.isValid(id) else {
                        return (nil, nil, [.error("invalid entity file name '\(id)': \(Identifier.rule)", at: .file(file.path))])
                    }
                    let (entity, found) = FrontMatterDecoder.entity(file, kind: kind, id: id)
                    return (entity, nil, found)
                }
            }
            entities += record(files, decoded).compactMap(\.entity)
        }

        if known == nil {
            listed.articles = markdownFiles(in: content.appendingPathComponent("articles"), recursive: true, links: &listed.links)
        }
        let articleFiles = listed.articles
        let decoded = articleFiles.parallelMap { file in
            entry(file) { source in
                let (article, found) = FrontMatterDecoder.article(source, defaultSlug: file.name)
                return (nil, article?.spilled(into: spill), found)
            }
        }
        let articles = record(articleFiles, decoded).compactMap(\.article).filter { includeDrafts || !$0.draft }
        // Each path is found once (names in a folder are unique, and a told
        // load adds only paths its listing lacks): the count is then of
        // distinct paths, and equal to the table's only if none is gone.
        assert(foundInCache <= cache.entries.count, "a content file found twice")
        if foundInCache < cache.entries.count {
            let found = Set(listed.articles.map(\.path) + listed.entities.values.joined().map(\.path))
            for path in cache.entries.keys where !found.contains(path) { nextCache.entries[path] = nil }
        }
        nextCache.listing = listed
        if !FileManager.default.fileExists(atPath: content.path) {
            diagnostics.warning("no content/ folder; the site will have no articles", at: .file("site.yml"))
        }
        guard let config else { return (nil, diagnostics, nextCache) }
        let templates = root.appendingPathComponent("templates")
        let statics = root.appendingPathComponent("static")
        return (SiteSources(config: config, entities: entities, articles: articles,
                            templatesDirectory: isDirectory(templates) ? templates : nil,
                            staticDirectory: isDirectory(statics) ? statics : nil,
                            stamps: nextCache.entries.mapValues(\.stamp)),
                diagnostics, nextCache)
    }

    /// The cached entry if the file is unchanged (by its stamp, unless it is
    /// to be `reread`, then by its bytes), else a fresh decode; `shared`
    /// tells whether the file has other names (hard links), `kept` whether
    /// the entry returned is the cached one.
    private func decode(_ found: FoundFile, _ cache: SourceCache, reread: Bool = false, shared: inout Bool, kept: inout Bool,
                        _ body: (SourceFile) -> (EntitySource?, ArticleSource?, [Diagnostic])) -> SourceCache.Entry? {
        let path = found.path
        var names = 0
        guard var stamp = FileStamp.of(rootPath + "/" + path, names: &names) else { return nil }
        shared = names > 1
        if !reread, let cached = cache.entries[path], !cached.racy, cached.stamp.sameFile(as: stamp) {
            kept = true
            return cached
        }
        let url = root.appendingPathComponent(path)
        var local = Diagnostics()
        let now = Int64(Date().timeIntervalSince1970 * 1_000_000_000)
        let racy = now - stamp.modified < 100_000_000
        guard let (file, digest) = read(url, path: path, diagnostics: &local) else {
            return SourceCache.Entry(stamp: stamp, racy: racy, entity: nil, article: nil, diagnostics: local.all)
        }
        stamp.digest = digest
        if let cached = cache.entries[path], cached.stamp.digest == stamp.digest, cached.stamp.sameFile(as: stamp) {
            return SourceCache.Entry(stamp: cached.stamp, racy: racy, entity: cached.entity, article: cached.article,
                                     diagnostics: cached.diagnostics)
        }
        let (entity, article, found) = body(file)
        return SourceCache.Entry(stamp: stamp, racy: racy, entity: entity, article: article, diagnostics: found)
    }

    /// Path relative to the site root, the form every diagnostic uses.
    func relativePath(_ url: URL) -> String {
        let full = url.standardizedFileURL.path
        let base = root.path.hasSuffix("/") ? root.path : root.path + "/"
        return full.hasPrefix(base) ? String(full.dropFirst(base.count)) : full
    }

    private func read(_ url: URL, diagnostics: inout Diagnostics) -> SourceFile? {
        read(url, path: relativePath(url), diagnostics: &diagnostics)?.file
    }

    /// The file and a hash of its bytes. (Hashing the bytes, not the String:
    /// String hashing normalises Unicode first, which cost more than decoding
    /// the front matter, and a cache wants byte changes anyway.)
    private func read(_ url: URL, path: String, diagnostics: inout Diagnostics) -> (file: SourceFile, digest: Int)? {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            if FileManager.default.fileExists(atPath: url.path) {
                diagnostics.error("cannot read file", at: .file(path))
            }
            return nil
        }
        switch SourceFile.decode(path: path, bytes: data) {
        case .success(let file):
            var hasher = StableHasher()
            data.withUnsafeBytes { hasher.combine(bytes: $0) }
            return (file, hasher.finalize())
        case .failure(let d): diagnostics.append(d); return nil
        }
    }

    /// A content file: its path relative to the site root (the form
    /// diagnostics and the cache use), and its name without `.md`.
    struct FoundFile: Sendable {
        let path: String
        var name: String { String((path.split(separator: "/").last ?? "").dropLast(3)) }
    }

    /// `.md` files, sorted by path so builds are deterministic. A POSIX walk:
    /// FileManager's enumerator and a URL per file took most of the time of
    /// reloading an unchanged 10,000-article archive.
    /// Those that are symbolic links are added to `links`.
    private func markdownFiles(in folder: URL, recursive: Bool, links: inout Set<String>) -> [FoundFile] {
        guard isDirectory(folder) else { return [] }
        var found: [String] = []
        func walk(_ relative: String) {
            guard let dir = opendir(rootPath + "/" + relative) else { return }
            defer { closedir(dir) }
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                // Hidden files and folders (editor swap files, .git) are not content.
                guard !name.hasPrefix(".") else { continue }
                let path = relative + "/" + name
                var type = entry.pointee.d_type
                if type == UInt8(DT_UNKNOWN) {
                    var info = stat()
                    let mode = lstat(rootPath + "/" + path, &info) == 0 ? info.st_mode & S_IFMT : 0
                    type = mode == S_IFDIR ? UInt8(DT_DIR) : mode == S_IFLNK ? UInt8(DT_LNK) : UInt8(DT_REG)
                }
                if type == UInt8(DT_DIR) {
                    if recursive { walk(path) }
                } else if name.hasSuffix(".md") {
                    found.append(path)
                    if type == UInt8(DT_LNK) { links.insert(path) }
                }
            }
        }
        walk(relativePath(folder))
        return found.sorted().map(FoundFile.init)
    }

    private func isDirectory(_ url: URL) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) && isDir.boolValue
    }
}

import Foundation

/// Everything read from a site folder, decoded but not yet cross-checked.
public struct SiteSources: Sendable {
    public var config: SiteConfig
    public var entities: [EntitySource]
    public var articles: [ArticleSource]
    /// Folder of the site's own templates, if it has one.
    public var templatesDirectory: URL?
    /// Folder of static files copied as they are (`static/`), if any.
    public var staticDirectory: URL?
}

/// Stage 1: find the content files and decode their front matter.
/// Reads only; content/ is never written.
public struct ContentLoader: Sendable {
    public let root: URL
    public let includeDrafts: Bool

    public init(root: URL, includeDrafts: Bool = false) {
        self.root = root.standardizedFileURL
        self.includeDrafts = includeDrafts
    }

    public func load() -> (SiteSources?, Diagnostics) {
        var diagnostics = Diagnostics()
        let configURL = root.appendingPathComponent("site.yml")
        guard let configFile = read(configURL, diagnostics: &diagnostics) else {
            if !FileManager.default.fileExists(atPath: configURL.path) {
                diagnostics.error("no site.yml in \(root.path); is this a Gloss site folder?", at: nil)
            }
            return (nil, diagnostics)
        }
        let (config, configDiagnostics) = SiteConfig.decode(configFile)
        diagnostics.append(contentsOf: configDiagnostics)

        let content = root.appendingPathComponent("content")
        var entities: [EntitySource] = []
        for kind in EntityKind.allCases {
            let folder = content.appendingPathComponent(kind.folder)
            let files = markdownFiles(in: folder, recursive: false)
            let decoded = files.parallelMap { url -> (EntitySource?, [Diagnostic]) in
                var local = Diagnostics()
                guard let file = read(url, diagnostics: &local) else { return (nil, local.all) }
                let id = url.deletingPathExtension().lastPathComponent
                guard Identifier.isValid(id) else {
                    return (nil, [.error("invalid entity file name '\(id)': \(Identifier.rule)", at: .file(file.path))])
                }
                return FrontMatterDecoder.entity(file, kind: kind, id: id)
            }
            for (entity, found) in decoded {
                diagnostics.append(contentsOf: found)
                if let entity { entities.append(entity) }
            }
        }

        let articleFiles = markdownFiles(in: content.appendingPathComponent("articles"), recursive: true)
        let decoded = articleFiles.parallelMap { url -> (ArticleSource?, [Diagnostic]) in
            var local = Diagnostics()
            guard let file = read(url, diagnostics: &local) else { return (nil, local.all) }
            return FrontMatterDecoder.article(file, defaultSlug: url.deletingPathExtension().lastPathComponent)
        }
        var articles: [ArticleSource] = []
        for (article, found) in decoded {
            diagnostics.append(contentsOf: found)
            if let article, includeDrafts || !article.draft { articles.append(article) }
        }
        if !FileManager.default.fileExists(atPath: content.path) {
            diagnostics.warning("no content/ folder; the site will have no articles", at: .file("site.yml"))
        }
        guard let config else { return (nil, diagnostics) }
        let templates = root.appendingPathComponent("templates")
        let statics = root.appendingPathComponent("static")
        return (SiteSources(config: config, entities: entities, articles: articles,
                            templatesDirectory: isDirectory(templates) ? templates : nil,
                            staticDirectory: isDirectory(statics) ? statics : nil),
                diagnostics)
    }

    /// Path relative to the site root, the form every diagnostic uses.
    func relativePath(_ url: URL) -> String {
        let full = url.standardizedFileURL.path
        let base = root.path.hasSuffix("/") ? root.path : root.path + "/"
        return full.hasPrefix(base) ? String(full.dropFirst(base.count)) : full
    }

    private func read(_ url: URL, diagnostics: inout Diagnostics) -> SourceFile? {
        let path = relativePath(url)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            if FileManager.default.fileExists(atPath: url.path) {
                diagnostics.error("cannot read file", at: .file(path))
            }
            return nil
        }
        switch SourceFile.decode(path: path, bytes: data) {
        case .success(let file): return file
        case .failure(let d): diagnostics.append(d); return nil
        }
    }

    /// `.md` files, sorted by path so builds are deterministic.
    private func markdownFiles(in folder: URL, recursive: Bool) -> [URL] {
        guard isDirectory(folder) else { return [] }
        var result: [URL] = []
        if recursive {
            let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey],
                                                        options: [.skipsHiddenFiles])
            while let url = walker?.nextObject() as? URL {
                if url.pathExtension == "md" { result.append(url) }
            }
        } else {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            result = names.filter { $0.hasSuffix(".md") && !$0.hasPrefix(".") }.map { folder.appendingPathComponent($0) }
        }
        return result.sorted { $0.path < $1.path }
    }

    private func isDirectory(_ url: URL) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) && isDir.boolValue
    }
}

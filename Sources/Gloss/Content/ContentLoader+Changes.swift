#if canImport(Glibc)
import Glibc
#endif

/// A reload told which files changed (the preview server's watcher names
/// them): the content files are the last load's, with the named ones looked
/// at again, and no folder is walked nor any other file stat'ed. At 10,000
/// articles the walk and its 11,500 `stat`s were a seventh of a rebuild
/// after a save.
extension ContentLoader {
    /// The content files a load found, in order: where the next load told
    /// what changed starts from.
    struct Listing: Sendable {
        var entities: [EntityKind: [FoundFile]] = [:]
        var articles: [FoundFile] = []
        /// Those that are symbolic links or have other names (hard links):
        /// they change where no watcher of the site sees it, or under a name
        /// it does not report, so they are looked at every time.
        var links: Set<String> = []
    }

    /// `cache`'s listing with the files named in `changed` added or
    /// removed; nil when the folders must be walked after all.
    func listing(_ cache: SourceCache, changed: Set<String>) -> Listing? {
        guard var listing = cache.listing, !linkedFolders() else { return nil }
        var added: [String] = [], removed = Set<String>()
        for path in changed where path.hasPrefix("content/") {
            var info = stat()
            let found = lstat(rootPath + "/" + path, &info) == 0, type = info.st_mode & S_IFMT
            // A file that became a folder, or a folder that became a link
            // (which a walk does not follow): what is under it is walked.
            if found, type == S_IFDIR || type == S_IFLNK && !path.hasSuffix(".md") { return nil }
            guard let place = Self.place(of: path) else { continue }
            guard found else {
                removed.insert(path)
                listing.links.remove(path)
                continue
            }
            // A named file is looked at (`decode` notes one with other names).
            if type == S_IFLNK { listing.links.insert(path) } else { listing.links.remove(path) }
            // Most saves change a file the listing has: it stays as it is.
            if cache.entries[path] == nil, !(place == .article ? listing.articles : listing.entities[place.kind!] ?? [])
                .contains(where: { $0.path == path }) {
                added.append(path)
            }
        }
        guard !added.isEmpty || !removed.isEmpty else { return listing }
        func update(_ files: inout [FoundFile], _ place: Place) {
            files.removeAll { removed.contains($0.path) }
            files += added.filter { Self.place(of: $0) == place }.map(FoundFile.init)
            files.sort { $0.path < $1.path }
        }
        update(&listing.articles, .article)
        for kind in EntityKind.allCases { update(&listing.entities[kind, default: []], .entity(kind)) }
        return listing
    }

    /// Whether `content/`, its articles' or an entity kind's folder is a
    /// symbolic link: a walk follows it, but no watcher sees inside.
    private func linkedFolders() -> Bool {
        (["content", "content/articles"] + EntityKind.allCases.map { "content/" + $0.folder }).contains { folder in
            var info = stat()
            return lstat(rootPath + "/" + folder, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK
        }
    }

    /// Whether `path` may be taken from `cache` without a look: not named as
    /// changed, not a link, and not read too soon after its last change.
    static func untouched(_ path: String, _ cache: SourceCache, _ changed: Set<String>, _ listing: Listing) -> SourceCache.Entry? {
        guard !changed.contains(path), !listing.links.contains(path), let entry = cache.entries[path], !entry.racy else { return nil }
        return entry
    }

    enum Place: Equatable {
        case article
        case entity(EntityKind)

        var kind: EntityKind? {
            if case .entity(let kind) = self { return kind }
            return nil
        }
    }

    /// Where a walk of the content folder finds `path`, if it does: any
    /// `.md` file under `content/articles/`, one directly in an entity
    /// kind's folder, none in or under a hidden folder or file.
    static func place(of path: String) -> Place? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 3, parts[0] == "content", path.hasSuffix(".md"),
              !parts.contains(where: { $0.isEmpty || $0.hasPrefix(".") }) else { return nil }
        if parts[1] == "articles" { return .article }
        guard parts.count == 3, let kind = EntityKind(folder: String(parts[1])) else { return nil }
        return .entity(kind)
    }
}

import Foundation

/// The files of a site's `static/` folder: regular files only (a symbolic
/// link could pull in files from elsewhere on the machine), no hidden files.
enum StaticFiles {
    static func list(_ folder: URL) -> [(relative: String, url: URL)] {
        let base = folder.standardizedFileURL.path + "/"
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey, .isSymbolicLinkKey],
                                                          options: [.skipsHiddenFiles]) else { return [] }
        var result: [(String, URL)] = []
        while let url = walker.nextObject() as? URL {
            let values = try? url.resourceValues(forKeys: [.isRegularFileKey, .isSymbolicLinkKey])
            guard values?.isRegularFile == true, values?.isSymbolicLink != true else { continue }
            result.append((String(url.standardizedFileURL.path.dropFirst(base.count)), url))
        }
        return result
    }

    static func read(_ folder: URL, into files: inout [String: Data]) {
        for (relative, url) in list(folder) {
            if let data = FileManager.default.contents(atPath: url.path) { files[relative] = data }
        }
    }
}

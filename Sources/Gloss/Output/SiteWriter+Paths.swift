import Foundation

/// Output paths, which come from content and from the cache file: each is
/// checked to stay inside the output folder before anything is written or
/// removed there.
extension SiteWriter {
    /// The file URL for a site-relative path, refusing anything that could
    /// land outside the folder (`..`, absolute paths, empty components).
    static func resolve(_ path: String, in root: URL) throws -> URL {
        try checkInside(path)
        return root.appendingPathComponent(path)
    }

    /// `resolve` for a root given as a path: a build calls it for every
    /// page, and `URL` costs more than the rest of keeping a page.
    static func resolve(_ path: String, in root: String) throws -> String {
        try checkInside(path)
        return root + "/" + path
    }

    private static func checkInside(_ path: String) throws {
        guard isInside(path) else { throw WriteError.unsafePath(path) }
    }

    /// Whether `path` names something inside the folder it is relative to:
    /// not absolute, and each part neither empty, "." nor "..", nor holding
    /// a backslash. One pass over the bytes: a build checks every page's
    /// path, and a cache's every published path.
    static func isInside(_ path: String) -> Bool {
        var path = path
        return path.withUTF8 { bytes in
            var start = 0
            for index in 0...bytes.count {
                if index < bytes.count {
                    if bytes[index] == UInt8(ascii: "\\") { return false }
                    if bytes[index] != UInt8(ascii: "/") { continue }
                }
                let length = index - start, dot = UInt8(ascii: ".")
                if length == 0 || (length <= 2 && bytes[start] == dot && bytes[index - 1] == dot) { return false }
                start = index + 1
            }
            return true
        }
    }
}

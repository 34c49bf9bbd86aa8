import Foundation

extension TemplateSet {
    /// Theme files served under a name that carries a hash of their
    /// contents, so browsers can cache them forever and never use a stale one.
    static let assetNames = ["style.css", "search.js"]

    func assets() -> [String: OutputFile] {
        var result: [String: OutputFile] = [:]
        for name in Self.assetNames {
            let url = themeStatic?.appendingPathComponent(name)
            let data = url.flatMap { FileManager.default.contents(atPath: $0.path) } ?? Data()
            var hash: UInt64 = 0xcbf29ce484222325
            for byte in data { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
            let dot = name.lastIndex(of: ".")!
            result[name] = OutputFile(path: "\(name[..<dot]).\(String(hash, radix: 16).suffix(8))\(name[dot...])", contents: data)
        }
        return result
    }
}

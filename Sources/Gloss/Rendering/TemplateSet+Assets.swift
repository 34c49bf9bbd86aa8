import Foundation

extension TemplateSet {
    /// The theme stylesheet, named by a hash of its contents so browsers and
    /// CDNs can cache it forever and never serve a stale one.
    func stylesheet() -> OutputFile {
        let url = themeStatic?.appendingPathComponent("style.css")
        let data = url.flatMap { FileManager.default.contents(atPath: $0.path) } ?? Data()
        var hash: UInt64 = 0xcbf29ce484222325
        for byte in data { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
        return OutputFile(path: "style.\(String(hash, radix: 16).suffix(8)).css", contents: data)
    }
}

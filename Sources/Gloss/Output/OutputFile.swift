import Foundation

/// One file of the built site, by its path relative to the output folder.
public struct OutputFile: Sendable, Hashable {
    public let path: String
    public let contents: Data

    public init(path: String, contents: Data) {
        self.path = path
        self.contents = contents
    }

    public init(path: String, text: String) {
        self.init(path: path, contents: Data(text.utf8))
    }
}

/// A file too large to hold whole (`claims.json` of 100,000 articles is
/// 350 MB): `write` hands its bytes, in order, a piece at a time to the
/// function it is given. A page sink writes the pieces as they come.
struct StreamedFile {
    let path: String
    let write: (_ append: (UnsafeRawBufferPointer) -> Void) -> Void

    /// The whole file in memory, for a build that keeps its files.
    var file: OutputFile {
        var data = Data()
        write { data.append(contentsOf: $0) }
        return OutputFile(path: path, contents: data)
    }
}

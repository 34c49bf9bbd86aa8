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

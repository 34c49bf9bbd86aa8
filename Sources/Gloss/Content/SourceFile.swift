import Foundation

/// A content file read from disk: its path relative to the site folder (the
/// form diagnostics print) and its text, which must be valid UTF-8.
public struct SourceFile: Sendable {
    public let path: String
    public let text: String

    public init(path: String, text: String) {
        self.path = path
        self.text = text
    }

    /// Decodes bytes strictly: invalid UTF-8 is an error at the first bad
    /// byte, never silently repaired (that would change quotes and names).
    public static func decode(path: String, bytes: Data) -> Result<SourceFile, Diagnostic> {
        if let text = String(validating: bytes, as: UTF8.self) {
            // A byte order mark is legal but would break front matter detection.
            return .success(SourceFile(path: path, text: text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text))
        }
        return .failure(.error("file is not valid UTF-8", at: firstInvalidByte(in: bytes, path: path)))
    }

    private static func firstInvalidByte(in bytes: Data, path: String) -> SourceLocation {
        var line = 1, column = 1
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let lead = bytes[index]
            let length = lead < 0x80 ? 1 : lead >> 5 == 0b110 ? 2 : lead >> 4 == 0b1110 ? 3 : lead >> 3 == 0b11110 ? 4 : 0
            let end = index + length
            if length == 0 || end > bytes.endIndex || String(validating: bytes[index..<end], as: UTF8.self) == nil {
                return SourceLocation(path: path, line: line, column: column)
            }
            if lead == 0x0A { line += 1; column = 1 } else { column += 1 }
            index = end
        }
        return SourceLocation(path: path, line: line, column: column)
    }
}

/// A file split into its YAML front matter and Markdown body. Line numbers
/// of both parts are kept relative to the original file so that errors from
/// Yams and cmark can be re-based onto it.
public struct SplitDocument: Sendable {
    public let yaml: String
    /// File line on which the YAML starts (the line after the opening `---`).
    public let yamlFirstLine: Int
    public let body: String
    /// Number of file lines before the body's first line.
    public let bodyLineOffset: Int

    /// Lines are found in the UTF-8 bytes: "\r\n" is one `Character`, so a
    /// search for the character "\n" never finds the end of a Windows line.
    public static func split(_ file: SourceFile) -> Result<SplitDocument, Diagnostic> {
        let text = file.text, utf8 = text.utf8
        let newline = UInt8(ascii: "\n")
        func content(_ line: Substring.UTF8View) -> Substring.UTF8View {
            line.last == UInt8(ascii: "\r") ? line.dropLast() : line
        }
        guard let opening = utf8.firstIndex(of: newline), content(utf8[..<opening]).elementsEqual("---".utf8) else {
            return .failure(.error("missing front matter: the file must start with a line '---'", at: .file(file.path)))
        }
        let yamlStart = utf8.index(after: opening)
        var lineCount = 0
        var searchStart = yamlStart
        var yamlEnd: String.Index?
        var bodyStart = text.endIndex
        while searchStart < text.endIndex {
            let lineEnd = utf8[searchStart...].firstIndex(of: newline) ?? text.endIndex
            let line = content(utf8[searchStart..<lineEnd])
            lineCount += 1
            if line.elementsEqual("---".utf8) || line.elementsEqual("...".utf8) {
                yamlEnd = searchStart
                bodyStart = lineEnd < text.endIndex ? utf8.index(after: lineEnd) : text.endIndex
                break
            }
            searchStart = lineEnd < text.endIndex ? utf8.index(after: lineEnd) : text.endIndex
        }
        guard let yamlEnd else {
            return .failure(.error("front matter is not closed: add a line '---' after it", at: .file(file.path)))
        }
        return .success(SplitDocument(
            yaml: String(text[yamlStart..<yamlEnd]),
            yamlFirstLine: 2,
            body: String(text[bodyStart...]),
            bodyLineOffset: lineCount + 1
        ))
    }
}

import Foundation
import Testing
@testable import Gloss

/// `gloss render` must be byte-identical to Debian's cmark-gfm CLI with the
/// GFM extensions, on every spec example (footnote examples excepted: the
/// CLI cannot enable them).
@Suite struct DifferentialTests {
    static let cli = ["/usr/bin/cmark-gfm", "/usr/local/bin/cmark-gfm"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let flags = ["-e", "table", "-e", "strikethrough", "-e", "autolink", "-e", "tagfilter", "-e", "tasklist"]

    struct Example: CustomTestStringConvertible, Sendable {
        let file: String, line: Int, markdown: String, html: String
        var testDescription: String { "\(file):\(line)" }
    }

    static func examples(_ file: String) -> [Example] {
        guard let text = try? String(contentsOf: fixtureURL("gfm/\(file)"), encoding: .utf8) else { return [] }
        let fence = String(repeating: "`", count: 32)
        let lines = text.components(separatedBy: "\n")
        var result: [Example] = []
        var i = 0
        while i < lines.count {
            if lines[i].hasPrefix(fence + " example") {
                var j = i + 1
                var md: [String] = [], html: [String] = []
                while lines[j] != "." { md.append(lines[j]); j += 1 }
                j += 1
                while !lines[j].hasPrefix(fence) { html.append(lines[j]); j += 1 }
                let tab = { (s: [String]) in s.joined(separator: "\n").replacingOccurrences(of: "→", with: "\t") + "\n" }
                result.append(Example(file: file, line: i + 1, markdown: tab(md), html: tab(html)))
                i = j
            }
            i += 1
        }
        return result
    }

    static let all = examples("spec.txt") + examples("extensions.txt")

    static func runCLI(_ input: String, unsafe: Bool) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: cli!)
        process.arguments = flags + (unsafe ? ["--unsafe"] : [])
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Array(data)
    }

    @Test func specExamplesWereFound() {
        #expect(Self.all.count > 600)
    }

    @Test(.enabled(if: cli != nil, "Debian's cmark-gfm CLI is not installed"))
    func identicalToTheCLI() throws {
        var differences: [String] = []
        for example in Self.all where !example.markdown.contains("[^") {
            for unsafe in [false, true] {
                let ours = CommonMarkDocument(bytes: Array(example.markdown.utf8), options: .init(unsafe: unsafe)).renderHTMLBytes()
                let theirs = try Self.runCLI(example.markdown, unsafe: unsafe)
                if ours != theirs { differences.append("\(example.testDescription) unsafe=\(unsafe)") }
            }
        }
        #expect(differences.isEmpty, "differ from cmark-gfm: \(differences.prefix(20))")
    }

    /// Footnote examples are checked against the spec's expected HTML, which
    /// is what libcmark-gfm produces with CMARK_OPT_FOOTNOTES.
    @Test func footnoteExamplesMatchTheSpec() {
        let footnotes = Self.all.filter { $0.markdown.contains("[^") && $0.file == "extensions.txt" }
        #expect(!footnotes.isEmpty)
        for example in footnotes {
            let ours = CommonMarkDocument(markdown: example.markdown, options: .init(unsafe: true)).renderHTML()
            #expect(ours == example.html, "\(example.testDescription)")
        }
    }
}

import Foundation

/// The templates of a build: the default theme, overlaid file by file with
/// the site's own `templates/` (a site overrides just the pieces it wants).
public struct TemplateSet: Sendable {
    public static let requiredNames = ["layout", "home", "listing", "archive", "tags", "article", "entity", "kind-index", "claims", "search", "404",
                                       "hooks/mention", "hooks/claim"]

    let templates: [String: Template]
    /// Each template flattened for rendering, by name, looked up by every page.
    let programs: [String: TemplateProgram]
    /// Static files of the theme (stylesheet), copied to the output.
    public let themeStatic: URL?
    /// Changes whenever any template's text changes: caches key on it.
    public let fingerprint: Int

    init(templates: [String: Template], themeStatic: URL?, fingerprint: Int) {
        self.templates = templates
        programs = templates.mapValues(\.program)
        self.themeStatic = themeStatic
        self.fingerprint = fingerprint
    }

    /// The default theme shipped inside the Gloss library.
    public static var defaultThemeDirectory: URL? {
        Bundle.module.url(forResource: "Theme", withExtension: nil)
    }

    /// Loads templates, reporting parse errors as `templates/x.mustache:line:col`.
    public static func load(siteTemplates: URL?) -> (TemplateSet?, Diagnostics) {
        var diagnostics = Diagnostics()
        var templates: [String: Template] = [:]
        // Path and text of the file each name was loaded from (a site's own wins).
        var origins: [String: (path: String, text: String)] = [:]
        let theme = defaultThemeDirectory
        var sources: [(name: String, url: URL, label: String)] = []
        var hasher = StableHasher()
        if let theme { sources += files(in: theme.appendingPathComponent("templates"), label: "(default theme)/templates/") }
        if let siteTemplates { sources += files(in: siteTemplates, label: "templates/") }
        for (name, url, label) in sources {
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                diagnostics.error("template is not readable UTF-8 text", at: .file(label + name + ".mustache"))
                continue
            }
            hasher.combine(name)
            hasher.combine(text)
            do {
                templates[name] = try Template(text)
                origins[name] = (label + name + ".mustache", text)
            } catch {
                diagnostics.error("template syntax: \(error.message)", at: location(of: error.offset, in: text, path: label + name + ".mustache"))
            }
        }
        // A partial or parent that names no template would render as nothing: say so at load.
        for (name, template) in templates.sorted(by: { $0.key < $1.key }) {
            for reference in template.references where templates[reference.name] == nil {
                let hint = Suggestion.closest(to: reference.name, in: templates.keys.sorted()).map { "; did you mean '\($0)'?" } ?? ""
                let origin = origins[name]!
                diagnostics.error("template '\(reference.name)' does not exist\(hint)",
                                  at: location(of: reference.offset, in: origin.text, path: origin.path))
            }
        }
        for name in requiredNames where templates[name] == nil && !diagnostics.hasErrors {
            diagnostics.error("missing template '\(name).mustache'", at: nil)
        }
        if diagnostics.hasErrors { return (nil, diagnostics) }
        return (TemplateSet(templates: templates, themeStatic: theme?.appendingPathComponent("static"),
                            fingerprint: hasher.finalize()), diagnostics)
    }

    private static func files(in folder: URL, label: String) -> [(name: String, url: URL, label: String)] {
        // Hidden files (editor swap files, `.x.mustache`) are not templates, as in content/ and static/.
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil,
                                                          options: [.skipsHiddenFiles]) else { return [] }
        var result: [(String, URL, String)] = []
        let base = folder.standardizedFileURL.path + "/"
        while let url = walker.nextObject() as? URL {
            guard url.pathExtension == "mustache" else { continue }
            let relative = String(url.standardizedFileURL.path.dropFirst(base.count))
            result.append((String(relative.dropLast(".mustache".count)), url, label))
        }
        return result.sorted { $0.0 < $1.0 }
    }

    /// Line and column (in characters) of a byte offset of a template's text.
    private static func location(of offset: Int, in text: String, path: String) -> SourceLocation {
        let before = Array(text.utf8.prefix(offset))
        let lineStart = (before.lastIndex(of: UInt8(ascii: "\n")) ?? -1) + 1
        let line = before.count { $0 == UInt8(ascii: "\n") } + 1
        return SourceLocation(path: path, line: line, column: String(decoding: before[lineStart...], as: UTF8.self).count + 1)
    }

    /// Renders a page template; templates are checked at load, so a nil here
    /// means a template named a missing page template.
    public func render(_ name: String, _ context: TemplateValue) -> String {
        String(decoding: renderBytes(name, context), as: UTF8.self)
    }

    /// The page as bytes, for output files: templates and values are valid
    /// UTF-8, so there is nothing to check, and a page is copied once, not
    /// decoded into a String and encoded back.
    func renderBytes(_ name: String, _ context: TemplateValue) -> [UInt8] {
        guard let program = programs[name] else { return [] }
        var renderer = TemplateRenderer(programs: programs, context: context)
        renderer.render(program)
        return renderer.output
    }

    /// Render hooks from `hooks/mention` and `hooks/claim`. Each template is
    /// rendered around a marker and split there into opening and closing
    /// markup, which cmark writes verbatim around the escaped text.
    public func annotationHooks() -> AnnotationHooks {
        let marker = Self.hookMarker
        @Sendable func split(_ html: [UInt8]) -> (open: String, close: String) { html.withUnsafeBufferPointer(Self.hookPieces(bytes:)) }
        return AnnotationHooks(
            mention: { m in
                split(renderBytes("hooks/mention", .object(["kind": .string(m.entity.kind.rawValue), "id": .string(m.entity.id),
                                                            "name": .string(m.entity.name), "url": .string(m.href),
                                                            "explicit": .bool(m.explicit), "text": .string(marker)])))
            },
            claim: { c in
                var context: TemplateFields = ["id": .string(c.claim.id.value), "speaker": .string(c.speaker),
                                                        "first": .bool(c.isFirstPiece), "last": .bool(c.isLastPiece), "text": .string(marker)]
                if let rating = c.claim.review?.rating { context["rating"] = .string(rating) }
                return split(renderBytes("hooks/claim", .object(context)))
            })
    }

    /// Stands for a hook's text while its template is rendered.
    static let hookMarker = "\u{E000}GLOSS-TEXT\u{E000}"

    /// A rendered hook cut at its text: the markup before and after it,
    /// without newlines at either end. On bytes, not Foundation's
    /// `trimmingCharacters` and `range(of:)`: a claim's markup is made for
    /// every piece of every claim, and those were most of the cost of
    /// anchoring claims.
    @Sendable static func hookPieces(_ html: String) -> (open: String, close: String) {
        var html = html
        return html.withUTF8 { hookPieces(bytes: $0) }
    }

    /// `hookPieces` of valid UTF-8, as a hook's template renders it.
    static func hookPieces(bytes: UnsafeBufferPointer<UInt8>) -> (open: String, close: String) {
        // The newlines of `CharacterSet.newlines`: U+000A to U+000D, U+0085
        // (C2 85), U+2028 and U+2029 (E2 80 A8, E2 80 A9). In valid UTF-8 a
        // lead byte never continues another scalar, so each is found whole.
        var start = 0, end = bytes.count
        while start < end {
            let byte = bytes[start]
            if (0x0A...0x0D).contains(byte) { start += 1 }
            else if byte == 0xC2, start + 1 < end, bytes[start + 1] == 0x85 { start += 2 }
            else if byte == 0xE2, start + 2 < end, bytes[start + 1] == 0x80, bytes[start + 2] | 1 == 0xA9 { start += 3 }
            else { break }
        }
        while end > start {
            let byte = bytes[end - 1]
            if (0x0A...0x0D).contains(byte) { end -= 1 }
            else if byte == 0x85, end - 2 >= start, bytes[end - 2] == 0xC2 { end -= 2 }
            else if byte | 1 == 0xA9, end - 3 >= start, bytes[end - 2] == 0x80, bytes[end - 3] == 0xE2 { end -= 3 }
            else { break }
        }
        func text(_ range: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self) }
        let marker = hookMarkerBytes
        var at = start
        while at + marker.count <= end {
            if bytes[at] == marker[0], memcmp(bytes.baseAddress! + at, marker, marker.count) == 0 {
                return (text(start..<at), text((at + marker.count)..<end))
            }
            at += 1
        }
        return (text(start..<end), "")
    }

    private static let hookMarkerBytes = Array(hookMarker.utf8)
}

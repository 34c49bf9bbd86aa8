import Foundation
import Mustache

/// The templates of a build: the default theme, overlaid file by file with
/// the site's own `templates/` (a site overrides just the pieces it wants).
public struct TemplateSet: Sendable {
    public static let requiredNames = ["layout", "home", "listing", "archive", "tags", "article", "entity", "kind-index", "claims", "search", "404",
                                       "hooks/mention", "hooks/claim"]

    let library: MustacheLibrary
    /// Static files of the theme (stylesheet), copied to the output.
    public let themeStatic: URL?
    /// Changes whenever any template's text changes: caches key on it.
    public let fingerprint: Int

    /// The default theme shipped inside the Gloss library.
    public static var defaultThemeDirectory: URL? {
        Bundle.module.url(forResource: "Theme", withExtension: nil)
    }

    /// Loads templates, reporting parse errors as `templates/x.mustache:line:col`.
    public static func load(siteTemplates: URL?) -> (TemplateSet?, Diagnostics) {
        var diagnostics = Diagnostics()
        var library = MustacheLibrary()
        let theme = defaultThemeDirectory
        var sources: [(name: String, url: URL, label: String)] = []
        var hasher = Hasher()
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
                library.register(try MustacheTemplate(string: text), named: name)
            } catch let error as MustacheTemplate.ParserError {
                let at = SourceLocation(path: label + name + ".mustache", line: error.context.lineNumber,
                                        column: error.context.columnNumber + 1)
                diagnostics.error("template syntax: \(describe(error.error)) in '\(error.context.line.trimmingCharacters(in: .whitespaces))'", at: at)
            } catch {
                diagnostics.error("template syntax: \(error)", at: .file(label + name + ".mustache"))
            }
        }
        for name in requiredNames where library.getTemplate(named: name) == nil && !diagnostics.hasErrors {
            diagnostics.error("missing template '\(name).mustache'", at: nil)
        }
        if diagnostics.hasErrors { return (nil, diagnostics) }
        return (TemplateSet(library: library, themeStatic: theme?.appendingPathComponent("static"),
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

    private static func describe(_ error: Error) -> String {
        let text = String(describing: error)
        switch text {
        case "sectionCloseNameIncorrect": return "closing tag does not match the open section"
        case "unfinishedName", "overflow": return "a tag is not closed with }}"
        case "expectedSectionEnd": return "a section is not closed"
        default: return text
        }
    }

    /// Renders a page template; templates are checked at load, so a nil here
    /// means a template named a missing page template.
    public func render(_ name: String, _ context: [String: Any]) -> String {
        library.render(context, withTemplate: name) ?? ""
    }

    /// Render hooks from `hooks/mention` and `hooks/claim`. Each template is
    /// rendered around a marker and split there into opening and closing
    /// markup, which cmark writes verbatim around the escaped text.
    public func annotationHooks() -> AnnotationHooks {
        let marker = "\u{E000}GLOSS-TEXT\u{E000}"
        let library = self.library
        @Sendable func split(_ html: String) -> (open: String, close: String) {
            let trimmed = html.trimmingCharacters(in: .newlines)
            guard let range = trimmed.range(of: marker) else { return (trimmed, "") }
            return (String(trimmed[..<range.lowerBound]), String(trimmed[range.upperBound...]))
        }
        return AnnotationHooks(
            mention: { m in
                split(library.render(["kind": m.entity.kind.rawValue, "id": m.entity.id, "name": m.entity.name,
                                      "url": m.href, "explicit": m.explicit, "text": marker],
                                     withTemplate: "hooks/mention") ?? marker)
            },
            claim: { c in
                var context: [String: Any] = ["id": c.claim.id.value, "speaker": c.speaker, "first": c.isFirstPiece, "last": c.isLastPiece,
                                              "text": marker]
                if let rating = c.claim.review?.rating { context["rating"] = rating }
                return split(library.render(context, withTemplate: "hooks/claim") ?? marker)
            })
    }
}

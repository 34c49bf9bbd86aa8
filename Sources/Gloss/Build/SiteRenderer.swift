import Foundation

/// `gloss render --site`: one Markdown text annotated with a site's entities.
public enum SiteRenderer {
    public static func render(markdown: Data, site: URL, unsafe: Bool) -> (String, Diagnostics) {
        var (sources, diagnostics) = ContentLoader(root: site).load()
        guard var sources else { return ("", diagnostics) }
        let (templates, templateDiagnostics) = TemplateSet.load(siteTemplates: sources.templatesDirectory)
        diagnostics.append(contentsOf: templateDiagnostics)
        guard let templates else { return ("", diagnostics) }
        guard let text = String(validating: markdown, as: UTF8.self) else {
            diagnostics.error("input is not valid UTF-8", at: .file("<stdin>"))
            return ("", diagnostics)
        }
        if unsafe { sources.config.unsafeHTML = true }
        let registry = EntityRegistry(sources.entities)
        let annotator = Annotator(registry: registry, config: sources.config,
                                  hooks: templates.annotationHooks())
        let input = ArticleSource(path: "<stdin>", slug: Located("stdin", at: .file("<stdin>")), title: "",
                                  date: SimpleDate(year: 2000, month: 1, day: 1)!, author: nil, summary: nil, tags: [],
                                  draft: false, about: [:], claims: [], body: text, bodyLineOffset: 0)
        let (article, found) = annotator.annotate(input)
        // Only this input's problems matter here, not those of the whole site.
        var result = Diagnostics()
        result.append(contentsOf: found)
        return (article.html, result)
    }
}

import MemorialContent
import MemorialCore
import MemorialTemplates

// What every page says for reuse (its feed, the open data, share previews, whether search
// engines may index it), and the open dataset's page.
extension PageRenderer {
    /// Adds to a language's shared context: the feed, the data page, the Open Graph locale and
    /// `noindex`.
    func addReuseLinks(to context: inout TemplateObject, _ language: String) {
        context["feed"] = [
            "href": .string(urls.href(FeedRenderer.path(language))),
            "title": .string(string("feedTitle", language) + " — " + siteTitle(language)),
            "label": .string(string("feedTitle", language)),
        ]
        context["dataPage"] = [
            "href": .string(urls.href(SiteURLs.data(language))), "title": .string(string("dataTitle", language)),
        ]
        // Open Graph's locale for a site language.
        context["ogLocale"] = .string(["kk": "kk_KZ", "ru": "ru_RU", "en": "en_GB"][language] ?? language)
        if site.config.noindex { context["noindex"] = true }
        if let contact = site.config.contact {
            context["contact"] = ["address": .string(contact), "href": .string("mailto:" + contact)]
        }
    }

    /// The site.yml keys for reuse that pages show: archive, publisher, contact, licence, robots.
    func combineReuseSettings(into fingerprint: inout Fingerprint) {
        let config = site.config
        for text in [config.archive, config.publisher, config.license?.title ?? LocalizedText()] {
            for language in config.languages {
                fingerprint.combine(text.resolved(in: language, fallback: config.languages)?.text ?? "\u{0}")
            }
        }
        fingerprint.combine(config.contact ?? "\u{0}")
        fingerprint.combine(config.license?.name ?? "\u{0}")
        fingerprint.combine(config.license?.url ?? "\u{0}")
        fingerprint.combine(config.noindex ? "noindex" : "index")
    }

    func renderData(_ language: String, job: PageJob) -> [UInt8] {
        let heading = string("dataTitle", language)
        var context = baseContext(language, job: job, title: heading, description: string("dataDescription", language))
        let dataset = DatasetRenderer(renderer: self)
        var data: TemplateObject = [
            "heading": .string(heading),
            "description": .string(string("dataDescription", language)),
            "files": .list(
                [
                    (DatasetRenderer.csvPath, "CSV"), (DatasetRenderer.jsonPath, "JSON"),
                    (DatasetRenderer.schemaPath, "JSON Schema"), (DatasetRenderer.packagePath, "Data Package"),
                ].map { path, format -> TemplateValue in
                    [
                        "href": .string(urls.href(path)),
                        "name": .string(path.dropFirst(DatasetRenderer.folder.count).description),
                        "format": .string(format),
                    ]
                }),
            "columns": .list(
                dataset.columns.map { column -> TemplateValue in
                    let (title, form) = dataset.description(of: column, in: language)
                    return ["name": .string(column.name), "title": .string(title), "form": .string(form)]
                }),
        ]
        if let license = site.config.license {
            data["license"] = [
                "name": .string(license.title.resolved(in: language, fallback: site.languages)?.text ?? license.name),
                "href": .string(license.url),
            ]
        }
        context["data"] = .object(data)
        context["breadcrumbs"] = [homeCrumb(language)]
        return templates.render(context, template: "data")
    }
}

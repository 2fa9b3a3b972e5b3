import MemorialContent
import MemorialCore
import MemorialTemplates

// Where a document's derivatives are published (below the output folder). Page `page` and
// document `index` are 0-based here, 1-based in paths.
extension SiteURLs {
    /// `media/<id>/<n>/`: the document's reading images, thumbnails and downloads.
    static func documentMedia(_ id: String, _ index: Int) -> String { "media/\(id)/\(index + 1)/" }
    /// The IIIF image service of one page: `iiif/<id>/<n>-<page>/` (info.json and tiles).
    static func imageService(_ id: String, _ index: Int, _ page: Int) -> String {
        "iiif/\(id)/\(index + 1)-\(page + 1)/"
    }
    /// The case's IIIF Presentation 3.0 manifest.
    static func manifest(_ id: String) -> String { "iiif/\(id)/manifest.json" }
}

extension PageRenderer {
    /// The viewer page of every published document that has images, after its case's page.
    func appendDocumentJobs(to jobs: inout [PageJob], language: String) {
        for index in site.cases.indices {
            for document in site.cases[index].documents.indices {
                jobs.append(.document(language: language, index: index, document: document))
            }
        }
    }

    /// A document's kind's label in a language, nil when it has no kind or the kind no label.
    func kindLabel(_ document: CaseDocument, _ language: String) -> String? {
        guard let kind = document.kind else { return nil }
        return site.vocabularies[DocumentsParser.kindsVocabulary]?.labels[kind]?.resolved(
            in: language, fallback: site.languages)?.text
    }

    /// A document's title in a language: its kind's label, else "Document n".
    func documentTitle(_ document: CaseDocument, number: Int, language: String) -> String {
        kindLabel(document, language)
            ?? string("documentN", language).replacingOccurrences(of: "{n}", with: String(number))
    }

    /// The archival reference as one line ("fond 1, inventory 2, file 345, sheets 12–14"), nil
    /// when the description gives none.
    func referenceText(_ reference: ArchivalReference, language: String) -> String? {
        let parts: [(String, String?)] = [
            ("fond", reference.fond), ("inventory", reference.inventory), ("fileNumber", reference.file),
            ("sheets", reference.sheets),
        ]
        let text = parts.compactMap { key, value in value.map { "\(string(key, language)) \($0)" } }
        return text.isEmpty ? nil : text.joined(separator: ", ")
    }

    /// One page's image with its WebP and JPEG sizes (`srcset`), for `<picture>`.
    func pictureContext(id: String, index: Int, page: Int, derived: DerivedPage, alt: String) -> TemplateObject {
        let folder = urls.href(SiteURLs.documentMedia(id, index))
        let name = String(page + 1)
        let small = derived.thumbnailWidth
        let large = derived.readingWidth
        return [
            "webpSet": .string("\(folder)\(name)-small.webp \(small)w, \(folder)\(name)-large.webp \(large)w"),
            "jpegSet": .string("\(folder)\(name)-small.jpg \(small)w, \(folder)\(name)-large.jpg \(large)w"),
            "src": .string("\(folder)\(name)-large.jpg"),
            "thumb": .string("\(folder)\(name)-small.jpg"),
            "thumbWebp": .string("\(folder)\(name)-small.webp"),
            "width": .int(derived.readingWidth), "height": .int(derived.readingHeight),
            "thumbWidth": .int(derived.thumbnailWidth), "thumbHeight": .int(derived.thumbnailHeight),
            "alt": .string(alt),
        ]
    }

    /// The case page's portrait and list of documents (each its first page's thumbnail).
    func documentsContext(_ item: Case, language: String, name: String) -> (
        portrait: TemplateValue?, documents: TemplateValue?
    ) {
        var portrait: TemplateValue?
        var list: [TemplateValue] = []
        for (index, document) in item.documents.enumerated() {
            guard let derived = images?.derivatives(of: item.id, index), let first = derived.pages.first else {
                continue
            }
            let title = documentTitle(document, number: index + 1, language: language)
            var entry: TemplateObject = [
                "href": .string(urls.href(SiteURLs.document(language, item.id, index))),
                "title": .string(title),
                "image": .object(pictureContext(id: item.id, index: index, page: 0, derived: first, alt: title)),
                "pages": .int(derived.pages.count),
            ]
            if let caption = document.caption.resolved(in: language, fallback: site.languages) {
                entry["caption"] = .string(caption.text)
                if let other = caption.language { entry["captionLang"] = .string(other) }
            }
            if let date = document.date { entry["date"] = .string(DateFormatting.format(date, language: language)) }
            if document.portrait {
                portrait = .object(pictureContext(id: item.id, index: index, page: 0, derived: first, alt: name))
            }
            list.append(.object(entry))
        }
        return (portrait, list.isEmpty ? nil : .list(list))
    }

    /// Links and images in a narrative that name a published document's file lead to its page
    /// and show its reading image.
    func linkingDocuments(_ html: String, of item: Case, language: String) -> String {
        var html = html
        for (index, document) in item.documents.enumerated() {
            let file = HTMLEscaping.escape(SiteURLs.component(document.file))
            guard html.utf8Offset(of: "=\"\(file)\"") != nil else { continue }
            html = html.replacingUTF8Occurrences(
                of: "href=\"\(file)\"", with: "href=\"\(urls.href(SiteURLs.document(language, item.id, index)))\"")
            html = html.replacingUTF8Occurrences(
                of: "src=\"\(file)\"", with: "src=\"\(urls.href(SiteURLs.documentMedia(item.id, index)))1-large.jpg\"")
        }
        return html
    }

    func renderDocument(
        _ language: String, document index: Int, _ inputs: PageInputs2<ShownCase, Fingerprint>, job: PageJob
    ) -> [UInt8] {
        let item = inputs.parts.0.item
        let document = item.documents[index]
        let derived = images?.derivatives(of: item.id, index)
        let name = self.name(of: item, language).text
        let title = documentTitle(document, number: index + 1, language: language)
        let caption = document.caption.resolved(in: language, fallback: site.languages)
        var context = baseContext(language, job: job, title: "\(title) — \(name)", description: caption?.text)
        var page: TemplateObject = [
            "title": .string(title), "caseName": .string(name),
            "caseHref": .string(urls.href(SiteURLs.caseFolder(language, item.id))),
            "script": .string(urls.href("assets/viewer.js") + "?v=" + templates.stylesheetVersion),
        ]
        if let caption {
            var entry: TemplateObject = ["text": .string(caption.text)]
            if let other = caption.language { entry["lang"] = .string(other) }
            page["caption"] = .object(entry)
        }
        func fact(_ key: String, _ value: String?) -> TemplateValue? {
            value.map { ["label": .string(string(key, language)), "value": .string($0)] }
        }
        page["facts"] = .list(
            [
                fact("documentKind", kindLabel(document, language)),
                fact("documentDate", document.date.map { DateFormatting.format($0, language: language) }),
                fact(
                    "documentReference",
                    referenceText(document.reference, language: language) ?? string("referenceUnknown", language)),
            ].compactMap { $0 })
        if index > 0 {
            page["previous"] = .string(urls.href(SiteURLs.document(language, item.id, index - 1)))
        }
        if index + 1 < item.documents.count {
            page["next"] = .string(urls.href(SiteURLs.document(language, item.id, index + 1)))
        }
        var pages: [TemplateValue] = []
        let count = derived?.pages.count ?? 0
        for (number, derivedPage) in (derived?.pages ?? []).enumerated() {
            let label = pageLabel(number, of: count, language)
            var entry = pictureContext(
                id: item.id, index: index, page: number, derived: derivedPage, alt: "\(title): \(label)")
            entry["label"] = .string(label)
            entry["number"] = .int(number + 1)
            entry["info"] = .string(urls.href(SiteURLs.imageService(item.id, index, number)) + "info.json")
            entry["fullWidth"] = .int(derivedPage.width)
            entry["fullHeight"] = .int(derivedPage.height)
            if document.download {
                entry["download"] = .string(urls.href(SiteURLs.documentMedia(item.id, index)) + "\(number + 1).jpg")
                entry["downloadLabel"] = .string(
                    string("downloadPage", language).replacingOccurrences(of: "{n}", with: String(number + 1))
                        .replacingOccurrences(of: "{width}", with: String(derivedPage.width))
                        .replacingOccurrences(of: "{height}", with: String(derivedPage.height)))
            }
            pages.append(.object(entry))
        }
        page["pages"] = .list(pages)
        page["manifest"] = .string(urls.href(SiteURLs.manifest(item.id)))
        context["document"] = .object(page)
        context["breadcrumbs"] = [
            homeCrumb(language),
            ["label": .string(name), "href": .string(urls.href(SiteURLs.caseFolder(language, item.id)))],
        ]
        return templates.render(context, template: "document")
    }

    /// "Page 2 of 5" (`documentPageN`) for the page at `number`, counting from 0.
    func pageLabel(_ number: Int, of count: Int, _ language: String) -> String {
        string("documentPageN", language).replacingOccurrences(of: "{n}", with: String(number + 1))
            .replacingOccurrences(of: "{count}", with: String(count))
    }
}

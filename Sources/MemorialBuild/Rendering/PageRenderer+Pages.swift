import Foundation
import MemorialCore

extension PageRenderer {
    // MARK: - Language chooser and 404

    func renderChooser() -> String {
        let language = site.config.defaultLanguage
        var context = baseContext(language, job: .chooser, title: siteTitle(language), description: nil)
        context["alternates"] = site.languages.map { other -> [String: Any] in
            [
                "lang": other, "name": languageName(other), "url": urls.absolute(SiteURLs.home(other)),
                "href": urls.href(SiteURLs.home(other)), "current": false,
            ]
        }
        context["languages"] = site.languages.map { other -> [String: Any] in
            [
                "lang": other, "name": languageName(other), "href": urls.href(SiteURLs.home(other)),
                "siteTitle": siteTitle(other),
            ]
        }
        context["title"] = site.languages.map(siteTitle).joined(separator: " · ")
        return templates.render(context, template: "chooser")
    }

    func renderNotFound() -> String {
        let language = site.config.defaultLanguage
        var context = baseContext(language, job: .notFound, title: string("notFoundTitle", language), description: nil)
        context["alternates"] = [[String: Any]]()
        context["languages"] = site.languages.map { other -> [String: Any] in
            [
                "lang": other, "name": languageName(other), "href": urls.href(SiteURLs.home(other)),
                "title": string("notFoundTitle", other), "message": string("notFoundMessage", other),
                "homeLabel": string("home", other),
            ]
        }
        return templates.render(context, template: "notfound")
    }

    // MARK: - Home

    func renderHome(_ language: String, job: PageJob) -> String {
        let intro = site.config.description.resolved(in: language, fallback: site.languages)
        var context = baseContext(language, job: job, title: siteTitle(language), description: intro?.text)
        if let intro {
            context["intro"] = intro.text
            if let introLanguage = intro.language { context["introLang"] = introLanguage }
        }
        context["stats"] = [
            "cases": site.cases.count,
            "narrated": site.cases.filter { !$0.narratives.isEmpty }.count,
            "peoples": site.peoples.count,
            "years": site.years.count,
        ]
        var entries: [[String: Any]] = [
            [
                "label": string("peoplesTitle", language), "href": urls.href(SiteURLs.peoples(language)),
                "description": string("peoplesDescription", language),
            ],
            [
                "label": string("yearsTitle", language), "href": urls.href(SiteURLs.years(language)),
                "description": string("yearsDescription", language),
            ],
        ]
        var pages: [[String: Any]] = []
        for slug in site.pages.keys.sorted() {
            guard let versions = site.pages[slug],
                let page = versions[language] ?? site.languages.lazy.compactMap({ versions[$0] }).first
            else { continue }
            var item: [String: Any] = [
                "title": page.title, "label": page.title, "href": urls.href(SiteURLs.page(language, slug)),
            ]
            if let summary = page.summary { item["description"] = summary }
            pages.append(item)
        }
        entries.append(contentsOf: pages)
        context["entries"] = entries
        context["pages"] = pages
        context["featured"] = featured(language).map { entry(site.cases[$0], language) }
        return templates.render(context, template: "home")
    }

    /// The home page stays small at any archive size: it shows the first narrated cases in the
    /// language's alphabetical order; the indexes list them all.
    func featured(_ language: String) -> [Int] {
        let order = site.alphabetical[language] ?? Array(site.cases.indices)
        return Array(order.lazy.filter { !site.cases[$0].narratives.isEmpty }.prefix(Self.featuredLimit))
    }

    static let featuredLimit = 30

    // MARK: - Case

    func renderCase(_ language: String, index: Int, job: PageJob) -> (String, RenderedMarkdown?) {
        let item = site.cases[index]
        let record = item.record
        let name = name(of: item, language)
        let narrative = item.narratives[language]
        let anyNarrative = narrative ?? site.languages.lazy.compactMap { item.narratives[$0] }.first
        let title = narrative?.title ?? name.text
        let summary = narrative?.summary

        var facts: [[String: Any]] = []
        var fallbackLanguages = Set<String>()
        func fact(_ key: String, _ value: (text: String, language: String?)?, href: String? = nil, always: Bool = true)
        {
            guard let value else {
                if always {
                    facts.append([
                        "label": string(key, language), "value": string("unknown", language), "unknown": true,
                    ])
                }
                return
            }
            var entry: [String: Any] = ["label": string(key, language), "value": value.text]
            if let valueLanguage = value.language {
                entry["valueLang"] = valueLanguage
                fallbackLanguages.insert(valueLanguage)
            }
            if let href { entry["href"] = href }
            facts.append(entry)
        }
        func date(_ value: PartialDate?) -> (text: String, language: String?)? {
            value.map { (DateFormatting.format($0, language: language), nil) }
        }
        func labels(_ vocabulary: String, _ codes: [String]) -> (text: String, language: String?)? {
            guard !codes.isEmpty else { return nil }
            let resolved = codes.map { label(vocabulary, $0, language) }
            return (resolved.map(\.text).joined(separator: "; "), resolved.lazy.compactMap(\.language).first)
        }
        fact("birthYear", record.birthYear.map { (String($0), nil) })
        fact("birthPlace", field(item, "birth_place", language))
        fact(
            "people", record.people.map { label("peoples", $0, language) },
            href: record.people.map { urls.href(SiteURLs.people(language, $0)) })
        fact("occupation", field(item, "occupation", language))
        fact("arrestDate", date(record.arrestDate))
        fact("charge", labels("charges", record.charges))
        fact("sentencingBody", record.sentencingBody.map { label("bodies", $0, language) })
        fact("sentenceDate", date(record.sentenceDate))
        fact("sentence", labels("sentences", record.sentences))
        fact("deathDate", date(record.deathDate))
        fact("deathPlace", field(item, "death_place", language))
        fact("rehabilitationDate", date(record.rehabilitationDate))
        fact("note", field(item, "note", language), always: false)

        var caseContext: [String: Any] = ["id": item.id, "name": name.text, "title": title, "facts": facts]
        if let nameLanguage = name.language {
            caseContext["nameLang"] = nameLanguage
            if narrative?.title == nil { caseContext["titleLang"] = nameLanguage }
        }
        if let lifespan = record.lifespan { caseContext["lifespan"] = lifespan }
        if let summary { caseContext["summary"] = summary }
        if !fallbackLanguages.isEmpty {
            caseContext["fallbackFields"] = true
            caseContext["fallbackLanguages"] = languageLinks(fallbackLanguages) { SiteURLs.caseFolder($0, item.id) }
        }
        var body: RenderedMarkdown?
        if let narrative {
            let text = readNarrative(narrative) ?? ""
            let rendered = MarkdownRenderer.renderBody(
                of: narrative, text: text, localFiles: item.files, mediaPrefix: urls.href("media/\(item.id)/"))
            caseContext["narrative"] = ["html": rendered.html, "lang": narrative.language]
            body = rendered
        } else if !item.narratives.isEmpty {
            caseContext["missingNarrative"] = [
                "languages": languageLinks(item.narratives.keys) { SiteURLs.caseFolder($0, item.id) }
            ]
        }
        let mediaPrefix = urls.href("media/\(item.id)/")
        let portraitSource =
            narrative?.portrait != nil
            ? narrative : site.languages.lazy.compactMap { item.narratives[$0] }.first { $0.portrait != nil }
        if let portrait = portraitSource?.portrait {
            caseContext["portrait"] = ["src": mediaPrefix + SiteURLs.component(portrait), "alt": name.text]
        }
        if let documentSource = narrative?.documents.isEmpty == false ? narrative : anyNarrative {
            caseContext["documents"] = documentSource.documents.map { document -> [String: Any] in
                var entry: [String: Any] = ["src": mediaPrefix + SiteURLs.component(document.file)]
                if let caption = document.caption {
                    entry["caption"] = caption
                    if documentSource.language != language { entry["captionLang"] = documentSource.language }
                }
                return entry
            }
        }
        if let sources = field(item, "sources", language)?.text {
            caseContext["sources"] = sources.split(separator: ";").map(\.trimmed)
                .filter { !$0.isEmpty }
                .map { source -> [String: Any] in
                    let isWeb = source.hasPrefix("https://") || source.hasPrefix("http://")
                    return isWeb ? ["text": source, "href": source] : ["text": source]
                }
        }
        if let archiveRef = field(item, "archive_ref", language)?.text { caseContext["archiveRef"] = archiveRef }

        var columns: [String: Any] = [:]
        for (column, value) in item.record.fields {
            if let resolved = value.resolved(in: language, fallback: site.languages) { columns[column] = resolved.text }
        }
        let description = summary ?? ([name.text, item.record.lifespan].compactMap { $0 }.joined(separator: ", "))
        var context = baseContext(language, job: job, title: title, description: description)
        context["case"] = caseContext
        context["record"] = columns
        context["breadcrumbs"] = [["label": string("home", language), "href": urls.href(SiteURLs.home(language))]]
        return (templates.render(context, template: "case"), body)
    }

    // MARK: - Indexes

    func renderPeoples(_ language: String, job: PageJob) -> String {
        let collator = NameCollator(language: language)
        let groups = site.peoples.map { code, members in (code, label("peoples", code, language), members.count) }
            .sorted { lhs, rhs in
                let order = collator.compare(lhs.1.text, rhs.1.text)
                return order == .orderedSame ? lhs.0 < rhs.0 : order == .orderedAscending
            }
            .map { code, label, count -> [String: Any] in
                var group: [String: Any] = [
                    "label": label.text, "href": urls.href(SiteURLs.people(language, code)), "count": count,
                ]
                if let labelLanguage = label.language { group["labelLang"] = labelLanguage }
                return group
            }
        let unassigned = site.cases.count - site.peoples.values.reduce(0) { $0 + $1.count }
        return renderGroups(
            language, job: job, heading: string("peoplesTitle", language),
            description: string("peoplesDescription", language),
            groups: groups, unassigned: unassigned)
    }

    func renderYears(_ language: String, job: PageJob) -> String {
        let groups = site.years.keys.sorted().map { year -> [String: Any] in
            [
                "label": String(year), "href": urls.href(SiteURLs.year(language, year)),
                "count": site.years[year]?.count ?? 0,
            ]
        }
        let unassigned = site.cases.count - site.years.values.reduce(0) { $0 + $1.count }
        return renderGroups(
            language, job: job, heading: string("yearsTitle", language),
            description: string("yearsDescription", language),
            groups: groups, unassigned: unassigned)
    }

    private func renderGroups(
        _ language: String, job: PageJob, heading: String, description: String, groups: [[String: Any]], unassigned: Int
    ) -> String {
        var context = baseContext(language, job: job, title: heading, description: description)
        context["heading"] = heading
        context["total"] = site.cases.count
        context["groups"] = groups
        if unassigned > 0 { context["unassigned"] = unassigned }
        context["breadcrumbs"] = [["label": string("home", language), "href": urls.href(SiteURLs.home(language))]]
        return templates.render(context, template: "groups")
    }

    func renderPeople(_ language: String, code: String, page: Int, job: PageJob) -> String {
        let heading = label("peoples", code, language)
        return renderGroup(
            language, job: job, heading: heading.text, headingLanguage: heading.language,
            members: site.orderedPeoples[language]?[code] ?? [],
            page: page, firstPage: SiteURLs.people(language, code),
            parent: (string("peoplesTitle", language), SiteURLs.peoples(language)))
    }

    func renderYear(_ language: String, year: Int, page: Int, job: PageJob) -> String {
        renderGroup(
            language, job: job, heading: String(year), headingLanguage: nil,
            members: site.orderedYears[language]?[year] ?? [],
            page: page,
            firstPage: SiteURLs.year(language, year), parent: (string("yearsTitle", language), SiteURLs.years(language))
        )
    }

    private func renderGroup(
        _ language: String, job: PageJob, heading: String, headingLanguage: String?, members: [Int], page: Int,
        firstPage: String, parent: (label: String, folder: String)
    ) -> String {
        let ordered = members
        let pages = Self.pageCount(ordered.count)
        let slice = Self.slice(ordered, page: page)
        var title = heading
        if page > 1 { title += " — " + string("pageN", language).replacingOccurrences(of: "{n}", with: String(page)) }
        var context = baseContext(language, job: job, title: title, description: nil)
        context["heading"] = heading
        if let headingLanguage { context["headingLang"] = headingLanguage }
        context["count"] = ordered.count
        context["cases"] = slice.map { entry(site.cases[$0], language) }
        context["parent"] = ["label": parent.label, "href": urls.href(parent.folder)]
        context["breadcrumbs"] = [
            ["label": string("home", language), "href": urls.href(SiteURLs.home(language))],
            ["label": parent.label, "href": urls.href(parent.folder)],
        ]
        if pages > 1 {
            var pagination: [String: Any] = [
                "pages": Self.pageWindow(current: page, count: pages).map { number -> [String: Any] in
                    guard let number else { return ["gap": true] }
                    return [
                        "number": number, "href": urls.href(SiteURLs.paginated(firstPage, number)),
                        "current": number == page,
                    ]
                }
            ]
            if page > 1 { pagination["previous"] = urls.href(SiteURLs.paginated(firstPage, page - 1)) }
            if page < pages { pagination["next"] = urls.href(SiteURLs.paginated(firstPage, page + 1)) }
            context["pagination"] = pagination
        }
        return templates.render(context, template: "group")
    }

    /// The page numbers to link from page `current` of `count`: the first, the last and two
    /// either side of the current one, with nil where numbers are left out. A people of 80,000
    /// cases has 800 pages; linking them all would make every page of it heavy.
    static func pageWindow(current: Int, count: Int) -> [Int?] {
        let shown = Set([1, count] + Array(max(1, current - 2)...min(count, current + 2)))
        var window: [Int?] = []
        for number in shown.sorted() {
            if let last = window.last ?? nil, number > last + 1 { window.append(nil) }
            window.append(number)
        }
        return window
    }

    // MARK: - Free pages

    func renderFreePage(_ language: String, slug: String, job: PageJob) -> String {
        let versions = site.pages[slug] ?? [:]
        let shown = versions[language] ?? site.languages.lazy.compactMap { versions[$0] }.first
        guard let shown else { return "" }
        var context = baseContext(language, job: job, title: shown.title, description: shown.summary)
        var page: [String: Any] = ["title": shown.title, "html": shown.html, "lang": shown.language]
        if shown.language != language {
            page["missing"] = ["languages": languageLinks(versions.keys) { SiteURLs.page($0, slug) }]
        }
        context["page"] = page
        context["breadcrumbs"] = [["label": string("home", language), "href": urls.href(SiteURLs.home(language))]]
        return templates.render(context, template: "page")
    }
}

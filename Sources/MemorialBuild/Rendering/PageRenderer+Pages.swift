import Foundation
import MemorialContent
import MemorialCore
import MemorialTemplates

extension PageRenderer {
    // MARK: - Language chooser and 404

    func renderChooser() -> [UInt8] {
        let language = site.config.defaultLanguage
        var context = baseContext(
            language, job: .chooser, title: site.languages.map(siteTitle).joined(separator: " · "), description: nil)
        context["alternates"] = .list(
            site.languages.map { other -> TemplateValue in
                [
                    "lang": .string(other), "name": .string(languageName(other)),
                    "url": .string(urls.absolute(SiteURLs.home(other))),
                    "href": .string(urls.href(SiteURLs.home(other))),
                    "current": false, "translation": true,
                ]
            })
        context["languages"] = .list(
            site.languages.map { other -> TemplateValue in
                [
                    "lang": .string(other), "name": .string(languageName(other)),
                    "href": .string(urls.href(SiteURLs.home(other))), "siteTitle": .string(siteTitle(other)),
                ]
            })
        return templates.render(context, template: "chooser")
    }

    func renderNotFound() -> [UInt8] {
        let language = site.config.defaultLanguage
        var context = baseContext(language, job: .notFound, title: string("notFoundTitle", language), description: nil)
        // Served at any missing address: it has no address of its own to call canonical.
        context["canonical"] = nil
        context["alternates"] = .list([])
        context["languages"] = .list(
            site.languages.map { other -> TemplateValue in
                [
                    "lang": .string(other), "name": .string(languageName(other)),
                    "href": .string(urls.href(SiteURLs.home(other))), "title": .string(string("notFoundTitle", other)),
                    "message": .string(string("notFoundMessage", other)), "homeLabel": .string(string("home", other)),
                ]
            })
        return templates.render(context, template: "notfound")
    }

    // MARK: - Home

    func renderHome(_ language: String, _ inputs: HomeInputs, job: PageJob) -> [UInt8] {
        let (counts, featured) = inputs.parts
        let ((cases, narrated), (peoples, years)) = (counts.parts.0.parts, counts.parts.1.parts)
        let intro = site.config.description.resolved(in: language, fallback: site.languages)
        var context = baseContext(language, job: job, title: siteTitle(language), description: intro?.text)
        if let intro {
            context["intro"] = .string(intro.text)
            if let introLanguage = intro.language { context["introLang"] = .string(introLanguage) }
        }
        context["stats"] = [
            "cases": .int(cases),
            "narrated": .int(narrated),
            "peoples": .int(peoples),
            "years": .int(years),
        ]
        func link(_ key: String, _ folder: String, _ description: String) -> TemplateValue {
            [
                "label": .string(string(key, language)), "href": .string(urls.href(folder)),
                "description": .string(string(description, language)),
            ]
        }
        var entries: [TemplateValue] = [
            link("peoplesTitle", SiteURLs.peoples(language), "peoplesDescription"),
            link("yearsTitle", SiteURLs.years(language), "yearsDescription"),
            link("namesTitle", SiteURLs.names(language), "namesDescription"),
        ]
        context["search"] = ["href": .string(urls.href(SiteURLs.search(language)))]
        var pages: [TemplateValue] = []
        for (slug, versions) in site.pages.sorted(by: { $0.key < $1.key }) {
            guard let page = inLanguage(versions, language) else { continue }
            var item: TemplateObject = [
                "title": .string(page.title), "label": .string(page.title),
                "href": .string(urls.href(SiteURLs.page(language, slug))),
            ]
            if let summary = page.summary { item["description"] = .string(summary) }
            pages.append(.object(item))
        }
        entries.append(contentsOf: pages)
        context["entries"] = .list(entries)
        context["pages"] = .list(pages)
        context["featured"] = .list(featured.positions.map { entry(featured[$0], language) })
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

    func renderCase(
        _ language: String, _ shown: ShownCase, job: PageJob
    ) -> ([UInt8], RenderedMarkdown?) {
        let item = shown.item
        let name = name(of: item, language)
        let narrative = shown.narrative
        let title = narrative?.title ?? name.text
        let summary = narrative?.summary

        var facts: [TemplateValue] = []
        facts.reserveCapacity(13)
        var fallbackLanguages = Set<String>()
        // The language's strings looked up once, not once per fact.
        let strings = self.strings(language)
        let unknown = TemplateValue.string(strings["unknown"] ?? "unknown")
        func fact(_ key: String, _ value: (text: String, language: String?)?, href: String? = nil, always: Bool = true)
        {
            let label = TemplateValue.string(strings[key] ?? key)
            guard let value else {
                if always {
                    facts.append(
                        .object(
                            TemplateObject(copying: [
                                .init(Keys.label, label), .init(Keys.value, unknown), .init(Keys.unknown, .bool(true)),
                            ])))
                }
                return
            }
            var entry = TemplateObject(copying: [.init(Keys.label, label), .init(Keys.value, .string(value.text))])
            if let valueLanguage = value.language {
                entry["valueLang"] = .string(valueLanguage)
                fallbackLanguages.insert(valueLanguage)
            }
            if let href { entry["href"] = .string(href) }
            facts.append(.object(entry))
        }
        func date(_ value: PartialDate?) -> (text: String, language: String?)? {
            value.map { (DateFormatting.format($0, language: language), nil) }
        }
        func labels(_ vocabulary: String, _ codes: [String]) -> (text: String, language: String?)? {
            guard !codes.isEmpty else { return nil }
            if codes.count == 1 { return label(vocabulary, codes[0], language) }
            let resolved = codes.map { label(vocabulary, $0, language) }
            return (resolved.map(\.text).joined(separator: "; "), resolved.lazy.compactMap(\.language).first)
        }
        // Resolved once for the facts and the JSON-LD.
        let person = PersonFacts(
            birthPlace: field(item, "birth_place", language),
            people: item.record.people.map { label("peoples", $0, language) },
            occupation: field(item, "occupation", language), deathPlace: field(item, "death_place", language))
        fact("birthYear", item.record.birthYear.map { (String($0), nil) })
        fact("birthPlace", person.birthPlace)
        fact("people", person.people, href: item.record.people.map { urls.href(SiteURLs.people(language, $0)) })
        fact("occupation", person.occupation)
        fact("arrestDate", date(item.record.arrestDate))
        fact("charge", labels("charges", item.record.charges))
        fact("sentencingBody", item.record.sentencingBody.map { label("bodies", $0, language) })
        fact("sentenceDate", date(item.record.sentenceDate))
        fact("sentence", labels("sentences", item.record.sentences))
        fact("deathDate", date(item.record.deathDate))
        fact("deathPlace", person.deathPlace)
        fact("rehabilitationDate", date(item.record.rehabilitationDate))
        fact("note", field(item, "note", language), always: false)

        var caseContext: TemplateObject = [
            "id": .string(item.id), "name": .string(name.text), "title": .string(title), "facts": .list(facts),
        ]
        if let nameLanguage = name.language {
            caseContext["nameLang"] = .string(nameLanguage)
            if narrative?.title == nil { caseContext["titleLang"] = .string(nameLanguage) }
        }
        if let lifespan = item.record.lifespan { caseContext["lifespan"] = .string(lifespan) }
        if let summary { caseContext["summary"] = .string(summary) }
        if !fallbackLanguages.isEmpty {
            caseContext["fallbackFields"] = true
            caseContext["fallbackLanguages"] = languageLinks(fallbackLanguages) { SiteURLs.caseFolder($0, item.id) }
        }
        let mediaPrefix = urls.href("media/\(item.id)/")
        var body: RenderedMarkdown?
        var narrativeSources: String?
        if let narrative {
            let text = readNarrative(narrative) ?? ""
            // Its `##` one level below the page's "Life and fate" heading.
            let rendered = MarkdownRenderer.renderBody(
                of: narrative, text: text, localFiles: item.files, withheldFiles: item.withheldFiles,
                mediaPrefix: mediaPrefix,
                withLinks: false, headingOffset: 1)
            var html = linkingDocuments(
                MarkdownRenderer.labellingBackReferences(
                    rendered.html, escapedLabel: HTMLEscaping.escape(string("backToContent", language))),
                of: item, language: language)
            narrativeSources = Self.sourcesPart(of: &html, heading: string("sources", language))
            caseContext["narrative"] = ["html": .string(html), "lang": .string(narrative.language)]
            body = rendered
        } else if !item.narratives.isEmpty {
            caseContext["missingNarrative"] = [
                "languages": languageLinks(item.narratives.keys) { SiteURLs.caseFolder($0, item.id) }
            ]
        }
        let (portrait, documents) = documentsContext(item, language: language, name: name.text)
        caseContext["portrait"] = portrait
        caseContext["documents"] = documents
        // One "Sources" section: the narrative's own, then the record's sources it does not link.
        var sourceItems: [TemplateValue] = []
        if let sources = field(item, "sources", language)?.text {
            for source in sources.split(separator: ";").map(\.trimmed) where !source.isEmpty {
                let isWeb = source.hasPrefix("https://") || source.hasPrefix("http://")
                if isWeb, narrativeSources?.utf8Offset(of: "href=\"\(HTMLEscaping.escape(source))\"") != nil {
                    continue
                }
                sourceItems.append(
                    isWeb ? ["text": .string(source), "href": .string(source)] : ["text": .string(source)])
            }
        }
        if !sourceItems.isEmpty { caseContext["sources"] = .list(sourceItems) }
        if let narrativeSources {
            caseContext["narrativeSources"] = ["html": .string(narrativeSources), "lang": .string(language)]
        }
        if narrativeSources != nil || !sourceItems.isEmpty { caseContext["sourcesSection"] = true }
        let archiveRef = field(item, "archive_ref", language)?.text
        if let archiveRef { caseContext["archiveRef"] = .string(archiveRef) }

        let description = summary ?? ([name.text, item.record.lifespan].compactMap { $0 }.joined(separator: ", "))
        var context = baseContext(language, job: job, title: title, description: description)
        addCitation(
            citation(
                of: item, language, title: title, name: name.text, archiveRef: archiveRef,
                url: urls.absolute(SiteURLs.caseFolder(language, item.id))),
            of: item, person, summary: summary,
            portrait: item.documents.firstIndex(where: \.portrait).flatMap { index in
                images?.derivatives(of: item.id, index)?.pages.isEmpty == false
                    ? SiteURLs.documentMedia(item.id, index) + "1-large.jpg" : nil
            },
            to: &caseContext, page: &context)
        context["case"] = .object(caseContext)
        if templates.mentionsRecord {
            var columns: TemplateObject = [:]
            for column in item.record.fields.bases {
                if let resolved = field(item, column, language) { columns[column] = .string(resolved.text) }
            }
            context["record"] = .object(columns)
        }
        context["breadcrumbs"] = [homeCrumb(language)]
        return (templates.render(context, template: "case"), body)
    }

    /// Takes out of a narrative's HTML its section under a heading that reads `heading` (the
    /// page's "Sources"), up to the next heading as high or its footnotes, and returns the
    /// section's content; nil, leaving `html` as it is, when there is none.
    static func sourcesPart(of html: inout String, heading: String) -> String? {
        let opening = "<h3>\(HTMLEscaping.escape(heading))</h3>\n"
        guard let start = html.utf8Offset(of: opening) else { return nil }
        let from = start + opening.utf8.count
        let end =
            ["<h3", "<h2", "<section class=\"footnotes\""].compactMap { html.utf8Offset(of: $0, from: from) }.min()
            ?? html.utf8.count
        let bytes = Array(html.utf8)
        let part = String(decoding: bytes[from..<end], as: UTF8.self)
        html = String(decoding: bytes[..<start] + bytes[end...], as: UTF8.self)
        return part
    }

    /// The first breadcrumb of every page below a language's home page.
    func homeCrumb(_ language: String) -> TemplateValue {
        shared.homeCrumbs[language] ?? makeHomeCrumb(language)
    }

    /// `homeCrumb` made anew (`makeSharedContext` makes it once per language).
    func makeHomeCrumb(_ language: String) -> TemplateValue {
        ["label": .string(string("home", language)), "href": .string(urls.href(SiteURLs.home(language)))]
    }

    // MARK: - Indexes

    func renderPeoples(_ language: String, _ inputs: GroupsInputs<String>, job: PageJob) -> [UInt8] {
        let ((peoples, total), (totalShot, unassigned)) = (inputs.parts.0.parts, inputs.parts.1.parts)
        // In the order of the peoples' labels in the language (made from the vocabulary).
        let ranks = site.peopleRanks[language] ?? [:]
        let groups = peoples.sorted { (ranks[$0.key] ?? 0) < (ranks[$1.key] ?? 0) }
            .map { group in
                let label = label("peoples", group.key, language)
                return (
                    BarChart.Bar(
                        label: label.text, labelLanguage: label.language, convicted: group.count, shot: group.shot),
                    urls.href(SiteURLs.people(language, group.key))
                )
            }
        return renderGroups(
            language, job: job, heading: string("peoplesTitle", language),
            description: string("peoplesDescription", language), labelHeading: string("people", language),
            chartTitle: string("chartPerPeople", language), groups: groups, total: total, totalShot: totalShot,
            unassigned: unassigned, vertical: false)
    }

    func renderYears(_ language: String, _ inputs: GroupsInputs<Int>, job: PageJob) -> [UInt8] {
        let ((years, total), (totalShot, unassigned)) = (inputs.parts.0.parts, inputs.parts.1.parts)
        let groups = years.map { group in
            (
                BarChart.Bar(label: String(group.key), labelLanguage: nil, convicted: group.count, shot: group.shot),
                urls.href(SiteURLs.year(language, group.key))
            )
        }
        return renderGroups(
            language, job: job, heading: string("yearsTitle", language),
            description: string("yearsDescription", language), labelHeading: string("year", language),
            chartTitle: string("chartPerYear", language), groups: groups, total: total, totalShot: totalShot,
            unassigned: unassigned, vertical: true)
    }

    private func renderGroups(
        _ language: String, job: PageJob, heading: String, description: String, labelHeading: String,
        chartTitle: String, groups: [(bar: BarChart.Bar, href: String)], total: Int, totalShot: Int,
        unassigned: GroupCount<Int>,
        vertical: Bool
    ) -> [UInt8] {
        var context = baseContext(language, job: job, title: heading, description: description)
        context["heading"] = .string(heading)
        context["labelHeading"] = .string(labelHeading)
        context["total"] = .int(total)
        context["totalShot"] = .int(totalShot)
        context["groups"] = .list(
            groups.map { bar, href -> TemplateValue in
                var group: TemplateObject = [
                    "label": .string(bar.label), "href": .string(href), "count": .int(bar.convicted),
                    "shot": .int(bar.shot),
                ]
                if let labelLanguage = bar.labelLanguage { group["labelLang"] = .string(labelLanguage) }
                return .object(group)
            })
        if unassigned.count > 0 {
            context["unassigned"] = ["count": .int(unassigned.count), "shot": .int(unassigned.shot)]
        }
        // The statistics chart of a people or year index, as inline SVG.
        let chart = BarChart(
            title: chartTitle, convictedLabel: string("convicted", language), shotLabel: string("shot", language),
            bars: groups.map(\.bar),
            orientation: vertical ? .vertical : .horizontal
        ).svg(id: vertical ? "years-chart" : "peoples-chart")
        if !chart.isEmpty { context["chart"] = ["svg": .string(chart), "title": .string(chartTitle)] }
        context["breadcrumbs"] = [homeCrumb(language)]
        return templates.render(context, template: "groups")
    }

    func renderPeople(_ language: String, code: String, page: Int, _ inputs: FacetedInputs, job: PageJob) -> [UInt8] {
        let (listed, facets) = inputs.parts
        let heading = label("peoples", code, language)
        let unknownYear = string("yearUnknown", language)
        return renderGroup(
            language, job: job, heading: heading.text, headingLanguage: heading.language,
            listed: listed, page: page, firstPage: SiteURLs.people(language, code),
            parent: (string("peoplesTitle", language), SiteURLs.peoples(language)),
            facets: facets.map { (string("byYear", language), $0) }
        ) { run in (run.year.map(String.init) ?? unknownYear, nil) }
    }

    func renderYear(_ language: String, year: Int, page: Int, _ inputs: FacetedInputs, job: PageJob) -> [UInt8] {
        let (listed, facets) = inputs.parts
        let unassigned = string("unassigned", language)
        return renderGroup(
            language, job: job, heading: String(year), headingLanguage: nil,
            listed: listed, page: page, firstPage: SiteURLs.year(language, year),
            parent: (string("yearsTitle", language), SiteURLs.years(language)),
            facets: facets.map { (string("byPeople", language), $0) }
        ) { run in run.people.map { label("peoples", $0, language) } ?? (unassigned, nil) }
    }

    func renderNameLetter(
        _ language: String, page: Int, _ inputs: PageInputs2<NameLetter, ListedCases>, job: PageJob
    ) -> [UInt8] {
        let (entry, listed) = inputs.parts
        return renderGroup(
            language, job: job, heading: letterLabel(entry, language),
            headingLanguage: nil, listed: listed, page: page,
            firstPage: SiteURLs.nameLetter(language, entry.slug),
            parent: (string("namesTitle", language), SiteURLs.names(language)), facets: nil
        ) { _ in ("", nil) }
    }

    /// A list of cases, paginated. With facets (a people's years, a year's peoples), the page
    /// links every facet where it starts and heads each facet's part of the list.
    private func renderGroup(
        _ language: String, job: PageJob, heading: String, headingLanguage: String?, listed: ListedCases, page: Int,
        firstPage: String, parent: (label: String, folder: String), facets: (label: String, runs: [FacetRun])?,
        facetLabel: (FacetRun) -> (text: String, language: String?)
    ) -> [UInt8] {
        let pages = Self.pageCount(listed.total)
        let slice = listed.positions
        var title = heading
        if page > 1 { title += " — " + string("pageN", language).replacingOccurrences(of: "{n}", with: String(page)) }
        var context = baseContext(language, job: job, title: title, description: nil)
        context["heading"] = .string(heading)
        if let headingLanguage { context["headingLang"] = .string(headingLanguage) }
        context["count"] = .int(listed.total)
        if let facets {
            if facets.runs.count > 1 {
                context["facets"] = [
                    "label": .string(facets.label),
                    "items": .list(
                        facets.runs.map { run -> TemplateValue in
                            let label = facetLabel(run)
                            let target = SiteURLs.paginated(firstPage, run.start / Self.pageSize + 1)
                            var item: TemplateObject = [
                                "label": .string(label.text), "count": .int(run.count),
                                "href": .string(urls.href(target) + "#" + run.id),
                            ]
                            if let labelLanguage = label.language { item["facetLang"] = .string(labelLanguage) }
                            return .object(item)
                        }),
                ]
            }
            let range = slice.startIndex..<slice.endIndex
            context["sections"] = .list(
                facets.runs.filter {
                    $0.start < range.upperBound && $0.start + $0.count > range.lowerBound
                }
                .map { run -> TemplateValue in
                    let label = facetLabel(run)
                    let part = max(run.start, range.lowerBound)..<min(run.start + run.count, range.upperBound)
                    var section: TemplateObject = [
                        "id": .string(run.id), "sectionHeading": .string(label.text),
                        "cases": .list(slice[part].map { entry(listed[$0], language) }),
                    ]
                    if let labelLanguage = label.language { section["sectionLang"] = .string(labelLanguage) }
                    return .object(section)
                })
        } else {
            context["sections"] = [["cases": .list(slice.map { entry(listed[$0], language) })]]
        }
        let parentLink: TemplateValue = ["label": .string(parent.label), "href": .string(urls.href(parent.folder))]
        context["parent"] = parentLink
        context["breadcrumbs"] = [homeCrumb(language), parentLink]
        if pages > 1 {
            var pagination: TemplateObject = [
                "pages": .list(
                    Self.pageWindow(current: page, count: pages).map { number -> TemplateValue in
                        guard let number else { return ["gap": true] }
                        return [
                            "number": .int(number), "href": .string(urls.href(SiteURLs.paginated(firstPage, number))),
                            "current": .bool(number == page),
                        ]
                    })
            ]
            if page > 1 { pagination["previous"] = .string(urls.href(SiteURLs.paginated(firstPage, page - 1))) }
            if page < pages { pagination["next"] = .string(urls.href(SiteURLs.paginated(firstPage, page + 1))) }
            context["pagination"] = .object(pagination)
        }
        return templates.render(context, template: "group")
    }

    // MARK: - Names index

    /// A letter as shown: the capital letter, or "Other scripts".
    func letterLabel(_ entry: NameLetter, _ language: String) -> String {
        entry.letter.map { $0.uppercased() } ?? string("otherScripts", language)
    }

    func renderNames(_ language: String, _ inputs: PageInputs2<Int, [NameLetter]>, job: PageJob) -> [UInt8] {
        let (total, letters) = inputs.parts
        let heading = string("namesTitle", language)
        var context = baseContext(language, job: job, title: heading, description: string("namesDescription", language))
        context["heading"] = .string(heading)
        context["description"] = .string(string("namesDescription", language))
        context["letters"] = .list(
            letters.map { entry -> TemplateValue in
                var item: TemplateObject = [
                    "label": .string(letterLabel(entry, language)), "count": .int(entry.members.count),
                ]
                if !entry.members.isEmpty {
                    item["href"] = .string(urls.href(SiteURLs.nameLetter(language, entry.slug)))
                }
                if entry.letter == nil { item["other"] = true }
                return .object(item)
            })
        context["total"] = .int(total)
        context["searchHref"] = .string(urls.href(SiteURLs.search(language)))
        context["breadcrumbs"] = [homeCrumb(language)]
        return templates.render(context, template: "names")
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

    func renderFreePage(_ language: String, slug: String, job: PageJob) -> [UInt8] {
        let versions = site.pages[slug] ?? [:]
        guard let shown = inLanguage(versions, language) else { return [] }
        var context = baseContext(language, job: job, title: shown.title, description: shown.summary)
        var page: TemplateObject = [
            "title": .string(shown.title),
            "html": .string(
                MarkdownRenderer.labellingBackReferences(
                    shown.html, escapedLabel: HTMLEscaping.escape(string("backToContent", shown.language)))),
            "lang": .string(shown.language),
        ]
        if shown.language != language {
            page["missing"] = ["languages": languageLinks(versions.keys) { SiteURLs.page($0, slug) }]
        }
        context["page"] = .object(page)
        context["breadcrumbs"] = [homeCrumb(language)]
        return templates.render(context, template: "page")
    }
}

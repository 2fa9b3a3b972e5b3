import Foundation
import MemorialContent
import MemorialCore
import MemorialTemplates

/// One file of the output: where it goes and what it holds.
public struct OutputFile: Sendable {
    public var path: String
    public var bytes: [UInt8]
}

/// A rendered page, with what rendering its narrative found: warnings, and the files of the
/// case folder its text links to (to be published beside it).
struct RenderedPage: Sendable {
    var file: OutputFile
    var diagnostics: [Diagnostic]
    var linkedFiles: [String]
}

/// A page to render, small enough to list all of them up front and render them in any order.
enum PageJob: Sendable {
    case chooser
    case notFound
    case home(language: String)
    case caseEntry(language: String, index: Int)
    case peoples(language: String)
    case people(language: String, code: String, page: Int)
    case years(language: String)
    case year(language: String, year: Int, page: Int)
    case names(language: String)
    /// `letter` is a position in `Site.letters[language]`.
    case nameLetter(language: String, letter: Int, page: Int)
    case search(language: String)
    case freePage(language: String, slug: String)
    /// `document` is a position in the case's `documents`.
    case document(language: String, index: Int, document: Int)
    /// The open dataset's page: its files, licence and columns.
    case data(language: String)
}

/// Builds each page's template context from the resolved `Site` and renders it. Never touches
/// the file system: it hands back `OutputFile`s.
struct PageRenderer: Sendable {
    static let pageSize = 100

    let site: Site
    private(set) var templates: TemplateLibrary
    let urls: SiteURLs
    /// Reads a narrative's file (the file system comes in from outside, so tests and the
    /// renderer itself never depend on where content lives).
    let readNarrative: @Sendable (Narrative) -> String?
    /// Per language, the search page's configuration (see `SearchIndex`); empty when the
    /// search pages need not be rendered.
    var searchConfigs: [String: String] = [:]
    /// `SearchIndex.inputFingerprint`: what the search pages and files are made from.
    var searchInput = Fingerprint()
    /// What all pages of a language share (see `makeSharedContext`).
    private(set) var shared: SharedContext
    /// What the inputs of many pages share (`source(of:)`), worked out once.
    let common: CommonInputs
    /// The documents' images, once made (`DocumentImages.make`).
    var images: DocumentImages?

    init(site: Site, templates: TemplateLibrary, readNarrative: @escaping @Sendable (Narrative) -> String?) {
        self.site = site
        self.templates = templates
        self.urls = SiteURLs(config: site.config)
        self.readNarrative = readNarrative
        self.common = Self.commonInputs(of: site)
        self.shared = SharedContext()
        self.shared = makeSharedContext()
    }

    /// The same renderer with templates and shared context of its own, for one rendering thread
    /// (see `PrivateCopies.swift`).
    func privateCopy() -> PageRenderer {
        var copy = self
        copy.templates.compiled = templates.compiled.privateCopy()
        copy.shared = SharedContext(
            base: shared.base.mapValues { $0.privateCopy() },
            navigation: shared.navigation.mapValues { $0.privateCopy() },
            languageNames: shared.languageNames.mapValues { $0.privateCopy() },
            homeCrumbs: shared.homeCrumbs.mapValues { $0.privateCopy() },
            citing: shared.citing.mapValues { $0.privateCopy() },
            labels: shared.labels.map { vocabularies in
                vocabularies.mapValues { labels in labels.mapValues { ($0.text.privateCopy, $0.language) } }
            })
        return copy
    }

    static func pageCount(_ items: Int) -> Int { max(1, (items + pageSize - 1) / pageSize) }

    /// Every page of the site, in a fixed order.
    func jobs() -> [PageJob] {
        var jobs: [PageJob] = [.chooser, .notFound]
        for language in site.languages {
            jobs.append(.home(language: language))
            jobs.append(contentsOf: site.cases.indices.map { .caseEntry(language: language, index: $0) })
            appendDocumentJobs(to: &jobs, language: language)
            jobs.append(.peoples(language: language))
            // A job for each page of a list of `count` cases.
            func pages(_ count: Int, _ job: (Int) -> PageJob) { jobs += (1...Self.pageCount(count)).map(job) }
            for (code, members) in site.peoples.sorted(by: { $0.key < $1.key }) {
                pages(members.count) { .people(language: language, code: code, page: $0) }
            }
            jobs.append(.years(language: language))
            for (year, members) in site.years.sorted(by: { $0.key < $1.key }) {
                pages(members.count) { .year(language: language, year: year, page: $0) }
            }
            jobs.append(.names(language: language))
            for (letter, entry) in (site.letters[language] ?? []).enumerated() where !entry.members.isEmpty {
                pages(entry.members.count) { .nameLetter(language: language, letter: letter, page: $0) }
            }
            jobs.append(.search(language: language))
            jobs.append(.data(language: language))
            jobs.append(contentsOf: site.pages.keys.sorted().map { .freePage(language: language, slug: $0) })
        }
        return jobs
    }

    /// The page folder of a job, in a given language (for alternates) or its own.
    func folder(of job: PageJob, in language: String? = nil) -> String {
        switch job {
        case .chooser: ""
        case .notFound: "404"
        case .home(let own): SiteURLs.home(language ?? own)
        case .caseEntry(let own, let index): SiteURLs.caseFolder(language ?? own, site.cases[index].id)
        case .peoples(let own): SiteURLs.peoples(language ?? own)
        case .people(let own, let code, let page): SiteURLs.paginated(SiteURLs.people(language ?? own, code), page)
        case .years(let own): SiteURLs.years(language ?? own)
        case .year(let own, let year, let page): SiteURLs.paginated(SiteURLs.year(language ?? own, year), page)
        case .names(let own): SiteURLs.names(language ?? own)
        case .nameLetter(let own, let letter, let page):
            // Each language has its own alphabet: elsewhere, the page's counterpart is the index.
            if let language, language != own {
                SiteURLs.names(language)
            } else {
                SiteURLs.paginated(SiteURLs.nameLetter(own, letterEntry(own, letter).slug), page)
            }
        case .search(let own): SiteURLs.search(language ?? own)
        case .freePage(let own, let slug): SiteURLs.page(language ?? own, slug)
        case .document(let own, let index, let document):
            SiteURLs.document(language ?? own, site.cases[index].id, document)
        case .data(let own): SiteURLs.data(language ?? own)
        }
    }

    /// Whether `folder(of: job, in: language)` is this page in that language (an hreflang
    /// alternate): always, but for a letter of the names index, which is in one alphabet only.
    func isTranslation(_ job: PageJob, in language: String) -> Bool {
        if case .nameLetter(let own, _, _) = job { language == own } else { true }
    }

    func letterEntry(_ language: String, _ letter: Int) -> NameLetter {
        site.letters[language]?[letter] ?? NameLetter(letter: nil, members: [])
    }

    func outputPath(of job: PageJob) -> String {
        if case .notFound = job { "404.html" } else { SiteURLs.file(folder(of: job)) }
    }

    /// The narrative a case page shows, if any.
    func narrative(of job: PageJob) -> Narrative? {
        guard case .caseEntry(let language, let index) = job else { return nil }
        return site.cases[index].narratives[language]
    }

    /// Builds the page from its inputs (`source(of:)`) and renders it.
    func render(_ job: PageJob) -> RenderedPage { render(job, from: source(of: job)) }

    /// Builds the page from the given inputs: its cases and counts come from them alone.
    func render(_ job: PageJob, from source: PageSource) -> RenderedPage {
        let html: [UInt8]
        var body: RenderedMarkdown?
        switch source {
        case .chooser: html = renderChooser()
        case .notFound: html = renderNotFound()
        case .home(let language, let inputs): html = renderHome(language, inputs, job: job)
        case .caseEntry(let language, let inputs): (html, body) = renderCase(language, inputs, job: job)
        case .peoples(let language, let inputs): html = renderPeoples(language, inputs, job: job)
        case .people(let language, let code, let page, let inputs):
            html = renderPeople(language, code: code, page: page, inputs, job: job)
        case .years(let language, let inputs): html = renderYears(language, inputs, job: job)
        case .year(let language, let year, let page, let inputs):
            html = renderYear(language, year: year, page: page, inputs, job: job)
        case .names(let language, let inputs): html = renderNames(language, inputs, job: job)
        case .nameLetter(let language, let page, let inputs):
            html = renderNameLetter(language, page: page, inputs, job: job)
        case .search(let language, let inputs): html = renderSearch(language, inputs, job: job)
        case .freePage(let language, let slug): html = renderFreePage(language, slug: slug, job: job)
        case .document(let language, let document, let inputs):
            html = renderDocument(language, document: document, inputs, job: job)
        case .data(let language): html = renderData(language, job: job)
        }
        return RenderedPage(
            file: OutputFile(path: outputPath(of: job), bytes: html), diagnostics: body?.diagnostics ?? [],
            linkedFiles: body?.localFiles ?? [])
    }

    // MARK: - Shared context

    func strings(_ language: String) -> [String: String] { site.strings[language] ?? [:] }

    func string(_ key: String, _ language: String) -> String { strings(language)[key] ?? key }

    func languageName(_ language: String) -> String {
        site.strings[language]?["languageName"] ?? language
    }

    /// What every page gets (see docs/TEMPLATES.md).
    func baseContext(_ language: String, job: PageJob, title: String, description: String?) -> TemplateObject {
        var context = shared.base[language] ?? [:]
        context["title"] = .string(title)
        // The page in its own language is its canonical address (`folder(of: job)`).
        var canonical: String?
        context["alternates"] = .list(
            site.languages.map { other -> TemplateValue in
                let otherFolder = self.folder(of: job, in: other)
                let url = urls.absolute(otherFolder)
                if other == language { canonical = url }
                return .object(
                    TemplateObject(copying: [
                        .init(Keys.lang, .string(other)),
                        .init(Keys.name, shared.languageNames[other] ?? .string(other)),
                        .init(Keys.url, .string(url)),
                        .init(Keys.href, .string(urls.href(otherFolder))),
                        .init(Keys.current, .bool(other == language)),
                        .init(Keys.translation, .bool(isTranslation(job, in: other))),
                    ]))
            })
        context["canonical"] = .string(canonical ?? urls.absolute(folder(of: job)))
        context["nav"] = shared.navigation[language]?[section(of: job)] ?? .list([])
        if let description, !description.isEmpty { context["description"] = .string(description) }
        return context
    }

    func siteTitle(_ language: String) -> String {
        site.config.title.resolved(in: language, fallback: site.languages)?.text ?? ""
    }

    /// The menu entry a page belongs to.
    private func section(of job: PageJob) -> String {
        switch job {
        case .home: "home"
        case .peoples, .people: "peoples"
        case .years, .year: "years"
        case .names, .nameLetter: "names"
        case .search: "search"
        case .freePage(_, let slug): slug
        default: ""
        }
    }

    /// The parts of a page's context that depend only on its language (and, for the menu, on its
    /// section), made once per build instead of once per page.
    struct SharedContext: Sendable {
        /// Language → the context every page in it starts from.
        var base: [String: TemplateObject] = [:]
        /// Language → section → the menu.
        var navigation: [String: TemplateObject] = [:]
        /// Language → its name in itself (`languageName`).
        var languageNames: [String: TemplateValue] = [:]
        /// Language → `homeCrumb`.
        var homeCrumbs: [String: TemplateValue] = [:]
        /// Language → what its citations share.
        var citing: [String: CitingLanguage] = [:]
        /// Per language, in the site's order: vocabulary → code → the label `label(_:_:_:)`
        /// gives. Lists label every case's people, case pages half a dozen codes: resolving
        /// each anew was three hashed lookups and the fallback's rules every time.
        var labels: [[String: [String: (text: String, language: String?)]]] = []
    }

    /// Names of context fields that every page sets, on its alternates, facts or list
    /// entries, hashed once.
    enum Keys {
        static let lang = TemplateKey("lang")
        static let name = TemplateKey("name")
        static let url = TemplateKey("url")
        static let href = TemplateKey("href")
        static let current = TemplateKey("current")
        static let translation = TemplateKey("translation")
        static let label = TemplateKey("label")
        static let value = TemplateKey("value")
        static let unknown = TemplateKey("unknown")
        static let nameLang = TemplateKey("nameLang")
        static let lifespan = TemplateKey("lifespan")
        static let summary = TemplateKey("summary")
        static let people = TemplateKey("people")
    }

    func makeSharedContext() -> SharedContext {
        var shared = SharedContext()
        let sections = ["", "home", "peoples", "years", "names", "search"] + site.pages.keys.sorted()
        shared.labels = site.languages.map { language in
            site.vocabularies.mapValues { vocabulary in
                vocabulary.labels.compactMapValues { $0.resolved(in: language, fallback: site.languages) }
            }
        }
        for language in site.languages {
            var context: TemplateObject = [
                "lang": .string(language),
                "siteTitle": .string(siteTitle(language)),
                "root": .string(urls.root),
                "homeURL": .string(urls.href(SiteURLs.home(language))),
                "stylesheet": .string(urls.href("assets/style.css") + "?v=" + templates.stylesheetVersion),
                "t": .object(TemplateObject(strings(language).mapValues { TemplateValue.string($0) })),
                "xDefault": .string(urls.absolute("")),
            ]
            if let notice = site.config.notice.resolved(in: language, fallback: site.languages) {
                context["notice"] = .string(notice.text)
                if let noticeLanguage = notice.language { context["noticeLang"] = .string(noticeLanguage) }
            }
            if let about = site.pages["about"] ?? site.pages["sources"], let page = inLanguage(about, language) {
                context["sourcesPage"] = [
                    "title": .string(page.title), "href": .string(urls.href(SiteURLs.page(language, page.slug))),
                ]
            }
            addReuseLinks(to: &context, language)
            shared.base[language] = context
            shared.languageNames[language] = .string(languageName(language))
            shared.homeCrumbs[language] = makeHomeCrumb(language)
            shared.citing[language] = makeCiting(language)
            var menus: TemplateObject = [:]
            for section in sections { menus[section] = .list(navigation(language, section: section)) }
            shared.navigation[language] = menus
        }
        return shared
    }

    private func navigation(_ language: String, section: String) -> [TemplateValue] {
        func item(_ label: String, _ folder: String, _ name: String) -> TemplateValue {
            ["label": .string(label), "href": .string(urls.href(folder)), "current": .bool(section == name)]
        }
        var items: [TemplateValue] = [
            item(string("home", language), SiteURLs.home(language), "home"),
            item(string("peoples", language), SiteURLs.peoples(language), "peoples"),
            item(string("years", language), SiteURLs.years(language), "years"),
            item(string("names", language), SiteURLs.names(language), "names"),
            item(string("search", language), SiteURLs.search(language), "search"),
        ]
        for (slug, versions) in site.pages.sorted(by: { $0.key < $1.key }) {
            guard let page = inLanguage(versions, language) else { continue }
            items.append(item(page.title, SiteURLs.page(language, slug), slug))
        }
        return items
    }

    /// The version in `language`, else the first in the site's order of languages.
    func inLanguage<Version>(_ versions: [String: Version], _ language: String) -> Version? {
        versions[language] ?? site.languages.lazy.compactMap { versions[$0] }.first
    }

    /// `{name, href, lang}` for each language in `languages`, in site order.
    func languageLinks(_ languages: some Collection<String>, folder: (String) -> String) -> TemplateValue {
        .list(
            site.languages.filter { languages.contains($0) }.map {
                ["name": .string(languageName($0)), "href": .string(urls.href(folder($0))), "lang": .string($0)]
            })
    }

    // MARK: - Values in a language

    func name(of item: Case, _ language: String) -> (text: String, language: String?) {
        item.record.fields.resolved("name", in: language, fallback: site.languages) ?? (item.id, nil)
    }

    /// A vocabulary's label of a code in a language (with the language it is in when another),
    /// else the code.
    func label(_ vocabulary: String, _ code: String, _ language: String) -> (text: String, language: String?) {
        if let position = site.languages.firstIndex(of: language), position < shared.labels.count {
            return shared.labels[position][vocabulary]?[code] ?? (code, nil)
        }
        return site.vocabularies[vocabulary]?.labels[code]?.resolved(in: language, fallback: site.languages)
            ?? (code, nil)
    }

    func field(_ item: Case, _ name: String, _ language: String) -> (text: String, language: String?)? {
        item.record.fields.resolved(name, in: language, fallback: site.languages)
    }

    /// A case as an entry of a list.
    /// (Lists of a language show each case three times: made from keys hashed once.)
    func entry(_ item: Case, _ language: String) -> TemplateValue {
        let name = name(of: item, language)
        var fields: [TemplateObject.Entry] = []
        fields.reserveCapacity(6)
        fields.append(.init(Keys.name, .string(name.text)))
        fields.append(.init(Keys.href, .string(urls.href(SiteURLs.caseFolder(language, item.id)))))
        if let nameLanguage = name.language { fields.append(.init(Keys.nameLang, .string(nameLanguage))) }
        if let lifespan = item.record.lifespan { fields.append(.init(Keys.lifespan, .string(lifespan))) }
        if let summary = item.narratives[language]?.summary { fields.append(.init(Keys.summary, .string(summary))) }
        if let people = item.record.people {
            fields.append(.init(Keys.people, .string(label("peoples", people, language).text)))
        }
        return .object(TemplateObject(copying: fields))
    }
}

/// A context field's name with its `TemplateObject.hash`, made once.
struct TemplateKey: Sendable {
    let name: String
    let hash: Int

    init(_ name: String) {
        self.name = name
        hash = TemplateObject.hash(name)
    }
}

extension TemplateObject.Entry {
    /// A field whose name was hashed once: an object made with `TemplateObject(copying:)` of
    /// such fields, all named differently, neither hashes each name nor searches the fields
    /// before it (as setting them one by one does).
    init(_ key: TemplateKey, _ value: TemplateValue) { self.init(hash: key.hash, key: key.name, value: value) }
}

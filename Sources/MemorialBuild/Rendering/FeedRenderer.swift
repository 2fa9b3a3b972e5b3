import MemorialContent
import MemorialCore
import MemorialTemplates

/// `<lang>/feed.xml`: an Atom feed (RFC 4287) of the cases and free pages added or changed
/// most recently, each dated from its content (`Case.lastChange`, a page's `updated`), never
/// from the clock, so the same content gives the same bytes. Undated cases and pages are not in
/// it: nothing says when they changed.
struct FeedRenderer {
    static let entryLimit = 100

    static func path(_ language: String) -> String { "\(language)/feed.xml" }

    let renderer: PageRenderer
    /// The most recent dated cases, latest first (the same in every language).
    private let cases: [(date: PartialDate, index: Int)]

    init(renderer: PageRenderer) {
        self.renderer = renderer
        cases = Self.latest(
            renderer.site.cases.enumerated().lazy.compactMap { index, item in
                item.lastChange.map { ($0, index) }
            })
    }

    /// The `entryLimit` latest, by date and then by position (ids sort the cases).
    private static func latest(_ dated: some Sequence<(PartialDate, Int)>) -> [(date: PartialDate, index: Int)] {
        var kept: [(date: PartialDate, index: Int)] = []
        for (date, index) in dated {
            if kept.count == entryLimit, let last = kept.last, !(last.date < date) { continue }
            let position = kept.firstIndex { $0.date < date } ?? kept.endIndex
            kept.insert((date, index), at: position)
            if kept.count > entryLimit { kept.removeLast() }
        }
        return kept
    }

    /// The feeds' input beyond the site-wide one: every case's date.
    static func inputFingerprint(_ site: Site) -> Fingerprint {
        var fingerprint = Fingerprint()
        fingerprint.combine("feeds")
        for item in site.cases { fingerprint.combine(item.lastChange?.description ?? "") }
        return fingerprint
    }

    private struct Entry {
        var date: PartialDate
        var title: String
        var titleLanguage: String?
        var folder: String
        var summary: String?
    }

    func render(_ language: String) -> OutputFile {
        let site = renderer.site
        let urls = renderer.urls
        var entries: [Entry] = cases.map { date, index in
            let item = site.cases[index]
            let name = renderer.name(of: item, language)
            let narrative = item.narratives[language]
            let summary = narrative?.summary ?? item.record.lifespan.map { "\(name.text), \($0)" }
            return Entry(
                date: date, title: narrative?.title ?? name.text,
                titleLanguage: narrative?.title == nil ? name.language : nil,
                folder: SiteURLs.caseFolder(language, item.id), summary: summary)
        }
        for (slug, versions) in site.pages.sorted(by: { $0.key < $1.key }) {
            guard let page = renderer.inLanguage(versions, language), let date = page.updated else { continue }
            entries.append(
                Entry(
                    date: date, title: page.title, titleLanguage: page.language == language ? nil : page.language,
                    folder: SiteURLs.page(language, slug), summary: page.summary))
        }
        // Latest first; the same date in the order of addresses.
        entries.sort { $0.date != $1.date ? $1.date < $0.date : String.utf8Precedes($0.folder, $1.folder) }
        if entries.count > Self.entryLimit { entries.removeLast(entries.count - Self.entryLimit) }

        let title = renderer.string("feedTitle", language) + " — " + renderer.siteTitle(language)
        let author =
            site.config.publisher.resolved(in: language, fallback: site.languages)?.text ?? renderer.siteTitle(language)
        var xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        xml += "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"\(language)\">\n"
        xml += "<id>\(escape(urls.absolute(Self.path(language))))</id>\n"
        xml += "<title>\(escape(title))</title>\n"
        // No entry dated: the earliest date Atom can say, rather than the clock.
        xml += "<updated>\(entries.first?.date.timestamp ?? "1970-01-01T00:00:00Z")</updated>\n"
        xml +=
            "<link rel=\"self\" type=\"application/atom+xml\" href=\"\(escape(urls.absolute(Self.path(language))))\"/>\n"
        xml +=
            "<link rel=\"alternate\" type=\"text/html\" href=\"\(escape(urls.absolute(SiteURLs.home(language))))\"/>\n"
        xml += "<author><name>\(escape(author))</name></author>\n"
        xml += "<generator>memorial</generator>\n"
        for entry in entries {
            let url = escape(urls.absolute(entry.folder))
            xml += "<entry>\n<id>\(url)</id>\n"
            let lang = entry.titleLanguage.map { " xml:lang=\"\($0)\"" } ?? ""
            xml += "<title\(lang)>\(escape(entry.title))</title>\n"
            xml += "<updated>\(entry.date.timestamp)</updated>\n"
            xml += "<link rel=\"alternate\" type=\"text/html\" href=\"\(url)\"/>\n"
            if let summary = entry.summary { xml += "<summary>\(escape(summary))</summary>\n" }
            xml += "</entry>\n"
        }
        xml += "</feed>\n"
        return OutputFile(path: Self.path(language), bytes: Array(xml.utf8))
    }

    private func escape(_ text: String) -> String { HTMLEscaping.escape(text) }
}

extension SiteBuilder {
    /// The feeds and the open dataset: made by every build of the whole site (each written only
    /// when its bytes change; the dataset only made when the records changed).
    static func writeReuseFiles(
        renderer: PageRenderer, siteFingerprint: Fingerprint, writer: OutputWriter
    ) throws(OutputWriter.WriteError) {
        var stages = StageClock(prefix: "reuse: ")
        defer { stages.report() }
        let feeds = FeedRenderer(renderer: renderer)
        for language in renderer.site.languages {
            let file = feeds.render(language)
            try writer.write(file.path, bytes: file.bytes, input: Fingerprint.ofContent(file.bytes))
        }
        stages.lap("feeds")
        try DatasetRenderer.write(renderer: renderer, siteFingerprint: siteFingerprint, writer: writer)
        stages.lap("dataset")

    }
}

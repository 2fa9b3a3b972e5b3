import MemorialContent
import MemorialCore
import MemorialTemplates

/// How a case is cited in one language: the fields the page's citation, its `citation_*` and
/// Dublin Core tags (from which its script makes the CSL-JSON and BibTeX downloads) and its
/// JSON-LD all take, so that they cannot disagree.
struct Citation {
    var language: String
    /// The page's title (the narrative's, else the person's name).
    var title: String
    /// The person's name in the language (or another, with the usual fallback).
    var name: String
    var lifespan: String?
    /// The archive holding the file (site.yml `archive`) and the file's reference.
    var archive: String?
    var archiveRef: String?
    /// What all citations in the language share: the exhibition (site.yml `title`), who
    /// publishes it (`publisher`), the archive's name and the fixed parts of the JSON-LD.
    var citing: CitingLanguage
    /// The page's permanent address.
    var url: String
    /// When the record or a narrative of it last changed (`Case.lastChange`).
    var date: PartialDate?
}

/// What a case page says of the person in its language (each value with the language it is
/// in when not the page's), for its facts and its JSON-LD alike.
struct PersonFacts {
    var birthPlace: (text: String, language: String?)?
    /// The people's label.
    var people: (text: String, language: String?)?
    var occupation: (text: String, language: String?)?
    var deathPlace: (text: String, language: String?)?
}

extension Case {
    /// The latest of the record's `updated` column and its published narratives' `updated`
    /// front matter: a date from the content, never from the clock.
    var lastChange: PartialDate? {
        var latest = record.updated
        for narrative in narratives.values {
            if let updated = narrative.updated, latest.map({ $0 < updated }) ?? true { latest = updated }
        }
        return latest
    }
}

extension PartialDate {
    /// The first moment of the date, as RFC 3339 / Atom wants it (`1937-09-01T00:00:00Z`).
    var timestamp: String { PartialDate(year: year, month: month ?? 1, day: day ?? 1).description + "T00:00:00Z" }
}

/// What the citations of one language share, looked up once per build
/// (`SharedContext.citing`) instead of on each of its case pages.
struct CitingLanguage: Sendable {
    var exhibition: String
    var publisher: String?
    /// The archive, said only of a file whose reference is known.
    var archive: String?
    var archivalCase: String
    var lastChanged: String
    /// The citation section's `genre` and `script`.
    var genre: TemplateValue
    var script: TemplateValue
    /// The JSON-LD's archival file's name up to the person's: `,"name":"Archival criminal case: `.
    var fileName: [UInt8]
    /// The JSON-LD's `,"holdingArchive":{…}`, empty without an archive.
    var holdingArchive: [UInt8]
    /// The JSON-LD from `,"isPartOf"` to its end.
    var end: [UInt8]

    /// The same, in storage of its own for one rendering thread (`PrivateCopies.swift`).
    func privateCopy() -> CitingLanguage {
        func copy(_ bytes: [UInt8]) -> [UInt8] { bytes.withUnsafeBufferPointer { Array($0) } }
        return CitingLanguage(
            exhibition: exhibition.privateCopy, publisher: publisher?.privateCopy, archive: archive?.privateCopy,
            archivalCase: archivalCase.privateCopy, lastChanged: lastChanged.privateCopy, genre: genre.privateCopy(),
            script: script.privateCopy(), fileName: copy(fileName), holdingArchive: copy(holdingArchive), end: copy(end)
        )
    }
}

extension PageRenderer {
    func makeCiting(_ language: String) -> CitingLanguage {
        let config = site.config
        let archivalCase = string("archivalCase", language)
        let exhibition = siteTitle(language)
        let publisher = config.publisher.resolved(in: language, fallback: site.languages)?.text
        let archive = config.archive.resolved(in: language, fallback: site.languages)?.text
        // Made once per language, so as Strings.
        var fileName = Array(#","name":""#.utf8)
        JSON.appendEscaped(archivalCase + ": ", to: &fileName)
        let holdingArchive = archive.map {
            #","holdingArchive":{"@type":"ArchiveOrganization","name":"# + JSON.string($0) + "}"
        }
        let publishedBy = publisher.map { #","publisher":{"@type":"Organization","name":"# + JSON.string($0) + "}" }
        let end =
            #","isPartOf":{"@type":"WebSite","name":"# + JSON.string(exhibition) + #","url":"#
            + JSON.string(urls.absolute(SiteURLs.home(language))) + (publishedBy ?? "") + "}}]}"
        return CitingLanguage(
            exhibition: exhibition, publisher: publisher, archive: archive, archivalCase: archivalCase,
            lastChanged: string("lastChanged", language), genre: .string(archivalCase),
            script: .string(urls.href("assets/cite.js") + "?v=" + templates.stylesheetVersion),
            fileName: fileName, holdingArchive: Array((holdingArchive ?? "").utf8), end: Array(end.utf8))
    }

    /// - Parameters: `name` is the person's name in the language, `archiveRef` the file's
    ///   reference and `url` the page's absolute address, as the case page has them.
    func citation(
        of item: Case, _ language: String, title: String, name: String, archiveRef: String?, url: String
    ) -> Citation {
        let citing = shared.citing[language] ?? makeCiting(language)
        // Where a file is held is said only of a file whose reference is known.
        return Citation(
            language: language, title: title, name: name, lifespan: item.record.lifespan,
            archive: archiveRef == nil ? nil : citing.archive, archiveRef: archiveRef, citing: citing, url: url,
            date: item.lastChange)
    }

    /// The citation as one line of text in the page's language, as UTF-8.
    func citationText(_ citation: Citation) -> [UInt8] {
        let citing = citation.citing
        // Made as bytes: a dozen `+=` on a String cost four times as much.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        func add(_ text: String) {
            var text = text
            text.withUTF8 { bytes.append(contentsOf: $0) }
        }
        add(citation.name)
        if let lifespan = citation.lifespan {
            add(" (")
            add(lifespan)
            add(")")
        }
        add(". ")
        add(citing.archivalCase)
        if let archive = citation.archive {
            add(": ")
            add(archive)
        }
        if let reference = citation.archiveRef {
            add(citation.archive == nil ? ": " : ", ")
            add(reference)
        }
        add(". ")
        add(citing.exhibition)
        if let publisher = citing.publisher {
            add(". ")
            add(publisher)
        }
        if let date = citation.date {
            add(", ")
            add(citing.lastChanged)
            add(" ")
            add(DateFormatting.format(date, language: citation.language))
        }
        add(". ")
        add(citation.url)
        return bytes
    }

    /// The names of the citation's context fields, hashed once.
    private enum CiteKeys {
        static let text = TemplateKey("text")
        static let file = TemplateKey("file")
        static let genre = TemplateKey("genre")
        static let script = TemplateKey("script")
        static let title = TemplateKey("title")
        static let language = TemplateKey("language")
        static let url = TemplateKey("url")
        static let exhibition = TemplateKey("exhibition")
        static let publisher = TemplateKey("publisher")
        static let highwireDate = TemplateKey("highwireDate")
        static let date = TemplateKey("date")
        static let archive = TemplateKey("archive")
        static let archiveRef = TemplateKey("archiveRef")
        static let source = TemplateKey("source")
    }

    /// The case page's citation section, its head's metadata tags (`cite`, which the page's
    /// script also makes the CSL-JSON and BibTeX downloads from), JSON-LD and share previews.
    func addCitation(
        _ citation: Citation, of item: Case, _ person: PersonFacts, summary: String?, portrait: String?,
        to caseContext: inout TemplateObject, page context: inout TemplateObject
    ) {
        let language = citation.language
        let citing = citation.citing
        caseContext["citation"] = .object(
            TemplateObject(copying: [
                .init(CiteKeys.text, .utf8(citationText(citation))),
                .init(CiteKeys.file, .string("\(item.id)-\(language)")),
                .init(CiteKeys.genre, citing.genre),
                .init(CiteKeys.script, citing.script),
            ]))
        var cite: [TemplateObject.Entry] = [
            .init(CiteKeys.title, .string(citation.title)), .init(CiteKeys.language, .string(language)),
            .init(CiteKeys.url, .string(citation.url)), .init(CiteKeys.exhibition, .string(citing.exhibition)),
        ]
        cite.reserveCapacity(10)
        func set(_ key: TemplateKey, _ value: String?) {
            if let value, !value.isEmpty { cite.append(.init(key, .string(value))) }
        }
        set(CiteKeys.publisher, citing.publisher)
        set(CiteKeys.highwireDate, citation.date.map(Self.highwireDate))
        set(CiteKeys.date, citation.date?.description)
        set(CiteKeys.archive, citation.archive)
        set(CiteKeys.archiveRef, citation.archiveRef)
        set(CiteKeys.source, [citation.archive, citation.archiveRef].compactMap { $0 }.joined(separator: ", "))
        context["cite"] = .object(TemplateObject(copying: cite))
        context["jsonLD"] = .utf8(jsonLD(of: item, citation, person, summary: summary))
        context["ogType"] = "article"
        // `portrait` is below the output folder and already percent-encoded.
        if let portrait { context["ogImage"] = .string(urls.baseURL + portrait) }
    }

    /// `YYYY/MM/DD`, `YYYY/MM` or `YYYY`, as Highwire's `citation_date` is written.
    static func highwireDate(_ date: PartialDate) -> String {
        date.description.replacingUTF8Occurrences(of: "-", with: "/")
    }

    /// schema.org: the person and the archival file about them, held by the site's archive.
    func jsonLD(
        of item: Case, _ citation: Citation, _ person: PersonFacts, summary: String?
    ) -> [UInt8] {
        let (language, citing) = (citation.language, citation.citing)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(1024)
        func raw(_ text: StaticString) {
            bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        }
        func pair(_ key: StaticString, _ value: String) {
            raw(",")
            raw(key)
            raw(":")
            JSON.appendString(value, to: &bytes)
        }
        func place(_ key: StaticString, _ value: (text: String, language: String?)?) {
            guard let value else { return }
            raw(",")
            raw(key)
            raw(":{\"@type\":\"Place\",\"name\":")
            JSON.appendString(value.text, to: &bytes)
            raw("}")
        }
        // The page's address, escaped once, is written four times.
        var url: [UInt8] = []
        JSON.appendEscaped(citation.url, to: &url)
        func address(_ key: StaticString, _ fragment: StaticString = "") {
            raw(key)
            raw(":\"")
            bytes.append(contentsOf: url)
            raw(fragment)
            raw("\"")
        }
        raw("{\"@context\":\"https://schema.org\",\"@graph\":[{\"@type\":\"Person\"")
        address(",\"@id\"", "#person")
        pair("\"name\"", citation.name)
        var others: [String] = []
        for other in site.languages where other != language {
            if let text = item.record.fields.own("name", in: other, orCommon: false), text != citation.name,
                !others.contains(text)
            {
                others.append(text)
            }
        }
        if !others.isEmpty {
            raw(",\"alternateName\":[")
            for (index, text) in others.enumerated() {
                if index > 0 { raw(",") }
                JSON.appendString(text, to: &bytes)
            }
            raw("]")
        }
        if let birth = item.record.birthYear { pair("\"birthDate\"", String(birth)) }
        place("\"birthPlace\"", person.birthPlace)
        if let death = item.record.deathDate { pair("\"deathDate\"", death.description) }
        place("\"deathPlace\"", person.deathPlace)
        if let people = person.people { pair("\"nationality\"", people.text) }
        if let occupation = person.occupation { pair("\"jobTitle\"", occupation.text) }
        if let summary { pair("\"description\"", summary) }
        address(",\"url\"")
        raw("},{\"@type\":\"ArchiveComponent\"")
        address(",\"@id\"", "#file")
        bytes.append(contentsOf: citing.fileName)
        JSON.appendEscaped(citation.name, to: &bytes)
        raw("\"")
        if let reference = citation.archiveRef { pair("\"identifier\"", reference) }
        address(",\"about\":{\"@id\"", "#person")
        raw("}")
        if citation.archive != nil { bytes.append(contentsOf: citing.holdingArchive) }
        pair("\"inLanguage\"", language)
        address(",\"url\"")
        if let date = citation.date { pair("\"dateModified\"", date.description) }
        bytes.append(contentsOf: citing.end)
        return bytes
    }
}

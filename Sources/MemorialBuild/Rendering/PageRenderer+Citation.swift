import MemorialContent
import MemorialCore
import MemorialTemplates

/// How a case is cited in one language: the fields the page's citation, its `citation_*` and
/// Dublin Core tags (from which its script makes the CSL-JSON and BibTeX downloads) and its
/// JSON-LD all take, so that they cannot disagree.
struct Citation {
    var id: String
    var language: String
    /// The page's title (the narrative's, else the person's name).
    var title: String
    /// The person's name in the language (or another, with the usual fallback).
    var name: String
    var lifespan: String?
    /// The archive holding the file (site.yml `archive`) and the file's reference.
    var archive: String?
    var archiveRef: String?
    /// The exhibition (site.yml `title`) and who publishes it (`publisher`).
    var exhibition: String
    var publisher: String?
    /// The page's permanent address.
    var url: String
    /// When the record or a narrative of it last changed (`Case.lastChange`).
    var date: PartialDate?
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
    var timestamp: String {
        func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(year)-\(pad(month ?? 1))-\(pad(day ?? 1))T00:00:00Z"
    }
}

extension PageRenderer {
    func citation(of item: Case, _ language: String, title: String) -> Citation {
        let config = site.config
        // Where a file is held is said only of a file whose reference is known.
        let archiveRef = field(item, "archive_ref", language)?.text
        return Citation(
            id: item.id, language: language, title: title, name: name(of: item, language).text,
            lifespan: item.record.lifespan,
            archive: archiveRef == nil ? nil : config.archive.resolved(in: language, fallback: site.languages)?.text,
            archiveRef: archiveRef, exhibition: siteTitle(language),
            publisher: config.publisher.resolved(in: language, fallback: site.languages)?.text,
            url: urls.absolute(SiteURLs.caseFolder(language, item.id)), date: item.lastChange)
    }

    /// The citation as one line of text in the page's language.
    func citationText(_ citation: Citation) -> String {
        let language = citation.language
        var text = citation.name
        if let lifespan = citation.lifespan { text += " (\(lifespan))" }
        text += ". " + string("archivalCase", language)
        let holding = [citation.archive, citation.archiveRef].compactMap { $0 }
        if !holding.isEmpty { text += ": " + holding.joined(separator: ", ") }
        text += ". " + citation.exhibition
        if let publisher = citation.publisher { text += ". " + publisher }
        if let date = citation.date {
            text += ", " + string("lastChanged", language) + " " + DateFormatting.format(date, language: language)
        }
        return text + ". " + citation.url
    }

    /// The case page's citation section, its head's metadata tags (`cite`, which the page's
    /// script also makes the CSL-JSON and BibTeX downloads from), JSON-LD and share previews.
    func addCitation(
        of item: Case, _ language: String, title: String, summary: String?, portrait: String?,
        to caseContext: inout TemplateObject, page context: inout TemplateObject
    ) {
        let citation = citation(of: item, language, title: title)
        caseContext["citation"] = [
            "text": .string(citationText(citation)),
            "file": .string("\(item.id)-\(language)"),
            "genre": .string(string("archivalCase", language)),
            "script": .string(urls.href("assets/cite.js") + "?v=" + templates.stylesheetVersion),
        ]
        var cite: TemplateObject = [
            "title": .string(citation.title), "language": .string(language), "url": .string(citation.url),
            "exhibition": .string(citation.exhibition),
        ]
        func set(_ key: String, _ value: String?) {
            if let value, !value.isEmpty { cite[key] = .string(value) }
        }
        set("publisher", citation.publisher)
        set("highwireDate", citation.date.map(Self.highwireDate))
        set("date", citation.date?.description)
        set("archive", citation.archive)
        set("archiveRef", citation.archiveRef)
        set("source", [citation.archive, citation.archiveRef].compactMap { $0 }.joined(separator: ", "))
        context["cite"] = .object(cite)
        context["jsonLD"] = .string(jsonLD(of: item, citation, summary: summary))
        context["ogType"] = "article"
        // `portrait` is below the output folder and already percent-encoded.
        if let portrait { context["ogImage"] = .string(urls.baseURL + portrait) }
    }

    /// `YYYY/MM/DD`, `YYYY/MM` or `YYYY`, as Highwire's `citation_date` is written.
    static func highwireDate(_ date: PartialDate) -> String {
        date.description.replacingUTF8Occurrences(of: "-", with: "/")
    }

    /// schema.org: the person and the archival file about them, held by the site's archive.
    func jsonLD(of item: Case, _ citation: Citation, summary: String?) -> String {
        let language = citation.language
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
        func place(_ key: StaticString, _ column: String) {
            guard let value = field(item, column, language) else { return }
            raw(",")
            raw(key)
            raw(":{\"@type\":\"Place\",\"name\":")
            JSON.appendString(value.text, to: &bytes)
            raw("}")
        }
        let person = citation.url + "#person"
        raw("{\"@context\":\"https://schema.org\",\"@graph\":[{\"@type\":\"Person\"")
        pair("\"@id\"", person)
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
        place("\"birthPlace\"", "birth_place")
        if let death = item.record.deathDate { pair("\"deathDate\"", death.description) }
        place("\"deathPlace\"", "death_place")
        if let people = item.record.people { pair("\"nationality\"", label("peoples", people, language).text) }
        if let occupation = field(item, "occupation", language) { pair("\"jobTitle\"", occupation.text) }
        if let summary { pair("\"description\"", summary) }
        pair("\"url\"", citation.url)
        raw("},{\"@type\":\"ArchiveComponent\"")
        pair("\"@id\"", citation.url + "#file")
        pair("\"name\"", string("archivalCase", language) + ": " + citation.name)
        if let reference = citation.archiveRef { pair("\"identifier\"", reference) }
        raw(",\"about\":{\"@id\":")
        JSON.appendString(person, to: &bytes)
        raw("}")
        if let archive = citation.archive {
            raw(",\"holdingArchive\":{\"@type\":\"ArchiveOrganization\",\"name\":")
            JSON.appendString(archive, to: &bytes)
            raw("}")
        }
        pair("\"inLanguage\"", language)
        pair("\"url\"", citation.url)
        if let date = citation.date { pair("\"dateModified\"", date.description) }
        raw(",\"isPartOf\":{\"@type\":\"WebSite\",\"name\":")
        JSON.appendString(citation.exhibition, to: &bytes)
        raw(",\"url\":")
        JSON.appendString(urls.absolute(SiteURLs.home(language)), to: &bytes)
        if let publisher = citation.publisher {
            raw(",\"publisher\":{\"@type\":\"Organization\",\"name\":")
            JSON.appendString(publisher, to: &bytes)
            raw("}")
        }
        raw("}}]}")
        return String(decoding: bytes, as: UTF8.self)
    }
}

import MemorialContent
import MemorialCore

/// The citation of each case page as files beside it, for reference managers:
/// `citation.json` (CSL-JSON) and `citation.bib` (BibTeX), made from the same `Citation` as the
/// page's text and tags.
enum CitationFiles {
    static let cslName = "citation.json"
    static let bibtexName = "citation.bib"

    /// Both files of a case in a language: (path, bytes).
    static func files(of item: Case, _ language: String, renderer: PageRenderer) -> [(String, [UInt8])] {
        let title = item.narratives[language]?.title ?? renderer.name(of: item, language).text
        let citation = renderer.citation(of: item, language, title: title)
        let folder = SiteURLs.caseFolder(language, item.id)
        let note = renderer.string("archivalCase", language)
        return [(folder + cslName, csl(citation, note: note)), (folder + bibtexName, bibtex(citation, note: note))]
    }

    /// One CSL-JSON item in an array, as citeproc and Zotero import it.
    static func csl(_ citation: Citation, note: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(768)
        func raw(_ text: String) { bytes.append(contentsOf: text.utf8) }
        func pair(_ key: String, _ value: String?) {
            guard let value else { return }
            raw(",\n    \"\(key)\": ")
            JSON.appendString(value, to: &bytes)
        }
        raw("[\n  {\n    \"id\": ")
        JSON.appendString("\(citation.id)-\(citation.language)", to: &bytes)
        pair("type", "webpage")
        pair("title", citation.title)
        pair("container-title", citation.exhibition)
        pair("publisher", citation.publisher)
        pair("genre", note)
        pair("archive", citation.archive)
        pair("archive_location", citation.archiveRef)
        pair("language", citation.language)
        pair("URL", citation.url)
        if let date = citation.date {
            let parts = [date.year, date.month, date.day].compactMap { $0 }.map(String.init)
            raw(",\n    \"issued\": {\"date-parts\": [[\(parts.joined(separator: ", "))]]}")
        }
        raw("\n  }\n]\n")
        return bytes
    }

    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// One `@misc` entry; the title in double braces keeps its capitals.
    static func bibtex(_ citation: Citation, note: String) -> [UInt8] {
        var text = "@misc{\(citation.id)-\(citation.language),\n"
        func field(_ name: String, _ value: String?, braces: Int = 1) {
            guard let value, !value.isEmpty else { return }
            let open = String(repeating: "{", count: braces)
            let close = String(repeating: "}", count: braces)
            text += "  \(name) = \(open)\(escaped(value))\(close),\n"
        }
        field("title", citation.title, braces: 2)
        field("howpublished", citation.exhibition)
        field("publisher", citation.publisher)
        field("type", note)
        let holding = [citation.archive, citation.archiveRef].compactMap { $0 }
        field("note", holding.isEmpty ? nil : holding.joined(separator: ", "))
        if let date = citation.date {
            text += "  year = {\(date.year)},\n"
            if let month = date.month { text += "  month = \(months[month - 1]),\n" }
            if let day = date.day { text += "  day = {\(day)},\n" }
        }
        text += "  language = {\(citation.language)},\n"
        text += "  url = {\(citation.url)}\n}\n"
        return Array(text.utf8)
    }

    /// BibTeX's special characters as TeX writes them.
    static func escaped(_ value: String) -> String {
        guard value.utf8.contains(where: { Self.special.contains($0) }) else { return value }
        var result = ""
        for character in value {
            switch character {
            case "\\": result += "\\textbackslash{}"
            case "{", "}", "%", "&", "$", "#", "_": result += "\\" + String(character)
            case "^": result += "\\^{}"
            case "~": result += "\\~{}"
            default: result.append(character)
            }
        }
        return result
    }

    private static let special: Set<UInt8> = Set("\\{}%&$#_^~".utf8)
}

extension CitationFiles {
    /// Writes both files of every case page, on every core; a file made from the same input as
    /// last time (the site-wide inputs and its case's) is kept without being made.
    static func write(
        renderer: PageRenderer, siteFingerprint: Fingerprint, writer: OutputWriter
    ) throws(OutputWriter.WriteError) {
        let site = renderer.site
        let failures = renderer.common.cases.concurrentChunks { range -> OutputWriter.WriteError? in
            for index in range {
                let item = site.cases[index]
                for language in site.languages {
                    var input = siteFingerprint
                    input.combine("citation")
                    input.combine(language)
                    input.combine(item.fingerprint)
                    let folder = SiteURLs.caseFolder(language, item.id)
                    let paths = [folder + cslName, folder + bibtexName]
                    if paths.allSatisfy({ writer.isUnchanged($0, input: input) }) {
                        for path in paths { writer.keep(path) }
                        continue
                    }
                    do throws(OutputWriter.WriteError) {
                        for (path, bytes) in files(of: item, language, renderer: renderer) {
                            try writer.write(path, bytes: bytes, input: input)
                        }
                    } catch {
                        return error
                    }
                }
            }
            return nil
        }
        if let failure = failures.lazy.compactMap({ $0 }).first { throw failure }
    }
}

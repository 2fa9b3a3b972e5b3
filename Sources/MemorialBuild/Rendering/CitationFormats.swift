import MemorialContent
import MemorialCore

/// The citation of a case page for reference managers, CSL-JSON and BibTeX, made from the same
/// `Citation` as the page's text and tags. The page offers them as downloads in `data:` links:
/// as files beside every page they were two files more per page, which took a build as long as
/// writing the pages themselves.
enum CitationFormats {
    /// A `data:` URL of the bytes (base64), for a download link.
    static func dataURL(_ bytes: [UInt8], type: String) -> String {
        var url = Array("data:\(type);charset=utf-8;base64,".utf8)
        url.reserveCapacity(url.count + (bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let count = min(3, bytes.count - index)
            var chunk = UInt32(bytes[index]) << 16
            if count > 1 { chunk |= UInt32(bytes[index + 1]) << 8 }
            if count > 2 { chunk |= UInt32(bytes[index + 2]) }
            for position in 0..<4 {
                url.append(
                    position <= count ? alphabet[Int((chunk >> UInt32(18 - 6 * position)) & 63)] : UInt8(ascii: "="))
            }
            index += 3
        }
        return String(decoding: url, as: UTF8.self)
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

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

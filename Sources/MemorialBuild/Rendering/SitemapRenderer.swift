import MemorialCore

/// Writes `sitemap.xml` with every language's alternates, and `robots.txt`. Past the sitemap
/// protocol's 50,000 URLs a file, `sitemap.xml` becomes an index of `sitemap-<n>.xml` files.
struct SitemapRenderer: Sendable {
    static let urlsPerFile = 50_000

    /// `sitemap.xml`, `sitemap-<n>.xml` and `robots.txt`: the files `render` makes.
    static func isSitemapFile(_ path: String) -> Bool {
        guard path != "robots.txt" else { return true }
        guard path.hasPrefix("sitemap"), path.hasSuffix(".xml") else { return false }
        let middle = path.dropFirst("sitemap".count).dropLast(".xml".count)
        return middle.isEmpty
            || (middle.hasPrefix("-") && Identifier.isDigits(middle.dropFirst(), count: middle.count - 1)
                && middle.count > 1)
    }

    let renderer: PageRenderer

    func render(_ jobs: [PageJob]) -> [OutputFile] {
        let urls = renderer.urls
        let languages = renderer.site.languages
        var entries: [String] = []
        for job in jobs {
            if case .notFound = job { continue }
            var entry = "<url><loc>\(escape(urls.absolute(renderer.folder(of: job))))</loc>"
            if case .chooser = job {
                entry += alternate("x-default", urls.absolute(""))
            } else {
                for language in languages where renderer.isTranslation(job, in: language) {
                    entry += alternate(language, urls.absolute(renderer.folder(of: job, in: language)))
                }
                entry += alternate("x-default", urls.absolute(""))
            }
            entries.append(entry + "</url>\n")
        }
        let header =
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n"
        let footer = "</urlset>\n"
        var files: [OutputFile] = []
        if entries.count <= Self.urlsPerFile {
            files.append(OutputFile(path: "sitemap.xml", bytes: Array((header + entries.joined() + footer).utf8)))
        } else {
            var index =
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
            for (number, start) in stride(from: 0, to: entries.count, by: Self.urlsPerFile).enumerated() {
                let name = "sitemap-\(number + 1).xml"
                let chunk = entries[start..<min(start + Self.urlsPerFile, entries.count)]
                files.append(OutputFile(path: name, bytes: Array((header + chunk.joined() + footer).utf8)))
                index += "<sitemap><loc>\(escape(urls.absolute(name)))</loc></sitemap>\n"
            }
            files.append(OutputFile(path: "sitemap.xml", bytes: Array((index + "</sitemapindex>\n").utf8)))
        }
        let robots = "User-agent: *\nAllow: /\n\nSitemap: \(urls.absolute("sitemap.xml"))\n"
        files.append(OutputFile(path: "robots.txt", bytes: Array(robots.utf8)))
        return files
    }

    private func alternate(_ language: String, _ href: String) -> String {
        "<xhtml:link rel=\"alternate\" hreflang=\"\(language)\" href=\"\(escape(href))\"/>"
    }

    private func escape(_ text: String) -> String {
        // Addresses seldom hold any of these: check the bytes before walking the characters.
        guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else {
            return text
        }
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            default: result.append(character)
            }
        }
        return result
    }
}

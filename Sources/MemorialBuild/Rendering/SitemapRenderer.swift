import MemorialContent
import MemorialCore
import MemorialTemplates

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
    /// 50,000 but in tests.
    var urlsPerFile = SitemapRenderer.urlsPerFile

    /// Entries are made as bytes on every core (300,000 pages give 140 MB of XML, which
    /// concatenating Strings made in 2.5 s), one file of `urlsPerFile` at a time, each handed to
    /// `each` before the next is made: all of them at once took 280 MB, the peak of a build.
    func render(_ jobs: [PageJob], each emit: (OutputFile) -> Void) {
        let urls = renderer.urls
        let languages = renderer.site.languages
        var alternate: [UInt8] = []
        appendAlternate("x-default", urls.absolute(""), to: &alternate)
        let xDefault = alternate
        let listed = jobs.indices.filter { index in
            if case .notFound = jobs[index] { false } else { true }
        }
        let header = Array(
            ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n")
                .utf8)
        let footer = Array("</urlset>\n".utf8)
        let fileCount = max(1, (listed.count + urlsPerFile - 1) / urlsPerFile)
        var names: [String] = []
        for file in 0..<fileCount {
            let first = file * urlsPerFile
            let count = min(listed.count, first + urlsPerFile) - first
            let parts = concurrentChunks(count: count) { range -> [UInt8] in
                var bytes: [UInt8] = []
                bytes.reserveCapacity(range.count * 400)
                for position in range {
                    let job = jobs[listed[first + position]]
                    let folder = renderer.folder(of: job)
                    bytes.append(contentsOf: Self.urlOpen)
                    HTMLEscaping.append(urls.absolute(folder), to: &bytes)
                    bytes.append(contentsOf: Self.locClose)
                    if let date = lastChange(of: job) {
                        bytes.append(contentsOf: Self.lastmodOpen)
                        bytes.append(contentsOf: date.description.utf8)
                        bytes.append(contentsOf: Self.lastmodClose)
                    }
                    if case .chooser = job {
                    } else {
                        for language in languages where renderer.isTranslation(job, in: language) {
                            appendAlternate(
                                language, urls.absolute(renderer.folder(of: job, in: language)), to: &bytes)
                        }
                    }
                    bytes.append(contentsOf: xDefault)
                    bytes.append(contentsOf: Self.urlClose)
                }
                return bytes
            }
            var body: [UInt8] = []
            body.reserveCapacity(header.count + parts.reduce(0) { $0 + $1.count } + footer.count)
            body.append(contentsOf: header)
            for part in parts { body.append(contentsOf: part) }
            body.append(contentsOf: footer)
            if fileCount == 1 {
                emit(OutputFile(path: "sitemap.xml", bytes: body))
            } else {
                let name = "sitemap-\(file + 1).xml"
                emit(OutputFile(path: name, bytes: body))
                names.append(name)
            }
        }
        if fileCount > 1 {
            var index =
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
            for name in names {
                index += "<sitemap><loc>\(HTMLEscaping.escape(urls.absolute(name)))</loc></sitemap>\n"
            }
            emit(OutputFile(path: "sitemap.xml", bytes: Array((index + "</sitemapindex>\n").utf8)))
        }
        // A staging copy (`noindex`) asks every robot to stay out.
        let robots =
            renderer.site.config.noindex
            ? "User-agent: *\nDisallow: /\n" : "User-agent: *\nAllow: /\n\nSitemap: \(urls.absolute("sitemap.xml"))\n"
        emit(OutputFile(path: "robots.txt", bytes: Array(robots.utf8)))
    }

    // The markup as bytes once (appending a String's UTF-8 view goes a byte at a time).
    private static let urlOpen = Array("<url><loc>".utf8)
    private static let locClose = Array("</loc>".utf8)
    private static let urlClose = Array("</url>\n".utf8)
    private static let lastmodOpen = Array("<lastmod>".utf8)
    private static let lastmodClose = Array("</lastmod>".utf8)

    /// A case page's or free page's date from its content (as the feeds give it); nil for the
    /// other pages, which change with their lists.
    private func lastChange(of job: PageJob) -> PartialDate? {
        switch job {
        case .caseEntry(_, let index): renderer.site.cases[index].lastChange
        case .freePage(let language, let slug):
            renderer.site.pages[slug].flatMap { renderer.inLanguage($0, language) }?.updated
        default: nil
        }
    }
    private static let alternateOpen = Array("<xhtml:link rel=\"alternate\" hreflang=\"".utf8)
    private static let hrefOpen = Array("\" href=\"".utf8)
    private static let alternateClose = Array("\"/>".utf8)

    private func appendAlternate(_ language: String, _ href: String, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: Self.alternateOpen)
        var language = language
        language.withUTF8 { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: Self.hrefOpen)
        HTMLEscaping.append(href, to: &bytes)
        bytes.append(contentsOf: Self.alternateClose)
    }
}

import Foundation
import MemorialCore
import TestSupport
import Testing

@testable import MemorialBuild
@testable import MemorialContent

/// The site's five guarantees (the MARK sections below), end to end on the `Sites/small` fixture,
/// which has a restricted record, a draft narrative, a narrative of a restricted record, raw HTML,
/// unsafe links and markup in front matter and CSV.
@Suite struct GuaranteeTests {
    func build(_ site: TemporarySite, drafts: Bool = false, output: URL? = nil) -> BuildReport {
        SiteBuilder.build(stateBeside(BuildOptions(siteRoot: site.root, output: output, includeDrafts: drafts)))
    }

    func text(_ files: [String: Data]) -> [(String, String)] {
        files.map { ($0.key, String(decoding: $0.value, as: UTF8.self)) }.sorted { $0.0 < $1.0 }
    }

    // MARK: 1. Nothing restricted or draft is published

    @Test func restrictedRecordsAndDraftNarrativesAppearInNoOutputFile() throws {
        let site = try TemporarySite()
        defer { site.remove() }
        let report = build(site)
        #expect(report.succeeded)
        let files = filesUnder(site.output)
        #expect(files.count > 30)
        let secrets = [
            "secret-one", "Secret Person", "Секретный", "Құпия", "SECRET-OCCUPATION", "SECRET-SUMMARY", "SECRET-BODY",
            "DRAFT-SUMMARY", "DRAFT-BODY", "C-3",
        ]
        for (path, content) in text(files) {
            for secret in secrets {
                #expect(!content.contains(secret), "\(path) contains \(secret)")
            }
            #expect(!path.contains("secret-one"))
        }
        // The restricted record's people has no other case: no index page, no count.
        #expect(files["en/peoples/lithuanian/index.html"] == nil)
        let peoples = String(decoding: files["en/peoples/index.html"]!, as: UTF8.self)
        #expect(!peoples.contains("Lithuanian"))
        // The petrov-sample record is published; only its draft narrative is held back.
        let petrov = String(decoding: files["en/cases/petrov-sample/index.html"]!, as: UTF8.self)
        #expect(petrov.contains("Petrov Sample"))
    }

    @Test func draftsArePublishedOnlyWhenAskedFor() throws {
        let site = try TemporarySite()
        defer { site.remove() }
        #expect(build(site, drafts: true).succeeded)
        let files = text(filesUnder(site.output))
        #expect(files.contains { $0.1.contains("DRAFT-BODY") })
        #expect(!files.contains { $0.1.contains("SECRET") })
    }

    // MARK: 2. Everything is escaped, raw HTML and unsafe links are dropped

    @Test func markupInContentComesOutInertAndEscaped() throws {
        let site = try TemporarySite()
        defer { site.remove() }
        #expect(build(site).succeeded)
        let files = text(filesUnder(site.output))
        // The build's state (which names dropped link schemes in its warnings, and keeps front
        // matter as written) is outside the output: every file here is served.
        for (path, var content) in files {
            // The search page's own two script elements, its configuration and its script, are
            // the only ones there may be.
            if path.hasSuffix("/search/index.html") {
                #expect(content.components(separatedBy: "<script").count == 3, "\(path)")
                content = content.replacingOccurrences(
                    of: "<script type=\"application/json\" id=\"search-config\">", with: "")
                content = content.replacingOccurrences(of: "<script src=\"/exhibition/assets/search.js?v=", with: "")
            }
            // A case page's structured data (JSON, `<` escaped) and its copy-citation script.
            if path.contains("/cases/"), path.hasSuffix("/index.html") {
                #expect(content.components(separatedBy: "<script").count == 3, "\(path)")
                content = content.replacingOccurrences(of: "<script type=\"application/ld+json\">", with: "")
                content = content.replacingOccurrences(of: "<script src=\"/exhibition/assets/cite.js?v=", with: "")
            }
            // The dataset's CSV is data, not markup: it keeps each value as the archive wrote it.
            if path.hasSuffix(".csv") {
                #expect(content.contains("\"Teacher, <b>poet</b>\""))
                continue
            }
            #expect(!content.contains("<script"), "\(path) has a script element")
            #expect(!content.localizedCaseInsensitiveContains("javascript:"), "\(path) has a javascript: URL")
            #expect(!content.contains("data:text/html"), "\(path) has a data: URL")
            #expect(!content.contains("<b>poet</b>"), "\(path) passes CSV markup through")
        }
        let page = files.first { $0.0 == "en/cases/aliev-test/index.html" }!.1
        #expect(page.contains("Teacher, &lt;b&gt;poet&lt;/b&gt;"))
        #expect(page.contains("for tests &lt;script&gt;alert(1)&lt;/script&gt;."))
        #expect(page.contains("<!-- raw HTML omitted -->"))
        #expect(page.contains("Aul No. 1, &quot;Test&quot; volost"))
        #expect(page.contains("<del>Struck</del>"))
        #expect(page.contains("<table>"))
        #expect(page.contains("<a href=\"https://example.org/autolink\">"))
    }

    // MARK: 3. A failed build leaves the previous output as it was

    @Test func aFailingBuildLeavesThePreviousOutputByteIdentical() throws {
        let site = try TemporarySite()
        defer { site.remove() }
        #expect(build(site).succeeded)
        let before = filesUnder(site.output)
        let state = filesUnder(site.root.appending(path: ".memorial"))
        #expect(before.count > 30 && state.count == 3)
        let modified =
            try FileManager.default.attributesOfItem(
                atPath: site.output.appending(path: "en/index.html").path)[.modificationDate] as? Date

        try site.write("content/records/broken.csv", "id,name_en,arrest_date\nbroken-one,Broken,1937-02-30\n")
        let report = build(site)
        #expect(!report.succeeded)
        #expect(report.diagnostics.contains { $0.message.contains("impossible date '1937-02-30'") })
        #expect(filesUnder(site.output) == before)
        let after =
            try FileManager.default.attributesOfItem(
                atPath: site.output.appending(path: "en/index.html").path)[.modificationDate] as? Date
        #expect(modified == after)
        // The state still describes that output: nothing was written, so nothing is to repair.
        #expect(filesUnder(site.root.appending(path: ".memorial")) == state)
        #expect(!before.keys.contains { $0.hasPrefix(".") || $0.contains("/.") })
    }

    @Test func refusesToReplaceAFolderItDidNotWrite() throws {
        let site = try TemporarySite(files: ["public/precious.txt": "keep me"])
        defer { site.remove() }
        let report = build(site)
        #expect(!report.succeeded)
        #expect(report.failure?.contains("was not written by memorial") == true)
        #expect(filesUnder(site.output).keys.sorted() == ["precious.txt"])
    }

    // MARK: 4. The same input gives the same bytes

    @Test func twoBuildsOfTheSameInputAreByteIdentical() throws {
        let site = try TemporarySite()
        defer { site.remove() }
        let first = site.root.appending(path: "first")
        let second = site.root.appending(path: "second")
        #expect(build(site, output: first).succeeded)
        #expect(build(site, output: second).succeeded)
        let a = filesUnder(first)
        let b = filesUnder(second)
        #expect(a.count > 30)
        #expect(a == b)
        // Rebuilding into the same folder gives the same bytes too.
        #expect(build(site, output: first).succeeded)
        #expect(filesUnder(first) == b)
    }

    // MARK: 5. Every page declares its language and links its translations

    @Test func everyPageDeclaresItsLanguageAndLinksItsTranslations() throws {
        let site = try TemporarySite()
        defer { site.remove() }
        #expect(build(site).succeeded)
        let pages = text(filesUnder(site.output)).filter { $0.0.hasSuffix(".html") }
        #expect(pages.count > 30)
        for (path, html) in pages {
            #expect(html.hasPrefix("<!DOCTYPE html>"), "\(path)")
            let language = path.split(separator: "/").first.map(String.init) ?? ""
            if ["kk", "ru", "en"].contains(language) {
                #expect(html.contains("<html lang=\"\(language)\""), "\(path)")
                let folder = path.dropFirst(3).dropLast("index.html".count)
                // A letter of the names index is in one alphabet only: it has no translations,
                // and its language menu leads to the other languages' names indexes.
                let isLetter = folder.hasPrefix("names/") && folder != "names/"
                for other in ["kk", "ru", "en"] {
                    let link =
                        "<link rel=\"alternate\" hreflang=\"\(other)\" href=\"https://example.org/exhibition/\(other)/\(SiteURLs.encoded(String(folder)))\">"
                    if isLetter && other != language {
                        #expect(!html.contains("hreflang=\"\(other)\" href=\"https://"), "\(path)")
                        #expect(
                            html.contains("<a href=\"/exhibition/\(other)/names/\" hreflang=\"\(other)\""), "\(path)")
                    } else {
                        #expect(html.contains(link), "\(path) lacks \(link)")
                    }
                }
            } else {
                #expect(html.contains("<html lang=\"kk\""), "\(path)")
            }
        }
    }

    @Test func theSitemapListsEveryLanguageVersion() throws {
        let site = try TemporarySite()
        defer { site.remove() }
        #expect(build(site).succeeded)
        let sitemap = String(decoding: filesUnder(site.output)["sitemap.xml"]!, as: UTF8.self)
        #expect(sitemap.contains("<loc>https://example.org/exhibition/ru/cases/aliev-test/</loc>"))
        #expect(
            sitemap.contains(
                "<xhtml:link rel=\"alternate\" hreflang=\"kk\" href=\"https://example.org/exhibition/kk/cases/aliev-test/\"/>"
            ))
        #expect(!sitemap.contains("404"))
        let robots = String(decoding: filesUnder(site.output)["robots.txt"]!, as: UTF8.self)
        #expect(robots.contains("Sitemap: https://example.org/exhibition/sitemap.xml"))
    }
}

/// The sitemap cut into files of a given size lists the same entries as one file.
@Suite struct SitemapTests {
    @Test func aSplitSitemapListsTheSameEntriesInOrder() throws {
        let site = try TemporarySite()
        defer { site.remove() }
        var diagnostics = Diagnostics()
        let content = try #require(ContentLoader(siteRoot: site.root).load(diagnostics: &diagnostics))
        let templates = try #require(TemplateLibrary.load(siteRoot: site.root, diagnostics: &diagnostics))
        let renderer = PageRenderer(site: SiteResolver(includeDrafts: false).resolve(content), templates: templates) {
            _ in nil
        }
        let jobs = renderer.jobs()
        func files(_ sitemap: SitemapRenderer) -> [OutputFile] {
            var files: [OutputFile] = []
            sitemap.render(jobs) { files.append($0) }
            return files
        }
        let whole = files(SitemapRenderer(renderer: renderer))
        #expect(whole.map(\.path) == ["sitemap.xml", "robots.txt"])
        func entries(_ file: OutputFile) -> [Substring] {
            String(decoding: file.bytes, as: UTF8.self).split(separator: "\n").filter { $0.hasPrefix("<url>") }
        }
        let all = entries(whole[0])
        #expect(all.count == jobs.count - 1)
        let split = files(SitemapRenderer(renderer: renderer, urlsPerFile: 7))
        let parts = split.filter { $0.path.hasPrefix("sitemap-") }
        #expect(parts.count == (all.count + 6) / 7)
        #expect(parts.flatMap(entries) == all)
        #expect(parts.dropLast().allSatisfy { entries($0).count == 7 })
        let index = String(decoding: split.first { $0.path == "sitemap.xml" }!.bytes, as: UTF8.self)
        #expect(index.contains("<sitemapindex"))
        #expect(index.contains("<loc>https://example.org/exhibition/sitemap-\(parts.count).xml</loc>"))
        for part in parts {
            let text = String(decoding: part.bytes, as: UTF8.self)
            #expect(text.hasPrefix("<?xml") && text.hasSuffix("</urlset>\n"))
        }
    }
}

@Suite struct SearchBytesTests {
    @Test func decimalsAreWhatStringWrites() {
        for number in [0, 1, 9, 10, 99, 100, 12345, Int.max, -1, -120] {
            var bytes: [UInt8] = []
            SearchIndex.appendDecimal(number, to: &bytes)
            #expect(bytes == Array(String(number).utf8))
        }
    }
}

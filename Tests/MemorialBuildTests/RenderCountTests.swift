import Foundation
import MemorialCore
import TestSupport
import Testing

@testable import MemorialBuild
@testable import MemorialContent

/// A rebuild renders exactly the pages whose inputs changed (in the manner of Hugo's
/// `AssertRenderCountPage`), counted by `BuildReport.rendered` and named by `renderedPaths`,
/// through `SiteBuilder.build` on the small fixture site (three published cases, 53 pages).
@Suite struct RenderCountTests {
    func build(_ site: TemporarySite) -> BuildReport {
        SiteBuilder.build(BuildOptions(siteRoot: site.root))
    }

    /// Gives every input file a new modification time, so that the next build reads every input
    /// and fingerprints every page instead of repeating the last build's report (removing the
    /// state would not do: a build without state compares every file with the disk).
    func forgetSnapshot(_ site: TemporarySite) throws {
        let content = site.root.appending(path: "content")
        let later = Date().addingTimeInterval(60)
        for case let path as String in FileManager.default.enumerator(atPath: content.path) ?? .init() {
            try FileManager.default.setAttributes(
                [.modificationDate: later], ofItemAtPath: content.appending(path: path).path)
        }
    }

    /// The HTML pages whose bytes differ between two listings of the output.
    func changedPages(_ before: [String: Data], _ after: [String: Data]) -> [String] {
        after.keys.filter { $0.hasSuffix(".html") && after[$0] != before[$0] }.sorted()
    }

    @Test func aFirstBuildRendersEveryPage() throws {
        let site = try TemporarySite()
        defer { site.remove() }
        let report = build(site)
        #expect(report.succeeded)
        #expect(report.pages == 53)
        #expect(report.rendered == 53)
        #expect(report.renderedPaths.count == 53)
        #expect(report.renderedPaths.contains("kk/cases/aliev-test/index.html"))
    }

    @Test func aRebuildWithoutChangesRendersNothing() throws {
        let site = try TemporarySite()
        defer { site.remove() }
        #expect(build(site).succeeded)
        // The input snapshot is unchanged: the saved report is repeated.
        let again = build(site)
        #expect(again.rendered == 0 && again.written == 0)
        // Every input read again and every page fingerprinted: still none rendered.
        try forgetSnapshot(site)
        let read = build(site)
        #expect(read.succeeded)
        #expect(read.pages == 53)
        #expect(read.rendered == 0)
        #expect(read.renderedPaths == [])
        #expect(read.written == 0)
    }

    @Test func editingANarrativesTextRendersItsCasePageAlone() throws {
        let site = try TemporarySite()
        defer { site.remove() }
        #expect(build(site).succeeded)
        let frontMatter = "---\ntitle: Тест Әлиев\nsummary: Ойдан шығарылған мұғалім.\n---\n\n"
        // The narrow scope (`BuildScope`).
        try site.write("content/cases/aliev-test/kk.md", frontMatter + "Жаңа мәтін.\n")
        let edited = build(site)
        #expect(edited.narrativeEditsOnly)
        #expect(edited.rendered == 1)
        #expect(edited.renderedPaths == ["kk/cases/aliev-test/index.html"])
        // The full path, every page fingerprinted, finds the same single page.
        try forgetSnapshot(site)
        try site.write("content/cases/aliev-test/kk.md", frontMatter + "Тағы жаңа мәтін.\n")
        let full = build(site)
        #expect(!full.narrativeEditsOnly)
        #expect(full.rendered == 1)
        #expect(full.renderedPaths == ["kk/cases/aliev-test/index.html"])
    }

    /// A narrative's title shows on the lists of cases: an edit that changes it is not the
    /// narrow scope's, and renders the case page and the lists that show the title.
    @Test func editingANarrativesTitleTakesTheWholeScope() throws {
        let site = try TemporarySite()
        defer { site.remove() }
        #expect(build(site).succeeded)
        try site.write(
            "content/cases/aliev-test/kk.md",
            "---\ntitle: Жаңа Әлиев\nsummary: Ойдан шығарылған мұғалім.\n---\n\nӘлиев Тест ойдан шығарылған.\n")
        let report = build(site)
        #expect(report.succeeded)
        #expect(report.scope == .everything)
        #expect(report.renderedPaths.contains("kk/cases/aliev-test/index.html"))
        #expect(report.rendered > 1)
    }

    /// A draft is not published by a build without drafts: editing its text renders nothing.
    @Test func editingADraftsTextRendersNothing() throws {
        let site = try TemporarySite()
        defer { site.remove() }
        #expect(build(site).succeeded)
        try site.write(
            "content/cases/petrov-sample/en.md",
            "---\nsummary: DRAFT-SUMMARY not yet ready.\nstatus: draft\n---\n\nDRAFT-BODY edited.\n")
        let report = build(site)
        #expect(report.succeeded)
        #expect(report.rendered == 0)
        #expect(report.written == 0)
        #expect(!filesUnder(site.output).values.contains { String(decoding: $0, as: UTF8.self).contains("DRAFT-BODY") })
    }

    @Test func editingANameRendersItsCasePagesAndTheListsThatShowIt() throws {
        let site = try TemporarySite()
        defer { site.remove() }
        #expect(build(site).succeeded)
        let before = filesUnder(site.output)
        let records = site.root.appending(path: "content/records/people.csv")
        let csv = try String(contentsOf: records, encoding: .utf8)
        try site.write(
            "content/records/people.csv", csv.replacingOccurrences(of: "Petrov Sample", with: "Petrov Renamed"))
        let report = build(site)
        #expect(report.succeeded)
        // Its case page in every language, its people's and its year's pages, its letter's
        // page and the search page (whose data holds every name) in every language.
        let expected = [
            "en/cases/petrov-sample/index.html", "en/names/p/index.html", "en/peoples/german/index.html",
            "en/search/index.html", "en/years/1938/index.html",
            "kk/cases/petrov-sample/index.html", "kk/names/п/index.html", "kk/peoples/german/index.html",
            "kk/search/index.html", "kk/years/1938/index.html",
            "ru/cases/petrov-sample/index.html", "ru/names/п/index.html", "ru/peoples/german/index.html",
            "ru/search/index.html", "ru/years/1938/index.html",
        ]
        #expect(report.rendered == expected.count)
        #expect(report.renderedPaths.sorted() == expected)
        // Of those, the English pages show the English name; the others show it only in the
        // case's fingerprint and the search data's version.
        #expect(changedPages(before, filesUnder(site.output)).allSatisfy(expected.contains))
        #expect(changedPages(before, filesUnder(site.output)).contains("en/names/p/index.html"))
    }

    /// Vocabularies are site-wide inputs (almost every page shows a label): changing a label
    /// renders every page, and only the pages that show it are written.
    @Test func changingAVocabularyLabelRendersEveryPageAndWritesThoseThatShowIt() throws {
        let site = try TemporarySite()
        defer { site.remove() }
        #expect(build(site).succeeded)
        let before = filesUnder(site.output)
        let peoples = site.root.appending(path: "content/vocabularies/peoples.yml")
        let yaml = try String(contentsOf: peoples, encoding: .utf8)
        try site.write(
            "content/vocabularies/peoples.yml", yaml.replacingOccurrences(of: "en: German}", with: "en: Germanic}"))
        let report = build(site)
        #expect(report.succeeded)
        #expect(report.rendered == 53)
        #expect(
            changedPages(before, filesUnder(site.output)) == [
                "en/cases/petrov-sample/index.html", "en/names/p/index.html", "en/peoples/german/index.html",
                "en/peoples/index.html", "en/search/index.html", "en/years/1938/index.html",
                "kk/search/index.html", "ru/search/index.html",
            ])
    }

    /// A site-wide input that changes no page's bytes (a charge no record has) renders every
    /// page and writes none: `rendered` tells this from a rebuild that rendered nothing.
    @Test func renderingEveryPageIsToldFromRenderingNone() throws {
        let site = try TemporarySite()
        defer { site.remove() }
        #expect(build(site).succeeded)
        try forgetSnapshot(site)
        let nothing = build(site)
        #expect(nothing.rendered == 0 && nothing.written == 0)

        let charges = site.root.appending(path: "content/vocabularies/charges.yml")
        let yaml = try String(contentsOf: charges, encoding: .utf8)
        try site.write("content/vocabularies/charges.yml", yaml + "\"58-12\": {en: \"Art. 58-12\"}\n")
        let everything = build(site)
        #expect(everything.succeeded)
        #expect(everything.rendered == 53)
        #expect(everything.written == 0)
    }

    /// A page's builder reads its cases and counts from its inputs alone (`source(of:)`), so
    /// that its fingerprint, made from the same inputs, covers everything it shows. Rendered
    /// from the real site's inputs by a renderer whose site keeps the addresses and the
    /// site-wide values but not a single case's data (nor the indexes, and one case more), every
    /// page is the same.
    @Test func pagesAreBuiltFromTheirInputsAlone() throws {
        let site = try TemporarySite()
        defer { site.remove() }
        var diagnostics = Diagnostics()
        let content = try #require(ContentLoader(siteRoot: site.root).load(diagnostics: &diagnostics))
        let templates = try #require(TemplateLibrary.load(siteRoot: site.root, diagnostics: &diagnostics))
        let resolved = SiteResolver(includeDrafts: false).resolve(content)
        let rootPath = SiteBuilder.rootPath(of: site.root)
        let read: @Sendable (Narrative) -> String? = { SiteBuilder.readNarrative($0, rootPath: rootPath) }
        let real = PageRenderer(site: resolved, templates: templates, readNarrative: read)

        var hollow = resolved
        let location = SourceLocation(file: "hollow.csv")
        hollow.cases =
            resolved.cases.map {
                Case(
                    record: Record(id: $0.id, location: location), narratives: [:], files: [],
                    fingerprint: Fingerprint())
            } + [
                Case(
                    record: Record(id: "zz-extra", location: location), narratives: [:], files: [],
                    fingerprint: Fingerprint())
            ]
        hollow.alphabetical = [:]
        hollow.peoples = [:]
        hollow.years = [:]
        hollow.orderedPeoples = [:]
        hollow.orderedYears = [:]
        hollow.peopleFacets = [:]
        hollow.yearFacets = [:]
        hollow.letters = resolved.letters.mapValues { $0.map { NameLetter(letter: $0.letter, members: []) } }
        let builder = PageRenderer(site: hollow, templates: templates, readNarrative: read)

        let jobs = real.jobs()
        #expect(jobs.count == 53)
        for job in jobs {
            let path = real.outputPath(of: job)
            #expect(builder.outputPath(of: job) == path)
            let expected = String(decoding: real.render(job).file.bytes, as: UTF8.self)
            let built = String(decoding: builder.render(job, from: real.source(of: job)).file.bytes, as: UTF8.self)
            #expect(built == expected, "\(path)")
        }
    }
}

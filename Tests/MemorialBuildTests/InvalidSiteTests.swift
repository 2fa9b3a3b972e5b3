import Foundation
import MemorialCore
import TestSupport
import Testing

@testable import MemorialBuild
@testable import MemorialContent

/// Each folder of `Tests/Fixtures/InvalidSites/` breaks one thing of the valid `Sites/minimal`
/// (its `site/` files replace the minimal site's) and lists in `expected.txt` exactly the
/// diagnostics a build must print; `many-errors` breaks several things at once.
@Suite struct InvalidSiteTests {
    static let cases =
        (try? FileManager.default.contentsOfDirectory(
            atPath: fixturesURL.appending(path: "InvalidSites").path))?.sorted() ?? []

    @Test func thereIsAFixtureForEveryKindOfBadInput() {
        #expect(
            Set(Self.cases).isSuperset(of: [
                "unterminated-csv-quote", "malformed-date", "impossible-date", "unknown-vocabulary-code",
                "duplicate-id", "invalid-id", "narrative-for-missing-record", "invalid-front-matter",
                "unknown-front-matter-key", "many-errors", "template-syntax-error", "template-unsupported-features",
                "template-section-never-closed",
            ]))
    }

    @Test(arguments: cases)
    func reportsTheExactDiagnostics(name: String) throws {
        let folder = fixturesURL.appending(path: "InvalidSites/\(name)")
        let site = try TemporarySite(fixture: "Sites/minimal")
        defer { site.remove() }
        try FileManager.default.copyContents(of: folder.appending(path: "site"), into: site.root)
        let expected = try String(contentsOf: folder.appending(path: "expected.txt"), encoding: .utf8)
            .split(separator: "\n").map(String.init)

        let report = SiteBuilder.build(BuildOptions(siteRoot: site.root))

        #expect(report.diagnostics.map { $0.formatted() } == expected)
        let onlyWarnings = expected.allSatisfy { $0.contains(": warning: ") }
        #expect(report.succeeded == onlyWarnings)
        #expect(FileManager.default.fileExists(atPath: site.output.path) == onlyWarnings)
        // check reports the same and writes nothing.
        let checked = SiteBuilder.check(BuildOptions(siteRoot: site.root, output: site.root.appending(path: "never")))
        #expect(checked.diagnostics.map { $0.formatted() } == expected)
        #expect(!FileManager.default.fileExists(atPath: site.root.appending(path: "never").path))
    }

    @Test func aMisnamedNarrativeIsToldItsName() throws {
        let text = "---\ntitle: Test Abenov\n---\n\nText.\n"
        let site = try TemporarySite(
            fixture: "Sites/minimal",
            files: [
                "content/cases/abenov-test/EN.md": text, "content/cases/abenov-test/kz.md": text,
                "content/cases/abenov-test/ru.markdown": text, "content/cases/abenov-tst/en.md": text,
            ])
        defer { site.remove() }
        let messages = SiteBuilder.check(BuildOptions(siteRoot: site.root)).diagnostics.map { $0.formatted() }
        let folder = "content/cases/abenov-test/"
        for expected in [
            folder + "EN.md:1:1: warning: 'EN' is not a site language (site.yml languages: kk, ru, en); file ignored; "
                + "rename it to en.md",
            folder + "kz.md:1:1: warning: 'kz' is not a site language (site.yml languages: kk, ru, en); file ignored; "
                + "rename it to kk.md",
            folder + "ru.markdown:1:1: warning: 'ru.markdown' is not read as a narrative: a narrative is named after "
                + "its language with '.md', so rename it to ru.md",
            "content/cases/abenov-tst/en.md:1:1: error: no record has id 'abenov-tst'; a narrative's folder must be "
                + "named after the id of a record in content/records/ (did you mean 'abenov-test'?)",
        ] {
            #expect(messages.contains(expected), "\(messages)")
        }
    }

    @Test func manyErrorsAreAllReportedInOneRun() throws {
        let folder = fixturesURL.appending(path: "InvalidSites/many-errors")
        let site = try TemporarySite(fixture: "Sites/minimal")
        defer { site.remove() }
        try FileManager.default.copyContents(of: folder.appending(path: "site"), into: site.root)
        let report = SiteBuilder.build(BuildOptions(siteRoot: site.root))
        #expect(report.diagnostics.filter { $0.severity == .error }.count >= 5)
        #expect(Set(report.diagnostics.map(\.location.file)).count == 3)
    }
}

extension FileManager {
    /// Copies every file under `source` to the same relative path under `destination`, replacing.
    func copyContents(of source: URL, into destination: URL) throws {
        for (path, data) in filesUnder(source) {
            let target = destination.appending(path: path)
            try createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: target)
        }
    }
}

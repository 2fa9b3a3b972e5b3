import Foundation
import MemorialCore
import TestSupport
import Testing

@testable import MemorialBuild

/// Nothing from outside the site root is published: a symbolic link or a FIFO under `content/`
/// or `templates/` is an error naming it (links are never followed, so a loop of them cannot
/// hang a build), and every value that becomes a folder of the output, and the site's address,
/// is checked where it is read. Links and FIFOs cannot be kept in git, so each site is made here.
@Suite struct SiteBoundaryTests {
    /// A file outside the site holding a string found nowhere else.
    struct Secret {
        let text = "secret-\(UUID().uuidString)"
        let url: URL

        init(_ content: (String) -> String = { $0 }) throws {
            url = FileManager.default.temporaryDirectory.appending(path: "memorial-outside-\(UUID().uuidString)")
            try Data(content(text).utf8).write(to: url)
        }

        func remove() { try? FileManager.default.removeItem(at: url) }
    }

    static let linkAdvice =
        "and Memorial follows no link, so that nothing from outside the site can be published: "
        + "copy the file or folder itself here instead"

    static func linkError(_ path: String, to target: String) -> String {
        "\(path):1:1: error: this is a symbolic link (to \(target)), \(linkAdvice)"
    }

    /// Builds and checks the site, expects exactly these diagnostics from both (`check` also
    /// warns of these first), and that no file the build wrote (output or state) holds the secret.
    func expectRefused(
        _ site: TemporarySite, _ expected: [String], checkFirst: [String] = [], secret: String? = nil
    ) {
        let report = SiteBuilder.build(BuildOptions(siteRoot: site.root))
        #expect(report.diagnostics.map { $0.formatted() } == expected)
        #expect(!report.succeeded)
        let checked = SiteBuilder.check(BuildOptions(siteRoot: site.root))
        #expect(checked.diagnostics.map { $0.formatted() } == checkFirst + expected)
        if let secret {
            let written =
                filesUnder(site.output).values.map { $0 }
                + filesUnder(site.root.appending(path: ".memorial")).values.map { $0 }
            #expect(!written.contains { String(decoding: $0, as: UTF8.self).contains(secret) })
        }
    }

    /// The minimal site, its narrative referring to these files of its case folder (so that a
    /// build that took them would publish them).
    /// What `check` says of a link in the narrative of `site(referringTo:)` to a file that is not
    /// in the folder (as the build sees it).
    static func missingFile(_ name: String) -> String {
        "content/cases/abenov-test/en.md:6:26: warning: link to '\(name)': there is no file of that name in this case's folder"
    }

    func site(referringTo files: [String] = []) throws -> TemporarySite {
        let links = files.map { "[\($0)](\($0))" }.joined(separator: " ")
        return try TemporarySite(
            fixture: "Sites/minimal",
            files: [
                "content/cases/abenov-test/en.md":
                    "---\ntitle: Test Abenov\nsummary: An invented person.\n---\n\nAbenov Test is invented. \(links)\n"
            ])
    }

    func link(_ site: TemporarySite, _ path: String, to target: String) throws {
        let url = site.root.appending(path: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? FileManager.default.removeItem(at: url)
        try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: target)
    }

    @Test func aMediaFileLinkedToAFileOutsideTheSiteIsAnErrorAndNotPublished() throws {
        let secret = try Secret()
        defer { secret.remove() }
        let site = try site(referringTo: ["scan.pdf"])
        defer { site.remove() }
        try link(site, "content/cases/abenov-test/scan.pdf", to: secret.url.path)
        expectRefused(
            site, [Self.linkError("content/cases/abenov-test/scan.pdf", to: secret.url.path)],
            checkFirst: [Self.missingFile("scan.pdf")], secret: secret.text)
    }

    @Test func aLinkToTheProcessEnvironmentIsAnError() throws {
        let site = try site(referringTo: ["env.txt"])
        defer { site.remove() }
        try link(site, "content/cases/abenov-test/env.txt", to: "/proc/self/environ")
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"
        expectRefused(
            site, [Self.linkError("content/cases/abenov-test/env.txt", to: "/proc/self/environ")],
            checkFirst: [Self.missingFile("env.txt")], secret: path)
    }

    @Test(.timeLimit(.minutes(10))) func loopsOfLinksAreErrorsAndDoNotHang() throws {
        let site = try TemporarySite(fixture: "Sites/minimal")
        defer { site.remove() }
        try link(site, "content/cases/abenov-test/a", to: "b")
        try link(site, "content/cases/abenov-test/b", to: "a")
        try link(site, "content/cases/abenov-test/up", to: "..")
        try link(site, "templates/assets/here", to: ".")
        expectRefused(
            site,
            [
                Self.linkError("content/cases/abenov-test/a", to: "b"),
                Self.linkError("content/cases/abenov-test/b", to: "a"),
                Self.linkError("content/cases/abenov-test/up", to: ".."),
                Self.linkError("templates/assets/here", to: "."),
            ])
    }

    @Test(.timeLimit(.minutes(10))) func aFIFOInACaseFolderIsAnErrorAndIsNotOpened() throws {
        let site = try site(referringTo: ["scan.pdf"])
        defer { site.remove() }
        #expect(mkfifo(site.root.appending(path: "content/cases/abenov-test/scan.pdf").path, 0o644) == 0)
        expectRefused(
            site,
            [
                "content/cases/abenov-test/scan.pdf:1:1: error: this is a FIFO, not a regular file; "
                    + "Memorial reads only regular files and folders: put the file itself here"
            ], checkFirst: [Self.missingFile("scan.pdf")])
    }

    @Test func linkedRecordsNarrativesPagesVocabulariesAndStylesheetsAreErrors() throws {
        let records = try Secret { "id,name_en\n\($0),Secret Person\n" }
        let narrative = try Secret { "---\nsummary: \($0)\n---\n\n\($0)\n" }
        let vocabulary = try Secret { "\($0): {kk: a, ru: b, en: c}\n" }
        let stylesheet = try Secret { "body { content: '\($0)' }\n" }
        defer { for secret in [records, narrative, vocabulary, stylesheet] { secret.remove() } }
        let site = try TemporarySite(fixture: "Sites/minimal")
        defer { site.remove() }
        try link(site, "content/records/more.csv", to: records.url.path)
        try link(site, "content/cases/kim-sample/en.md", to: narrative.url.path)
        try link(site, "content/pages/about/en.md", to: narrative.url.path)
        try link(site, "content/vocabularies/extra.yml", to: vocabulary.url.path)
        try link(site, "templates/assets/style.css", to: stylesheet.url.path)
        expectRefused(
            site,
            [
                Self.linkError("content/cases/kim-sample/en.md", to: narrative.url.path),
                Self.linkError("content/pages/about/en.md", to: narrative.url.path),
                Self.linkError("content/records/more.csv", to: records.url.path),
                Self.linkError("content/vocabularies/extra.yml", to: vocabulary.url.path),
                Self.linkError("templates/assets/style.css", to: stylesheet.url.path),
            ])
        for secret in [records, narrative, vocabulary, stylesheet] {
            #expect(
                !filesUnder(site.output).values.contains { String(decoding: $0, as: UTF8.self).contains(secret.text) })
        }
    }

    @Test func aLinkedContentFolderOrSiteFileIsAnError() throws {
        let site = try TemporarySite(fixture: "Sites/minimal")
        defer { site.remove() }
        let elsewhere = try TemporarySite(fixture: "Sites/minimal")
        defer { elsewhere.remove() }
        try link(site, "content/site.yml", to: elsewhere.root.appending(path: "content/site.yml").path)
        expectRefused(
            site, [Self.linkError("content/site.yml", to: elsewhere.root.appending(path: "content/site.yml").path)])
        try FileManager.default.removeItem(at: site.root.appending(path: "content"))
        try link(site, "content", to: elsewhere.root.appending(path: "content").path)
        expectRefused(site, [Self.linkError("content", to: elsewhere.root.appending(path: "content").path)])
    }

    @Test func codesThatCannotBeFolderNamesAreErrorsWhereTheyAreDefined() throws {
        let site = try TemporarySite(
            fixture: "Sites/minimal",
            files: [
                "content/vocabularies/peoples.yml": """
                kazakh: {kk: қазақ, ru: казах, en: Kazakh}
                korean: {kk: корей, ru: кореец, en: Korean}
                "..": {kk: a, ru: a, en: a}
                ".": {kk: a, ru: a, en: a}
                "a/b": {kk: a, ru: a, en: a}
                .hidden: {kk: a, ru: a, en: a}
                crimean_tatar: {kk: қырым татары, ru: крымский татарин, en: Crimean Tatar}

                """
            ])
        defer { site.remove() }
        let form = "use 1 to 64 lower-case Latin letters, digits, '-', '_' and '.', starting with a letter or digit"
        expectRefused(
            site,
            [
                "content/vocabularies/peoples.yml:3:1: error: invalid code '..': \(form)",
                "content/vocabularies/peoples.yml:4:1: error: invalid code '.': \(form)",
                "content/vocabularies/peoples.yml:5:1: error: invalid code 'a/b': \(form)",
                "content/vocabularies/peoples.yml:6:1: error: invalid code '.hidden': \(form)",
            ])
        #expect(!FileManager.default.fileExists(atPath: site.output.path))
    }

    @Test func aRecordUsingADotDotPeopleCodeIsAnError() throws {
        let site = try TemporarySite(
            fixture: "Sites/minimal",
            files: [
                "content/records/people.csv": """
                id,name_en,people
                abenov-test,Abenov Test,..
                kim-sample,Kim Sample,korean

                """
            ])
        defer { site.remove() }
        expectRefused(
            site,
            [
                "content/records/people.csv:2:25: error: unknown people code '..' (known: greek, kazakh, korean); "
                    + "add it to content/vocabularies/peoples.yml or correct the cell"
            ])
        #expect(!FileManager.default.fileExists(atPath: site.root.appending(path: "public/index.html").path))
    }

    @Test(arguments: [
        (
            String(repeating: "https://example.org/" + String(repeating: "a", count: 1000), count: 8 * 1024),
            "is 8355840 bytes long; an address may have at most 2,000, e.g. https://example.org/exhibition/"
        ),
        (
            "https://example.org/<script>alert(1)</script>",
            "contains '<'; an address may not contain spaces, quotes, '<', '>', '\\', '`' or control characters "
                + "(percent-encode them), e.g. https://example.org/exhibition/"
        ),
        (
            "https://example.org/my exhibition/",
            "contains U+0020; an address may not contain spaces, quotes, '<', '>', '\\', '`' or control characters "
                + "(percent-encode them), e.g. https://example.org/exhibition/"
        ),
        ("https:///nohost", "has no host name, e.g. https://example.org/exhibition/"),
    ])
    func aBaseURLThatIsNotAPlainAddressIsAnErrorAtItsLine(url: String, problem: String) throws {
        let site = try TemporarySite(
            fixture: "Sites/minimal",
            files: [
                "content/site.yml": "languages: [kk, ru, en]\nbase_url: \"\(url)\"\ntitle: {kk: a, ru: b, en: c}\n"
            ])
        defer { site.remove() }
        expectRefused(site, ["content/site.yml:2:11: error: base_url \(problem)"])
        #expect(!FileManager.default.fileExists(atPath: site.output.path))
    }

    @Test func everyValueThatBecomesAFolderFollowsOneRule() {
        for valid in ["58-10", "crimean_tatar", "1937", "a", "58-1a", "v1.2", String(repeating: "a", count: 64)] {
            #expect(Identifier.isPathSegment(valid), "\(valid)")
        }
        for invalid in [
            "", ".", "..", ".hidden", "a/b", "a\\b", "a\u{0}b", "A", "a b", "-a", "_a",
            String(repeating: "a", count: 65),
            "қазақ",
        ] {
            #expect(!Identifier.isPathSegment(invalid), "\(invalid)")
        }
        // Ids and slugs are a stricter form of the same.
        for id in ["abenov-test", "kim-sample", "a1"] {
            #expect(Identifier.isValidID(id) && Identifier.isPathSegment(id))
        }
    }
}

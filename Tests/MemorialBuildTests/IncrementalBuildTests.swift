import Foundation
import MemorialCore
import TestSupport
import Testing

@testable import MemorialBuild
@testable import MemorialContent

/// Rebuilds render only what changed, write only files whose bytes changed, remove what no
/// longer belongs, and always equal a full build of the same input, byte for byte.
@Suite struct IncrementalBuildTests {
    func build(_ site: TemporarySite, into output: URL? = nil) -> BuildReport {
        SiteBuilder.build(stateBeside(BuildOptions(siteRoot: site.root, output: output)))
    }

    func modificationDates(_ folder: URL) -> [String: Date] {
        var dates: [String: Date] = [:]
        for path in filesUnder(folder).keys {
            dates[path] =
                (try? FileManager.default.attributesOfItem(atPath: folder.appending(path: path).path))?[
                    .modificationDate] as? Date
        }
        return dates
    }

    @Test func aRebuildWithoutChangesWritesNothing() throws {
        let site = try TemporarySite()
        defer { site.remove() }
        let first = build(site)
        #expect(first.succeeded)
        #expect(first.written == 91 && first.unchanged == 0)
        let dates = modificationDates(site.output)
        let second = build(site)
        #expect(second.succeeded)
        #expect(second.written == 0 && second.removed == 0 && second.unchanged == 91)
        #expect(modificationDates(site.output) == dates)
        // The warnings of narratives that were not rendered again are still reported.
        #expect(second.diagnostics == first.diagnostics)
        #expect(second.diagnostics.count == 4)

        // Without the saved state (in .memorial/, not in the output), every input is read
        // again, every page rendered and compared with the disk, and still nothing is written.
        let state = site.root.appending(path: ".memorial/build")
        #expect(FileManager.default.fileExists(atPath: state.path))
        #expect(!filesUnder(site.output).keys.contains { $0.contains("/.") || $0.hasPrefix(".") })
        try FileManager.default.removeItem(at: state)
        let third = build(site)
        #expect(third.written == 0 && third.removed == 0 && third.unchanged == 91)
        #expect(third.diagnostics == first.diagnostics)
        #expect(modificationDates(site.output) == dates)

        // A file saved again with the same content is read, and nothing is written either.
        let narrative = site.root.appending(path: "content/cases/aliev-test/en.md")
        try Data(contentsOf: narrative).write(to: narrative)
        let fourth = build(site)
        #expect(fourth.written == 0 && fourth.unchanged == 91)
        #expect(modificationDates(site.output) == dates)
    }

    @Test func editingANarrativesTextRewritesOnlyItsPage() throws {
        let site = try TemporarySite()
        defer { site.remove() }
        #expect(build(site).succeeded)
        let before = filesUnder(site.output)
        try site.write(
            "content/cases/aliev-test/kk.md",
            "---\ntitle: Тест Әлиев\nsummary: Ойдан шығарылған мұғалім.\n---\n\nӘлиев Тест ойдан шығарылған. ЖАҢА.\n")
        let report = build(site)
        #expect(report.written == 1)
        let after = filesUnder(site.output)
        let changed = after.keys.filter { after[$0] != before[$0] }.sorted()
        #expect(changed == ["kk/cases/aliev-test/index.html"])
    }

    /// Edits of narrative texts alone are rebuilt from the edited cases (`BuildScope.narratives`);
    /// any other edit, or one that the shortcut cannot vouch for, takes the full path. Both
    /// give what a full build into an empty folder gives, warnings included.
    @Test func editedNarrativeTextsAreRebuiltFromTheirCasesAlone() throws {
        let site = try TemporarySite(files: ["content/cases/aliev-test/letter.pdf": "PDF-BYTES"])
        defer { site.remove() }
        #expect(build(site).succeeded)
        let frontMatter = "---\ntitle: Тест Әлиев\nsummary: Ойдан шығарылған мұғалім.\n---\n\n"
        var step = 0
        func rebuild(_ text: String, shortcut: Bool, written: Int? = nil, _ comment: Comment) throws {
            step += 1
            try site.write("content/cases/aliev-test/kk.md", text)
            let report = build(site)
            let full = site.root.appending(path: "full-\(step)")
            let fullReport = build(site, into: full)
            #expect(report.succeeded, comment)
            #expect(report.narrativeEditsOnly == shortcut, comment)
            if let written { #expect(report.written == written, comment) }
            #expect(report.diagnostics == fullReport.diagnostics, comment)
            #expect(filesUnder(site.output) == filesUnder(full), comment)
        }
        try rebuild(frontMatter + "Жаңа мәтін.\n", shortcut: true, written: 1, "text edited")
        try rebuild(frontMatter + "Жаңа <b>мәтін</b>.\n", shortcut: true, written: 1, "raw HTML: a warning")
        #expect(build(site).diagnostics.contains { $0.message.hasPrefix("raw HTML") && $0.location.line == 6 })
        try rebuild(frontMatter + "Мәтін.\n", shortcut: true, written: 1, "the warning is gone")
        try rebuild(
            "---\ntitle: Тест Әлиев\nsummary: Басқа.\n---\n\nМәтін.\n", shortcut: false, "front matter edited")
        let letter = site.output.appending(path: "media/aliev-test/letter.pdf").path
        try rebuild(
            "---\ntitle: Тест Әлиев\nsummary: Басқа.\n---\n\n[Хат](letter.pdf)\n", shortcut: true, written: 2,
            "a case file linked: published with the page")
        #expect(FileManager.default.fileExists(atPath: letter))
        try rebuild(
            "---\ntitle: Тест Әлиев\nsummary: Басқа.\n---\n\n[Хат](letter.pdf), қайта.\n", shortcut: true,
            written: 1, "the same file linked again")
        try rebuild(
            "---\ntitle: Тест Әлиев\nsummary: Басқа.\n---\n\nХат жоқ.\n", shortcut: true, written: 1,
            "the link removed: the file goes")
        #expect(!FileManager.default.fileExists(atPath: letter))
        try rebuild(
            "---\ntitle: Тест Әлиев\nsummary: Басқа.\n---\n\n[Хат](letter.pdf)\n", shortcut: true, written: 2,
            "linked once more")
        // A body edit that comes with an error is the full path's, which reports it and leaves
        // the output as it was.
        let before = filesUnder(site.output)
        try site.write("content/cases/aliev-test/kk.md", "---\ntitle: Тест Әлиев\nsummary: [Басқа\n---\n\nМәтін.\n")
        let failed = build(site)
        #expect(!failed.succeeded && !failed.narrativeEditsOnly)
        #expect(failed.diagnostics.contains { $0.severity == .error && $0.location.file.hasSuffix("aliev-test/kk.md") })
        #expect(filesUnder(site.output) == before)
        try rebuild(frontMatter + "Мәтін.\n", shortcut: false, "mended: the full path after a failure")
        // A new narrative is not the shortcut's either.
        try site.write("content/cases/aliev-test/ru.md", "---\nsummary: Новое.\n---\n\nТекст.\n")
        try rebuild(frontMatter + "Мәтін!\n", shortcut: false, "a narrative added")
    }

    @Test func removedRecordsLeaveNoFileOrEmptyFolderBehind() throws {
        let site = try TemporarySite()
        defer { site.remove() }
        #expect(build(site).succeeded)
        let csv = try String(contentsOf: site.root.appending(path: "content/records/people.csv"), encoding: .utf8)
        try site.write(
            "content/records/people.csv",
            csv.split(separator: "\n").filter { !$0.hasPrefix("petrov-sample") }.joined(separator: "\n") + "\n")
        try site.write("content/cases/petrov-sample/en.md", nil)
        let report = build(site)
        #expect(report.succeeded)
        #expect(report.removed >= 5)
        let manager = FileManager.default
        for language in ["kk", "ru", "en"] {
            #expect(!manager.fileExists(atPath: site.output.appending(path: "\(language)/cases/petrov-sample").path))
            #expect(!manager.fileExists(atPath: site.output.appending(path: "\(language)/peoples/german").path))
        }
    }

    /// A series of random edits of every kind of input; after each, an incremental build must
    /// equal a full build of the same content into an empty folder.
    @Test(arguments: [1, 2, 3])
    func incrementalBuildsEqualFullBuildsOverRandomEdits(seed: UInt64) throws {
        let site = try TemporarySite(files: [
            "content/cases/aliev-test/scan.png": "PNG-BYTES-1",
            "content/cases/aliev-test/letter.pdf": "PDF-BYTES",
        ])
        defer { site.remove() }
        var random = SplitMix64(seed: seed)
        let incremental = site.root.appending(path: "incremental")
        #expect(build(site, into: incremental).succeeded)
        var kinds: [String] = []
        for step in 0..<24 {
            let kind = try RandomEdit.apply(to: site, step: step, random: &random)
            kinds.append(kind)
            let full = site.root.appending(path: "full-\(step)")
            let incrementalReport = build(site, into: incremental)
            let fullReport = build(site, into: full)
            #expect(incrementalReport.succeeded, "step \(step) (\(kind)): \(incrementalReport.diagnostics)")
            #expect(incrementalReport.diagnostics == fullReport.diagnostics, "step \(step) (\(kind))")
            let a = filesUnder(incremental)
            let b = filesUnder(full)
            #expect(a.keys.sorted() == b.keys.sorted(), "step \(step) (\(kind))")
            for (path, data) in b where a[path] != data {
                Issue.record("step \(step) (\(kind)): \(path) differs from a full build")
            }
            try? FileManager.default.removeItem(at: full)
        }
        #expect(Set(kinds).count >= 8, "edits made: \(kinds)")
    }
}

/// The edits a curator, an archivist or a web team makes, applied to the `Sites/small` fixture.
enum RandomEdit {
    static let kinds = [
        "record field", "record added", "record removed", "record restricted", "narrative text", "narrative summary",
        "narrative added", "narrative removed", "narrative draft", "vocabulary label", "template", "stylesheet",
        "interface string", "site title", "free page", "media linked", "media changed", "media unlinked",
        "record name", "record year", "people label", "shot sentences",
    ]

    static func apply(to site: TemporarySite, step: Int, random: inout SplitMix64) throws -> String {
        let kind = kinds.randomElement(using: &random)!
        let n = Int.random(in: 0..<1000, using: &random)
        let records = site.root.appending(path: "content/records/people.csv")
        var csv = try String(contentsOf: records, encoding: .utf8)
        switch kind {
        case "record field":
            csv = csv.replacingOccurrences(of: "Engineer", with: "Engineer \(n)")
                .replacingOccurrences(of: ",1905,", with: ",19\(10 + n % 80),")
            try site.write("content/records/people.csv", csv)
        case "record added":
            csv +=
                "added-\(n),Қосылған \(n),Добавленный \(n),Added \(n),19\(10 + n % 80),,kazakh,,1937,1938-0\(1 + n % 9),execution,58-10,nkvd-troika,,,,,,,\n"
            try site.write("content/records/people.csv", csv)
        case "record removed":
            let lines = csv.split(separator: "\n", omittingEmptySubsequences: false)
            let removable = lines.indices.filter { lines[$0].hasPrefix("added-") }
            if let index = removable.randomElement(using: &random) {
                try site.write(
                    "content/records/people.csv",
                    lines.enumerated().filter { $0.offset != index }
                        .map(\.element).joined(separator: "\n"))
            }
        case "record restricted":
            let lines = csv.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let candidates = lines.indices.filter { lines[$0].hasPrefix("added-") }
            if let index = candidates.randomElement(using: &random) {
                var edited = lines
                edited[index] = String(edited[index].dropLast()) + "restricted,"
                try site.write("content/records/people.csv", edited.joined(separator: "\n"))
            }
        case "record name":
            // Names are in the search files, the names index and every list.
            let names = ["Petrov Sample", "Bekov Sample \(n)", "Ärmanov \(n)", "Zhaksy Petrov"]
            csv = csv.replacingOccurrences(
                of: #"(?m)^petrov-sample,([^,]*),([^,]*),[^,]*,"#, with: "petrov-sample,$1,$2,\(names[n % 4]),",
                options: .regularExpression)
            try site.write("content/records/people.csv", csv)
        case "record year":
            // Years move cases between year pages, facets and chart bars.
            csv = csv.replacingOccurrences(
                of: #"(?m)^(petrov-sample,(?:[^,]*,){8})[^,]*,"#, with: "$1\(1930 + n % 12),",
                options: .regularExpression)
            try site.write("content/records/people.csv", csv)
        case "people label":
            try site.write(
                "content/vocabularies/peoples.yml",
                "kazakh: {kk: қазақ, ru: казах, en: Kazakh \(n % 3)}\ngerman: {kk: неміс, ru: немец, en: German}\n"
                    + "lithuanian: {ru: литовец, en: Lithuanian}\n")
        case "shot sentences":
            try site.write(
                "content/site.yml",
                "base_url: https://example.org/exhibition/\nlanguages: [kk, ru, en]\n"
                    + "title: {kk: \"Көрме\", ru: \"Выставка\", en: \"Exhibition\"}\n"
                    + (n % 2 == 0 ? "shot_sentences: [execution, camp-10-years]\n" : ""))
        case "narrative text":
            try site.write(
                "content/cases/aliev-test/kk.md",
                "---\ntitle: Тест Әлиев\nsummary: Ойдан шығарылған мұғалім.\n---\n\nМәтін \(n). [Хат](letter.pdf)\n")
        case "narrative summary":
            try site.write(
                "content/cases/aliev-test/kk.md", "---\ntitle: Тест Әлиев\nsummary: Түйін \(n).\n---\n\nМәтін.\n")
        case "narrative added":
            try site.write("content/cases/zhaksy-example/ru.md", "---\nsummary: Сводка \(n).\n---\n\nТекст \(n).\n")
        case "narrative removed":
            try site.write("content/cases/zhaksy-example/ru.md", nil)
        case "narrative draft":
            try site.write(
                "content/cases/zhaksy-example/en.md",
                "---\nstatus: \(n % 2 == 0 ? "draft" : "published")\n---\n\nText.\n")
        case "vocabulary label":
            try site.write(
                "content/vocabularies/bodies.yml",
                "nkvd-troika: {kk: НКВД үштігі, ru: тройка НКВД, en: NKVD troika \(n)}\n")
        case "template":
            try site.write(
                "templates/group.mustache",
                n % 3 == 0
                    ? nil
                    : "{{<base}}{{$main}}<h1>{{heading}} \(n)</h1>{{#cases}}<p>{{name}}</p>{{/cases}}{{/main}}{{/base}}\n"
            )
        case "stylesheet":
            try site.write("templates/assets/style.css", n % 3 == 0 ? nil : "body { margin: \(n)px; }\n")
        case "interface string":
            try site.write("content/i18n/ru.yml", "home: Главная \(n)\n")
        case "site title":
            try site.write(
                "content/site.yml",
                "base_url: https://example.org/exhibition/\nlanguages: [kk, ru, en]\ntitle: {kk: \"Көрме \(n)\", ru: \"Выставка\", en: \"Exhibition\"}\n"
            )
        case "free page":
            try site.write(
                "content/pages/about/\(["kk", "ru", "en"][n % 3]).md",
                n % 4 == 0 ? nil : "---\ntitle: About \(n)\n---\n\nText \(n).\n")
        case "media linked":
            try site.write(
                "content/cases/aliev-test/kk.md",
                "---\ntitle: Тест Әлиев\n---\n\n[Скан \(n)](scan.png)\n")
        case "media changed":
            try site.write("content/cases/aliev-test/scan.png", "PNG-BYTES-\(n)-LONGER")
        default:
            try site.write("content/cases/aliev-test/kk.md", "---\ntitle: Тест Әлиев\n---\n\nМәтін \(n).\n")
        }
        return kind
    }
}

/// The load cache (`.memorial/cache`) spares parsing unchanged narratives; it must never make a
/// rebuild differ from a full build, report less, or keep what is no longer valid.
@Suite struct LoadCacheTests {
    func build(_ site: TemporarySite, into output: URL? = nil) -> BuildReport {
        SiteBuilder.build(stateBeside(BuildOptions(siteRoot: site.root, output: output)))
    }

    @Test func aNarrativeKeptByTheCacheIsStillCheckedAgainstItsFolder() throws {
        let site = try TemporarySite(files: [
            "content/cases/aliev-test/kk.md": "---\ntitle: Тест\ndocuments:\n  - {file: scan.png}\n---\n\nМәтін.\n"
        ])
        defer { site.remove() }
        try onePixelPNG.write(to: site.root.appending(path: "content/cases/aliev-test/scan.png"))
        #expect(build(site).succeeded)
        let cache = try Data(contentsOf: site.root.appending(path: ".memorial/cache"))
        #expect(String(decoding: cache, as: UTF8.self).contains("scan.png"))
        try site.write("content/cases/aliev-test/scan.png", nil)
        let report = build(site)
        #expect(!report.succeeded)
        #expect(report.diagnostics.contains { $0.severity == .error && $0.location.file.hasSuffix("aliev-test/kk.md") })
        #expect(try Data(contentsOf: site.root.appending(path: ".memorial/cache")) == cache)
    }

    @Test func aDamagedOrForeignCacheIsIgnored() throws {
        let site = try TemporarySite()
        defer { site.remove() }
        let full = site.root.appending(path: "full")
        let first = build(site)
        #expect(first.succeeded)
        let prefix = StateFolder(BuildOptions(siteRoot: site.root)).prefix(.cache)
        let damages: [[UInt8]] = [
            prefix + [1], Array("memorial-state 3\n".utf8), [], prefix, prefix + [255, 255, 255, 255],
            Array(prefix.dropLast()),
        ]
        for damage in damages {
            try Data(damage).write(to: site.root.appending(path: ".memorial/cache"))
            // A narrative saved again: the build cannot be skipped, and reads the cache.
            let narrative = site.root.appending(path: "content/cases/aliev-test/en.md")
            try Data(contentsOf: narrative).write(to: narrative)
            let report = build(site)
            #expect(report.succeeded)
            #expect(report.diagnostics == first.diagnostics)
        }
        #expect(build(site, into: full).succeeded)
        #expect(filesUnder(site.output) == filesUnder(full))
    }

    @Test func warningsOfCachedNarrativesAreReportedAsWhenParsed() throws {
        let site = try TemporarySite(files: [
            "content/cases/aliev-test/ru.md": "---\nsumary: typo\n---\n\nТекст.\n"
        ])
        defer { site.remove() }
        let first = build(site)
        #expect(first.diagnostics.contains { $0.message.contains("sumary") })
        try FileManager.default.removeItem(at: site.root.appending(path: ".memorial/build"))
        let second = build(site)
        #expect(second.diagnostics == first.diagnostics)
        #expect(second.written == 0)
    }
}

extension LoadCacheTests {
    func content(_ site: TemporarySite) -> SiteContent {
        var diagnostics = Diagnostics()
        return ContentLoader(siteRoot: site.root).load(diagnostics: &diagnostics)!
    }

    @Test func cachedOrdersAreUsedOnlyForTheSameRecords() throws {
        let site = try TemporarySite()
        defer { site.remove() }
        let resolver = SiteResolver(includeDrafts: false)
        let (fresh, orders) = resolver.resolve(content(site), cached: nil)
        let made = try #require(orders)
        #expect(made.sorted["en"]?.order.map(Int.init) == fresh.alphabetical["en"])
        // The same records: the cached order is taken as it is (here, reversed on purpose).
        var reversed = made
        reversed.sorted["en"]?.order.reverse()
        let (reused, _) = resolver.resolve(content(site), cached: reversed)
        #expect(reused.alphabetical["en"] == fresh.alphabetical["en"]?.reversed())
        // A damaged one is not.
        var damaged = made
        damaged.sorted["en"]?.order[0] = 999
        #expect(resolver.resolve(content(site), cached: damaged).site.alphabetical["en"] == fresh.alphabetical["en"])
        // Other records: sorted again.
        let csv = try String(contentsOf: site.root.appending(path: "content/records/people.csv"), encoding: .utf8)
        try site.write(
            "content/records/people.csv", csv.replacingOccurrences(of: "Petrov Sample", with: "Aaron Sample"))
        let (changed, newOrders) = resolver.resolve(content(site), cached: reversed)
        #expect(newOrders?.key != made.key)
        #expect(changed.alphabetical["en"] != reused.alphabetical["en"])
        #expect(changed.alphabetical["en"]?.first.map { changed.cases[$0].id } == "petrov-sample")
    }
}

extension LoadCacheTests {
    /// Sets every file under `folder` to a modification time an hour ago (files written by a
    /// test are too recent for the saved state to vouch for them).
    func age(_ folder: URL) throws {
        let manager = FileManager.default
        let past = Date(timeIntervalSinceNow: -3600)
        for path in filesUnder(folder).keys {
            try manager.setAttributes([.modificationDate: past], ofItemAtPath: folder.appending(path: path).path)
        }
    }

    @Test func narrativesKnownFromTheSavedStateAreNotReadAgainButEditsAreSeen() throws {
        let site = try TemporarySite()
        defer { site.remove() }
        try age(site.root.appending(path: "content"))
        #expect(build(site).succeeded)
        // Known to the saved state now: the build trusts their status. An edit changes it.
        try site.write(
            "content/cases/aliev-test/kk.md", "---\ntitle: Тест Әлиев\nsummary: Жаңа.\n---\n\nЖаңа мәтін.\n")
        let report = build(site)
        #expect(report.succeeded)
        let page = try String(
            contentsOf: site.output.appending(path: "kk/cases/aliev-test/index.html"), encoding: .utf8)
        #expect(page.contains("Жаңа мәтін."))
        let full = site.root.appending(path: "full")
        #expect(build(site, into: full).succeeded)
        #expect(filesUnder(site.output) == filesUnder(full))
        // A narrative edited in the same second as the walk is read, not trusted.
        try age(site.root.appending(path: "content"))
        #expect(build(site).succeeded)
        try site.write("content/cases/aliev-test/kk.md", "---\ntitle: Тест Әлиев\n---\n\nҮшінші.\n")
        #expect(build(site).succeeded)
        let third = try String(
            contentsOf: site.output.appending(path: "kk/cases/aliev-test/index.html"), encoding: .utf8)
        #expect(third.contains("Үшінші."))
    }
}

/// Options whose state folder sits beside their output: the default state folder describes the
/// default output only, and a build into another folder with it would make the next build of
/// the default output a full one.
func stateBeside(_ options: BuildOptions) -> BuildOptions {
    guard let output = options.output else { return options }
    var options = options
    options.cacheFolder = output.deletingLastPathComponent().appending(path: ".state-\(output.lastPathComponent)")
    return options
}

extension IncrementalBuildTests {
    /// The open dataset is made only when the records change, and then written anew.
    @Test func editingARecordRewritesTheDataset() throws {
        let site = try TemporarySite()
        defer { site.remove() }
        #expect(build(site).succeeded)
        let csv = site.output.appending(path: "data/records.csv")
        let json = site.output.appending(path: "data/records.json")
        let before = try String(contentsOf: csv, encoding: .utf8)
        #expect(before.contains("Testgrad"))
        let again = build(site)
        #expect(again.rendered == 0 && again.written == 0)
        let records = site.root.appending(path: "content/records/people.csv")
        let text = try String(contentsOf: records, encoding: .utf8)
        try site.write("content/records/people.csv", text.replacingOccurrences(of: "Testgrad", with: "Testburg"))
        let edited = build(site)
        #expect(edited.succeeded)
        let after = try String(contentsOf: csv, encoding: .utf8)
        #expect(after == before.replacingOccurrences(of: "Testgrad", with: "Testburg"))
        #expect(try String(contentsOf: json, encoding: .utf8).contains("\"death_place_en\":\"Testburg\""))
    }
}

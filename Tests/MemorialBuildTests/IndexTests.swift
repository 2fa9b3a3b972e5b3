import Foundation
import MemorialCore
import TestSupport
import Testing

@testable import MemorialBuild
@testable import MemorialContent

@Suite struct IndexTests {
    @Test func kazakhNamesSortInTheKazakhAlphabet() {
        let collator = NameCollator(language: "kk")
        let names = [
            "Яхин", "Іскаков", "Һасанов", "Үсенов", "Ұлықбеков", "Ғабитов", "Әлиев", "Ақанов", "Абаев", "Өтебаев",
            "Оспанов", "Қасымов", "Кенжин", "Ңаев", "Нұров", "Шалов", "Ыбыраев",
        ]
        let sorted = names.sorted { collator.sortKey($0).lexicographicallyPrecedes(collator.sortKey($1)) }
        #expect(
            sorted == [
                "Абаев", "Ақанов", "Әлиев", "Ғабитов", "Кенжин", "Қасымов", "Нұров", "Ңаев", "Оспанов", "Өтебаев",
                "Ұлықбеков", "Үсенов", "Һасанов", "Шалов", "Ыбыраев", "Іскаков", "Яхин",
            ])
    }

    @Test func otherLettersSortAfterTheirBaseAndOtherScriptsAfterTheAlphabet() {
        func sorted(_ names: [String], _ language: String) -> [String] {
            let collator = NameCollator(language: language)
            return names.sorted { collator.sortKey($0).lexicographicallyPrecedes(collator.sortKey($1)) }
        }
        #expect(
            sorted(["Bukeikhanov", "Bökeikhanov", "Bpa", "Boz", "bolat", "Zhansugurov", "Бөкейханов"], "en")
                == ["bolat", "Boz", "Bökeikhanov", "Bpa", "Bukeikhanov", "Zhansugurov", "Бөкейханов"])
        #expect(
            sorted(["Ёлкин", "Ежов", "Жуков", "Ким Образец", "Кимов"], "ru") == [
                "Ежов", "Ёлкин", "Жуков", "Ким Образец", "Кимов",
            ])
        #expect(sorted(["Zhansugurov", "Жансүгіров", "Абаев"], "kk") == ["Абаев", "Жансүгіров", "Zhansugurov"])
    }

    /// The table-driven key is the Character walk's key, for any mix of scripts and marks.
    @Test func fastSortKeysEqualTheCharacterWalk() {
        var random = SplitMix64(seed: 11)
        let pieces = [
            "a", "Z", "ö", "O\u{308}", "Ә", "ә", "Ё", "Е\u{308}", "İ", "ß", " ", "-", "'", "1", "\u{301}", "Σ", "ς",
            "\u{483}", "中", "\u{0600}", "\t", "Ø", "ǅ", "Ɐ", "Ꙁ", "\u{00AD}", "\u{00A0}", "Қ", "ң", "І",
        ]
        for language in ["kk", "ru", "en", "de"] {
            let collator = NameCollator(language: language)
            for _ in 0..<2000 {
                let name = (0..<Int.random(in: 1...6, using: &random)).map { _ in
                    pieces.randomElement(using: &random)!
                }.joined()
                #expect(collator.sortKey(name) == collator.characterSortKey(name), "\(name.debugDescription)")
            }
        }
    }

    @Test func stableSortingByKeyKeepsTheOrderOfEqualKeys() {
        var random = SplitMix64(seed: 9)
        for _ in 0..<500 {
            let members = (0..<Int.random(in: 0...40, using: &random)).map { _ in
                Int.random(in: 0..<1000, using: &random)
            }
            let choices = [1937, 1938, 1950, Int.max, 0, 5, 9000]
            let keyOf = Dictionary(members.map { ($0, choices.randomElement(using: &random)!) }) { first, _ in first }
            let sorted = SiteResolver.stableSorted(members) { keyOf[$0]! }
            let expected = members.enumerated().sorted {
                (keyOf[$0.element]!, $0.offset) < (keyOf[$1.element]!, $1.offset)
            }.map(\.element)
            #expect(sorted == expected)
        }
    }

    @Test func indexPagesListNamesInEachLanguagesOrder() throws {
        let rows = [
            "id,name_kk,name_ru,name_en,people,sentence_date",
            "a1,Әлиев Әлі,Алиев Али,Aliev Ali,kazakh,1937",
            "a2,Ақанов Ақан,Аканов Акан,Akanov Akan,kazakh,1937",
            "a3,Іскаков Ілияс,Искаков Ильяс,Iskakov Ilyas,kazakh,1937",
            "a4,Бекова Бибі,Бекова Биби,Bekova Bibi,kazakh,1937",
        ]
        let site = try TemporarySite(
            fixture: "Sites/minimal",
            files: [
                "content/records/people.csv": rows.joined(separator: "\n") + "\n",
                "content/cases/abenov-test/en.md": nil,
            ])
        defer { site.remove() }
        #expect(SiteBuilder.build(BuildOptions(siteRoot: site.root)).succeeded)
        func order(_ path: String, _ names: [String]) throws -> [String] {
            let html = try String(contentsOf: site.output.appending(path: path), encoding: .utf8)
            return names.sorted { html.range(of: $0)!.lowerBound < html.range(of: $1)!.lowerBound }
        }
        #expect(
            try order("kk/years/1937/index.html", ["Әлиев", "Ақанов", "Іскаков", "Бекова"])
                == ["Ақанов", "Әлиев", "Бекова", "Іскаков"])
        #expect(
            try order("ru/peoples/kazakh/index.html", ["Алиев", "Аканов", "Искаков", "Бекова"])
                == ["Аканов", "Алиев", "Бекова", "Искаков"])
        #expect(
            try order("en/years/1937/index.html", ["Aliev", "Akanov", "Iskakov", "Bekova"])
                == ["Akanov", "Aliev", "Bekova", "Iskakov"])
    }

    @Test func longIndexesArePaginatedByAHundredWithCounts() throws {
        var rows = ["id,name_en,people,arrest_date,sentence_date"]
        for index in 0..<250 {
            rows.append(String(format: "p%03d,Person %03d,korean,1937,%@", index, index, index < 240 ? "1938" : ""))
        }
        rows.append("q001,Greek One,greek,1941,")
        let site = try TemporarySite(
            fixture: "Sites/minimal",
            files: [
                "content/records/people.csv": rows.joined(separator: "\n") + "\n",
                "content/cases/abenov-test/en.md": nil,
            ])
        defer { site.remove() }
        #expect(SiteBuilder.build(BuildOptions(siteRoot: site.root)).succeeded)
        let files = filesUnder(site.output)
        for language in ["kk", "ru", "en"] {
            #expect(files["\(language)/peoples/korean/index.html"] != nil)
            #expect(files["\(language)/peoples/korean/page/2/index.html"] != nil)
            #expect(files["\(language)/peoples/korean/page/3/index.html"] != nil)
            #expect(files["\(language)/peoples/korean/page/4/index.html"] == nil)
            #expect(files["\(language)/years/1938/page/3/index.html"] != nil)
            #expect(files["\(language)/years/1937/index.html"] != nil)
            #expect(files["\(language)/years/1941/index.html"] != nil)
        }
        let first = String(decoding: files["en/peoples/korean/index.html"]!, as: UTF8.self)
        let last = String(decoding: files["en/peoples/korean/page/3/index.html"]!, as: UTF8.self)
        #expect(first.components(separatedBy: "class=\"name\"").count - 1 == 100)
        #expect(last.components(separatedBy: "class=\"name\"").count - 1 == 50)
        // A people's cases come by year (1937: Person 240–249, then 1938), each year by name,
        // with the years linked where they start.
        #expect(first.contains("Person 240") && first.contains("Person 000") && !first.contains("Person 100"))
        #expect(last.contains("Person 239") && !last.contains("Person 249"))
        #expect(first.contains("<h2 class=\"facet\" id=\"y1937\">1937</h2>"))
        #expect(first.contains("<a href=\"/en/peoples/korean/#y1937\">1937</a> <span class=\"n\">10</span>"))
        #expect(first.contains("<a href=\"/en/peoples/korean/#y1938\">1938</a> <span class=\"n\">240</span>"))
        #expect(last.contains("<h2 class=\"facet\" id=\"y1938\">1938</h2>") && !last.contains("id=\"y1937\""))
        #expect(last.contains("<a href=\"/en/peoples/korean/#y1938\">1938</a>"))
        #expect(first.contains("href=\"/en/peoples/korean/page/2/\""))
        #expect(last.contains("rel=\"prev\""))
        // Counts: 250 Korean cases; 240 sentenced in 1938, 10 indexed by their 1937 arrest.
        let peoples = String(decoding: files["en/peoples/index.html"]!, as: UTF8.self)
        #expect(peoples.contains("250"))
        let years = String(decoding: files["en/years/index.html"]!, as: UTF8.self)
        #expect(years.contains("240") && years.contains(">10<"))
    }

    @Test func theNamesIndexShowsEveryLetterOfEachAlphabetAndLinksTheUsedOnes() throws {
        let rows = [
            "id,name_kk,name_ru,name_en,people,sentence_date",
            "a1,Әлиев Тест,Алиев Тест,Aliev Test,kazakh,1937",
            "a2,Ақанов Тест,Аканов Тест,Akanov Test,kazakh,1937",
            "a3,Өтебаев Тест,Отебаев Тест,Otebaev Test,kazakh,1938",
            "a4,,,Zhaksy Only,kazakh,1938",
        ]
        let site = try TemporarySite(
            fixture: "Sites/minimal",
            files: [
                "content/records/people.csv": rows.joined(separator: "\n") + "\n",
                "content/cases/abenov-test/en.md": nil,
            ])
        defer { site.remove() }
        #expect(SiteBuilder.build(BuildOptions(siteRoot: site.root)).succeeded)
        let files = filesUnder(site.output)
        func page(_ path: String) -> String { String(decoding: files[path] ?? Data(), as: UTF8.self) }
        let letters = [("kk", 42), ("ru", 33), ("en", 26)]
        for (language, count) in letters {
            let index = page("\(language)/names/index.html")
            let items = index.components(separatedBy: "<ul class=\"letters\">")[1].components(separatedBy: "</ul>")[0]
            // Every letter, plus the names in no letter of the alphabet (Latin ones in Kazakh).
            let other = language == "en" ? 0 : 1
            #expect(items.components(separatedBy: "<li").count - 1 == count + other, "\(language)")
        }
        let kazakh = page("kk/names/index.html")
        #expect(
            kazakh.contains(
                "<a href=\"/kk/names/%D3%99/\" aria-label=\"Ә — Істер: 1\">" + "Ә <span class=\"n\">1</span></a>"))
        #expect(
            kazakh.contains(
                "<a href=\"/kk/names/%D0%B0/\" aria-label=\"А — Істер: 1\">" + "А <span class=\"n\">1</span></a>"))
        #expect(kazakh.contains("<span class=\"empty\">Б</span>"))
        #expect(page("kk/names/ә/index.html").contains("Әлиев Тест"))
        #expect(page("kk/names/other/index.html").contains("Zhaksy Only"))
        #expect(page("ru/names/а/index.html").contains("Аканов Тест"))
        #expect(page("ru/names/а/index.html").contains("Алиев Тест"))
        #expect(page("en/names/o/index.html").contains("Otebaev Test"))
        #expect(files["en/names/b/index.html"] == nil)
        // The letter pages of one language point the language menu at the others' indexes.
        #expect(page("kk/names/ә/index.html").contains("<a href=\"/en/names/\" hreflang=\"en\""))
    }

    @Test func facetAnchorsAreValidIdsWhateverTheCode() {
        #expect(FacetRun(year: 1937, start: 0, count: 1).id == "y1937")
        #expect(FacetRun(people: "crimean tatar", start: 0, count: 1).id == "p-crimean_20_tatar")
        #expect(FacetRun(people: "qazaq_2", start: 0, count: 1).id == "p-qazaq_5f_2")
        #expect(FacetRun(start: 0, count: 1).id == "unknown")
    }

    @Test func peopleAndYearIndexesChartAndCountTheConvictedAndTheShot() throws {
        let rows = [
            "id,name_en,people,sentence_date,sentence,status",
            "s1,Shot One,kazakh,1937,execution,",
            "s2,Shot Two,kazakh,1938,camp;execution,",
            "s3,Camp Three,korean,1938,camp,",
            "s4,Hidden Four,korean,1938,execution,restricted",
        ]
        let site = try TemporarySite(
            fixture: "Sites/minimal",
            files: [
                "content/records/people.csv": rows.joined(separator: "\n") + "\n",
                "content/cases/abenov-test/en.md": nil,
                "content/vocabularies/sentences.yml":
                    "execution: {kk: ату, ru: расстрел, en: execution}\ncamp: {kk: лагерь, ru: лагерь, en: camp}\n",
            ])
        defer { site.remove() }
        #expect(SiteBuilder.build(BuildOptions(siteRoot: site.root)).succeeded)
        let files = filesUnder(site.output)
        let years = String(decoding: files["en/years/index.html"] ?? Data(), as: UTF8.self)
        // The restricted record counts nowhere: 1938 has two cases, one shot.
        #expect(
            years.contains("<td><a href=\"/en/years/1938/\">1938</a></td><td class=\"n\">2</td><td class=\"n\">1</td>"))
        #expect(
            years.contains("<td><a href=\"/en/years/1937/\">1937</a></td><td class=\"n\">1</td><td class=\"n\">1</td>"))
        #expect(years.contains("<td class=\"n\">3</td><td class=\"n\">2</td></tr></tfoot>"))
        #expect(years.contains("<svg") && years.contains("role=\"img\""))
        #expect(years.contains("<title>1938: 2 convicted, 1 shot</title>"))
        let peoples = String(decoding: files["ru/peoples/index.html"] ?? Data(), as: UTF8.self)
        #expect(peoples.contains("/ru/peoples/korean/\">кореец</a></td><td class=\"n\">1</td><td class=\"n\">0</td>"))

        // Which sentences count as shot is the site's to say.
        try site.write(
            "content/site.yml",
            "base_url: https://example.org/\nlanguages: [kk, ru, en]\ntitle: {kk: Сынақ, ru: Тест, en: Test}\n"
                + "shot_sentences: [camp]\n")
        #expect(SiteBuilder.build(BuildOptions(siteRoot: site.root)).succeeded)
        let recounted = String(decoding: filesUnder(site.output)["en/years/index.html"] ?? Data(), as: UTF8.self)
        #expect(recounted.contains("<td class=\"n\">3</td><td class=\"n\">2</td></tr></tfoot>"))
        #expect(recounted.contains("<title>1937: 1 convicted, 0 shot</title>"))
    }

    @Test(arguments: [
        (1, 1, [1]),
        (1, 3, [1, 2, 3]),
        (1, 800, [1, 2, 3, nil, 800]),
        (400, 800, [1, nil, 398, 399, 400, 401, 402, nil, 800]),
        (799, 800, [1, nil, 797, 798, 799, 800]),
        (4, 7, [1, 2, 3, 4, 5, 6, 7]),
    ])
    func paginationLinksAWindowOfPages(current: Int, count: Int, expected: [Int?]) {
        #expect(PageRenderer.pageWindow(current: current, count: count) == expected)
    }
}

@Suite struct SampleExhibitionTests {
    /// The repository's own content/ is the real sample exhibition: it must build without a
    /// single diagnostic, and every narrative it has must be published in every language.
    @Test func theSampleExhibitionBuildsCleanly() throws {
        let scratch = FileManager.default.temporaryDirectory.appending(path: "memorial-sample-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let output = scratch.appending(path: "public")
        let report = SiteBuilder.build(stateBeside(BuildOptions(siteRoot: repositoryURL, output: output)))
        #expect(report.diagnostics.map { $0.formatted() } == [])
        #expect(report.succeeded)
        let files = filesUnder(output)
        let records = try String(
            contentsOf: repositoryURL.appending(path: "content/records/people.csv"), encoding: .utf8)
        let ids = records.split(whereSeparator: \.isNewline).dropFirst().map { String($0.prefix { $0 != "," }) }
        #expect(ids.count >= 14)
        for id in ids {
            for language in ["kk", "ru", "en"] {
                #expect(files["\(language)/cases/\(id)/index.html"] != nil, "\(language)/cases/\(id)")
            }
        }
        for id in [
            "bukeikhanov-alikhan", "baitursynov-akhmet", "dulatov-myrzhakyp", "seifullin-saken", "zhansugurov-ilyas",
            "makhmetov-bazen",
        ] {
            for language in ["kk", "ru", "en"] {
                let page = String(decoding: files["\(language)/cases/\(id)/index.html"] ?? Data(), as: UTF8.self)
                #expect(
                    page.contains("class=\"prose\" lang=\"\(language)\""), "\(language)/cases/\(id) has no narrative")
            }
        }
        for language in ["kk", "ru", "en"] {
            #expect(files["\(language)/about/index.html"] != nil)
        }
    }

    /// A case page without images stays under 30 KB of HTML and CSS.
    @Test func aCasePageStaysSmall() throws {
        let scratch = FileManager.default.temporaryDirectory.appending(path: "memorial-sample-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let output = scratch.appending(path: "public")
        #expect(SiteBuilder.build(stateBeside(BuildOptions(siteRoot: repositoryURL, output: output))).succeeded)
        let files = filesUnder(output)
        let css = files["assets/style.css"]?.count ?? 0
        #expect(css > 0)
        let cases = files.filter { $0.key.contains("/cases/") && $0.key.hasSuffix(".html") }
        #expect(!cases.isEmpty)
        for (path, html) in cases {
            #expect(html.count + css < 30 * 1024, "\(path): \(html.count) + \(css) bytes")
        }
    }
}

@Suite struct DefaultTemplatesTests {
    /// The repository's templates/ folder is where the built-in templates are edited; the
    /// embedded copy must be regenerated (`make templates`) whenever it changes.
    @Test func embeddedTemplatesMatchTheTemplatesFolder() throws {
        let folder = repositoryURL.appending(path: "templates")
        let files = filesUnder(folder)
        var templates: [String: String] = [:]
        var assets: [String: String] = [:]
        for (path, data) in files {
            let text = String(decoding: data, as: UTF8.self)
            if path.hasPrefix("assets/") {
                assets[String(path.dropFirst("assets/".count))] = text
            } else if path.hasSuffix(".mustache") {
                templates[String(path.dropLast(".mustache".count))] = text
            }
        }
        #expect(templates.keys.sorted() == DefaultTemplates.templates.keys.sorted())
        #expect(assets.keys.sorted() == DefaultTemplates.assets.keys.sorted())
        for (name, text) in templates where DefaultTemplates.templates[name] != text {
            Issue.record("templates/\(name).mustache differs from the embedded copy: run `make templates`")
        }
        for (name, text) in assets where DefaultTemplates.assets[name] != text {
            Issue.record("templates/assets/\(name) differs from the embedded copy: run `make templates`")
        }
        #expect(Set(TemplateLibrary.pageTemplates).isSubset(of: templates.keys))
    }

    @Test func aSiteTemplateOverridesTheBuiltInOne() throws {
        let site = try TemporarySite(
            fixture: "Sites/minimal",
            files: [
                "templates/page.mustache": "unused",
                "templates/case.mustache":
                    "<!DOCTYPE html><html lang=\"{{lang}}\"><title>{{case.name}}</title><p>CUSTOM {{case.id}}</p>"
                    + "<p>{{record.name}} / {{record.people}} / {{record.charge}}</p></html>\n",
                "templates/assets/extra.txt": "extra asset",
            ])
        defer { site.remove() }
        #expect(SiteBuilder.build(BuildOptions(siteRoot: site.root)).succeeded)
        let files = filesUnder(site.output)
        #expect(
            String(decoding: files["en/cases/abenov-test/index.html"]!, as: UTF8.self).contains("CUSTOM abenov-test"))
        // `record` holds every column resolved for the page's language, for templates like this one.
        #expect(
            String(decoding: files["ru/cases/abenov-test/index.html"]!, as: UTF8.self)
                .contains("<p>Абенов Тест / kazakh / 58-10</p>"))
        #expect(String(decoding: files["en/index.html"]!, as: UTF8.self).contains("<main"))
        #expect(files["assets/extra.txt"] == Data("extra asset".utf8))
    }
}

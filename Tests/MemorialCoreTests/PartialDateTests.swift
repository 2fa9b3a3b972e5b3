import MemorialCore
import Testing

@Suite struct PartialDateTests {
    @Test(arguments: [
        ("1937", PartialDate(year: 1937)),
        ("1937-09", PartialDate(year: 1937, month: 9)),
        ("1937-09-27", PartialDate(year: 1937, month: 9, day: 27)),
        ("1936-02-29", PartialDate(year: 1936, month: 2, day: 29)),
        ("2000-02-29", PartialDate(year: 2000, month: 2, day: 29)),
    ])
    func parsesEachPrecision(text: String, expected: PartialDate) throws {
        #expect(try PartialDate.parse(text) == expected)
        #expect(try PartialDate.parse(text).description == text)
    }

    @Test(arguments: [
        "37", "1937-9", "1937/09/27", "27.09.1937", "1937-09-27T00", "", "193a", "1937-", "1937-09-27-01",
    ])
    func rejectsMalformedText(text: String) {
        #expect(throws: PartialDate.ParseError.malformed) { try PartialDate.parse(text) }
    }

    @Test(arguments: [
        ("1937-13-45", "month 13 does not exist"),
        ("1937-00", "month 00 does not exist"),
        ("1937-02-29", "day 29 does not exist in 1937-02"),
        ("1900-02-29", "day 29 does not exist in 1900-02"),
        ("1937-04-31", "day 31 does not exist in 1937-04"),
        ("1937-01-00", "day 00 does not exist in 1937-01"),
        ("0999", "year 0999 is out of range"),
        ("0999-13-45", "year 0999 is out of range"),
    ])
    func rejectsImpossibleDates(text: String, reason: String) {
        #expect(throws: PartialDate.ParseError.impossible(reason)) { try PartialDate.parse(text) }
    }

    @Test(arguments: [
        ("1937", "1938", true), ("1937", "1937-09", false), ("1937-08", "1937-09-01", true),
        ("1937-09", "1937-09-30", false), ("1937-09-27", "1937-09-28", true), ("1938", "1937", false),
        ("1936-02", "1936-03", true), ("1937-12-31", "1938", true),
    ])
    func aDateIsSurelyBeforeAnotherOnlyWhenNoDayTheyMeanOverlaps(earlier: String, later: String, expected: Bool) throws
    {
        #expect(try PartialDate.parse(earlier).isSurelyBefore(PartialDate.parse(later)) == expected)
    }

    @Test func ordersByEarliestDayMeant() throws {
        let dates = try ["1938", "1937-09-27", "1937", "1937-09"].map { try PartialDate.parse($0) }
        #expect(dates.sorted().map(\.description) == ["1937", "1937-09", "1937-09-27", "1938"])
    }
}

@Suite struct DateFormattingTests {
    @Test(arguments: [
        ("1937", "en", "1937"),
        ("1937-09", "en", "September 1937"),
        ("1937-09-27", "en", "27 September 1937"),
        ("1937", "ru", "1937"),
        ("1937-09", "ru", "сентябрь 1937"),
        ("1937-09-27", "ru", "27 сентября 1937"),
        ("1937", "kk", "1937 ж."),
        ("1937-09", "kk", "1937 ж. қыркүйек"),
        ("1937-09-27", "kk", "1937 ж. 27 қыркүйек"),
        ("1938-02-01", "kk", "1938 ж. 1 ақпан"),
        ("1938-05", "ru", "май 1938"),
        ("1938-05-16", "ru", "16 мая 1938"),
    ])
    func writesPartialDatesInEachLanguage(text: String, language: String, expected: String) throws {
        #expect(DateFormatting.format(try PartialDate.parse(text), language: language) == expected)
    }
}

@Suite struct LocalizedTextTests {
    @Test func prefersTheLanguageThenTheCommonValueThenOtherLanguages() {
        let text = LocalizedText(common: nil, byLanguage: ["en": "Moscow", "ru": "Москва"])
        #expect(text.resolved(in: "ru", fallback: ["kk", "ru", "en"])! == ("Москва", nil))
        #expect(text.resolved(in: "kk", fallback: ["kk", "ru", "en"])! == ("Москва", "ru"))
        let common = LocalizedText(common: "F. 1", byLanguage: [:])
        #expect(common.resolved(in: "kk", fallback: ["kk"])! == ("F. 1", nil))
        #expect(LocalizedText().resolved(in: "kk", fallback: ["kk", "en"]) == nil)
    }
}

@Suite struct SiteConfigTests {
    @Test(arguments: [
        ("https://example.org/", "/"),
        ("https://example.org/exhibition/", "/exhibition/"),
        ("https://example.org", "/"),
        ("http://localhost:8000/a/b/", "/a/b/"),
    ])
    func rootPathIsTheBaseURLsPath(baseURL: String, root: String) {
        #expect(SiteConfig(baseURL: baseURL, languages: ["en"], title: LocalizedText()).rootPath == root)
    }
}

@Suite struct DiagnosticTests {
    @Test func printsLikeACompiler() {
        let diagnostic = Diagnostic.error(
            "malformed date", at: SourceLocation(file: "content/records/a.csv", line: 3, column: 7))
        #expect(diagnostic.formatted() == "content/records/a.csv:3:7: error: malformed date")
        #expect(diagnostic.formatted(relativeTo: "site") == "site/content/records/a.csv:3:7: error: malformed date")
        #expect(diagnostic.formatted(relativeTo: ".") == "content/records/a.csv:3:7: error: malformed date")
    }

    /// GitHub's syntax: `::error file={name},line={line},col={col}::{message}`, with `%`, CR and
    /// LF escaped in the message and also `:` and `,` in properties.
    @Test func printsAsAGitHubAnnotation() {
        let diagnostic = Diagnostic.error(
            "unknown people code 'x' (known: a, b); 100% sure\nsecond line",
            at: SourceLocation(file: "content/records/a,b.csv", line: 3, column: 7))
        #expect(
            diagnostic.githubAnnotation(relativeTo: "site")
                == "::error file=site/content/records/a%2Cb.csv,line=3,col=7::unknown people code 'x' (known: a, b); 100%25 sure%0Asecond line"
        )
        let warning = Diagnostic.warning("raw HTML", at: SourceLocation(file: "x.md", line: 0, column: 0))
        #expect(warning.githubAnnotation() == "::warning file=x.md::raw HTML")
    }

    @Test func sortsByPositionAndDropsDuplicates() {
        var diagnostics = Diagnostics()
        diagnostics.warning("b", at: SourceLocation(file: "b.md", line: 2))
        diagnostics.error("a", at: SourceLocation(file: "a.csv", line: 9))
        diagnostics.error("a", at: SourceLocation(file: "a.csv", line: 9))
        diagnostics.error("c", at: SourceLocation(file: "a.csv", line: 10))
        #expect(
            diagnostics.sorted.map(\.description) == [
                "a.csv:9:1: error: a", "a.csv:10:1: error: c", "b.md:2:1: warning: b",
            ])
        #expect(diagnostics.hasErrors)
    }
}

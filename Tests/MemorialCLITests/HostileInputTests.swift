import Foundation
import TestSupport
import Testing

/// Input written to break the build: each gives one located error that says what to do, in
/// a run that still reports the site's other errors, and none crashes or stalls.
@Suite struct HostileInputTests {
    static let people = "content/records/people.csv"
    static let header = "id,name_kk,name_ru,name_en,people,arrest_date,sentence_date,charge,sentence\n"
    static let abenov = "abenov-test,Әбенов Тест,Абенов Тест,Abenov Test,kazakh,1937-08-01,1937-09-27,58-10,execution\n"
    static let kim = "kim-sample,Ким Үлгі,Ким Образец,Kim Sample,korean,1937,,,\n"
    /// An error in another file, which every run must report beside the one tested.
    static let otherFile = "content/pages/about/en.md"
    static let otherError =
        "content/pages/about/en.md:3:9: error: status must be published, draft or restricted, not 'bogus'\n"

    struct Run {
        var result: CommandLineTests.Result
        var seconds: Double
        var root: String
    }

    /// Builds a copy of the minimal site with `files` replaced and the other error added.
    func build(_ files: [String: String?], command: String = "build", prepare: (URL) throws -> Void = { _ in })
        throws -> Run
    {
        var files = files
        files[Self.otherFile] = "---\ntitle: About\nstatus: bogus\n---\n\nText.\n"
        let site = try TemporarySite(fixture: "Sites/minimal", files: files)
        defer { site.remove() }
        try prepare(site.root)
        let start = Date()
        let arguments =
            command == "build" ? ["build", "--site", site.root.path, "--quiet"] : [command, "--site", site.root.path]
        let result = try CommandLineTests().run(arguments)
        let seconds = Date().timeIntervalSince(start)
        #expect(!FileManager.default.fileExists(atPath: site.output.path))
        return Run(result: result, seconds: seconds, root: site.root.path + "/")
    }

    /// Expects exactly `errors` errors, each line of `expected` among them, and the other error.
    func expect(_ run: Run, _ expected: [String], errors: Int) {
        #expect(run.result.status == 1)
        for line in expected + [Self.otherError] {
            #expect(run.result.stderr.contains(run.root + line), "missing: \(line)")
        }
        #expect(
            run.result.stderr.hasSuffix(
                "\(errors >= 1000 ? "\(errors / 1000),\(String(errors % 1000 + 1000).dropFirst())" : "\(errors)") error\(errors == 1 ? "" : "s"); nothing was written, the previous output is unchanged\n"
            ))
    }

    @Test func aDateOfTwentyDigitsIsAMalformedDateNotACrash() throws {
        let row = Self.abenov.replacingOccurrences(of: "1937-08-01", with: "99999999999999999999")
        let run = try build([Self.people: Self.header + row + Self.kim])
        expect(
            run,
            [
                "content/records/people.csv:2:56: error: malformed date '99999999999999999999' in arrest_date; "
                    + "write YYYY, YYYY-MM or YYYY-MM-DD, e.g. 1937-09-27\n"
            ], errors: 2)
    }

    @Test func aRowOf200000CommasIsReportedOnceInLinearTime() throws {
        let row = "x" + String(repeating: ",", count: 200_000) + "\n"
        let run = try build([Self.people: Self.header + Self.abenov + Self.kim + row])
        expect(
            run,
            [
                "content/records/people.csv:4:1: error: record 'x' has no name; fill name_<lang> in at least one "
                    + "language\n",
                "content/records/people.csv:4:1: error: this row has 200001 fields but the header has 9; "
                    + "a field that contains a comma must be in quotes\n",
            ], errors: 3)
        #expect(run.seconds < 10)
    }

    @Test func aHeaderOf200000ColumnsIsOneErrorAtTheFirstColumnTooMany() throws {
        let header = Self.header.dropLast() + String(repeating: ",", count: 200_000) + "\n"
        let run = try build([Self.people: header + Self.abenov + Self.kim])
        // The header is 75 characters and 9 columns; column 1,001 starts 991 commas after column 10's 77.
        expect(
            run,
            [
                "content/records/people.csv:1:1068: error: the header has 200,009 columns, and a records file may "
                    + "have at most 1,000: remove the columns after the last one used (a spreadsheet program may "
                    + "have saved empty ones)\n"
            ], errors: 2)
        // The header's error is the file's only one: no narrative is called a missing record.
        #expect(!run.result.stderr.contains("no record has id"))
    }

    @Test func aLabelOf8000CharactersIsRefusedWithItsLength() throws {
        let label = String(repeating: "а", count: 8000)
        let run = try build([
            "content/vocabularies/peoples.yml":
                "kazakh: {kk: қазақ, ru: казах, en: Kazakh}\nkorean: {kk: \(label), ru: кореец, en: Korean}\n"
        ])
        expect(
            run,
            [
                "content/vocabularies/peoples.yml:2:9: error: the label of 'korean' in 'kk' is 8,000 characters long, "
                    + "and a label may have at most 500: shorten it (a label names the code in headings, lists and "
                    + "charts)\n"
            ], errors: 2)
        #expect(run.seconds < 10)
    }

    @Test func twentyThousandWarningsOnOneLineArePrintedCappedInLinearTime() throws {
        let narrative =
            "---\ntitle: Test Abenov\nsummary: An invented person.\n---\n\n"
            + String(repeating: "[a](javascript:x) ", count: 20_000) + "\n"
        // `check`, which renders narratives even when the site has errors.
        let run = try build(["content/cases/abenov-test/en.md": narrative], command: "check")
        let message =
            ": warning: javascript: link target dropped; links may point only to web pages, cases and files of the case\n"
        // The 100th link of the line, 18 characters each.
        #expect(run.result.stderr.contains(run.root + "content/cases/abenov-test/en.md:6:1783" + message))
        #expect(!run.result.stderr.contains(run.root + "content/cases/abenov-test/en.md:6:1801" + message))
        #expect(
            run.result.stderr.contains(
                "note: 19,900 more warnings not shown (at most 100 a file and 1,000 in all are printed); "
                    + "correct these and run again to see the rest\n"))
        #expect(run.result.stderr.components(separatedBy: "\n").count < 110)
        expect(run, [], errors: 1)
        #expect(run.seconds < 10)
    }

    @Test func manyBadRowsPrintAHundredLinesAndALongCellIsQuotedShortened() throws {
        var rows = ""
        for index in 0..<2000 { rows += "r\(index),a,b,c,kazakh,1937-13,,,\n" }
        let long = String(repeating: "9", count: 1_000_000)
        let run = try build([Self.people: Self.header + Self.abenov + "big,a,b,c,kazakh,\(long),,,\n" + rows])
        expect(
            run,
            [
                "content/records/people.csv:3:18: error: malformed date '" + String(repeating: "9", count: 60)
                    + "…' in arrest_date; write YYYY, YYYY-MM or YYYY-MM-DD, e.g. 1937-09-27\n"
            ], errors: 2002)
        #expect(
            run.result.stderr.contains(
                "note: 1,901 more errors not shown (at most 100 a file and 1,000 in all are printed); "
                    + "correct these and run again to see the rest\n"))
        #expect(run.result.stderr.utf8.count < 100_000)
    }

    @Test func listsNestedTwentyThousandDeepAreOneErrorAtTheLineThatGoesPastTheLimit() throws {
        let narrative =
            "---\ntitle: Test Abenov\nsummary: An invented person.\n---\n\nText.\n\n"
            + String(repeating: "> ", count: 50) + String(repeating: "- ", count: 19_950) + "x\n"
        let run = try build(["content/cases/abenov-test/en.md": narrative])
        expect(
            run,
            [
                "content/cases/abenov-test/en.md:8:201: error: block quotes and lists are nested more than 100 levels "
                    + "deep here; take out '>', '-', '*', '+' or numbered markers at the start of this line\n"
            ], errors: 2)
        #expect(run.seconds < 10)
    }

    @Test func aRecordsFileSeparatedBySemicolonsSaysHowToSaveItWithCommas() throws {
        let semicolons = (Self.header + Self.abenov + Self.kim).replacingOccurrences(of: ",", with: ";")
        let run = try build([Self.people: semicolons])
        expect(
            run,
            [
                "content/records/people.csv:1:1: error: the header 'id;name_kk;name_ru;name_en;people;arrest_date;"
                    + "sentence_date;…' is separated by semicolons, but records files are separated by commas: save "
                    + "the file as comma-separated CSV in UTF-8 (in Excel 'CSV UTF-8 (Comma delimited)', in "
                    + "LibreOffice field delimiter ',' and character set UTF-8)\n"
            ], errors: 2)
    }

    @Test func anUnclosedQuoteInFrontMatterIsReportedWhereTheQuoteOpens() throws {
        let narrative = "---\ntitle: \"Test Abenov\nsummary: An invented person.\nstatus: published\n---\n\nText.\n"
        let run = try build(["content/cases/abenov-test/en.md": narrative])
        expect(
            run,
            [
                "content/cases/abenov-test/en.md:2:8: error: this quote is never closed; end the text with the same "
                    + "quote mark, or remove the quote (a quote inside \"…\" is written \\\", inside '…' it is written "
                    + "'')\n"
            ], errors: 2)
    }

    @Test func aFIFOAndAFileNameThatIsNotUTF8AreLocatedErrors() throws {
        let run = try build([:]) { root in
            let folder = root.appending(path: "content/cases/abenov-test").path
            #expect(mkfifo(folder + "/pipe.jpg", 0o644) == 0)
            var name = Array((folder + "/scan").utf8)
            name += [0xFF] + Array(".jpg".utf8) + [0]
            let descriptor = name.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_CREAT | O_WRONLY, 0o644) }
            }
            #expect(descriptor >= 0)
            close(descriptor)
        }
        expect(
            run,
            [
                "content/cases/abenov-test/pipe.jpg:1:1: error: this is a FIFO, not a regular file; Memorial reads "
                    + "only regular files and folders: put the file itself here\n",
                "content/cases/abenov-test/scan\u{FFFD}.jpg:1:1: error: this name is not valid UTF-8 (the bytes that "
                    + "are not are shown as \u{FFFD}), so it cannot be published as a web address: rename it with "
                    + "letters saved as UTF-8\n",
            ], errors: 3)
    }

    @Test func checkNamesEachLabelThatLacksALanguageAndListsEveryKnownCode() throws {
        var vocabulary = "kazakh: {kk: қазақ, ru: казах, en: Kazakh}\nkorean: {kk: корей}\n"
        for index in 1...10 { vocabulary += "code\(index): {kk: a, ru: b, en: c}\n" }
        let row = Self.kim.replacingOccurrences(of: ",korean,", with: ",martian,")
        let run = try build(
            [Self.people: Self.header + Self.abenov + row, "content/vocabularies/peoples.yml": vocabulary],
            command: "check")
        let known = "code1, code10, code2, code3, code4, code5, code6, code7, code8, code9, kazakh, korean"
        expect(
            run,
            [
                "content/records/people.csv:3:44: error: unknown people code 'martian' (known: \(known)); add it to "
                    + "content/vocabularies/peoples.yml or correct the cell\n",
                "content/vocabularies/peoples.yml:2:1: warning: the label of 'korean' has no ru, en translation; "
                    + "add ru: …, en: … to it\n",
            ], errors: 2)
    }

    @Test func aVocabularyOfManyCodesSaysHowManyItDoesNotList() throws {
        var vocabulary = "kazakh: {kk: қазақ, ru: казах, en: Kazakh}\nkorean: {kk: корей, ru: кореец, en: Korean}\n"
        for index in 1...150 { vocabulary += "code\(1000 + index): x\n" }
        let row = Self.kim.replacingOccurrences(of: ",korean,", with: ",martian,")
        let run = try build([
            Self.people: Self.header + Self.abenov + row, "content/vocabularies/peoples.yml": vocabulary,
        ])
        let first = (1001...1100).map { "code\($0)" }.joined(separator: ", ")
        expect(
            run,
            [
                "content/records/people.csv:3:44: error: unknown people code 'martian' (152 codes are known, too many "
                    + "to list here; the first 100: \(first)); add it to content/vocabularies/peoples.yml or correct "
                    + "the cell\n"
            ], errors: 2)
    }
}

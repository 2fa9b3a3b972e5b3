import Foundation
import MemorialCore
import TestSupport
import Testing

@testable import MemorialContent

/// `RecordParser.parse` reads a records file once, on every core, into records and every
/// problem with its position.
@Suite struct RecordParserTests {
    static let vocabularies: [String: Vocabulary] = [
        "peoples": Vocabulary(name: "peoples", labels: ["kazakh": LocalizedText(common: "K")], codes: ["kazakh"]),
        "charges": Vocabulary(
            name: "charges", labels: ["58-10": LocalizedText(common: "a"), "58-11": LocalizedText(common: "b")],
            codes: ["58-10", "58-11"]),
        "sentences": Vocabulary(name: "sentences", labels: ["execution": LocalizedText(common: "x")], codes: []),
        "bodies": Vocabulary(name: "bodies", labels: ["troika": LocalizedText(common: "t")], codes: []),
    ]
    static let parser = RecordParser(languages: ["kk", "ru", "en"], vocabularies: Self.vocabularies)
    var parser: RecordParser { Self.parser }

    struct Summary: Equatable, CustomStringConvertible {
        var id: String
        var location: MemorialCore.SourceLocation
        var fields: [String: LocalizedText]
        var birthYear: Int?
        var dates: [PartialDate?]
        var codes: [[String]]
        var status: Record.Status
        var dateCells: [String: MemorialCore.SourceLocation]
        var contentFingerprint: Fingerprint?

        init(_ record: Record) {
            id = record.id
            location = record.location
            fields = Dictionary(uniqueKeysWithValues: record.fields.bases.map { ($0, record.fields[$0]!) })
            birthYear = record.birthYear
            dates = [record.arrestDate, record.sentenceDate, record.deathDate, record.rehabilitationDate]
            codes = [
                record.people.map { [$0] } ?? [], record.charges, record.sentences,
                record.sentencingBody.map { [$0] } ?? [],
            ]
            status = record.status
            dateCells = record.dateCells
            contentFingerprint = record.contentFingerprint
        }

        var description: String { "\(id) \(location) \(fields) \(dates) \(codes) \(dateCells)" }
    }

    /// What the loader gets from a file: nil records when it is not a table, and the ids of
    /// every row (the records' ids when nothing was reported).
    static func read(_ text: String) -> (records: [Record]?, diagnostics: [Diagnostic], ids: Set<String>?) {
        var diagnostics = Diagnostics()
        guard let read = parser.parse(Array(text.utf8), file: "r.csv", diagnostics: &diagnostics) else {
            return (nil, diagnostics.all, nil)
        }
        return (read.records, diagnostics.all, read.rowIDs ?? Set(read.records.map(\.id)))
    }

    static let valid = [
        "id,name_kk,name_en,birth_year,people,charge,sentence,arrest_date\n"
            + "a-1,Әлихан,Alikhan,1866,kazakh,58-10; 58-11,execution,1937-09-27\n",
        "\u{FEFF}id,name_en\r\nb,\"Surname, Given\"\r\n\r\nc,\"He said \"\"no\"\".\"\r\n",
        "id,name_en,note_en\na,\"Two\nlines\",x\nb, padded ,\" quoted \"\n",
        "id,name_en,status\na,A,restricted\nb,B,published",
        "id,name,birth_place_ru\na,\u{00A0}Name\u{00A0},место\nb,Name\u{2003},\n",
        "id,name_en\na, \u{301}x\nb,x \u{301}\n",
        "id,name_en,extra\na,A,\nb,B,",
        "id,name_en\na,Ё\u{0308}\nb,\u{0600} \n",
    ]

    @Test(arguments: Self.valid)
    func aFileWithoutProblemsGivesARecordPerRowAndReportsNothing(_ text: String) throws {
        let (records, diagnostics, _) = Self.read(text)
        #expect(diagnostics.isEmpty)
        let summaries = try #require(records).map(Summary.init)
        #expect(summaries.count == 2 || summaries.map(\.id) == ["a-1"])
        #expect(summaries.allSatisfy { $0.contentFingerprint != nil })
        #expect(Set(summaries.compactMap(\.contentFingerprint)).count == summaries.count)
    }

    /// A rebuild after a narrative edit reads its case's row alone (`parseValid(_:file:onlyIDs:)`):
    /// the same records as the whole file gives for those ids, rows after multi-line fields
    /// at their lines, CRLF, and an id's text at a line start inside a quoted field (two
    /// candidate lines: the file is read instead).
    @Test func rowsOfSomeIDsAreTheWholeFilesRowsOfThem() throws {
        let text =
            "id,name_en,note_en\r\na,A,\"Two\r\nlines\"\r\nb,\"B, quoted\",\"x\"\"y\"\r\n"
            + "c,C,\"first\nb,fake\"\r\nd,D,\r\n"
        let all = try #require(Self.read(text).records).map(Summary.init)
        #expect(all.map(\.id) == ["a", "b", "c", "d"])
        for ids: Set<String> in [["b"], ["a", "d"], ["c"], ["d", "b"], ["a", "b", "c", "d"]] {
            let some = parser.parseValid(Array(text.utf8), file: "r.csv", onlyIDs: ids)?.map(Summary.init)
            #expect(some == all.filter { ids.contains($0.id) }, "\(ids)")
        }
        #expect(parser.parseValid(Array(text.utf8), file: "r.csv", onlyIDs: ["x"])?.isEmpty == true)
        // Ids not in the first column: the file is read, only those rows made into records.
        let swapped = "name_en,id\nA,a\nB,b\n"
        #expect(parser.parseValid(Array(swapped.utf8), file: "r.csv", onlyIDs: ["b"])?.map(\.id) == ["b"])
    }

    static let invalid = [
        "id,name_en\na,\"open\n",
        "id,name_en\na,x\"y\n",
        "id,name_en\na,\"x\"y\n",
        "id,name_en\nA B,x\n",
        "id,name_en\na\n",
        "id,name_en,birth_year\na,x,18660\n",
        "id,name_en,arrest_date\na,x,1937-02-30\n",
        "id,name_en,people\na,x,martian\n",
        "id,name_en,status\na,x,secret\n",
        "id,name_en,name_en\na,x,y\n",
        "name_en\nx\n",
        "id,name_en\na,\n",
        "",
        "id,name_en\na,x\rb,y\n",
    ]

    @Test(arguments: Self.invalid)
    func aFileWithAProblemReportsItAndGivesNoRowsByID(_ text: String) {
        let (_, diagnostics, ids) = Self.read(text)
        #expect(!diagnostics.isEmpty)
        #expect(diagnostics.allSatisfy { $0.location.file == "r.csv" && $0.severity == .error })
        #expect(parser.parseValid(Array(text.utf8), file: "r.csv", onlyIDs: ids ?? ["a"]) == nil)
    }

    /// Rows are read in parts on every core: a row with a problem gives no record and the
    /// others keep their order, the problems reported in file order.
    @Test func rowsWithProblemsLeaveNoGapAmongTheOthers() throws {
        let bad: Set = [0, 1, 500, 501, 777, 1999]
        var text = "id,name_en,birth_year\n"
        for row in 0..<2000 { text += "r\(row),Name \(row),\(bad.contains(row) ? "18" : "1900")\n" }
        let (records, diagnostics, ids) = Self.read(text)
        #expect(try #require(records).map(\.id) == (0..<2000).filter { !bad.contains($0) }.map { "r\($0)" })
        #expect(diagnostics.map(\.location.line) == bad.sorted().map { $0 + 2 })
        #expect(diagnostics.allSatisfy { $0.message.hasPrefix("malformed birth_year '18'") })
        #expect(ids?.count == 2000)
    }

    /// The in-place check agrees with `String(validating:)` on any bytes.
    @Test func theUTF8CheckAgreesWithTheStandardLibrary() {
        var random = SplitMix64(seed: 3)
        let pieces: [[UInt8]] = [
            [0x41], [0xD0, 0x90], [0xE2, 0x80, 0x94], [0xF0, 0x9F, 0x98, 0x80], [0xFF], [0xC0, 0x80],
            [0xED, 0xA0, 0x80],
            [0xE0, 0x80, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF0, 0x80, 0x80, 0x80], [0x80], [0xD0], [0xE2, 0x80],
            [0x0A],
            Array("abcdefgh".utf8),
        ]
        for _ in 0..<20000 {
            let bytes = (0..<Int.random(in: 0...6, using: &random)).flatMap { _ in
                pieces.randomElement(using: &random)!
            }
            #expect(
                bytes.withUnsafeBufferPointer(SourceText.isUTF8) == (String(validating: bytes, as: UTF8.self) != nil),
                "\(bytes)")
        }
    }

    /// Every file of `RecordGolden` (the cases above and random files made of quotes,
    /// separators, line ends, white space, bad codes and dates) reads as
    /// `Tests/Fixtures/Golden/records.txt` says: records, messages and positions. Re-record on
    /// purpose with `RECORD_SNAPSHOTS=1 swift test --filter RecordParserTests`, then read the diff.
    @Test func everyFileReadsAsTheGoldenFileSays() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/Golden/records.txt")
        let written = RecordGolden.files().map { text in
            let (records, diagnostics, ids) = Self.read(text)
            return RecordGolden.describe(text, records, diagnostics, ids)
        }
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
            try written.joined().write(to: url, atomically: true, encoding: .utf8)
        }
        let golden = try String(contentsOf: url, encoding: .utf8).split(separator: "=== ").map { "=== " + $0 }
        #expect(golden.count == written.count)
        for (expected, actual) in zip(golden, written) where expected != actual {
            Issue.record("expected:\n\(expected)\nread:\n\(actual)")
        }
    }
}

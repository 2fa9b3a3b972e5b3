import MemorialCore
import Testing

@testable import MemorialBuild

/// `RecordParser.parseValid` (bytes, on every core) must give exactly what `CSVParser` and
/// `RecordParser.parse` give for a file without problems, and give up on any file with one.
@Suite struct RecordParserTests {
    static let vocabularies: [String: Vocabulary] = [
        "peoples": Vocabulary(name: "peoples", labels: ["kazakh": LocalizedText(common: "K")], codes: ["kazakh"]),
        "charges": Vocabulary(
            name: "charges", labels: ["58-10": LocalizedText(common: "a"), "58-11": LocalizedText(common: "b")],
            codes: ["58-10", "58-11"]),
        "sentences": Vocabulary(name: "sentences", labels: ["execution": LocalizedText(common: "x")], codes: []),
        "bodies": Vocabulary(name: "bodies", labels: ["troika": LocalizedText(common: "t")], codes: []),
    ]
    let parser = RecordParser(languages: ["kk", "ru", "en"], vocabularies: Self.vocabularies)

    struct Summary: Equatable, CustomStringConvertible {
        var id: String
        var location: MemorialCore.SourceLocation
        var fields: [String: LocalizedText]
        var birthYear: Int?
        var dates: [PartialDate?]
        var codes: [[String]]
        var status: Record.Status
        var dateCells: [String: MemorialCore.SourceLocation]

        init(_ record: Record) {
            id = record.id
            location = record.location
            fields = record.fields
            birthYear = record.birthYear
            dates = [record.arrestDate, record.sentenceDate, record.deathDate, record.rehabilitationDate]
            codes = [
                record.people.map { [$0] } ?? [], record.charges, record.sentences,
                record.sentencingBody.map { [$0] } ?? [],
            ]
            status = record.status
            dateCells = record.dateCells
        }

        var description: String { "\(id) \(location) \(fields) \(dates) \(codes) \(dateCells)" }
    }

    /// The slow path's records, or nil when it reports anything.
    func slow(_ text: String) -> [Summary]? {
        let (table, csvErrors) = CSVParser.parse(Array(text.utf8), file: "r.csv")
        guard let table, csvErrors.isEmpty else { return nil }
        var ids = Set<String>()
        var diagnostics = Diagnostics()
        let records = parser.parse(table, file: "r.csv", seenIDs: &ids, diagnostics: &diagnostics)
        return diagnostics.all.isEmpty ? records.map(Summary.init) : nil
    }

    func fast(_ text: String) -> [Summary]? {
        parser.parseValid(Array(text.utf8), file: "r.csv")?.map(Summary.init)
    }

    @Test(arguments: [
        "id,name_kk,name_en,birth_year,people,charge,sentence,arrest_date\n"
            + "a-1,Әлихан,Alikhan,1866,kazakh,58-10; 58-11,execution,1937-09-27\n",
        "\u{FEFF}id,name_en\r\nb,\"Surname, Given\"\r\n\r\nc,\"He said \"\"no\"\".\"\r\n",
        "id,name_en,note_en\na,\"Two\nlines\",x\nb, padded ,\" quoted \"\n",
        "id,name_en,status\na,A,restricted\nb,B,published",
        "id,name,birth_place_ru\na,\u{00A0}Name\u{00A0},место\nb,Name\u{2003},\n",
        "id,name_en\na, \u{301}x\nb,x \u{301}\n",
        "id,name_en,extra\na,A,\nb,B,",
        "id,name_en\na,Ё\u{0308}\nb,\u{0600} \n",
    ])
    func theFastPathReadsWhatTheSlowOneReads(_ text: String) {
        let slow = slow(text)
        let fast = fast(text)
        if let fast { #expect(fast == slow) }
        #expect(slow == nil || fast != nil || text.contains("\u{0600}") || text.contains("\u{301}"), "gave up")
    }

    /// A rebuild after a narrative edit reads its case's row alone (`parseValid(_:file:onlyIDs:)`):
    /// the same records as the whole file gives for those ids, rows after multi-line fields
    /// at their lines, CRLF, and an id's text at a line start inside a quoted field (two
    /// candidate lines: the file is scanned instead).
    @Test func rowsOfSomeIDsAreTheWholeFilesRowsOfThem() throws {
        let text =
            "id,name_en,note_en\r\na,A,\"Two\r\nlines\"\r\nb,\"B, quoted\",\"x\"\"y\"\r\n"
            + "c,C,\"first\nb,fake\"\r\nd,D,\r\n"
        let all = try #require(fast(text))
        for ids: Set<String> in [["b"], ["a", "d"], ["c"], ["d", "b"], ["a", "b", "c", "d"]] {
            let some = parser.parseValid(Array(text.utf8), file: "r.csv", onlyIDs: ids)?.map(Summary.init)
            #expect(some == all.filter { ids.contains($0.id) }, "\(ids)")
        }
        #expect(parser.parseValid(Array(text.utf8), file: "r.csv", onlyIDs: ["x"])?.isEmpty == true)
    }

    @Test(arguments: [
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
    ])
    func theFastPathGivesUpWhereTheSlowOneReports(_ text: String) {
        #expect(slow(text) == nil)
        #expect(fast(text) == nil)
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

    /// Random files made of the pieces that matter: quotes, separators, line ends, white space.
    @Test func randomFilesReadTheSame() {
        var random = SplitMix64(seed: 7)
        let pieces = [
            "a", "Ә", "x y", " ", "\t", ",", "\"", "\"\"", "\n", "\r\n", "\u{00A0}", "\u{301}", "1937", "-", ";",
            "kazakh", "58-10",
        ]
        var agreed = 0
        for _ in 0..<3000 {
            var text = "id,name_en,charge\n"
            for row in 0..<Int.random(in: 1...4, using: &random) {
                text += "r\(row),"
                for _ in 0..<Int.random(in: 0...6, using: &random) { text += pieces.randomElement(using: &random)! }
                text += Bool.random(using: &random) ? ",58-10\n" : "\n"
            }
            let slow = slow(text)
            if let fast = fast(text) {
                #expect(fast == slow, "\(text.debugDescription)")
            }
            if slow != nil { agreed += 1 }
        }
        #expect(agreed > 100)
    }
}

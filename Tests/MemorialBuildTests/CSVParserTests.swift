import MemorialCore
import Testing

@testable import MemorialBuild

@Suite struct CSVParserTests {
    func parse(_ text: String) -> (CSVTable?, [Diagnostic]) {
        let result = CSVParser.parse(Array(text.utf8), file: "r.csv")
        return (result.table, result.diagnostics)
    }

    func values(_ table: CSVTable?) -> [[String]] {
        (table?.rows ?? []).map { $0.map(\.value) }
    }

    @Test func readsQuotedCommasQuotesAndNewlines() {
        let (table, diagnostics) = parse(
            "id,name_en,note_en\r\na,\"Surname, Given\",\"He said \"\"no\"\".\"\r\nb,\"Two\nlines\",\r\n")
        #expect(diagnostics.isEmpty)
        #expect(table?.header.map(\.value) == ["id", "name_en", "note_en"])
        #expect(values(table) == [["a", "Surname, Given", "He said \"no\"."], ["b", "Two\nlines", ""]])
    }

    @Test func toleratesAByteOrderMarkAndAMissingFinalNewline() {
        let (table, diagnostics) = parse("\u{FEFF}id,name_en\nа,Б")
        #expect(diagnostics.isEmpty)
        #expect(table?.header.first?.value == "id")
        #expect(values(table) == [["а", "Б"]])
    }

    @Test func skipsBlankLinesAndKeepsEmptyTrailingFields() {
        let (table, _) = parse("id,a,b\n\nx,,\n\n")
        #expect(values(table) == [["x", "", ""]])
    }

    @Test func positionsCountLinesInsideQuotesAndCharactersNotBytes() {
        let (table, _) = parse("id,name_kk,x\nа,\"Әлихан\nБөкейханов\",қ\nб,Ә,z\n")
        let rows = table?.rows ?? []
        #expect(rows[0][2].line == 3)
        #expect(rows[0][2].column == 13)
        #expect(rows[1][0].line == 4)
        #expect(rows[1][2].column == 5)
    }

    @Test func reportsAnUnterminatedQuoteWhereItOpens() {
        let (table, diagnostics) = parse("id,name_en\nx,ok\nу,\"Never closed\nz,more\n")
        #expect(table == nil)
        #expect(diagnostics.map(\.location) == [SourceLocation(file: "r.csv", line: 3, column: 3)])
        #expect(diagnostics.first?.message.hasPrefix("unterminated quoted field") == true)
    }

    @Test func reportsStrayQuotes() {
        let (_, inside) = parse("id,name_en\nx,Bad \"quote\"\n")
        #expect(
            inside.map(\.location) == [
                SourceLocation(file: "r.csv", line: 2, column: 7), SourceLocation(file: "r.csv", line: 2, column: 13),
            ])
        let (_, after) = parse("id,name_en\nx,\"Quoted\" tail\n")
        #expect(after.map(\.location) == [SourceLocation(file: "r.csv", line: 2, column: 11)])
    }

    @Test func reportsAnEmptyFile() {
        let (table, diagnostics) = parse("")
        #expect(table == nil)
        #expect(diagnostics.first?.message.contains("empty") == true)
    }
}

import MemorialCore
import Testing

@testable import MemorialContent

@Suite struct CSVTableTests {
    struct Cell {
        var value: String
        var line: Int
        var column: Int
    }

    /// The table's fields as Strings with their positions, and what was reported.
    func parse(_ text: String) -> ((header: [Cell], rows: [[Cell]])?, [Diagnostic]) {
        var diagnostics = Diagnostics()
        let rows = Array(text.utf8).withUnsafeBufferPointer { bytes in
            CSVTable.read(bytes, file: "r.csv", diagnostics: &diagnostics).map { table in
                (0..<table.rowCount).map { row in
                    table.row(row).map { field in
                        Cell(
                            value: CSVTable.string(of: field, in: bytes), line: Int(field.line),
                            column: Int(field.column))
                    }
                }
            }
        }
        return (rows.map { ($0[0], Array($0.dropFirst())) }, diagnostics.all)
    }

    func values(_ table: (header: [Cell], rows: [[Cell]])?) -> [[String]] {
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

    /// A carriage return alone is text in an unquoted field and ends the row after a closing
    /// quote; a field after a quote error is read on at the right column.
    @Test func readsLoneCarriageReturnsAndReadsOnAfterAStrayQuote() {
        let (table, diagnostics) = parse("id,x\na,b\rc\n\"q\"\rz,y\n\"e\"f,Ә\n")
        #expect(values(table) == [["a", "b\rc"], ["q"], ["z", "y"], ["e", "Ә"]])
        #expect(table?.rows[2][1].column == 7)
        #expect(table?.rows[3][1].column == 6)
        #expect(diagnostics.map(\.location) == [SourceLocation(file: "r.csv", line: 4, column: 4)])
    }

    @Test func reportsAnEmptyFile() {
        let (table, diagnostics) = parse("")
        #expect(table == nil)
        #expect(diagnostics.first?.message.contains("empty") == true)
    }
}

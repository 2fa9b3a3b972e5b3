import MemorialCore

/// One field of a CSV row with where it starts in the file.
struct CSVField: Sendable {
    var value: String
    var line: Int
    var column: Int
}

/// An RFC 4180 table: the header and the rows, each field with its position.
struct CSVTable: Sendable {
    var header: [CSVField]
    var rows: [[CSVField]]
}

/// Parses RFC 4180 CSV (quoted commas, doubled quotes and newlines inside quotes, CRLF or LF,
/// a UTF-8 byte-order mark) into fields that know their line and column.
///
/// Written by hand rather than with SwiftCSV or CSV.swift: curators need the physical line and
/// column of every field (a quoted field may span lines) and of an unterminated quote, which
/// neither library reports, and a byte-level scanner is also faster on tens of thousands of rows.
enum CSVParser {
    static func parse(_ bytes: [UInt8], file: String) -> (table: CSVTable?, diagnostics: [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var records: [[CSVField]] = []
        var index = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        var line = 1
        var lineStart = index
        let count = bytes.count

        func column(at position: Int) -> Int {
            // Characters, not bytes: skip UTF-8 continuation bytes.
            var column = 1
            var cursor = lineStart
            while cursor < position {
                if bytes[cursor] & 0xC0 != 0x80 { column += 1 }
                cursor += 1
            }
            return column
        }

        var row: [CSVField] = []
        var rowHasContent = false
        while index < count {
            let fieldLine = line
            let fieldColumn = column(at: index)
            var value: [UInt8] = []
            if bytes[index] == UInt8(ascii: "\"") {
                let openLine = line
                let openColumn = fieldColumn
                index += 1
                var closed = false
                while index < count {
                    let byte = bytes[index]
                    if byte == UInt8(ascii: "\"") {
                        if index + 1 < count, bytes[index + 1] == UInt8(ascii: "\"") {
                            value.append(byte)
                            index += 2
                            continue
                        }
                        index += 1
                        closed = true
                        break
                    }
                    if byte == UInt8(ascii: "\n") {
                        line += 1
                        lineStart = index + 1
                    }
                    value.append(byte)
                    index += 1
                }
                if !closed {
                    diagnostics.append(
                        .error(
                            "unterminated quoted field: the quote opened here is never closed "
                                + "(end the field with '\"', and write a quote inside it as '\"\"')",
                            at: SourceLocation(file: file, line: openLine, column: openColumn)))
                    return (nil, diagnostics)
                }
                // After a closing quote only a separator or the end of the line may follow.
                if index < count, ![UInt8(ascii: ","), UInt8(ascii: "\n"), UInt8(ascii: "\r")].contains(bytes[index]) {
                    diagnostics.append(
                        .error(
                            "unexpected text after a closing quote; quote the whole field and write "
                                + "a quote inside it as '\"\"'",
                            at: SourceLocation(file: file, line: line, column: column(at: index))))
                    while index < count, bytes[index] != UInt8(ascii: ","), bytes[index] != UInt8(ascii: "\n") {
                        index += 1
                    }
                }
            } else {
                while index < count {
                    let byte = bytes[index]
                    if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\n") { break }
                    if byte == UInt8(ascii: "\r"), index + 1 < count, bytes[index + 1] == UInt8(ascii: "\n") { break }
                    if byte == UInt8(ascii: "\"") {
                        diagnostics.append(
                            .error(
                                "a quote inside an unquoted field; put the whole field in quotes "
                                    + "and write the quote as '\"\"'",
                                at: SourceLocation(file: file, line: line, column: column(at: index))))
                    }
                    value.append(byte)
                    index += 1
                }
            }
            row.append(CSVField(value: String(decoding: value, as: UTF8.self), line: fieldLine, column: fieldColumn))
            rowHasContent = rowHasContent || !value.isEmpty || row.count > 1
            if index < count, bytes[index] == UInt8(ascii: ",") {
                index += 1
                rowHasContent = true
                if index == count { row.append(CSVField(value: "", line: line, column: column(at: index))) }
                continue
            }
            // End of record.
            if index < count, bytes[index] == UInt8(ascii: "\r") { index += 1 }
            if index < count, bytes[index] == UInt8(ascii: "\n") {
                index += 1
                line += 1
                lineStart = index
            }
            if rowHasContent { records.append(row) }
            row = []
            rowHasContent = false
        }
        if !row.isEmpty, rowHasContent { records.append(row) }
        guard let header = records.first else {
            diagnostics.append(
                .error("the file is empty; a records file needs a header row", at: SourceLocation(file: file)))
            return (nil, diagnostics)
        }
        return (CSVTable(header: header, rows: Array(records.dropFirst())), diagnostics)
    }
}

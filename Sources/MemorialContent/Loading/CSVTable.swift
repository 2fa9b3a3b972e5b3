import MemorialCore

/// An RFC 4180 table (quoted commas, doubled quotes and line feeds inside quotes, CRLF or LF,
/// a UTF-8 byte-order mark): where each field of each row is in the file's bytes, with its
/// physical line and character column, found in one pass without making a String.
///
/// Written by hand rather than with SwiftCSV or CSV.swift: curators need the line and column
/// of every field (a quoted field may span lines) and of an unterminated quote, which neither
/// library reports, and 100,000 rows are read from bytes faster than through Strings.
struct CSVTable: Sendable {
    struct Field: Sendable {
        /// The field's bytes, quotes included (not text after a closing quote, which is reported).
        var start: Int32
        var end: Int32 = 0
        var line: Int32
        /// In characters, from 1.
        var column: Int32
        var quoted = false
        /// A quoted field with a doubled quote inside.
        var escaped = false

        func location(_ file: String) -> SourceLocation {
            SourceLocation(file: file, line: Int(line), column: Int(column))
        }
    }

    /// Every field, row after row; the first row is the header.
    var fields: [Field] = []
    /// Where each row's fields start in `fields` (and, last, the number of fields).
    var rowStarts: [Int] = [0]

    var rowCount: Int { rowStarts.count - 1 }

    /// Bytes a records file may have at most.
    static let maximumBytes = 1 << 30

    func row(_ index: Int) -> ArraySlice<Field> { fields[rowStarts[index]..<rowStarts[index + 1]] }

    /// The bytes that end an unquoted field or need a look: `,` `\n` `\r` `"`.
    private static let special: [Bool] = (0..<256).map { [0x2C, 0x0A, 0x0D, 0x22].contains($0) }

    /// Reads `bytes`, appending what is wrong to `diagnostics`: a stray quote is reported and
    /// read on; nil after an unterminated quote (the rest of the file is inside it) or when
    /// the file has no row.
    static func read(_ bytes: UnsafeBufferPointer<UInt8>, file: String, diagnostics: inout Diagnostics) -> CSVTable? {
        var table = CSVTable()
        let count = bytes.count
        // Positions are 32-bit (a field is 20 bytes, not 40): a larger file would overflow them.
        guard count <= maximumBytes else {
            diagnostics.error(
                "the file has \(Diagnostic.grouped(count)) bytes, and a records file may have at most "
                    + "\(Diagnostic.grouped(maximumBytes)) (1 GiB): split it into several files in content/records/",
                at: SourceLocation(file: file))
            return nil
        }
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var line: Int32 = 1
        // Characters of the current line before `index`, counted as bytes pass.
        var characters: Int32 = 0
        var row: [Field] = []
        var rowHasContent = false
        table.fields.reserveCapacity(count / 8)
        table.rowStarts.reserveCapacity(count / 100)
        let special = Self.special
        @inline(__always) func isLead(_ byte: UInt8) -> Int32 { byte & 0xC0 != 0x80 ? 1 : 0 }
        while index < count {
            let start = index
            var field = Field(start: Int32(start), line: line, column: characters + 1)
            if bytes[index] == UInt8(ascii: "\"") {
                field.quoted = true
                index += 1
                characters += 1
                var closed = false
                while index < count {
                    let byte = bytes[index]
                    if byte == UInt8(ascii: "\"") {
                        if index + 1 < count, bytes[index + 1] == UInt8(ascii: "\"") {
                            field.escaped = true
                            index += 2
                            characters += 2
                            continue
                        }
                        index += 1
                        characters += 1
                        closed = true
                        break
                    }
                    if byte == UInt8(ascii: "\n") {
                        line += 1
                        characters = 0
                    } else {
                        characters += isLead(byte)
                    }
                    index += 1
                }
                guard closed else {
                    report(.unterminated, line: field.line, column: field.column, file: file, to: &diagnostics)
                    return nil
                }
                field.end = Int32(index)
                // After a closing quote only a separator or the end of the line may follow.
                if index < count, bytes[index] != UInt8(ascii: ","), bytes[index] != UInt8(ascii: "\n"),
                    bytes[index] != UInt8(ascii: "\r")
                {
                    report(.textAfterQuote, line: line, column: characters + 1, file: file, to: &diagnostics)
                    while index < count, bytes[index] != UInt8(ascii: ","), bytes[index] != UInt8(ascii: "\n") {
                        characters += isLead(bytes[index])
                        index += 1
                    }
                }
            } else {
                while index < count {
                    let byte = bytes[index]
                    if special[Int(byte)] {
                        if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\n") { break }
                        // A carriage return ends the row before a line feed; alone, it is text.
                        if byte == UInt8(ascii: "\r"), index + 1 < count, bytes[index + 1] == UInt8(ascii: "\n") {
                            break
                        }
                        if byte == UInt8(ascii: "\"") {
                            report(.strayQuote, line: line, column: characters + 1, file: file, to: &diagnostics)
                        }
                    }
                    characters += isLead(byte)
                    index += 1
                }
                field.end = Int32(index)
            }
            row.append(field)
            rowHasContent = rowHasContent || field.end - field.start > (field.quoted ? 2 : 0) || row.count > 1
            if index < count, bytes[index] == UInt8(ascii: ",") {
                index += 1
                characters += 1
                rowHasContent = true
                if index == count {
                    row.append(Field(start: Int32(index), end: Int32(index), line: line, column: characters + 1))
                }
                continue
            }
            // The end of the row: after a closing quote, a carriage return ends it even alone.
            if index < count, bytes[index] == UInt8(ascii: "\r") {
                index += 1
                characters += 1
            }
            if index < count, bytes[index] == UInt8(ascii: "\n") {
                index += 1
                line += 1
                characters = 0
            }
            if rowHasContent {
                table.fields.append(contentsOf: row)
                table.rowStarts.append(table.fields.count)
            }
            row.removeAll(keepingCapacity: true)
            rowHasContent = false
        }
        if !row.isEmpty, rowHasContent {
            table.fields.append(contentsOf: row)
            table.rowStarts.append(table.fields.count)
        }
        guard table.rowCount > 0 else {
            diagnostics.error("the file is empty; a records file needs a header row", at: SourceLocation(file: file))
            return nil
        }
        return table
    }

    private enum Problem: String {
        case unterminated =
            "unterminated quoted field: the quote opened here is never closed (end the field with '\"', and write a quote inside it as '\"\"')"
        case textAfterQuote =
            "unexpected text after a closing quote; quote the whole field and write a quote inside it as '\"\"'"
        case strayQuote =
            "a quote inside an unquoted field; put the whole field in quotes and write the quote as '\"\"'"
    }

    // Out of the reading loop, which it would only make longer.
    @inline(never)
    private static func report(
        _ problem: Problem, line: Int32, column: Int32, file: String, to diagnostics: inout Diagnostics
    ) {
        diagnostics.error(problem.rawValue, at: SourceLocation(file: file, line: Int(line), column: Int(column)))
    }

    /// A field's value: without its quotes, doubled quotes made single (a copy only then).
    static func withValue<Result>(
        of field: Field, in bytes: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Result
    ) -> Result {
        let start = Int(field.start)
        let end = Int(field.end)
        guard field.quoted else { return body(UnsafeBufferPointer(rebasing: bytes[start..<end])) }
        let inner = UnsafeBufferPointer(rebasing: bytes[(start + 1)..<(end - 1)])
        guard field.escaped else { return body(inner) }
        var value: [UInt8] = []
        value.reserveCapacity(inner.count)
        var index = 0
        while index < inner.count {
            value.append(inner[index])
            index += inner[index] == UInt8(ascii: "\"") ? 2 : 1
        }
        return value.withUnsafeBufferPointer(body)
    }

    /// A field's value as a String.
    static func string(of field: Field, in bytes: UnsafeBufferPointer<UInt8>) -> String {
        withValue(of: field, in: bytes) { String(decoding: $0, as: UTF8.self) }
    }
}

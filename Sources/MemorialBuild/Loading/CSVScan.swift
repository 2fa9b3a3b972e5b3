/// Where the fields of a CSV file are, as byte ranges, found in one pass without making a
/// String: what `RecordParser.parseValid` reads 100,000 rows from. It accepts only what
/// `CSVParser` reads without a diagnostic, and gives up (nil) on anything else, so that the
/// slower `CSVParser` reports it with its position.
struct CSVScan {
    struct Field {
        /// The field's bytes, quotes included.
        var start: Int32
        var end: Int32
        var line: Int32
        /// In characters, from 1.
        var column: Int32
        var quoted: Bool
        /// A quoted field with a doubled quote inside.
        var escaped: Bool
    }

    /// Every field, row after row.
    var fields: [Field] = []
    /// Where each row's fields start in `fields` (and, last, the number of fields).
    var rowStarts: [Int] = []

    var rowCount: Int { rowStarts.count - 1 }

    func row(_ index: Int) -> ArraySlice<Field> { fields[rowStarts[index]..<rowStarts[index + 1]] }

    /// The bytes that end an unquoted field or need a look: `,` `\n` `\r` `"`.
    private static let special: [Bool] = (0..<256).map { [0x2C, 0x0A, 0x0D, 0x22].contains($0) }

    init?(_ bytes: UnsafeBufferPointer<UInt8>) {
        let count = bytes.count
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var line: Int32 = 1
        // Characters of the current line before `index`, counted as bytes pass.
        var characters: Int32 = 0
        var row: [Field] = []
        var rowHasContent = false
        fields.reserveCapacity(count / 8)
        rowStarts.reserveCapacity(count / 100)
        rowStarts.append(0)
        let special = Self.special
        @inline(__always) func isLead(_ byte: UInt8) -> Int32 { byte & 0xC0 != 0x80 ? 1 : 0 }
        while index < count {
            let start = index
            var field = Field(
                start: Int32(start), end: 0, line: line, column: characters + 1, quoted: false, escaped: false)
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
                // Unterminated, or text after the closing quote: CSVParser says where.
                guard closed else { return nil }
                if index < count, bytes[index] != UInt8(ascii: ","), bytes[index] != UInt8(ascii: "\n"),
                    bytes[index] != UInt8(ascii: "\r")
                {
                    return nil
                }
            } else {
                while index < count {
                    let byte = bytes[index]
                    if special[Int(byte)] {
                        if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\n") { break }
                        if byte == UInt8(ascii: "\"") { return nil }
                        // A carriage return ends the row before a line feed; alone, it is
                        // unusual enough to leave to CSVParser.
                        if index + 1 < count, bytes[index + 1] == UInt8(ascii: "\n") { break }
                        return nil
                    }
                    characters += isLead(byte)
                    index += 1
                }
            }
            field.end = Int32(index)
            row.append(field)
            rowHasContent = rowHasContent || index - start > (field.quoted ? 2 : 0) || row.count > 1
            if index < count, bytes[index] == UInt8(ascii: ",") {
                index += 1
                characters += 1
                rowHasContent = true
                if index == count {
                    row.append(
                        Field(
                            start: Int32(index), end: Int32(index), line: line, column: characters + 1, quoted: false,
                            escaped: false))
                }
                continue
            }
            if index < count, bytes[index] == UInt8(ascii: "\r") {
                // Only before a line feed (checked above for unquoted fields).
                guard index + 1 < count, bytes[index + 1] == UInt8(ascii: "\n") else { return nil }
                index += 1
            }
            if index < count, bytes[index] == UInt8(ascii: "\n") {
                index += 1
                line += 1
                characters = 0
            }
            if rowHasContent {
                fields.append(contentsOf: row)
                rowStarts.append(fields.count)
            }
            row.removeAll(keepingCapacity: true)
            rowHasContent = false
        }
        if !row.isEmpty, rowHasContent {
            fields.append(contentsOf: row)
            rowStarts.append(fields.count)
        }
        // An empty file: CSVParser reports it.
        guard rowCount > 0 else { return nil }
    }

    /// A field's value as CSVParser gives it: without its quotes, doubled quotes made single.
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
}

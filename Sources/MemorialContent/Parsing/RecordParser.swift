import Foundation
import MemorialCore

/// Turns a records CSV into validated `Record`s, reporting every bad cell with its position.
struct RecordParser {
    var languages: [String]
    var vocabularies: [String: Vocabulary]

    /// Columns whose values are codes, and the vocabulary each refers to.
    static let codeColumns: [(column: String, vocabulary: String, multiple: Bool)] = [
        ("people", "peoples", false),
        ("charge", "charges", true),
        ("sentence", "sentences", true),
        ("sentencing_body", "bodies", false),
    ]
    static let dateColumns = ["arrest_date", "sentence_date", "death_date", "rehabilitation_date", "updated"]
    /// Columns a records file may have at most (a header of 200,000 empty columns gave an error
    /// for each).
    static let maximumColumns = 1000

    /// The records of a UTF-8 records file, its rows read on every core and each record made
    /// in place in the result (copying 100,000 records into one array took a fifth of this);
    /// what is wrong goes to `diagnostics`, and a row with a problem gives no record.
    /// - Parameter only: when given, only the rows of these ids are read (the others unchecked).
    /// - Returns: nil when the file is not a table (an unterminated quote, no row) or its header
    ///   is unusable (no id column, separated by semicolons), so that no id can be called
    ///   missing; else the records and, when anything was reported, the id of every row, valid
    ///   or not, so that later checks (a narrative for a missing record) do not repeat a row's
    ///   own error (without a problem, they are the records' ids).
    func parse(_ bytes: [UInt8], file: String, only: Set<String>? = nil, diagnostics: inout Diagnostics)
        -> (records: [Record], rowIDs: Set<String>?)?
    {
        var stages = StageClock(prefix: "records: ")
        defer { stages.report() }
        let reported = diagnostics.all.count
        guard let table = bytes.withUnsafeBufferPointer({ CSVTable.read($0, file: file, diagnostics: &diagnostics) })
        else { return nil }
        stages.lap("scan")
        guard
            let layout = bytes.withUnsafeBufferPointer({
                layout(of: table, in: $0, file: file, diagnostics: &diagnostics)
            })
        else { return nil }
        let count = table.rowCount - 1
        let records = [Record](unsafeUninitializedCapacity: count) { buffer, initialized in
            let target = UncheckedBuffer(buffer: buffer)
            let parts = concurrentChunks(count: count) { range -> (skipped: [Int], diagnostics: Diagnostics) in
                bytes.withUnsafeBufferPointer { bytes in
                    var scratch = RowLayout.Scratch(layout)
                    var part: (skipped: [Int], diagnostics: Diagnostics) = ([], Diagnostics())
                    for row in range {
                        let fields = table.row(row + 1)
                        if let only, !only.contains(layout.id(of: fields, in: bytes) ?? "") {
                            part.skipped.append(row)
                        } else if let record = layout.record(
                            fields, in: bytes, file: file, scratch: &scratch, diagnostics: &part.diagnostics)
                        {
                            (target.buffer.baseAddress! + row).initialize(to: record)
                        } else {
                            part.skipped.append(row)
                        }
                    }
                    return part
                }
            }
            // The records after each row that gave none move down to close the gap.
            var kept = 0
            var next = 0
            for skipped in parts.lazy.flatMap(\.skipped) + [count] {
                if kept != next, skipped > next {
                    (buffer.baseAddress! + kept).moveInitialize(from: buffer.baseAddress! + next, count: skipped - next)
                }
                kept += skipped - next
                next = skipped + 1
            }
            initialized = kept
            for part in parts { diagnostics.append(contentsOf: part.diagnostics.all) }
        }
        stages.lap("rows")
        guard diagnostics.all.count > reported else { return (records, nil) }
        let rowIDs = bytes.withUnsafeBufferPointer { bytes in
            Set((1..<table.rowCount).compactMap { layout.id(of: table.row($0), in: bytes) })
        }
        return (records, rowIDs)
    }

    /// The records of `ids` in a file with nothing to report, in file order; nil when the file
    /// has anything to report (then no id can be trusted to be missing). Rows of other ids are
    /// not made into records: a rebuild after editing one narrative needs one record of 100,000.
    func parseValid(_ bytes: [UInt8], file: String, onlyIDs ids: Set<String>) -> [Record]? {
        if let found = findRows(bytes, file: file, ids: ids) { return found }
        var diagnostics = Diagnostics()
        let records = parse(bytes, file: file, only: ids, diagnostics: &diagnostics)?.records
        return diagnostics.all.isEmpty ? records : nil
    }

    /// The rows of `ids` found without reading the file's fields, when ids are its first column
    /// and each begins exactly one line (`<id>,`): in a file read without a problem, that line
    /// is the id's row; a second one (the text after a line feed inside quotes) gives nil and
    /// the caller reads the file. Each row is read to the next line feed with the same reader
    /// and layout, so it is the same record, at its line in the file (line feeds inside quotes
    /// count, as the reader counts them). In file order.
    private func findRows(_ bytes: [UInt8], file: String, ids: Set<String>) -> [Record]? {
        bytes.withUnsafeBufferPointer { buffer -> [Record]? in
            var diagnostics = Diagnostics()
            guard let base = buffer.baseAddress, let headerEnd = buffer.firstIndex(of: 0x0A),
                let header = CSVTable.read(
                    UnsafeBufferPointer(rebasing: buffer[...headerEnd]), file: file, diagnostics: &diagnostics),
                let layout = layout(of: header, in: buffer, file: file, diagnostics: &diagnostics),
                diagnostics.all.isEmpty, layout.idColumn == 0
            else { return nil }
            // One pass over the line starts: each line's first field, when it is an id asked for.
            var hits: [(start: Int, line: Int)] = []
            var found: [String: Int] = [:]
            let longest = ids.map(\.utf8.count).max() ?? 0
            var line = 1
            var position = headerEnd
            while position < buffer.count {
                line += 1
                let start = position + 1
                var comma = start
                while comma < buffer.count, comma - start <= longest, buffer[comma] != 0x2C, buffer[comma] != 0x0A {
                    comma += 1
                }
                if comma < buffer.count, buffer[comma] == 0x2C, comma > start {
                    let id = String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<comma]), as: UTF8.self)
                    if ids.contains(id) {
                        hits.append((start, line))
                        found[id, default: 0] += 1
                    }
                }
                guard start < buffer.count, let feed = memchr(base + start, 0x0A, buffer.count - start) else { break }
                position = UnsafeRawPointer(feed).assumingMemoryBound(to: UInt8.self) - base
            }
            guard found.count == ids.count, found.values.allSatisfy({ $0 == 1 }) else { return nil }
            var records: [Record] = []
            var scratch = RowLayout.Scratch(layout)
            for (start, line) in hits {
                let end = buffer[start...].firstIndex(of: 0x0A).map { $0 + 1 } ?? buffer.count
                let window = UnsafeBufferPointer(rebasing: buffer[start..<end])
                guard let table = CSVTable.read(window, file: file, diagnostics: &diagnostics), table.rowCount == 1
                else { return nil }
                let row = table.row(0).map { field -> CSVTable.Field in
                    var field = field
                    field.line += Int32(line - 1)
                    return field
                }
                guard
                    let record = layout.record(
                        row[...], in: window, file: file, scratch: &scratch, diagnostics: &diagnostics),
                    diagnostics.all.isEmpty, ids.contains(record.id)
                else { return nil }
                records.append(record)
            }
            return records
        }
    }

    /// What each column of a file is, from its header row; nil (with an error) when the header
    /// lacks the id or every name column.
    private func layout(
        of table: CSVTable, in bytes: UnsafeBufferPointer<UInt8>, file: String, diagnostics: inout Diagnostics
    ) -> RowLayout? {
        let header = table.row(0)
        guard header.count <= RecordParser.maximumColumns else {
            diagnostics.error(
                "the header has \(Diagnostic.grouped(header.count)) columns, and a records file may have at most "
                    + "\(Diagnostic.grouped(RecordParser.maximumColumns)): remove the columns after the last one used "
                    + "(a spreadsheet program may have saved empty ones)",
                at: header[header.startIndex + RecordParser.maximumColumns].location(file))
            return nil
        }
        var columns: [(base: String, language: String?)] = []
        var seen = Set<String>()
        var headerFingerprint = Fingerprint()
        headerFingerprint.combine(file)
        for field in header {
            let value = CSVTable.string(of: field, in: bytes)
            headerFingerprint.combine(value)
            let name = value.trimmed
            if !seen.insert(name).inserted {
                diagnostics.error(
                    "column '\(Diagnostic.excerpt(name))' appears twice in the header", at: field.location(file))
            }
            if let underscore = name.lastIndex(of: "_"),
                languages.contains(String(name[name.index(after: underscore)...]))
            {
                columns.append((String(name[..<underscore]), String(name[name.index(after: underscore)...])))
            } else {
                columns.append((name, nil))
            }
        }
        let headerLocation = SourceLocation(file: file, line: Int(header.first?.line ?? 1), column: 1)
        guard columns.contains(where: { $0.base == "id" && $0.language == nil }) else {
            // Spreadsheet programs in Russian and Kazakh locales export with semicolons.
            let first = CSVTable.string(of: header[header.startIndex], in: bytes)
            if first.split(separator: ";").contains(where: { $0.trimmed == "id" }) {
                diagnostics.error(
                    "the header '\(Diagnostic.excerpt(first))' is separated by semicolons, but records files are "
                        + "separated by commas: save the file as comma-separated CSV in UTF-8 (in Excel 'CSV UTF-8 "
                        + "(Comma delimited)', in LibreOffice field delimiter ',' and character set UTF-8)",
                    at: headerLocation)
                return nil
            }
            diagnostics.error("the header has no 'id' column; every record needs a persistent id", at: headerLocation)
            return nil
        }
        guard columns.contains(where: { $0.base == "name" }) else {
            diagnostics.error(
                "the header has no name column; add name_<lang> for at least one language (e.g. name_kk, name_ru, name_en)",
                at: headerLocation)
            return nil
        }
        return RowLayout(columns: columns, vocabularies: vocabularies, headerFingerprint: headerFingerprint)
    }
}

/// A buffer that parts of a parallel loop write to, each its own range.
private struct UncheckedBuffer<Element>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Element>
}

/// What each column of one records file is, worked out once for all its rows.
private struct RowLayout: Sendable {
    let columns: [(base: String, language: String?)]
    let fields: RecordFields.Layout
    /// The first column of ids (the one a row's id is read from when the row has a problem).
    let idColumn: Int
    /// The columns without a language that `record` reads, found once rather than by name in
    /// every row.
    let id: Int
    let name: [Int]
    let birthYear: Int?
    let dates: [(column: String, index: Int)]
    let codes: [(column: String, index: Int, vocabulary: String, known: Vocabulary?, multiple: Bool)]
    let status: Int?
    let headerFingerprint: Fingerprint

    init(
        columns: [(base: String, language: String?)], vocabularies: [String: Vocabulary], headerFingerprint: Fingerprint
    ) {
        self.columns = columns
        self.headerFingerprint = headerFingerprint
        fields = RecordFields.Layout(columns: columns)
        func common(_ base: String) -> Int? { columns.lastIndex { $0.base == base && $0.language == nil } }
        idColumn = columns.firstIndex { $0.base == "id" && $0.language == nil }!
        id = common("id")!
        name = columns.indices.filter { columns[$0].base == "name" }
        birthYear = common("birth_year")
        dates = RecordParser.dateColumns.compactMap { column in common(column).map { (column, $0) } }
        codes = RecordParser.codeColumns.compactMap { column, vocabulary, multiple in
            common(column).map { (column, $0, vocabulary, vocabularies[vocabulary], multiple) }
        }
        status = common("status")
    }

    /// A row's values while it is read, kept from row to row (not allocated per row).
    struct Scratch {
        var values: [String]

        init(_ layout: RowLayout) { values = Array(repeating: "", count: layout.columns.count) }
    }

    /// The trimmed id in a row's first id column, if the row reaches it.
    func id(of row: ArraySlice<CSVTable.Field>, in bytes: UnsafeBufferPointer<UInt8>) -> String? {
        idColumn < row.count ? CSVTable.withValue(of: row[row.startIndex + idColumn], in: bytes, Self.trimmed) : nil
    }

    /// A row's record, or nil when it has a problem: then each is reported.
    func record(
        _ row: ArraySlice<CSVTable.Field>, in bytes: UnsafeBufferPointer<UInt8>, file: String,
        scratch: inout Scratch, diagnostics: inout Diagnostics
    ) -> Record? {
        let first = row[row.startIndex]
        let rowLocation = first.location(file)
        if row.count != columns.count {
            diagnostics.error(
                "this row has \(row.count) fields but the header has \(columns.count); "
                    + "a field that contains a comma must be in quotes",
                at: rowLocation)
        }
        // A row with too few or too many fields still gives its record when its cells are
        // right: the count is reported, and the cells are read by position.
        let reported = diagnostics.all.count
        for index in scratch.values.indices {
            scratch.values[index] =
                index < row.count
                ? CSVTable.withValue(of: row[row.startIndex + index], in: bytes, Self.trimmed) : ""
        }
        let values = scratch.values
        func cell(_ index: Int?) -> (value: String, location: SourceLocation)? {
            guard let index, !values[index].isEmpty else { return nil }
            return (values[index], row[row.startIndex + index].location(file))
        }
        guard let (id, idLocation) = cell(id) else {
            diagnostics.error(
                "missing id; every record needs a persistent id such as 'bukeikhanov-alikhan'", at: rowLocation)
            return nil
        }
        if !Identifier.isValidID(id) {
            diagnostics.error(
                "invalid id '\(Diagnostic.excerpt(id))': use 1 to 64 lower-case Latin letters, digits and '-', starting with a letter or digit",
                at: idLocation)
        }
        if name.allSatisfy({ values[$0].isEmpty }) {
            diagnostics.error(
                "record '\(Diagnostic.excerpt(id))' has no name; fill name_<lang> in at least one language",
                at: rowLocation)
        }
        var record = Record(id: id, location: rowLocation, fields: RecordFields(layout: fields, values: values))
        var dateCells: [String: SourceLocation] = [:]
        // The row's bytes as they are (quotes and spaces too: a fingerprint may change when the
        // record does not, never the other way round), after the header's.
        var content = headerFingerprint
        content.combine(UnsafeBufferPointer(rebasing: bytes[Int(first.start)..<Int(row[row.endIndex - 1].end)]))
        record.contentFingerprint = content
        if let (value, location) = cell(birthYear) {
            if Identifier.isDigits(value, count: 4), let year = Int(value) {
                record.birthYear = year
                dateCells["birth_year"] = location
            } else {
                diagnostics.error(
                    "malformed birth_year '\(Diagnostic.excerpt(value))'; write the year as YYYY, e.g. 1894",
                    at: location)
            }
        }
        for (column, index) in dates {
            guard let (value, location) = cell(index) else { continue }
            do {
                let date = try PartialDate.parse(value)
                dateCells[column] = location
                switch column {
                case "arrest_date": record.arrestDate = date
                case "sentence_date": record.sentenceDate = date
                case "death_date": record.deathDate = date
                case "updated": record.updated = date
                default: record.rehabilitationDate = date
                }
            } catch {
                switch error {
                case .malformed:
                    diagnostics.error(
                        "malformed date '\(Diagnostic.excerpt(value))' in \(column); write YYYY, YYYY-MM or YYYY-MM-DD, e.g. 1937-09-27",
                        at: location)
                case .impossible(let reason):
                    diagnostics.error(
                        "impossible date '\(Diagnostic.excerpt(value))' in \(column): \(reason)", at: location)
                }
            }
        }
        for (column, index, vocabulary, known, multiple) in codes {
            guard let (value, location) = cell(index) else { continue }
            let codes =
                multiple && value.utf8.contains(UInt8(ascii: ";"))
                ? value.split(separator: ";").map { $0.trimmed }.filter { !$0.isEmpty } : [value]
            for code in codes where known?.labels[code] == nil && known?.wasRead != false {
                guard let known else {
                    diagnostics.error(
                        "unknown \(column) code '\(Diagnostic.excerpt(code))': content/vocabularies/\(vocabulary).yml does not exist",
                        at: location)
                    continue
                }
                diagnostics.error(
                    "unknown \(column) code '\(Diagnostic.excerpt(code))' (\(Self.knownCodes(known))); add it to content/vocabularies/\(vocabulary).yml or correct the cell",
                    at: location)
            }
            switch column {
            case "people": record.people = codes.first
            case "charge": record.charges = codes
            case "sentence": record.sentences = codes
            default: record.sentencingBody = codes.first
            }
        }
        if let (value, location) = cell(status) {
            if let status = Record.Status(rawValue: value) {
                record.status = status
            } else {
                diagnostics.error(
                    "status must be 'published' or 'restricted', not '\(Diagnostic.excerpt(value))'", at: location)
            }
        }
        if !record.datesOutOfOrder.isEmpty { record.dateCells = dateCells }
        return diagnostics.all.count == reported ? record : nil
    }

    /// The codes of a vocabulary, sorted, for a message about a code it lacks: all of them, or,
    /// of a very long vocabulary, the first `listedCodes` and how many there are.
    static func knownCodes(_ vocabulary: Vocabulary) -> String {
        let sorted = vocabulary.codes.sorted()
        guard sorted.count > listedCodes else { return "known: " + sorted.joined(separator: ", ") }
        return "\(Diagnostic.grouped(sorted.count)) codes are known, too many to list here; the first "
            + "\(listedCodes): " + sorted.prefix(listedCodes).joined(separator: ", ")
    }

    static let listedCodes = 100

    /// `String.trimmed` of a field's bytes, without walking Characters when its ends are ASCII
    /// or Latin or Cyrillic letters; anything else (Unicode white space, a combining mark next
    /// to white space) goes the Character way. The bytes are UTF-8 (the file was checked).
    static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
        func slow() -> String { String(decoding: bytes, as: UTF8.self).trimmed }
        guard let first = bytes.first, let last = bytes.last else { return "" }
        if (0x21...0x7E).contains(first), (0x21...0x7E).contains(last) {
            return String(decoding: bytes, as: UTF8.self)
        }
        var start = 0
        var end = bytes.count
        while start < end, isSpace(bytes[start]) { start += 1 }
        if start == end { return "" }
        if bytes[start] >= 0x80 {
            // After white space, a combining mark is one Character with it; at the start, these
            // lead bytes may begin Unicode white space (U+0085, U+00A0, U+1680, U+2000…, U+3000).
            if start > 0 || [0xC2, 0xE1, 0xE2, 0xE3].contains(bytes[start]) { return slow() }
        }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        if bytes[end - 1] >= 0x80 {
            // Before white space, a character may hold it (a prepended mark); at the end, only
            // a letter is known to be a Character of its own that is not white space.
            guard end == bytes.count, end - start >= 2, bytes[end - 2] & 0xE0 == 0xC0 else { return slow() }
            let scalar = UInt32(bytes[end - 2] & 0x1F) << 6 | UInt32(bytes[end - 1] & 0x3F)
            guard
                (0xC0...0x24F).contains(scalar) || (0x400...0x482).contains(scalar) || (0x48A...0x4FF).contains(scalar)
            else { return slow() }
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }
}

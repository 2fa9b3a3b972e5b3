import Foundation
import MemorialCore

extension RecordParser {
    /// The records of a UTF-8 CSV file in which nothing is wrong, read from its bytes on every core;
    /// nil as soon as anything would be reported, so that `CSVParser` and `parse` (which make a
    /// String of every field) report it with its position. Gives the same records as they do.
    func parseValid(_ bytes: [UInt8], file: String) -> [Record]? {
        var stages = StageClock(prefix: "records: ")
        defer { stages.report() }
        guard let scan = bytes.withUnsafeBufferPointer({ CSVScan($0) }) else { return nil }
        stages.lap("scan")
        guard let layout = layout(of: scan, in: bytes, file: file) else { return nil }
        // Each part of the rows is made in place in the result, so that no record is copied
        // (copying 100,000 records into one array, and freeing the parts, took a fifth of this).
        let count = scan.rowCount - 1
        var complete = true
        let records = [Record](unsafeUninitializedCapacity: count) { buffer, initialized in
            let target = UncheckedBuffer(buffer)
            let made = concurrentChunks(count: count) { range -> (range: Range<Int>, whole: Bool) in
                bytes.withUnsafeBufferPointer { bytes in
                    var scratch = RowLayout.Scratch(layout)
                    for row in range {
                        guard let record = layout.record(scan.row(row + 1), in: bytes, file: file, scratch: &scratch)
                        else {
                            target.buffer[range.lowerBound..<row].deinitialize()
                            return (range, false)
                        }
                        (target.buffer.baseAddress! + row).initialize(to: record)
                    }
                    return (range, true)
                }
            }
            complete = made.allSatisfy(\.whole)
            if !complete {
                // The parts that were made in full are given back; the others did so themselves.
                for part in made where part.whole { buffer[part.range].deinitialize() }
            }
            initialized = complete ? count : 0
        }
        stages.lap("rows")
        return complete ? records : nil
    }
}

extension RecordParser {
    /// The records of `ids` in a file `parseValid` would read, the same as it gives them, in
    /// file order; nil when the file has anything to report (then no id can be trusted to be
    /// missing). Rows of other ids are not made into records: a rebuild after editing one
    /// narrative needs one record of 100,000.
    func parseValid(_ bytes: [UInt8], file: String, onlyIDs ids: Set<String>) -> [Record]? {
        if let found = findRows(bytes, file: file, ids: ids) { return found }
        guard let scan = bytes.withUnsafeBufferPointer({ CSVScan($0) }),
            let layout = layout(of: scan, in: bytes, file: file), let idColumn = layout.id
        else { return nil }
        return bytes.withUnsafeBufferPointer { buffer -> [Record]? in
            var scratch = RowLayout.Scratch(layout)
            var records: [Record] = []
            for row in 1..<max(1, scan.rowCount) {
                let fields = scan.row(row)
                guard fields.count == layout.columns.count else { return nil }
                let id = CSVScan.withValue(of: fields[fields.startIndex + idColumn], in: buffer, RowLayout.trimmed)
                guard ids.contains(id) else { continue }
                guard let record = layout.record(fields, in: buffer, file: file, scratch: &scratch) else { return nil }
                records.append(record)
            }
            return records
        }
    }

    /// The rows of `ids` found without scanning the file's fields, when ids are its first column
    /// and each begins exactly one line (`<id>,`): a file that `parseValid` reads without a
    /// problem has each published id's row, so one line is that row; a second (the same text
    /// after a line feed inside a quoted field) gives nil and the caller scans. Each row is
    /// read from its line to the next line feed with the same scanner and layout, so it is the
    /// same record, with its line in the file (a line feed inside quotes counts, as the scanner
    /// counts it). In file order.
    private func findRows(_ bytes: [UInt8], file: String, ids: Set<String>) -> [Record]? {
        bytes.withUnsafeBufferPointer { buffer -> [Record]? in
            guard let base = buffer.baseAddress, let headerEnd = buffer.firstIndex(of: 0x0A),
                let header = CSVScan(UnsafeBufferPointer(rebasing: buffer[...headerEnd])),
                let layout = layout(of: header, in: Array(buffer[...headerEnd]), file: file), layout.id == 0
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
                guard let scan = CSVScan(window), scan.rowCount == 1 else { return nil }
                let row = scan.row(0).map { field -> CSVScan.Field in
                    var field = field
                    field.line += Int32(line - 1)
                    return field
                }
                guard let record = layout.record(row[...], in: window, file: file, scratch: &scratch),
                    ids.contains(record.id)
                else { return nil }
                records.append(record)
            }
            return records
        }
    }

    /// The layout of a file's columns, from its header row; nil when the header has a problem.
    fileprivate func layout(of scan: CSVScan, in bytes: [UInt8], file: String) -> RowLayout? {
        let header = bytes.withUnsafeBufferPointer { buffer in
            scan.row(0).map { field in
                CSVField(
                    value: CSVScan.withValue(of: field, in: buffer) { String(decoding: $0, as: UTF8.self) },
                    line: Int(field.line), column: Int(field.column))
            }
        }
        var diagnostics = Diagnostics()
        guard let columns = columns(of: header, file: file, diagnostics: &diagnostics), diagnostics.all.isEmpty
        else { return nil }
        var headerFingerprint = Fingerprint()
        headerFingerprint.combine(file)
        for field in header { headerFingerprint.combine(field.value) }
        return RowLayout(columns: columns, parser: self, headerFingerprint: headerFingerprint)
    }
}

/// A buffer that parts of a parallel loop write to, each its own range.
private struct UncheckedBuffer<Element>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Element>

    init(_ buffer: UnsafeMutableBufferPointer<Element>) { self.buffer = buffer }
}

/// What each column of one records file is, worked out once for all its rows.
private struct RowLayout: Sendable {
    let columns: [(base: String, language: String?)]
    /// The base names, each once, and the position of each column's.
    let bases: [String]
    let baseOfColumn: [Int]
    /// How many columns with a language each base name has (to size its dictionary once).
    let languageCount: [Int]
    let nameBase: Int?
    /// The column without a language of each base name `record` reads (the last, as `parse`
    /// does), found once rather than by name in every row.
    let id: Int?
    let birthYear: Int?
    let dates: [(column: String, index: Int)]
    let codes: [(column: String, index: Int, labels: [String: LocalizedText]?, multiple: Bool)]
    let status: Int?
    let headerFingerprint: Fingerprint

    init(columns: [(base: String, language: String?)], parser: RecordParser, headerFingerprint: Fingerprint) {
        self.columns = columns
        self.headerFingerprint = headerFingerprint
        var bases: [String] = []
        var baseOfColumn: [Int] = []
        var common: [String: Int] = [:]
        for (index, column) in columns.enumerated() {
            if let known = bases.firstIndex(of: column.base) {
                baseOfColumn.append(known)
            } else {
                baseOfColumn.append(bases.count)
                bases.append(column.base)
            }
            if column.language == nil { common[column.base] = index }
        }
        self.bases = bases
        self.baseOfColumn = baseOfColumn
        var languageCount = Array(repeating: 0, count: bases.count)
        for (index, column) in columns.enumerated() where column.language != nil {
            languageCount[baseOfColumn[index]] += 1
        }
        self.languageCount = languageCount
        nameBase = bases.firstIndex(of: "name")
        id = common["id"]
        birthYear = common["birth_year"]
        dates = RecordParser.dateColumns.compactMap { column in common[column].map { (column, $0) } }
        codes = RecordParser.codeColumns.compactMap { column, vocabulary, multiple in
            common[column].map { (column, $0, parser.vocabularies[vocabulary]?.labels, multiple) }
        }
        status = common["status"]
    }

    /// A row's values while it is read, kept from row to row (two arrays fewer to allocate).
    struct Scratch {
        var texts: [LocalizedText?]
        var values: [String?]

        init(_ layout: RowLayout) {
            texts = Array(repeating: nil, count: layout.bases.count)
            values = Array(repeating: nil, count: layout.columns.count)
        }
    }

    func record(
        _ row: ArraySlice<CSVScan.Field>, in bytes: UnsafeBufferPointer<UInt8>, file: String, scratch: inout Scratch
    ) -> Record? {
        guard row.count == columns.count else { return nil }
        for index in scratch.texts.indices { scratch.texts[index] = nil }
        for index in scratch.values.indices { scratch.values[index] = nil }
        for (index, field) in zip(columns.indices, row) {
            let value = CSVScan.withValue(of: field, in: bytes, Self.trimmed)
            guard !value.isEmpty else { continue }
            let base = baseOfColumn[index]
            var text =
                scratch.texts[base]
                ?? LocalizedText(
                    common: nil,
                    byLanguage: languageCount[base] > 1 ? Dictionary(minimumCapacity: languageCount[base]) : [:])
            scratch.texts[base] = nil
            if let language = columns[index].language {
                text.byLanguage[language] = value
            } else {
                text.common = value
                scratch.values[index] = value
            }
            scratch.texts[base] = text
        }
        let texts = scratch.texts
        let values = scratch.values
        func cell(_ index: Int?) -> (value: String, location: SourceLocation)? {
            guard let index, let value = values[index] else { return nil }
            let field = row[row.startIndex + index]
            return (value, SourceLocation(file: file, line: Int(field.line), column: Int(field.column)))
        }
        guard let id = id.flatMap({ values[$0] }), Identifier.isValidID(id), let nameBase, texts[nameBase] != nil
        else {
            return nil
        }
        var fields = [String: LocalizedText](minimumCapacity: bases.count)
        for (base, text) in zip(bases, texts) {
            if let text { fields[base] = text }
        }
        let first = row[row.startIndex]
        var record = Record(
            id: id, location: SourceLocation(file: file, line: Int(first.line), column: Int(first.column)),
            fields: fields)
        record.dateCells = Dictionary(minimumCapacity: dates.count + 1)
        // The row's bytes as they are (quotes and spaces too: a fingerprint may change when the
        // record does not, never the other way round), after the header's.
        var content = headerFingerprint
        content.combine(UnsafeBufferPointer(rebasing: bytes[Int(first.start)..<Int(row[row.endIndex - 1].end)]))
        record.contentFingerprint = content
        if let (value, location) = cell(birthYear) {
            guard Identifier.isDigits(value, count: 4), let year = Int(value) else { return nil }
            record.birthYear = year
            record.dateCells["birth_year"] = location
        }
        for (column, index) in dates {
            guard let (value, location) = cell(index) else { continue }
            guard let date = try? PartialDate.parse(value) else { return nil }
            record.dateCells[column] = location
            switch column {
            case "arrest_date": record.arrestDate = date
            case "sentence_date": record.sentenceDate = date
            case "death_date": record.deathDate = date
            default: record.rehabilitationDate = date
            }
        }
        for (column, index, labels, multiple) in codes {
            guard let value = values[index] else { continue }
            let codes =
                multiple && value.utf8.contains(UInt8(ascii: ";"))
                ? value.split(separator: ";").map { $0.trimmed }.filter { !$0.isEmpty } : [value]
            guard let labels, codes.allSatisfy({ labels[$0] != nil }) else { return nil }
            switch column {
            case "people": record.people = codes.first
            case "charge": record.charges = codes
            case "sentence": record.sentences = codes
            default: record.sentencingBody = codes.first
            }
        }
        if let value = status.flatMap({ values[$0] }) {
            guard let status = Record.Status(rawValue: value) else { return nil }
            record.status = status
        }
        return record
    }

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

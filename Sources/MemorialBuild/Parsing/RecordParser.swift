import MemorialCore

/// Turns the rows of a records CSV into validated `Record`s, reporting every bad cell.
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
    static let dateColumns = ["arrest_date", "sentence_date", "death_date", "rehabilitation_date"]

    /// - Parameter seenIDs: receives the id of every row, valid or not, so that later checks
    ///   (a narrative for a missing record) do not repeat a row's own error.
    func parse(_ table: CSVTable, file: String, seenIDs: inout Set<String>, diagnostics: inout Diagnostics) -> [Record]
    {
        guard let columns = columns(of: table.header, file: file, diagnostics: &diagnostics) else { return [] }

        var records: [Record] = []
        records.reserveCapacity(table.rows.count)
        let idColumn = columns.firstIndex { $0.base == "id" && $0.language == nil }
        for row in table.rows {
            if let idColumn, idColumn < row.count {
                seenIDs.insert(row[idColumn].value.trimmed)
            }
            if let record = parseRow(row, columns: columns, header: table.header, file: file, diagnostics: &diagnostics)
            {
                records.append(record)
            }
        }
        return records
    }

    /// Which base name and language each column of a header stands for; nil (with an error)
    /// when the header lacks the id or every name column.
    func columns(of header: [CSVField], file: String, diagnostics: inout Diagnostics) -> [(
        base: String, language: String?
    )]? {
        var columns: [(base: String, language: String?)] = []
        var seenHeaders: [String: CSVField] = [:]
        for field in header {
            let name = field.value.trimmed
            if seenHeaders[name] != nil {
                diagnostics.error("column '\(name)' appears twice in the header", at: location(field, file))
            }
            seenHeaders[name] = field
            if let underscore = name.lastIndex(of: "_"),
                languages.contains(String(name[name.index(after: underscore)...]))
            {
                columns.append((String(name[..<underscore]), String(name[name.index(after: underscore)...])))
            } else {
                columns.append((name, nil))
            }
        }
        let headerLocation = SourceLocation(file: file, line: header.first?.line ?? 1, column: 1)
        guard columns.contains(where: { $0.base == "id" && $0.language == nil }) else {
            diagnostics.error("the header has no 'id' column; every record needs a persistent id", at: headerLocation)
            return nil
        }
        guard columns.contains(where: { $0.base == "name" }) else {
            diagnostics.error(
                "the header has no name column; add name_<lang> for at least one language (e.g. name_kk, name_ru, name_en)",
                at: headerLocation)
            return nil
        }
        return columns
    }

    private func location(_ field: CSVField, _ file: String) -> SourceLocation {
        SourceLocation(file: file, line: field.line, column: field.column)
    }

    private func parseRow(
        _ row: [CSVField], columns: [(base: String, language: String?)], header: [CSVField], file: String,
        diagnostics: inout Diagnostics
    ) -> Record? {
        let rowLocation = location(row[0], file)
        if row.count != columns.count {
            diagnostics.error(
                "this row has \(row.count) fields but the header has \(columns.count); "
                    + "a field that contains a comma must be in quotes",
                at: rowLocation)
        }
        var fields: [String: LocalizedText] = [:]
        var cells: [String: CSVField] = [:]
        for (index, field) in row.enumerated() where index < columns.count {
            let value = field.value.trimmed
            guard !value.isEmpty else { continue }
            let column = columns[index]
            if let language = column.language {
                fields[column.base, default: LocalizedText()].byLanguage[language] = value
            } else {
                fields[column.base, default: LocalizedText()].common = value
                cells[column.base] = CSVField(value: value, line: field.line, column: field.column)
            }
        }
        let rowDiagnosticsBefore = diagnostics.all.count

        let id = cells["id"]
        guard let id else {
            diagnostics.error(
                "missing id; every record needs a persistent id such as 'bukeikhanov-alikhan'", at: rowLocation)
            return nil
        }
        if !Identifier.isValidID(id.value) {
            diagnostics.error(
                "invalid id '\(id.value)': use 1 to 64 lower-case Latin letters, digits and '-', starting with a letter or digit",
                at: location(id, file))
        }
        if fields["name"]?.isEmpty ?? true {
            diagnostics.error(
                "record '\(id.value)' has no name; fill name_<lang> in at least one language", at: rowLocation)
        }

        var record = Record(id: id.value, location: rowLocation, fields: fields)
        if let cell = cells["birth_year"] {
            if Identifier.isDigits(cell.value, count: 4), let year = Int(cell.value) {
                record.birthYear = year
                record.dateCells["birth_year"] = location(cell, file)
            } else {
                diagnostics.error(
                    "malformed birth_year '\(cell.value)'; write the year as YYYY, e.g. 1894", at: location(cell, file))
            }
        }
        for column in Self.dateColumns {
            guard let cell = cells[column] else { continue }
            do {
                let date = try PartialDate.parse(cell.value)
                record.dateCells[column] = location(cell, file)
                switch column {
                case "arrest_date": record.arrestDate = date
                case "sentence_date": record.sentenceDate = date
                case "death_date": record.deathDate = date
                default: record.rehabilitationDate = date
                }
            } catch {
                switch error {
                case .malformed:
                    diagnostics.error(
                        "malformed date '\(cell.value)' in \(column); write YYYY, YYYY-MM or YYYY-MM-DD, e.g. 1937-09-27",
                        at: location(cell, file))
                case .impossible(let reason):
                    diagnostics.error(
                        "impossible date '\(cell.value)' in \(column): \(reason)", at: location(cell, file))
                }
            }
        }
        for (column, vocabularyName, multiple) in Self.codeColumns {
            guard let cell = cells[column] else { continue }
            let codes =
                multiple
                ? cell.value.split(separator: ";").map { $0.trimmed }.filter {
                    !$0.isEmpty
                }
                : [cell.value]
            for code in codes {
                checkCode(
                    code, column: column, vocabulary: vocabularyName, at: location(cell, file),
                    diagnostics: &diagnostics)
            }
            switch column {
            case "people": record.people = codes.first
            case "charge": record.charges = codes
            case "sentence": record.sentences = codes
            default: record.sentencingBody = codes.first
            }
        }
        if let cell = cells["status"] {
            if let status = Record.Status(rawValue: cell.value) {
                record.status = status
            } else {
                diagnostics.error(
                    "status must be 'published' or 'restricted', not '\(cell.value)'", at: location(cell, file))
            }
        }
        return diagnostics.all.count == rowDiagnosticsBefore ? record : nil
    }

    private func checkCode(
        _ code: String, column: String, vocabulary name: String, at location: SourceLocation,
        diagnostics: inout Diagnostics
    ) {
        guard let vocabulary = vocabularies[name] else {
            diagnostics.error(
                "unknown \(column) code '\(code)': content/vocabularies/\(name).yml does not exist", at: location)
            return
        }
        guard vocabulary.labels[code] == nil else { return }
        let known = vocabulary.codes.sorted()
        let listed = known.prefix(8).joined(separator: ", ") + (known.count > 8 ? ", …" : "")
        diagnostics.error(
            "unknown \(column) code '\(code)' (known: \(listed)); add it to content/vocabularies/\(name).yml or correct the cell",
            at: location)
    }
}

import MemorialContent
import MemorialCore

/// The open dataset: `data/records.csv` and `data/records.json` (every published record, its
/// labels and page addresses in each language), `data/records.schema.json` (JSON Schema of the
/// JSON) and `data/datapackage.json` (a Frictionless Data Package describing both). The records
/// are written in parts of a few hundred rows as they are made (`OutputWriter.writeStreamed`),
/// so the dataset is never whole in memory.
struct DatasetRenderer {
    static let folder = "data/"
    static let csvPath = "data/records.csv"
    static let jsonPath = "data/records.json"
    static let schemaPath = "data/records.schema.json"
    static let packagePath = "data/datapackage.json"
    static let datePattern = "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"

    /// What a column holds, and how its value is found, worked out once for the dataset: each
    /// file is a pass over every record, and finding each value by its column's name and making
    /// it a String made the dataset stage 1.69 s of a 17.7 s build of 100,000 records (0.96 s
    /// since). A row reads its cells' bytes where they are.
    enum Kind: Equatable {
        case id
        /// The value of `textColumns[n]`: the language's own (its `X_<lang>`), or the one for
        /// all languages (its `X`); never another language's.
        case text(Int)
        case birthYear
        /// `dateColumns[n]` (`PartialDate`, ISO at its precision).
        case date(Int)
        /// The record's codes of `codeColumns[n]`, `;`-separated.
        case code(Int)
        /// Their labels in `site.languages[language]`, `; `-separated; none when one lacks it.
        case label(Int, language: Int)
        case url(language: Int)
    }

    struct Column {
        var name: String
        var kind: Kind
        /// The interface string that names it.
        var labelKey: String
    }

    let renderer: PageRenderer
    let columns: [Column]
    /// Each column's `"name":` in the JSON, and its kind (a row reads these alone: copying a
    /// `Column`, two Strings, for each cell cost 0.4 % of a build).
    private let jsonKeys: [[UInt8]]
    private let kinds: [Kind]

    init(renderer: PageRenderer) {
        self.renderer = renderer
        let languages = renderer.site.languages
        var columns = [Column(name: "id", kind: .id, labelKey: "dataColumnId")]
        var textColumns: [(base: String, language: String)] = []
        func text(_ base: String, _ key: String) {
            for language in languages {
                columns.append(Column(name: "\(base)_\(language)", kind: .text(textColumns.count), labelKey: key))
                textColumns.append((base, language))
            }
        }
        func coded(_ column: String, _ key: String) {
            let code = Self.codeColumns.firstIndex { $0.name == column }!
            columns.append(Column(name: column, kind: .code(code), labelKey: key))
            for (index, language) in languages.enumerated() {
                columns.append(
                    Column(name: "\(column)_\(language)", kind: .label(code, language: index), labelKey: key))
            }
        }
        func date(_ column: String, _ key: String) {
            columns.append(Column(name: column, kind: .date(Self.dateColumns.firstIndex(of: column)!), labelKey: key))
        }
        text("name", "dataColumnName")
        columns.append(Column(name: "birth_year", kind: .birthYear, labelKey: "birthYear"))
        text("birth_place", "birthPlace")
        coded("people", "people")
        text("occupation", "occupation")
        date("arrest_date", "arrestDate")
        coded("charge", "charge")
        coded("sentencing_body", "sentencingBody")
        date("sentence_date", "sentenceDate")
        coded("sentence", "sentence")
        date("death_date", "deathDate")
        text("death_place", "deathPlace")
        date("rehabilitation_date", "rehabilitationDate")
        text("archive_ref", "archiveRef")
        text("note", "note")
        text("sources", "sources")
        date("updated", "dataColumnUpdated")
        for index in languages.indices {
            columns.append(
                Column(name: "url_\(languages[index])", kind: .url(language: index), labelKey: "dataColumnURL"))
        }
        self.columns = columns
        kinds = columns.map(\.kind)
        self.textColumns = textColumns
        jsonKeys = columns.map { column -> [UInt8] in
            var key: [UInt8] = []
            JSON.appendString(column.name, to: &key)
            key.append(UInt8(ascii: ":"))
            return key
        }
        let site = renderer.site
        labels = Self.codeColumns.map { column in
            var table: [String: [String?]] = [:]
            for (code, label) in site.vocabularies[column.vocabulary]?.labels ?? [:] {
                table[code] = languages.map { label.byLanguage[$0] ?? label.common }
            }
            return table
        }
        urlPrefixes = languages.map { String(renderer.urls.absolute(SiteURLs.caseFolder($0, "")).dropLast()) }
    }

    /// The dataset's input beyond the site-wide one: every published record.
    static func inputFingerprint(_ site: Site) -> Fingerprint {
        var fingerprint = Fingerprint()
        fingerprint.combine("dataset")
        fingerprint.combine(site.cases.count)
        for item in site.cases {
            if let content = item.record.contentFingerprint {
                fingerprint.combine(content)
            } else {
                fingerprint.combine(item.fingerprint)
            }
        }
        return fingerprint
    }

    // MARK: - Rows

    /// The code columns and their vocabularies, in the order `Kind.code` numbers them.
    private static let codeColumns = [
        (name: "people", vocabulary: "peoples"), (name: "charge", vocabulary: "charges"),
        (name: "sentencing_body", vocabulary: "bodies"), (name: "sentence", vocabulary: "sentences"),
    ]
    /// The date columns, in the order `Kind.date` numbers them.
    private static let dateColumns = ["arrest_date", "sentence_date", "death_date", "rehabilitation_date", "updated"]

    private let textColumns: [(base: String, language: String)]
    /// Per code column: each code's label per language (a code the vocabulary does not know is
    /// its own label).
    private let labels: [[String: [String?]]]
    /// Per language: the case pages' address up to the id (ids are ASCII, which addresses keep
    /// as they are).
    private let urlPrefixes: [String]

    private func codes(_ item: Case, _ column: Int) -> [String] {
        switch column {
        case 0: item.record.people.map { [$0] } ?? []
        case 1: item.record.charges
        case 2: item.record.sentencingBody.map { [$0] } ?? []
        default: item.record.sentences
        }
    }

    private func date(_ item: Case, _ column: Int) -> PartialDate? {
        switch column {
        case 0: item.record.arrestDate
        case 1: item.record.sentenceDate
        case 2: item.record.deathDate
        case 3: item.record.rehabilitationDate
        default: item.record.updated
        }
    }

    /// The file a row is written into.
    private enum Format { case csv, json }

    /// What a row carries over to the next: the text columns of the last row's layout (rows of
    /// one records file share one).
    private struct RowState {
        var layout: RecordFields.Layout?
        var text: [RecordFields.OwnColumns] = []
    }

    /// Appends a case's values in the file's form: CSV cells, or a JSON object's members.
    private func appendRow(_ item: Case, _ format: Format, _ state: inout RowState, to bytes: inout [UInt8]) {
        let fields = item.record.fields
        if fields.layout !== state.layout {
            state.layout = fields.layout
            state.text =
                fields.layout.map { layout in textColumns.map { layout.ownColumns($0.base, in: $0.language) } } ?? []
        }
        var codes: (column: Int, codes: [String]) = (-1, [])
        for (index, kind) in kinds.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            if format == .json { bytes.append(contentsOf: jsonKeys[index]) }
            switch kind {
            case .id: Self.append(item.id, format, to: &bytes)
            case .text(let column):
                let found: Void? =
                    column < state.text.count
                    ? fields.withOwnUTF8(state.text[column]) { Self.append($0, format, to: &bytes) } : nil
                if found == nil { Self.appendNone(format, to: &bytes) }
            case .birthYear:
                if let year = item.record.birthYear {
                    bytes.append(contentsOf: String(year).utf8)
                } else {
                    Self.appendNone(format, to: &bytes)
                }
            case .date(let column):
                if let date = date(item, column) {
                    Self.append(date.description, format, to: &bytes)
                } else {
                    Self.appendNone(format, to: &bytes)
                }
            case .code(let column):
                if codes.column != column { codes = (column, self.codes(item, column)) }
                if codes.codes.isEmpty {
                    Self.appendNone(format, to: &bytes)
                } else if codes.codes.count == 1 {
                    Self.append(codes.codes[0], format, to: &bytes)
                } else {
                    Self.append(codes.codes.joined(separator: ";"), format, to: &bytes)
                }
            case .label(let column, let language):
                if codes.column != column { codes = (column, self.codes(item, column)) }
                let found = codes.codes.map { code in labels[column][code].map { $0[language] } ?? code }
                if found.isEmpty || found.contains(nil) {
                    Self.appendNone(format, to: &bytes)
                } else if found.count == 1 {
                    Self.append(found[0]!, format, to: &bytes)
                } else {
                    Self.append(found.map { $0! }.joined(separator: "; "), format, to: &bytes)
                }
            case .url(let language): Self.append(urlPrefixes[language] + item.id + "/", format, to: &bytes)
            }
        }
    }

    private static func append(_ text: String, _ format: Format, to bytes: inout [UInt8]) {
        var text = text
        text.withUTF8 { append($0, format, to: &bytes) }
    }

    private static func append(_ utf8: UnsafeBufferPointer<UInt8>, _ format: Format, to bytes: inout [UInt8]) {
        switch format {
        case .csv: appendCSV(utf8, to: &bytes)
        case .json: JSON.appendString(utf8: utf8, to: &bytes)
        }
    }

    /// An empty CSV cell, a JSON `null`.
    private static func appendNone(_ format: Format, to bytes: inout [UInt8]) {
        if format == .json { bytes.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C]) }
    }

    // MARK: - Files

    /// Rows per part handed to the writer.
    static let rowsPerPart = 500

    func writeCSV(_ emit: ([UInt8]) -> Void) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(1 << 20)
        for (index, column) in columns.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            Self.append(column.name, .csv, to: &bytes)
        }
        bytes.append(contentsOf: [0x0D, 0x0A])
        var state = RowState()
        for (number, item) in renderer.site.cases.enumerated() {
            appendRow(item, .csv, &state, to: &bytes)
            bytes.append(contentsOf: [0x0D, 0x0A])
            if (number + 1) % Self.rowsPerPart == 0 {
                emit(bytes)
                bytes.removeAll(keepingCapacity: true)
            }
        }
        emit(bytes)
    }

    /// RFC 4180: quoted when it holds a comma, quote or line break, quotes doubled.
    private static func appendCSV(_ utf8: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8]) {
        guard utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else {
            bytes.append(contentsOf: utf8)
            return
        }
        bytes.append(0x22)
        for byte in utf8 {
            if byte == 0x22 { bytes.append(0x22) }
            bytes.append(byte)
        }
        bytes.append(0x22)
    }

    /// An array of objects, one a line, with every column as a key (null when empty).
    func writeJSON(_ emit: ([UInt8]) -> Void) {
        var bytes: [UInt8] = [UInt8(ascii: "[")]
        bytes.reserveCapacity(1 << 20)
        let count = renderer.site.cases.count
        var state = RowState()
        for (number, item) in renderer.site.cases.enumerated() {
            bytes.append(contentsOf: [0x0A, UInt8(ascii: "{")])
            appendRow(item, .json, &state, to: &bytes)
            bytes.append(UInt8(ascii: "}"))
            if number + 1 < count { bytes.append(UInt8(ascii: ",")) }
            if (number + 1) % Self.rowsPerPart == 0 {
                emit(bytes)
                bytes.removeAll(keepingCapacity: true)
            }
        }
        bytes.append(contentsOf: Array("\n]\n".utf8))
        emit(bytes)
    }

    /// Column descriptions in the dataset's language: English when the site has it.
    private var describingLanguage: String {
        renderer.site.languages.contains("en") ? "en" : renderer.site.config.defaultLanguage
    }

    /// What a column means and holds, in a language (the data page, the schemas).
    func description(of column: Column, in language: String) -> (title: String, form: String) {
        let label = renderer.string(column.labelKey, language)
        func named(_ key: String, _ other: String) -> String {
            renderer.string(key, language).replacingUTF8Occurrences(
                of: "{language}", with: renderer.languageName(other))
        }
        switch column.kind {
        case .id: return (label, renderer.string("dataFormId", language))
        case .text(let n): return (label, named("dataFormText", textColumns[n].language))
        case .birthYear: return (label, renderer.string("dataFormYear", language))
        case .date: return (label, renderer.string("dataFormDate", language))
        case .code(let n):
            return (
                label,
                renderer.string("dataFormCode", language).replacingUTF8Occurrences(
                    of: "{vocabulary}", with: Self.codeColumns[n].vocabulary)
            )
        case .label(_, let n): return (label, named("dataFormLabel", renderer.site.languages[n]))
        case .url(let n): return (label, named("dataFormURL", renderer.site.languages[n]))
        }
    }

    /// The Table Schema of both files (their columns, types and the key). The schema files are
    /// made once a build, so they are Strings, not bytes.
    private func tableSchema(indent: String) -> String {
        let language = describingLanguage
        let fields = columns.map { column in
            let (title, form) = description(of: column, in: language)
            let more =
                switch column.kind {
                case .id: #", "constraints": {"required": true, "unique": true}"#
                case .date: #", "constraints": {"pattern": "# + JSON.string(Self.datePattern) + "}"
                case .url: #", "format": "uri""#
                default: ""
                }
            return "\(indent)    {\"name\": \(JSON.string(column.name)), \"type\": "
                + (column.kind == .birthYear ? #""integer""# : #""string""#)
                + ", \"title\": \(JSON.string(title)), \"description\": \(JSON.string(form))\(more)}"
        }
        return "{\n\(indent)  \"fields\": [\n" + fields.joined(separator: ",\n")
            + "\n\(indent)  ],\n\(indent)  \"primaryKey\": [\"id\"],\n\(indent)  \"missingValues\": [\"\"]\n\(indent)}"
    }

    /// `records.schema.json`: JSON Schema (2020-12) of `records.json`.
    func jsonSchema() -> String {
        let language = describingLanguage
        let properties = columns.map { column in
            let (title, form) = description(of: column, in: language)
            let type =
                switch column.kind {
                case .id: #""type": "string""#
                case .birthYear: #""type": ["integer", "null"]"#
                case .date: #""type": ["string", "null"], "pattern": "# + JSON.string(Self.datePattern)
                default: #""type": ["string", "null"]"#
                }
            return "      \(JSON.string(column.name)): {\(type), \"title\": \(JSON.string(title)), "
                + "\"description\": \(JSON.string(form))}"
        }
        return """
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "$id": \(JSON.string(renderer.urls.absolute(Self.schemaPath))),
              "title": \(JSON.string(renderer.siteTitle(language))),
              "type": "array",
              "items": {
                "type": "object",
                "additionalProperties": false,
                "required": [\(columns.map { JSON.string($0.name) }.joined(separator: ", "))],
                "properties": {
            \(properties.joined(separator: ",\n"))
                }
              }
            }

            """
    }

    /// `datapackage.json`: both files as tabular resources with one Table Schema.
    func dataPackage() -> String {
        let site = renderer.site
        let language = describingLanguage
        func pair(_ key: String, _ value: String) -> String { "\(JSON.string(key)): \(JSON.string(value))" }
        var head = [pair("name", "memorial-records"), pair("title", renderer.siteTitle(language))]
        if let description = site.config.description.resolved(in: language, fallback: site.languages) {
            head.append(pair("description", description.text))
        }
        head.append(pair("homepage", renderer.urls.absolute(SiteURLs.data(language))))
        if let license = site.config.license {
            let title = license.title.resolved(in: language, fallback: site.languages).map {
                ", " + pair("title", $0.text)
            }
            head.append(
                #""licenses": [{"# + pair("name", license.name) + ", " + pair("path", license.url) + (title ?? "")
                    + "}]")
        }
        if let publisher = site.config.publisher.resolved(in: language, fallback: site.languages) {
            head.append(#""contributors": [{"# + pair("title", publisher.text) + #", "role": "publisher"}]"#)
        }
        let schema = tableSchema(indent: "      ")
        let resources = [
            ("records-csv", "records.csv", "csv", "text/csv"),
            ("records-json", "records.json", "json", "application/json"),
        ].map { name, path, format, media in
            """
                {
                  \(pair("name", name)),
                  \(pair("path", path)),
                  "profile": "tabular-data-resource",
                  \(pair("format", format)),
                  \(pair("mediatype", media)),
                  "encoding": "utf-8",
                  "schema": \(schema)
                }
            """
        }
        return "{\n  " + head.joined(separator: ",\n  ") + ",\n  \"resources\": [\n"
            + resources.joined(separator: ",\n")
            + "\n  ]\n}\n"
    }

    /// Writes the four files, or keeps them when the records and the site-wide inputs are the
    /// last build's.
    static func write(
        renderer: PageRenderer, siteFingerprint: Fingerprint, writer: OutputWriter
    ) throws(OutputWriter.WriteError) {
        var input = siteFingerprint
        input.combine(inputFingerprint(renderer.site))
        let paths = [csvPath, jsonPath, schemaPath, packagePath]
        if writer.keepIfUnchanged(paths, input: input) { return }
        let dataset = DatasetRenderer(renderer: renderer)
        let streamInput = input
        // Each is a pass over every record: the two on two cores.
        let (csv, json) = both(
            {
                Result { () throws(OutputWriter.WriteError) in
                    try writer.writeStreamed(csvPath, input: streamInput, dataset.writeCSV)
                }
            },
            {
                Result { () throws(OutputWriter.WriteError) in
                    try writer.writeStreamed(jsonPath, input: streamInput, dataset.writeJSON)
                }
            })
        try csv.get()
        try json.get()
        try writer.write(schemaPath, bytes: Array(dataset.jsonSchema().utf8), input: input)
        try writer.write(packagePath, bytes: Array(dataset.dataPackage().utf8), input: input)
    }
}

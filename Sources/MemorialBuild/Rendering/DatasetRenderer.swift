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

    /// What a column holds.
    enum Kind: Equatable {
        case id
        /// A record column's text in one language (its `X_<lang>`, else its `X`).
        case text(String, language: String)
        case birthYear
        /// A date column (`PartialDate`, ISO at its precision).
        case date(String)
        /// A record's code(s) of a vocabulary, and their labels in a language.
        case code(String)
        case label(String, language: String)
        case url(language: String)
    }

    struct Column {
        var name: String
        var kind: Kind
        /// The interface string that names it.
        var labelKey: String
    }

    let renderer: PageRenderer
    let columns: [Column]

    init(renderer: PageRenderer) {
        self.renderer = renderer
        let languages = renderer.site.languages
        var columns: [Column] = [Column(name: "id", kind: .id, labelKey: "dataColumnId")]
        func text(_ base: String, _ key: String) {
            for language in languages {
                columns.append(
                    Column(name: "\(base)_\(language)", kind: .text(base, language: language), labelKey: key))
            }
        }
        func coded(_ column: String, _ key: String) {
            columns.append(Column(name: column, kind: .code(column), labelKey: key))
            for language in languages {
                columns.append(
                    Column(name: "\(column)_\(language)", kind: .label(column, language: language), labelKey: key))
            }
        }
        func date(_ column: String, _ key: String) {
            columns.append(Column(name: column, kind: .date(column), labelKey: key))
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
        for language in languages {
            columns.append(Column(name: "url_\(language)", kind: .url(language: language), labelKey: "dataColumnURL"))
        }
        self.columns = columns
    }

    /// Vocabulary of a code column.
    static func vocabulary(of column: String) -> String {
        switch column {
        case "people": "peoples"
        case "charge": "charges"
        case "sentencing_body": "bodies"
        default: "sentences"
        }
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

    // MARK: - Values

    private func codes(_ item: Case, _ column: String) -> [String] {
        switch column {
        case "people": item.record.people.map { [$0] } ?? []
        case "charge": item.record.charges
        case "sentencing_body": item.record.sentencingBody.map { [$0] } ?? []
        default: item.record.sentences
        }
    }

    private func date(_ item: Case, _ column: String) -> PartialDate? {
        switch column {
        case "arrest_date": item.record.arrestDate
        case "sentence_date": item.record.sentenceDate
        case "death_date": item.record.deathDate
        case "rehabilitation_date": item.record.rehabilitationDate
        default: item.record.updated
        }
    }

    /// A column's value for a case: text, a number (birth year), or nothing.
    enum Value {
        case text(String)
        case number(Int)
        case none
    }

    func value(_ column: Column, of item: Case) -> Value {
        switch column.kind {
        case .id: return .text(item.id)
        case .text(let base, let language):
            // The language's own value, or the one for all languages; never another language's.
            return item.record.fields.own(base, in: language).map { .text($0) } ?? .none
        case .birthYear: return item.record.birthYear.map { .number($0) } ?? .none
        case .date(let name): return date(item, name).map { .text($0.description) } ?? .none
        case .code(let name):
            let codes = codes(item, name)
            return codes.isEmpty ? .none : .text(codes.joined(separator: ";"))
        case .label(let name, let language):
            let codes = codes(item, name)
            guard !codes.isEmpty else { return .none }
            let vocabulary = renderer.site.vocabularies[Self.vocabulary(of: name)]
            let labels = codes.compactMap { code -> String? in
                guard let label = vocabulary?.labels[code] else { return code }
                return label.byLanguage[language] ?? label.common
            }
            return labels.count == codes.count ? .text(labels.joined(separator: "; ")) : .none
        case .url(let language): return .text(renderer.urls.absolute(SiteURLs.caseFolder(language, item.id)))
        }
    }

    // MARK: - Files

    /// Rows per part handed to the writer.
    static let rowsPerPart = 500

    func writeCSV(_ emit: ([UInt8]) -> Void) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(1 << 20)
        for (index, column) in columns.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            Self.appendCSV(column.name, to: &bytes)
        }
        bytes.append(contentsOf: [0x0D, 0x0A])
        for (number, item) in renderer.site.cases.enumerated() {
            for (index, column) in columns.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                switch value(column, of: item) {
                case .text(let text): Self.appendCSV(text, to: &bytes)
                case .number(let number): bytes.append(contentsOf: String(number).utf8)
                case .none: break
                }
            }
            bytes.append(contentsOf: [0x0D, 0x0A])
            if (number + 1) % Self.rowsPerPart == 0 {
                emit(bytes)
                bytes.removeAll(keepingCapacity: true)
            }
        }
        emit(bytes)
    }

    /// RFC 4180: quoted when it holds a comma, quote or line break, quotes doubled.
    static func appendCSV(_ text: String, to bytes: inout [UInt8]) {
        var text = text
        text.withUTF8 { utf8 in
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
    }

    /// An array of objects, one a line, with every column as a key (null when empty).
    func writeJSON(_ emit: ([UInt8]) -> Void) {
        let keys = columns.map { column -> [UInt8] in
            var key: [UInt8] = []
            JSON.appendString(column.name, to: &key)
            key.append(UInt8(ascii: ":"))
            return key
        }
        var bytes: [UInt8] = [UInt8(ascii: "[")]
        bytes.reserveCapacity(1 << 20)
        let count = renderer.site.cases.count
        for (number, item) in renderer.site.cases.enumerated() {
            bytes.append(contentsOf: Array("\n{".utf8))
            for (index, column) in columns.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                bytes.append(contentsOf: keys[index])
                switch value(column, of: item) {
                case .text(let text): JSON.appendString(text, to: &bytes)
                case .number(let number): bytes.append(contentsOf: String(number).utf8)
                case .none: bytes.append(contentsOf: Array("null".utf8))
                }
            }
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
        case .text(_, let other): return (label, named("dataFormText", other))
        case .birthYear: return (label, renderer.string("dataFormYear", language))
        case .date: return (label, renderer.string("dataFormDate", language))
        case .code(let name):
            return (
                label,
                renderer.string("dataFormCode", language).replacingUTF8Occurrences(
                    of: "{vocabulary}", with: Self.vocabulary(of: name))
            )
        case .label(_, let other): return (label, named("dataFormLabel", other))
        case .url(let other): return (label, named("dataFormURL", other))
        }
    }

    private func appendPair(_ key: String, _ value: String, to bytes: inout [UInt8], indent: String) {
        bytes.append(contentsOf: indent.utf8)
        JSON.appendString(key, to: &bytes)
        bytes.append(contentsOf: Array(": ".utf8))
        JSON.appendString(value, to: &bytes)
    }

    /// The Table Schema of both files (their columns, types and the key).
    private func tableSchema(indent: String) -> [UInt8] {
        let language = describingLanguage
        var bytes = Array("{\n\(indent)  \"fields\": [".utf8)
        for (index, column) in columns.enumerated() {
            bytes.append(contentsOf: Array((index > 0 ? ",\n" : "\n").utf8))
            let (title, form) = description(of: column, in: language)
            bytes.append(contentsOf: Array("\(indent)    {".utf8))
            JSON.appendString("name", to: &bytes)
            bytes.append(contentsOf: Array(": ".utf8))
            JSON.appendString(column.name, to: &bytes)
            bytes.append(contentsOf: Array(", \"type\": \"\(column.kind == .birthYear ? "integer" : "string")\"".utf8))
            appendPair("title", title, to: &bytes, indent: ", ")
            appendPair("description", form, to: &bytes, indent: ", ")
            switch column.kind {
            case .id: bytes.append(contentsOf: Array(", \"constraints\": {\"required\": true, \"unique\": true}".utf8))
            case .date:
                bytes.append(contentsOf: Array(", \"constraints\": {\"pattern\": ".utf8))
                JSON.appendString(Self.datePattern, to: &bytes)
                bytes.append(UInt8(ascii: "}"))
            case .url: bytes.append(contentsOf: Array(", \"format\": \"uri\"".utf8))
            default: break
            }
            bytes.append(UInt8(ascii: "}"))
        }
        bytes.append(contentsOf: Array("\n\(indent)  ],\n\(indent)  \"primaryKey\": [\"id\"],\n".utf8))
        bytes.append(contentsOf: Array("\(indent)  \"missingValues\": [\"\"]\n\(indent)}".utf8))
        return bytes
    }

    /// `records.schema.json`: JSON Schema (2020-12) of `records.json`.
    func jsonSchema() -> [UInt8] {
        let language = describingLanguage
        var bytes = Array(
            "{\n  \"$schema\": \"https://json-schema.org/draft/2020-12/schema\",\n".utf8)
        appendPair("$id", renderer.urls.absolute(Self.schemaPath), to: &bytes, indent: "  ")
        bytes.append(contentsOf: Array(",\n".utf8))
        appendPair("title", renderer.siteTitle(language), to: &bytes, indent: "  ")
        bytes.append(contentsOf: Array(",\n  \"type\": \"array\",\n  \"items\": {\n    \"type\": \"object\",\n".utf8))
        bytes.append(contentsOf: Array("    \"additionalProperties\": false,\n    \"required\": [".utf8))
        for (index, column) in columns.enumerated() {
            if index > 0 { bytes.append(contentsOf: Array(", ".utf8)) }
            JSON.appendString(column.name, to: &bytes)
        }
        bytes.append(contentsOf: Array("],\n    \"properties\": {".utf8))
        for (index, column) in columns.enumerated() {
            bytes.append(contentsOf: Array((index > 0 ? ",\n" : "\n").utf8))
            let (title, form) = description(of: column, in: language)
            bytes.append(contentsOf: Array("      ".utf8))
            JSON.appendString(column.name, to: &bytes)
            bytes.append(contentsOf: Array(": {".utf8))
            switch column.kind {
            case .id: bytes.append(contentsOf: Array("\"type\": \"string\"".utf8))
            case .birthYear: bytes.append(contentsOf: Array("\"type\": [\"integer\", \"null\"]".utf8))
            case .date:
                bytes.append(contentsOf: Array("\"type\": [\"string\", \"null\"], \"pattern\": ".utf8))
                JSON.appendString(Self.datePattern, to: &bytes)
            default: bytes.append(contentsOf: Array("\"type\": [\"string\", \"null\"]".utf8))
            }
            appendPair("title", title, to: &bytes, indent: ", ")
            appendPair("description", form, to: &bytes, indent: ", ")
            bytes.append(UInt8(ascii: "}"))
        }
        bytes.append(contentsOf: Array("\n    }\n  }\n}\n".utf8))
        return bytes
    }

    /// `datapackage.json`: both files as tabular resources with one Table Schema.
    func dataPackage() -> [UInt8] {
        let site = renderer.site
        let language = describingLanguage
        var bytes = Array("{\n".utf8)
        appendPair("name", "memorial-records", to: &bytes, indent: "  ")
        bytes.append(contentsOf: Array(",\n".utf8))
        appendPair("title", renderer.siteTitle(language), to: &bytes, indent: "  ")
        if let description = site.config.description.resolved(in: language, fallback: site.languages) {
            bytes.append(contentsOf: Array(",\n".utf8))
            appendPair("description", description.text, to: &bytes, indent: "  ")
        }
        bytes.append(contentsOf: Array(",\n".utf8))
        appendPair("homepage", renderer.urls.absolute(SiteURLs.data(language)), to: &bytes, indent: "  ")
        if let license = site.config.license {
            bytes.append(contentsOf: Array(",\n  \"licenses\": [{".utf8))
            appendPair("name", license.name, to: &bytes, indent: "")
            appendPair("path", license.url, to: &bytes, indent: ", ")
            if let title = license.title.resolved(in: language, fallback: site.languages) {
                appendPair("title", title.text, to: &bytes, indent: ", ")
            }
            bytes.append(contentsOf: Array("}]".utf8))
        }
        if let publisher = site.config.publisher.resolved(in: language, fallback: site.languages) {
            bytes.append(contentsOf: Array(",\n  \"contributors\": [{".utf8))
            appendPair("title", publisher.text, to: &bytes, indent: "")
            bytes.append(contentsOf: Array(", \"role\": \"publisher\"}]".utf8))
        }
        let schema = tableSchema(indent: "      ")
        bytes.append(contentsOf: Array(",\n  \"resources\": [\n".utf8))
        for (index, (name, path, format, media)) in [
            ("records-csv", "records.csv", "csv", "text/csv"),
            ("records-json", "records.json", "json", "application/json"),
        ].enumerated() {
            if index > 0 { bytes.append(contentsOf: Array(",\n".utf8)) }
            bytes.append(contentsOf: Array("    {\n".utf8))
            appendPair("name", name, to: &bytes, indent: "      ")
            bytes.append(contentsOf: Array(",\n".utf8))
            appendPair("path", path, to: &bytes, indent: "      ")
            bytes.append(contentsOf: Array(",\n      \"profile\": \"tabular-data-resource\",\n".utf8))
            appendPair("format", format, to: &bytes, indent: "      ")
            bytes.append(contentsOf: Array(",\n".utf8))
            appendPair("mediatype", media, to: &bytes, indent: "      ")
            bytes.append(contentsOf: Array(",\n      \"encoding\": \"utf-8\",\n      \"schema\": ".utf8))
            bytes.append(contentsOf: schema)
            bytes.append(contentsOf: Array("\n    }".utf8))
        }
        bytes.append(contentsOf: Array("\n  ]\n}\n".utf8))
        return bytes
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
        try writer.write(schemaPath, bytes: dataset.jsonSchema(), input: input)
        try writer.write(packagePath, bytes: dataset.dataPackage(), input: input)
    }
}

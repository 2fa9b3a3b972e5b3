import MemorialCore
import Yams

/// Parses `content/cases/<id>/documents.yml`: a list of the case's documents, each
/// `{file, kind, date, reference: {fond, inventory, file, sheets}, caption: {kk, ru, en},
/// status, download, portrait}`.
package struct DocumentsParser {
    /// The file's name in every case folder.
    package static let fileName = "documents.yml"
    /// The vocabulary of document kinds (`content/vocabularies/document-kinds.yml`).
    package static let kindsVocabulary = "document-kinds"
    static let keys = ["file", "kind", "date", "reference", "caption", "status", "download", "portrait"]
    static let referenceKeys = ["fond", "inventory", "file", "sheets"]
    /// The formats read, by lowercase extension.
    static let formats: Set<String> = ["jpg", "jpeg", "png", "tif", "tiff", "pdf", "webp"]

    /// The kinds every site has; `document-kinds.yml` may relabel them or add others.
    static let builtInKinds: Vocabulary = {
        let kinds: [(String, String, String, String)] = [
            ("interrogation-record", "Жауап алу хаттамасы", "Протокол допроса", "Interrogation record"),
            ("indictment", "Айыптау қорытындысы", "Обвинительное заключение", "Indictment"),
            ("sentence", "Үкім", "Приговор", "Sentence"),
            ("protocol-extract", "Хаттамадан үзінді", "Выписка из протокола", "Extract from protocol"),
            (
                "rehabilitation-certificate", "Ақтау туралы анықтама", "Справка о реабилитации",
                "Rehabilitation certificate"
            ),
            ("photograph", "Фотосурет", "Фотография", "Photograph"),
            ("letter", "Хат", "Письмо", "Letter"),
            ("other", "Басқа құжат", "Другой документ", "Other document"),
        ]
        var vocabulary = Vocabulary(name: kindsVocabulary)
        for (code, kk, ru, en) in kinds {
            vocabulary.codes.append(code)
            vocabulary.labels[code] = LocalizedText(byLanguage: ["kk": kk, "ru": ru, "en": en])
        }
        return vocabulary
    }()

    /// The built-in kinds with the site's vocabulary over them.
    static func kinds(merging site: Vocabulary?) -> Vocabulary {
        var merged = builtInKinds
        for code in site?.codes ?? [] {
            if merged.labels[code] == nil { merged.codes.append(code) }
            merged.labels[code] = site?.labels[code]
        }
        return merged
    }

    /// What to say about a file that is not in a format memorial reads, or nil when it is.
    static func formatProblem(of file: String) -> String? {
        guard let dot = file.lastIndex(of: ".") else {
            return "'\(file)' has no extension; documents must be JPEG, PNG, TIFF, PDF or WebP files"
        }
        let suffix = file[file.index(after: dot)...].lowercased()
        if formats.contains(suffix) { return nil }
        switch suffix {
        case "heic", "heif", "avif":
            return "'\(file)' is \(suffix.uppercased()), which memorial does not read; export it as JPEG or TIFF"
        case "gif", "bmp":
            return "'\(file)' is \(suffix.uppercased()), which memorial does not read; export it as PNG"
        case "djvu", "djv", "doc", "docx", "odt":
            return "'\(file)' is \(suffix.uppercased()), which memorial does not read; export it as PDF"
        default:
            return "'\(file)' is not a format memorial reads; export it as JPEG, PNG, TIFF, PDF or WebP"
        }
    }

    var file: String
    var languages: [String]
    /// The files of the case folder.
    var folderFiles: Set<String>
    var kinds: Vocabulary

    func parse(_ text: String, diagnostics: inout Diagnostics) -> [CaseDocument] {
        let (composed, yamlErrors) = YAMLReader.compose(text, file: file)
        diagnostics.append(contentsOf: yamlErrors)
        guard let node = composed else { return [] }
        guard case .sequence(let items) = node else {
            diagnostics.error(
                "documents.yml must be a list of documents, each starting with '- file: <name in this folder>'",
                at: location(node))
            return []
        }
        var documents: [CaseDocument] = []
        var seen = Set<String>()
        var portrait: CaseDocument?
        for item in items {
            guard var document = parseDocument(item, diagnostics: &diagnostics) else { continue }
            if !seen.insert(document.file).inserted {
                diagnostics.error(
                    "'\(document.file)' is described twice; describe each file once", at: document.location)
                continue
            }
            if document.portrait {
                if let portrait {
                    diagnostics.error(
                        "a case has one portrait, and '\(portrait.file)' (line \(portrait.location.line)) is already it; remove 'portrait: yes' from one",
                        at: document.location)
                    document.portrait = false
                } else {
                    portrait = document
                }
            }
            documents.append(document)
        }
        return documents
    }

    private func location(_ node: Node) -> SourceLocation { YAMLReader.location(of: node, file: file) }

    private func parseDocument(_ item: Node, diagnostics: inout Diagnostics) -> CaseDocument? {
        guard case .mapping(let mapping) = item else {
            diagnostics.error(
                "each document must be a mapping that starts with 'file:', not \(YAMLReader.kind(item))",
                at: location(item))
            return nil
        }
        var valid = true
        func fail(_ message: String, at node: Node) {
            diagnostics.error(message, at: location(node))
            valid = false
        }
        func text(_ node: Node, _ key: String) -> String? {
            guard let value = YAMLReader.text(node) else {
                fail("'\(key)' must be a text, not \(YAMLReader.kind(node))", at: node)
                return nil
            }
            let trimmed = value.trimmed
            return trimmed.isEmpty ? nil : trimmed
        }
        func flag(_ node: Node, _ key: String) -> Bool {
            guard let value = text(node, key) else { return false }
            switch value.lowercased() {
            case "yes", "true": return true
            case "no", "false": return false
            default:
                fail("'\(key)' must be yes or no, not '\(value)'", at: node)
                return false
            }
        }
        guard let fileNode = mapping["file"] else {
            diagnostics.error("this document has no 'file:'; name its file in this folder", at: location(item))
            return nil
        }
        guard let name = text(fileNode, "file") else { return nil }
        guard !name.contains("/"), folderFiles.contains(name), name != Self.fileName, !name.hasSuffix(".md") else {
            diagnostics.error(
                "'\(name)' is not a file in this case's folder; put the scan beside documents.yml or correct the name",
                at: location(fileNode))
            return nil
        }
        if let problem = Self.formatProblem(of: name) { fail(problem, at: fileNode) }
        var document = CaseDocument(file: name, location: location(fileNode))
        for (keyNode, value) in mapping {
            let key = YAMLReader.text(keyNode) ?? ""
            switch key {
            case "file": break
            case "kind":
                guard let code = text(value, key) else { continue }
                if kinds.labels[code] == nil {
                    fail(
                        "unknown kind '\(code)'; use one of \(kinds.codes.joined(separator: ", ")) or add it to content/vocabularies/\(Self.kindsVocabulary).yml",
                        at: value)
                } else {
                    document.kind = code
                }
            case "date":
                guard let raw = text(value, key) else { continue }
                do throws(PartialDate.ParseError) {
                    document.date = try PartialDate.parse(raw)
                } catch .impossible(let reason) {
                    fail("date '\(raw)' is not a day of the calendar: \(reason)", at: value)
                } catch {
                    fail("date must be YYYY, YYYY-MM or YYYY-MM-DD, not '\(raw)'", at: value)
                }
            case "reference":
                guard case .mapping(let parts) = value else {
                    fail(
                        "'reference' must be a mapping, e.g. {fond: 1, inventory: 2, file: 345, sheets: 12-14}",
                        at: value)
                    continue
                }
                for (partKey, partValue) in parts {
                    let part = YAMLReader.text(partKey) ?? ""
                    switch part {
                    case "fond": document.reference.fond = text(partValue, part)
                    case "inventory": document.reference.inventory = text(partValue, part)
                    case "file": document.reference.file = text(partValue, part)
                    case "sheets": document.reference.sheets = text(partValue, part)
                    default:
                        diagnostics.warning(
                            "unknown reference key '\(part)' (known: \(Self.referenceKeys.joined(separator: ", "))); it is ignored",
                            at: location(partKey))
                    }
                }
            case "caption":
                document.caption = LocalizedTextReader(file: file, languages: languages).read(
                    value, what: "caption", diagnostics: &diagnostics)
            case "status":
                guard let raw = text(value, key) else { continue }
                switch raw {
                case "published": document.status = .published
                case "restricted": document.status = .restricted
                default: fail("a document's status must be published or restricted, not '\(raw)'", at: value)
                }
            case "download": document.download = flag(value, key)
            case "portrait": document.portrait = flag(value, key)
            default:
                diagnostics.warning(
                    "unknown document key '\(key)' (known: \(Self.keys.joined(separator: ", "))); it is ignored",
                    at: location(keyNode))
            }
        }
        if document.kind == nil && valid {
            diagnostics.warning(
                "'\(name)' has no kind; add 'kind:' (one of \(kinds.codes.joined(separator: ", ")))",
                at: document.location)
        }
        return valid ? document : nil
    }
}

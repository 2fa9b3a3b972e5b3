import MemorialCore

extension ContentLoader {
    /// The case folder's documents: its `documents.yml`, else what its narratives' front matter
    /// names (`portrait:`, `documents:`, the form before documents.yml), with a warning that
    /// says how to move it. Nil when the case has no documents.
    func loadDocuments(
        _ folder: String, media: Set<String>, config: SiteConfig, recordIDs: Set<String>?, kinds: Vocabulary,
        narratives: [Narrative], diagnostics: inout Diagnostics
    ) -> [CaseDocument]? {
        let folderPath = "content/cases/\(folder)"
        let path = "\(folderPath)/\(DocumentsParser.fileName)"
        let described = listFiles(folderPath, extension: "yml").contains(DocumentsParser.fileName)
        let named = narratives.filter { $0.portrait != nil || !$0.documents.isEmpty }
        for narrative in named {
            let location = narrative.portraitLocation ?? narrative.documents.first?.location ?? narrative.location
            diagnostics.warning(
                described
                    ? "'portrait:' and 'documents:' in front matter are ignored beside \(DocumentsParser.fileName); describe the documents there only"
                    : "'portrait:' and 'documents:' in front matter are read for now; describe the case's documents once for every language in \(path) (see the README)",
                at: location)
        }
        guard described else { return named.isEmpty ? nil : Self.documents(fromFrontMatterOf: named) }
        guard recordIDs?.contains(folder) ?? true else {
            diagnostics.error(
                "no record has id '\(folder)'; a case folder must be named after the id of a record in content/records/",
                at: SourceLocation(file: path))
            return nil
        }
        guard let text = readText(path, diagnostics: &diagnostics) else { return nil }
        let parser = DocumentsParser(file: path, languages: config.languages, folderFiles: media, kinds: kinds)
        return parser.parse(text, diagnostics: &diagnostics)
    }

    /// The front matter's portrait and documents as documents.yml would describe them: each
    /// file once, its captions from every narrative that names it.
    static func documents(fromFrontMatterOf narratives: [Narrative]) -> [CaseDocument] {
        var documents: [CaseDocument] = []
        func entry(_ file: String, at location: SourceLocation) -> Int {
            if let index = documents.firstIndex(where: { $0.file == file }) { return index }
            documents.append(CaseDocument(file: file, location: location))
            return documents.count - 1
        }
        for narrative in narratives {
            if let portrait = narrative.portrait {
                let index = entry(portrait, at: narrative.portraitLocation ?? narrative.location)
                if !documents.contains(where: \.portrait) { documents[index].portrait = true }
                documents[index].kind = documents[index].kind ?? "photograph"
            }
            for document in narrative.documents {
                let index = entry(document.file, at: document.location)
                if let caption = document.caption { documents[index].caption.byLanguage[narrative.language] = caption }
            }
        }
        return documents.filter { DocumentsParser.formatProblem(of: $0.file) == nil }
    }
}

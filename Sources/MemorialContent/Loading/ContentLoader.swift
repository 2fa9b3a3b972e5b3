import Foundation
import MemorialCore

/// Reads a site root's `content/` folder and hands on parsed, validated values plus every
/// diagnostic found on the way.
package struct ContentLoader: Sendable {
    package let siteRoot: URL
    /// Replaces `base_url` from site.yml (the `--base-url` flag).
    package var baseURLOverride: String?
    /// What an earlier build listed and parsed: folders it listed are not listed again, and an
    /// unchanged narrative it parsed is not read again.
    package var memory: (any LoadMemory)?
    /// When set, only these cases are read: their records (rows of other ids are skipped) and
    /// their folders. For a rebuild after narratives were edited (`BuildScope.narratives`).
    package var onlyCases: Set<String>?

    package init(siteRoot: URL, baseURLOverride: String? = nil) {
        self.siteRoot = siteRoot
        self.baseURLOverride = baseURLOverride
        let path = siteRoot.path
        rootPath = path.hasSuffix("/") ? path : path + "/"
    }

    static let reservedSlugs: Set<String> = [
        "cases", "peoples", "years", "names", "search", "page", "assets", "media", "data",
    ]

    package func load(diagnostics: inout Diagnostics) -> SiteContent? {
        var stages = StageClock(prefix: "load: ")
        defer { stages.report() }
        // Folders are listed from one walk (the build's, else the loader's own), which also
        // finds every link and FIFO under content/.
        var loader = self
        if let refused = memory?.refusedEntries() {
            loader.refused = refused
        } else {
            let walk = SiteWalk<Never>(siteRoot: String(rootPath.dropLast()), folders: ["content"], status: nil)
            loader.walked = walk
            loader.refused = walk.refused
        }
        for (path, problem) in loader.refused.sorted(by: { $0.key < $1.key }) {
            diagnostics.error(problem, at: SourceLocation(file: path))
        }
        stages.lap("walk")
        guard loader.refused["content"] == nil else { return nil }
        return loader.loadContent(diagnostics: &diagnostics, stages: &stages)
    }

    private func loadContent(diagnostics: inout Diagnostics, stages: inout StageClock) -> SiteContent? {
        guard let siteText = readText("content/site.yml", diagnostics: &diagnostics, required: true) else { return nil }
        guard let config = SiteConfigParser.parse(siteText, diagnostics: &diagnostics) else {
            // site.yml gives no languages (it is not YAML, or its list is wrong). The rest of
            // content/ is still read, in the exhibition's three languages, so that one run tells
            // every mistake; its errors are kept and its warnings, which may come only from that
            // guess ("'de' is not a site language"), are left out. Nothing is built.
            var guessed = Diagnostics()
            let fallback = SiteConfig(baseURL: "", languages: ["kk", "ru", "en"], title: LocalizedText())
            _ = loadContent(config: fallback, diagnostics: &guessed, stages: &stages)
            diagnostics.append(contentsOf: guessed.all.filter { $0.severity == .error })
            return nil
        }
        return loadContent(config: config, diagnostics: &diagnostics, stages: &stages)
    }

    private func loadContent(
        config: SiteConfig, diagnostics: inout Diagnostics, stages: inout StageClock
    ) -> SiteContent? {
        var config = config
        if let baseURLOverride {
            config.baseURL = baseURLOverride.hasSuffix("/") ? baseURLOverride : baseURLOverride + "/"
        }
        let languages = config.languages

        var vocabularies: [String: Vocabulary] = [:]
        for file in listFiles("content/vocabularies", extension: "yml") {
            let name = String(file.dropLast(4))
            let path = "content/vocabularies/\(file)"
            guard let text = readText(path, diagnostics: &diagnostics) else { continue }
            vocabularies[name] = VocabularyParser.parse(
                text, name: name, file: path, languages: languages, diagnostics: &diagnostics)
        }

        for (code, location) in config.shotSentenceLocations.sorted(by: { $0.value < $1.value }) {
            guard let sentences = vocabularies["sentences"] else {
                diagnostics.error(
                    "shot_sentences names '\(Diagnostic.excerpt(code))', but there is no content/vocabularies/sentences.yml",
                    at: location)
                continue
            }
            if sentences.labels[code] == nil, sentences.wasRead {
                diagnostics.error(
                    "shot_sentences: '\(Diagnostic.excerpt(code))' is not a code of content/vocabularies/sentences.yml "
                        + "(known: \(sentences.codes.joined(separator: ", ")))",
                    at: location)
            }
        }

        var strings: [String: [String: String]] = [:]
        for file in listFiles("content/i18n", extension: "yml") {
            let language = String(file.dropLast(4))
            let path = "content/i18n/\(file)"
            guard isSiteLanguage(language, of: languages, file: path, diagnostics: &diagnostics) else { continue }
            guard let text = readText(path, diagnostics: &diagnostics) else { continue }
            strings[language] = InterfaceStringsParser.parse(text, file: path, diagnostics: &diagnostics)
        }

        stages.lap("site.yml, vocabularies, strings")
        var recordIDs: Set<String>? = []
        let records = loadRecords(
            languages: languages, vocabularies: vocabularies, seenIDs: &recordIDs, diagnostics: &diagnostics)
        stages.lap("records")
        let kinds = DocumentsParser.kinds(merging: vocabularies[DocumentsParser.kindsVocabulary])
        vocabularies[DocumentsParser.kindsVocabulary] = kinds
        let (narratives, media, documents, warnings) = loadNarratives(
            config: config, recordIDs: recordIDs, kinds: kinds, diagnostics: &diagnostics)
        stages.lap("narratives")
        let pages = loadPages(languages: languages, diagnostics: &diagnostics)
        stages.lap("pages")
        return SiteContent(
            config: config, vocabularies: vocabularies, strings: strings, records: records, narratives: narratives,
            caseFiles: media, pages: pages, narrativeWarnings: warnings, documents: documents)
    }

    // MARK: - Records

    /// - Parameter seenIDs: every id in the records files, valid rows or not; nil when a file
    ///   could not be read at all, so no id can be called missing.
    private func loadRecords(
        languages: [String], vocabularies: [String: Vocabulary], seenIDs: inout Set<String>?,
        diagnostics: inout Diagnostics
    ) -> [Record] {
        let parser = RecordParser(languages: languages, vocabularies: vocabularies)
        var records: [Record] = []
        var firstSeen: [String: SourceLocation] = [:]
        let files = listFiles("content/records", extension: "csv")
        if files.isEmpty {
            diagnostics.warning(
                "no records: content/records/ has no .csv file",
                at: SourceLocation(file: "content/records", line: 0, column: 0))
        }
        for file in files {
            let path = "content/records/\(file)"
            guard let bytes = readData(path, diagnostics: &diagnostics) else { continue }
            guard bytes.withUnsafeBufferPointer(SourceText.isUTF8) else {
                diagnostics.error(
                    "the file is not valid UTF-8; export it from the archive's database as UTF-8",
                    at: SourceLocation(file: path))
                continue
            }
            var parsed: [Record]
            var newIDs: Set<String>?
            if let onlyCases {
                guard let found = parser.parseValid(bytes, file: path, onlyIDs: onlyCases) else {
                    diagnostics.error("the file has something to report; read it whole", at: SourceLocation(file: path))
                    continue
                }
                parsed = found
            } else {
                guard let read = parser.parse(bytes, file: path, diagnostics: &diagnostics) else {
                    seenIDs = nil
                    continue
                }
                parsed = read.records
                newIDs = read.rowIDs
            }
            // By position: a loop over the records would copy each one.
            var duplicates: [Int] = []
            firstSeen.reserveCapacity(firstSeen.count + parsed.count)
            if newIDs == nil, let known = seenIDs?.count { seenIDs?.reserveCapacity(known + parsed.count) }
            for index in parsed.indices {
                let id = parsed[index].id
                if newIDs == nil { seenIDs?.insert(id) }
                if let first = firstSeen[id] {
                    diagnostics.error(
                        "duplicate id '\(Diagnostic.excerpt(id))': it is already used at \(first.file):\(first.line); ids must be unique across all records files",
                        at: parsed[index].location)
                    duplicates.append(index)
                    continue
                }
                firstSeen[id] = parsed[index].location
            }
            if let newIDs { seenIDs?.formUnion(newIDs) }
            for index in duplicates.reversed() { parsed.remove(at: index) }
            if records.isEmpty {
                records = parsed
            } else {
                records.append(contentsOf: parsed)
            }
        }
        return records
    }

    // MARK: - Narratives and pages

    /// Narratives and the other files of each case folder, read on 32 threads, as the walk lists
    /// them: reading is mostly waiting for the disk when the files are not in memory (5,148
    /// folders just after a checkout: 0.94 s on two threads, 0.36-0.43 s on 32; the same when
    /// they are).
    /// - Parameter recordIDs: nil when a records file could not be parsed (then any folder may
    ///   belong to one of its records and none is reported).
    private func loadNarratives(
        config: SiteConfig, recordIDs: Set<String>?, kinds: Vocabulary, diagnostics: inout Diagnostics
    ) -> (
        narratives: [Narrative], media: [String: Set<String>], documents: [String: [CaseDocument]],
        warnings: [String: [Diagnostic]]
    ) {
        let folders = listFolders("content/cases").filter { onlyCases?.contains($0) ?? true }
        let results = folders.concurrentMap(waiting: 32) { folder in
            var diagnostics = Diagnostics()
            var warnings: [String: [Diagnostic]] = [:]
            let (narratives, media) = loadCaseFolder(
                folder, config: config, recordIDs: recordIDs, diagnostics: &diagnostics, warnings: &warnings)
            let documents = loadDocuments(
                folder, media: media, config: config, recordIDs: recordIDs, kinds: kinds, narratives: narratives,
                diagnostics: &diagnostics)
            return (
                narratives: narratives, media: media, documents: documents, diagnostics: diagnostics,
                warnings: warnings
            )
        }
        var narratives: [Narrative] = []
        var media: [String: Set<String>] = [:]
        var documents: [String: [CaseDocument]] = [:]
        var warnings: [String: [Diagnostic]] = [:]
        for (index, result) in results.enumerated() {
            narratives.append(contentsOf: result.narratives)
            if !result.media.isEmpty { media[folders[index]] = result.media }
            if let found = result.documents { documents[folders[index]] = found }
            diagnostics.append(contentsOf: result.diagnostics.all)
            warnings.merge(result.warnings) { $1 }
        }
        return (narratives, media, documents, warnings)
    }

    /// - Parameter warnings: receives, per narrative read, what parsing it reported.
    private func loadCaseFolder(
        _ folder: String, config: SiteConfig, recordIDs: Set<String>?, diagnostics: inout Diagnostics,
        warnings: inout [String: [Diagnostic]]
    ) -> (narratives: [Narrative], media: Set<String>) {
        let parser = NarrativeParser()
        let folderPath = "content/cases/\(folder)"
        let files = listFiles(folderPath, extension: nil)
        let media = Set(files.filter { !$0.hasSuffix(".md") && $0 != DocumentsParser.fileName })
        var narratives: [Narrative] = []
        /// Takes a narrative an earlier build parsed, with its warnings.
        func reuse(_ cached: (narrative: Narrative, warnings: [Diagnostic]), at path: String) {
            narratives.append(cached.narrative)
            diagnostics.append(contentsOf: cached.warnings)
            warnings[path] = cached.warnings
        }
        // A narrative without its record is not published, and is still read for its own
        // mistakes: all of them are reported in one run.
        let hasRecord = recordIDs?.contains(folder) ?? true
        let near = hasRecord ? [] : recordIDs.map { Identifier.nearest(to: folder, among: $0) } ?? []
        for file in files where file.hasSuffix(".md") {
            let path = "\(folderPath)/\(file)"
            let language = String(file.dropLast(3))
            if !hasRecord {
                diagnostics.error(
                    "no record has id '\(folder)'; a narrative's folder must be named after the id of a record in content/records/"
                        + (near.isEmpty ? "" : " (did you mean \(near.map { "'\($0)'" }.joined(separator: " or "))?)"),
                    at: SourceLocation(file: path))
            }
            guard isSiteLanguage(language, of: config.languages, file: path, diagnostics: &diagnostics) else {
                continue
            }
            if hasRecord, let cached = memory?.narrative(at: path, fingerprint: nil, folderFiles: media) {
                reuse(cached, at: path)
                continue
            }
            guard let bytes = readData(path, diagnostics: &diagnostics) else { continue }
            let fingerprint = Fingerprint.of(bytes)
            if hasRecord, let cached = memory?.narrative(at: path, fingerprint: fingerprint, folderFiles: media) {
                reuse(cached, at: path)
                continue
            }
            guard let text = decode(bytes, path, diagnostics: &diagnostics) else { continue }
            var found = Diagnostics()
            if let narrative = parser.parseNarrative(
                text, recordID: folder, language: language, file: path, folderFiles: media,
                fingerprint: fingerprint, diagnostics: &found), hasRecord
            {
                narratives.append(narrative)
            }
            diagnostics.append(contentsOf: found.all)
            warnings[path] = found.all
        }
        return (narratives, media)
    }

    private func loadPages(languages: [String], diagnostics: inout Diagnostics) -> [FreePage] {
        let parser = NarrativeParser()
        var pages: [FreePage] = []
        for slug in listFolders("content/pages") {
            let folderPath = "content/pages/\(slug)"
            for file in listFiles(folderPath, extension: "md") {
                let path = "\(folderPath)/\(file)"
                let language = String(file.dropLast(3))
                if Self.reservedSlugs.contains(slug) {
                    diagnostics.error(
                        "the page folder name '\(slug)' is the address of the site's own /<lang>/\(slug)/ pages: "
                            + "rename the folder (none of " + Self.reservedSlugs.sorted().joined(separator: ", ")
                            + " may name a page)",
                        at: SourceLocation(file: path))
                    continue
                }
                if !Identifier.isValidID(slug) {
                    diagnostics.error(
                        "invalid page folder name '\(slug)': use lower-case Latin letters, digits and '-'",
                        at: SourceLocation(file: path))
                    continue
                }
                guard isSiteLanguage(language, of: languages, file: path, diagnostics: &diagnostics) else { continue }
                guard let text = readText(path, diagnostics: &diagnostics) else { continue }
                if let page = parser.parsePage(
                    text, slug: slug, language: language, file: path, diagnostics: &diagnostics)
                {
                    pages.append(page)
                }
            }
        }
        return pages
    }

    /// Whether a file named after a language belongs to the site; warns and says no otherwise.
    private func isSiteLanguage(
        _ language: String, of languages: [String], file path: String, diagnostics: inout Diagnostics
    ) -> Bool {
        guard !languages.contains(language) else { return true }
        diagnostics.warning(
            "'\(language)' is not a site language (site.yml languages: \(languages.joined(separator: ", "))); file ignored"
                + (Self.meantLanguage(language, of: languages).map {
                    "; rename it to \($0)\(path.suffix(from: path.lastIndex(of: ".") ?? path.endIndex))"
                } ?? ""),
            at: SourceLocation(file: path))
        return false
    }

    /// The site language a file name probably meant: the same letters in capitals (`EN`), or
    /// `kz`, the country's code, for Kazakh's `kk`.
    package static func meantLanguage(_ name: String, of languages: [String]) -> String? {
        let lower = name.lowercased()
        if languages.contains(lower) { return lower }
        return lower == "kz" && languages.contains("kk") ? "kk" : nil
    }

    // MARK: - Files

    func readText(_ path: String, diagnostics: inout Diagnostics, required: Bool = false) -> String? {
        guard let data = readData(path, diagnostics: &diagnostics, required: required) else { return nil }
        return decode(data, path, diagnostics: &diagnostics)
    }

    private func readData(_ path: String, diagnostics: inout Diagnostics, required: Bool = false) -> [UInt8]? {
        // A link or FIFO in its place is reported by `load`.
        if refused[path] != nil { return nil }
        guard let data = SourceText.readBytes(atPath: rootPath + path) else {
            diagnostics.error(
                required
                    ? "\(path) not found; is this a site root (a folder with content/site.yml)?"
                    : "cannot read the file",
                at: SourceLocation(file: path, line: required ? 0 : 1, column: required ? 0 : 1))
            return nil
        }
        return data
    }

    private func decode(_ data: [UInt8], _ path: String, diagnostics: inout Diagnostics) -> String? {
        guard let text = SourceText.decode(data) else {
            diagnostics.error("the file is not valid UTF-8; save it as UTF-8", at: SourceLocation(file: path))
            return nil
        }
        return text
    }

    /// Regular files in a folder, sorted, hidden ones left out.
    func listFiles(_ folder: String, extension fileExtension: String?) -> [String] {
        entries(folder).filter { entry in
            !entry.isFolder && (fileExtension.map { entry.name.hasSuffix("." + $0) } ?? true)
        }.map(\.name)
    }

    func listFolders(_ folder: String) -> [String] {
        entries(folder).filter(\.isFolder).map(\.name)
    }

    private func entries(_ folder: String) -> [(name: String, isFolder: Bool)] {
        memory?.entries(of: folder) ?? walked?.folders[folder] ?? []
    }

    /// The loader's own walk of `content/`, when the build gave it none (`memory`).
    private var walked: SiteWalk<Never>?
    /// Entries under `content/` that are links or FIFOs, by path: reported, never read.
    private var refused: [String: String] = [:]

    /// The site root as a path ending in `/` (URL.path costs microseconds, and is asked for
    /// every file).
    private let rootPath: String
}

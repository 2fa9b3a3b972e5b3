import Foundation
import MemorialCore

/// The fuzz targets: each takes any bytes as one input file (or, for `load`, a whole site) and
/// traps when an invariant breaks. `Fuzz/` runs them under libFuzzer (`make fuzz`);
/// `FuzzRegressionTests` replays the inputs kept in `Tests/Fixtures/Fuzz/<target>/` through the
/// same functions. Hangs are caught by libFuzzer's `-timeout`, crashes by the process dying.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// A records file: the CSV reader and `RecordParser`.
    case csv
    /// A narrative's and a free page's front matter.
    case frontMatter = "front-matter"
    /// The same text as site.yml, as a vocabulary, as interface strings and as a case's
    /// documents.yml.
    case yaml
    /// A site whose site.yml, records file, peoples vocabulary, narrative and page are the
    /// input's parts (split at NUL bytes; a missing part is the minimal site's), loaded by
    /// `ContentLoader` and resolved by `SiteResolver`.
    case load

    /// Runs one input and traps, naming the broken invariant, when a diagnostic has no place
    /// in its file (an empty path, a line or column below 1, a line past the one after the
    /// file's last).
    public func run(_ bytes: [UInt8]) {
        let (diagnostics, texts) = diagnose(bytes)
        if let problem = Self.problem(in: diagnostics, texts: texts) {
            fatalError("fuzz target \(rawValue): \(problem)")
        }
    }

    /// The diagnostics one input gives, and the text of each file the input made.
    func diagnose(_ bytes: [UInt8]) -> ([Diagnostic], [String: [UInt8]]) {
        var diagnostics = Diagnostics()
        switch self {
        case .csv:
            let file = "content/records/people.csv"
            guard bytes.withUnsafeBufferPointer(SourceText.isUTF8) else { return ([], [:]) }
            let parser = RecordParser(languages: Self.languages, vocabularies: Self.vocabularies)
            _ = parser.parse(bytes, file: file, diagnostics: &diagnostics)
            return (diagnostics.all, [file: bytes])
        case .frontMatter:
            guard let text = SourceText.decode(bytes) else { return ([], [:]) }
            let narrative = "content/cases/abenov-test/en.md"
            let page = "content/pages/about/en.md"
            _ = NarrativeParser().parseNarrative(
                text, recordID: "abenov-test", language: "en", file: narrative,
                folderFiles: ["portrait.jpg", "scan.pdf"], fingerprint: Fingerprint.ofContent(bytes),
                diagnostics: &diagnostics)
            _ = NarrativeParser().parsePage(text, slug: "about", language: "en", file: page, diagnostics: &diagnostics)
            return (diagnostics.all, [narrative: Array(text.utf8), page: Array(text.utf8)])
        case .yaml:
            guard let text = SourceText.decode(bytes) else { return ([], [:]) }
            let site = "content/site.yml"
            let vocabulary = "content/vocabularies/peoples.yml"
            let strings = "content/i18n/en.yml"
            _ = SiteConfigParser.parse(text, diagnostics: &diagnostics)
            _ = VocabularyParser.parse(
                text, name: "peoples", file: vocabulary, languages: Self.languages, diagnostics: &diagnostics)
            _ = InterfaceStringsParser.parse(text, file: strings, diagnostics: &diagnostics)
            let documents = "content/cases/abenov-test/documents.yml"
            _ = DocumentsParser(
                file: documents, languages: Self.languages, folderFiles: ["portrait.jpg", "scan.pdf", "page.tif"],
                kinds: DocumentsParser.builtInKinds
            ).parse(text, diagnostics: &diagnostics)
            let utf8 = Array(text.utf8)
            return (diagnostics.all, [site: utf8, vocabulary: utf8, strings: utf8, documents: utf8])
        case .load:
            let folder = SiteFolder.shared
            // One site folder per process: tests replaying inputs in parallel take turns.
            folder.lock.lock()
            defer { folder.lock.unlock() }
            let files = folder.writeSite(bytes)
            let loader = ContentLoader(siteRoot: URL(fileURLWithPath: folder.root))
            if let content = loader.load(diagnostics: &diagnostics) {
                _ = SiteResolver(includeDrafts: bytes.count % 2 == 0).resolve(content)
            }
            return (diagnostics.all, files)
        }
    }

    /// What is wrong with the places of `diagnostics`, or nil. `texts` holds the bytes of the
    /// files whose line count is known.
    static func problem(in diagnostics: [Diagnostic], texts: [String: [UInt8]]) -> String? {
        for diagnostic in diagnostics {
            let location = diagnostic.location
            if location.file.isEmpty { return "no file: \(diagnostic)" }
            if location.line < 1 || location.column < 1 { return "no line or column: \(diagnostic)" }
            if let text = texts[location.file] {
                // Line breaks are LF, CR LF or CR; in YAML (site.yml, vocabularies, strings, front
                // matter) also NEL, LS and PS, as YAML 1.1 and libyaml count them. The end of the
                // text may be named as the line after its last one (libyaml does so for a node or
                // an error at the end).
                let yaml = !location.file.hasSuffix(".csv")
                var lines = text.last.map { $0 == 0x0A || $0 == 0x0D } == false ? 1 : 0
                for (index, byte) in text.enumerated() {
                    let next = index + 1 < text.count ? text[index + 1] : 0
                    if byte == 0x0A || (byte == 0x0D && next != 0x0A) {
                        lines += 1
                    } else if yaml,
                        (byte == 0xC2 && next == 0x85)
                            || (byte == 0xE2 && next == 0x80 && index + 2 < text.count
                                && (text[index + 2] == 0xA8 || text[index + 2] == 0xA9))
                    {
                        lines += 1
                    }
                }
                if location.line > lines + 1 {
                    return "line past the end of the file (\(lines) lines): \(diagnostic)"
                }
            }
        }
        return nil
    }

    static let languages = ["kk", "ru", "en"]

    static let vocabularies: [String: Vocabulary] = {
        var diagnostics = Diagnostics()
        var vocabularies: [String: Vocabulary] = [:]
        for (name, text) in SiteFolder.vocabularies {
            vocabularies[name] = VocabularyParser.parse(
                text, name: name, file: "content/vocabularies/\(name).yml", languages: languages,
                diagnostics: &diagnostics)
        }
        return vocabularies
    }()

    /// The folder `load` writes each input's site into: one per process, files rewritten in
    /// place.
    final class SiteFolder: @unchecked Sendable {
        static let shared = SiteFolder()

        static let vocabularies = [
            "peoples": "kazakh: {kk: қазақ, ru: казах, en: Kazakh}\nkorean: {kk: корей, ru: кореец, en: Korean}\n",
            "sentences": "execution: {kk: ату жазасы, ru: расстрел, en: execution}\n",
            "charges": "58-10: {kk: 58-10, ru: 58-10, en: 58-10}\n",
            "bodies": "troika: {kk: үштік, ru: тройка, en: troika}\n",
        ]

        /// The parts of an input, in order, and what a missing part is.
        static let parts: [(path: String, text: String)] = [
            (
                "content/site.yml",
                "base_url: https://example.org/\nlanguages: [kk, ru, en]\ntitle: {kk: Сынақ, ru: Тест, en: Test}\n"
            ),
            (
                "content/records/people.csv",
                "id,name_kk,name_ru,name_en,people,arrest_date,sentence_date,charge,sentence\n"
                    + "abenov-test,Әбенов Тест,Абенов Тест,Abenov Test,kazakh,1937-08-01,1937-09-27,58-10,execution\n"
            ),
            ("content/vocabularies/peoples.yml", vocabularies["peoples"]!),
            (
                "content/cases/abenov-test/en.md",
                "---\ntitle: Test Abenov\nsummary: An invented person.\n---\n\nText.\n"
            ),
            ("content/pages/about/en.md", "---\ntitle: About\n---\n\nAbout.\n"),
        ]

        let root: String
        let lock = NSLock()

        private init() {
            root = Self.folder()
            atexit { try? FileManager.default.removeItem(atPath: SiteFolder.folder()) }
            for (name, text) in Self.vocabularies where name != "peoples" {
                put(Array(text.utf8), at: "content/vocabularies/\(name).yml")
            }
        }

        private static func folder() -> String { NSTemporaryDirectory() + "memorial-fuzz-\(getpid())" }

        /// Writes the input's parts and returns them by path.
        func writeSite(_ bytes: [UInt8]) -> [String: [UInt8]] {
            var pieces = bytes.split(separator: 0, omittingEmptySubsequences: false).map(Array.init)
            if bytes.isEmpty { pieces = [] }
            var files: [String: [UInt8]] = [:]
            for (index, part) in Self.parts.enumerated() {
                let content = index < pieces.count ? pieces[index] : Array(part.text.utf8)
                put(content, at: part.path)
                files[part.path] = content
            }
            return files
        }

        private func put(_ bytes: [UInt8], at path: String) {
            let url = URL(fileURLWithPath: root + "/" + path)
            try? FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            // Not FileManager.createFile, which syncs every file to the disk.
            let descriptor = open(url.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard descriptor >= 0 else { fatalError("cannot write \(url.path)") }
            _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            close(descriptor)
        }
    }
}

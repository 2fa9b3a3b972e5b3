import MemorialCore
import Yams

/// Parses `content/site.yml`.
enum SiteConfigParser {
    static let file = "content/site.yml"
    static let knownKeys = [
        "base_url", "languages", "title", "description", "notice", "shot_sentences", "archive", "publisher",
        "contact", "license", "robots",
    ]

    static func parse(_ text: String, diagnostics: inout Diagnostics) -> SiteConfig? {
        let (composed, yamlErrors) = YAMLReader.compose(text, file: file)
        diagnostics.append(contentsOf: yamlErrors)
        guard yamlErrors.isEmpty else { return nil }
        guard let node = composed, case .mapping(let mapping) = node else {
            diagnostics.error(
                "site.yml must be a mapping with base_url, languages and title",
                at: SourceLocation(file: file))
            return nil
        }
        var values: [String: Node] = [:]
        for (key, value) in mapping {
            guard let name = YAMLReader.text(key) else { continue }
            if !knownKeys.contains(name) {
                diagnostics.warning(
                    "unknown key '\(Diagnostic.excerpt(name))' in site.yml (known: \(knownKeys.joined(separator: ", "))); ignored",
                    at: location(key))
            }
            values[name] = value
        }
        // Everything else is read in the site's languages: without them, nothing more is checked.
        var languagesValid = true
        var languages: [String] = []
        if let node = values["languages"], case .sequence(let sequence) = node {
            for item in sequence {
                if let code = YAMLReader.text(item), Identifier.isLanguageCode(code) {
                    if languages.contains(code) {
                        diagnostics.error("language '\(Diagnostic.excerpt(code))' is listed twice", at: location(item))
                    }
                    languages.append(code)
                } else {
                    diagnostics.error(
                        "a language must be a two- or three-letter code such as kk, ru or en",
                        at: location(item))
                    languagesValid = false
                }
            }
            if languages.isEmpty {
                diagnostics.error("languages must list at least one language, e.g. [kk, ru, en]", at: location(node))
                languagesValid = false
            }
        } else {
            diagnostics.error(
                "site.yml needs 'languages', a list such as [kk, ru, en] (the first is the default)",
                at: location(values["languages"]))
            languagesValid = false
        }
        var baseURL = ""
        if let node = values["base_url"], let text = YAMLReader.text(node) {
            if let problem = Identifier.baseURLProblem(text) {
                diagnostics.error("base_url \(problem)", at: location(node))
            } else {
                baseURL = text.hasSuffix("/") ? text : text + "/"
            }
        } else {
            diagnostics.error(
                "site.yml needs 'base_url', the absolute address the site is published at, e.g. https://example.org/exhibition/",
                at: location(values["base_url"]))
        }
        let reader = LocalizedTextReader(file: file, languages: languages)
        var title = LocalizedText()
        if let node = values["title"] {
            title = reader.read(node, what: "title", diagnostics: &diagnostics)
        }
        if title.isEmpty {
            diagnostics.error("site.yml needs 'title', e.g. {kk: …, ru: …, en: …}", at: location(values["title"]))
        }
        let description = values["description"].map { reader.read($0, what: "description", diagnostics: &diagnostics) }
        let notice = values["notice"].map { reader.read($0, what: "notice", diagnostics: &diagnostics) }
        var shotSentences = SiteConfig.defaultShotSentences
        var shotSentenceLocations: [String: SourceLocation] = [:]
        if let node = values["shot_sentences"] {
            var codes: [String]?
            if case .sequence(let sequence) = node {
                let texts = sequence.compactMap(YAMLReader.text)
                if texts.count == sequence.count { codes = texts }
                for item in sequence {
                    if let code = YAMLReader.text(item) { shotSentenceLocations[code] = location(item) }
                }
            }
            if let codes {
                shotSentences = Set(codes)
            } else {
                diagnostics.error(
                    "shot_sentences must be a list of codes of vocabularies/sentences.yml, e.g. [execution]",
                    at: location(node))
            }
        }
        let reuse = readReuseKeys(values, reader: reader, diagnostics: &diagnostics)
        // A mistake in any other key is an error above, which keeps the build from writing; the
        // records, narratives and the rest are still read, so all mistakes are told in one run.
        guard languagesValid else { return nil }
        var config = SiteConfig(
            baseURL: baseURL, languages: languages, title: title,
            description: description ?? LocalizedText(), notice: notice ?? LocalizedText(),
            shotSentences: shotSentences)
        config.shotSentenceLocations = shotSentenceLocations
        if let reuse {
            (config.archive, config.publisher, config.contact, config.license, config.noindex) = reuse
        }
        return config
    }

    /// Where `node` is in site.yml; the whole file when there is none.
    private static func location(_ node: Node?) -> SourceLocation {
        node.map { YAMLReader.location(of: $0, file: file) } ?? SourceLocation(file: file)
    }

    /// `archive`, `publisher`, `contact`, `license` and `robots`: what citations, structured
    /// data, the open dataset and search engines are told. Nil when one is malformed.
    private static func readReuseKeys(
        _ values: [String: Node], reader: LocalizedTextReader, diagnostics: inout Diagnostics
    ) -> (LocalizedText, LocalizedText, String?, DataLicense?, Bool)? {
        var valid = true
        func fail(_ message: String, _ node: Node) {
            diagnostics.error(message, at: location(node))
            valid = false
        }
        let archive = values["archive"].map { reader.read($0, what: "archive", diagnostics: &diagnostics) }
        let publisher = values["publisher"].map { reader.read($0, what: "publisher", diagnostics: &diagnostics) }
        var contact: String?
        if let node = values["contact"] {
            let text = YAMLReader.text(node) ?? ""
            let parts = text.split(separator: "@", omittingEmptySubsequences: false)
            if parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
                !text.contains(where: { $0 == " " || $0 == "<" || $0 == ">" || $0 == "\"" })
            {
                contact = text
            } else {
                fail("contact must be an e-mail address, e.g. archive@example.org", node)
            }
        }
        var license: DataLicense?
        if let node = values["license"] {
            let usage = "license must be a mapping {name: CC-BY-4.0, url: https://…, title: …}"
            if case .mapping(let mapping) = node, let name = mapping["name"].flatMap(YAMLReader.text), !name.isEmpty,
                let url = mapping["url"].flatMap(YAMLReader.text),
                url.hasPrefix("https://") || url.hasPrefix("http://")
            {
                let title = mapping["title"].map { reader.read($0, what: "license title", diagnostics: &diagnostics) }
                license = DataLicense(name: name, url: url, title: title ?? LocalizedText())
            } else {
                fail(usage, node)
            }
        }
        var noindex = false
        if let node = values["robots"] {
            switch YAMLReader.text(node) {
            case "noindex": noindex = true
            case "index": noindex = false
            default: fail("robots must be index or noindex", node)
            }
        }
        guard valid else { return nil }
        return (archive ?? LocalizedText(), publisher ?? LocalizedText(), contact, license, noindex)
    }
}

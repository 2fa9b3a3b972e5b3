import MemorialCore
import Yams

/// Parses `content/vocabularies/<name>.yml`: `code: {kk: label, ru: label, en: label}`.
enum VocabularyParser {
    /// Characters a label may have at most in one language.
    static let maximumLabelLength = 500

    static func parse(_ text: String, name: String, file: String, languages: [String], diagnostics: inout Diagnostics)
        -> Vocabulary
    {
        var vocabulary = Vocabulary(name: name)
        let (composed, yamlErrors) = YAMLReader.compose(text, file: file)
        diagnostics.append(contentsOf: yamlErrors)
        guard let node = composed else {
            vocabulary.wasRead = false
            return vocabulary
        }
        guard case .mapping(let mapping) = node else {
            diagnostics.error(
                "a vocabulary must map codes to labels, e.g. kazakh: {kk: қазақ, ru: казах, en: Kazakh}",
                at: YAMLReader.location(of: node, file: file))
            return vocabulary
        }
        let reader = LocalizedTextReader(file: file, languages: languages)
        for (key, value) in mapping {
            guard let code = YAMLReader.text(key), !code.isEmpty else {
                diagnostics.error("a code must be a text", at: YAMLReader.location(of: key, file: file))
                continue
            }
            // Codes become folders of the output (`/<lang>/peoples/<code>/`).
            guard Identifier.isPathSegment(code) else {
                diagnostics.error(
                    "invalid code '\(Diagnostic.excerpt(code))': \(Identifier.pathSegmentForm)",
                    at: YAMLReader.location(of: key, file: file))
                continue
            }
            if vocabulary.labels[code] != nil {
                diagnostics.error(
                    "code '\(Diagnostic.excerpt(code))' is defined twice", at: YAMLReader.location(of: key, file: file))
                continue
            }
            let label = reader.read(value, what: "label of '\(Diagnostic.excerpt(code))'", diagnostics: &diagnostics)
            let texts = [(nil, label.common)] + label.byLanguage.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            for case (let language, let text?) in texts
            where text.utf8.count > maximumLabelLength && text.count > maximumLabelLength {
                diagnostics.error(
                    "the label of '\(Diagnostic.excerpt(code))'\(language.map { " in '\($0)'" } ?? "") is "
                        + "\(Diagnostic.grouped(text.count)) characters long, and a label may have at most "
                        + "\(maximumLabelLength): shorten it (a label names the code in headings, lists and charts)",
                    at: YAMLReader.location(of: value, file: file))
            }
            vocabulary.labels[code] = label
            vocabulary.locations[code] = YAMLReader.location(of: key, file: file)
            vocabulary.codes.append(code)
        }
        return vocabulary
    }
}

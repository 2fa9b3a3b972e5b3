import MemorialCore
import Yams

/// Parses `content/vocabularies/<name>.yml`: `code: {kk: label, ru: label, en: label}`.
enum VocabularyParser {
    static func parse(_ text: String, name: String, file: String, languages: [String], diagnostics: inout Diagnostics)
        -> Vocabulary
    {
        var vocabulary = Vocabulary(name: name)
        let (composed, yamlErrors) = YAMLReader.compose(text, file: file)
        diagnostics.append(contentsOf: yamlErrors)
        guard let node = composed else { return vocabulary }
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
            vocabulary.labels[code] = reader.read(
                value, what: "label of '\(Diagnostic.excerpt(code))'", diagnostics: &diagnostics)
            vocabulary.codes.append(code)
        }
        return vocabulary
    }
}

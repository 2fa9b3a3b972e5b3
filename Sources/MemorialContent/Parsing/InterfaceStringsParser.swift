import MemorialCore
import Yams

/// Parses `content/i18n/<lang>.yml`: overrides of built-in interface strings, `key: text`.
enum InterfaceStringsParser {
    static func parse(_ text: String, file: String, diagnostics: inout Diagnostics) -> [String: String] {
        let (composed, yamlErrors) = YAMLReader.compose(text, file: file)
        diagnostics.append(contentsOf: yamlErrors)
        guard let node = composed else { return [:] }
        guard case .mapping(let mapping) = node else {
            diagnostics.error(
                "interface strings must map keys to texts, e.g. home: Басты бет",
                at: YAMLReader.location(of: node, file: file))
            return [:]
        }
        var strings: [String: String] = [:]
        for (key, value) in mapping {
            guard let name = YAMLReader.text(key) else { continue }
            guard InterfaceStrings.keys.contains(name) else {
                diagnostics.warning(
                    "unknown interface string '\(Diagnostic.excerpt(name))'; it is not used by the built-in templates",
                    at: YAMLReader.location(of: key, file: file))
                strings[name] = YAMLReader.text(value)
                continue
            }
            guard let text = YAMLReader.text(value) else {
                diagnostics.error(
                    "'\(Diagnostic.excerpt(name))' must be a text, not \(YAMLReader.kind(value))",
                    at: YAMLReader.location(of: value, file: file))
                continue
            }
            strings[name] = text
        }
        return strings
    }
}

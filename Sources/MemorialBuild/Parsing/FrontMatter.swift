import MemorialCore
import Yams

/// A Markdown file split into its YAML front matter (between `---` lines) and its body.
struct FrontMatter {
    /// The front matter's keys in order, with their key and value nodes.
    var entries: [(key: String, keyNode: Node, value: Node)] = []
    var body: String
    /// Lines of the file before the body.
    var bodyLineOffset: Int

    /// The Markdown body of a file whose front matter takes `lineOffset` lines.
    static func body(of text: String, lineOffset: Int) -> Substring {
        let utf8 = text.utf8
        var index = utf8.starts(with: [0xEF, 0xBB, 0xBF]) ? utf8.index(utf8.startIndex, offsetBy: 3) : utf8.startIndex
        var remaining = lineOffset
        while remaining > 0, let newline = utf8[index...].firstIndex(of: UInt8(ascii: "\n")) {
            index = utf8.index(after: newline)
            remaining -= 1
        }
        return remaining > 0 ? "" : text[index...]
    }

    /// Splits `text`; reports an unclosed front matter or invalid YAML.
    static func split(_ text: String, file: String, diagnostics: inout Diagnostics) -> FrontMatter? {
        var text = text
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let first = lines.first, first.trimmingCharacters(in: .whitespaces) == "---" else {
            return FrontMatter(body: text, bodyLineOffset: 0)
        }
        guard
            let closing = lines.indices.dropFirst().first(where: {
                let line = lines[$0].trimmingCharacters(in: .whitespaces)
                return line == "---" || line == "..."
            })
        else {
            diagnostics.error(
                "the front matter opened here is never closed; end it with a line of three dashes '---'",
                at: SourceLocation(file: file, line: 1, column: 1))
            return nil
        }
        let yaml = lines[1..<closing].joined(separator: "\n")
        let body = lines[(closing + 1)...].joined(separator: "\n")
        var result = FrontMatter(body: body, bodyLineOffset: closing + 1)
        let (composed, yamlErrors) = YAMLReader.compose(yaml, file: file, lineOffset: 1)
        diagnostics.append(contentsOf: yamlErrors)
        guard yamlErrors.isEmpty else { return nil }
        guard let node = composed else { return result }
        guard case .mapping(let mapping) = node else {
            diagnostics.error(
                "the front matter must be 'key: value' lines, e.g. 'title: …'",
                at: YAMLReader.location(of: node, file: file, lineOffset: 1))
            return nil
        }
        for (key, value) in mapping {
            guard let name = YAMLReader.text(key) else { continue }
            result.entries.append((name, key, value))
        }
        return result
    }
}

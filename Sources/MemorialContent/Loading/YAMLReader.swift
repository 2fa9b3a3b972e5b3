import MemorialCore
import Yams

/// Reads YAML into Yams nodes, keeping positions: syntax errors become diagnostics with Yams'
/// line and column, and every node keeps its mark so type errors can point at the value too.
enum YAMLReader {
    /// - Parameter lineOffset: lines before the YAML text in its file (1 for front matter,
    ///   which starts after the opening `---`).
    static func compose(_ text: String, file: String, lineOffset: Int = 0) -> (node: Node?, diagnostics: [Diagnostic]) {
        do {
            // Every scalar stays text (Memorial reads only texts, lists and mappings), which spares
            // Yams matching each scalar against its int, float, bool and date patterns; and an
            // explicit encoding, since Yams' default reads the process environment every parse.
            return (try Yams.compose(yaml: text, .basic, .default, .utf8), [])
        } catch let error as YamlError {
            var diagnostic = diagnostic(for: error, file: file, lineOffset: lineOffset)
            // libyaml's words for a tab in the indentation, which no editor shows, say nothing of it.
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let index = diagnostic.location.line - lineOffset - 1
            if lines.indices.contains(index),
                let tab = lines[index].prefix(while: { $0 == " " || $0 == "\t" }).firstIndex(of: "\t")
            {
                diagnostic.message =
                    "this line is indented with a tab, and YAML indents with spaces only: replace the tab with spaces"
                diagnostic.location.column = lines[index].distance(from: lines[index].startIndex, to: tab) + 1
            }
            // libyaml puts an error at the end of a file without a final line break on the line
            // after it, which no editor shows: point at the end of the last line instead. (After
            // front matter, that line is the closing `---`.)
            let lastLine = text.utf8.lazy.filter { $0 == 0x0A }.count + 1
            if lineOffset == 0, diagnostic.location.line > lastLine {
                let lastLineText = text.utf8.lastIndex(of: 0x0A).map { text[text.index(after: $0)...] } ?? text[...]
                diagnostic.location.line = lastLine
                diagnostic.location.column = lastLineText.count + 1
            }
            return (nil, [diagnostic])
        } catch {
            return (nil, [.error("invalid YAML: \(error)", at: SourceLocation(file: file, line: lineOffset + 1))])
        }
    }

    static func diagnostic(for error: YamlError, file: String, lineOffset: Int) -> Diagnostic {
        func located(_ problem: String, _ context: YamlError.Context?, _ mark: Mark) -> Diagnostic {
            var message = "invalid YAML: \(problem)"
            if let context {
                message += " (\(context.text)"
                if context.mark.line != mark.line || context.mark.column != mark.column {
                    message += " that starts at line \(context.mark.line + lineOffset), column \(context.mark.column)"
                }
                message += ")"
            }
            message +=
                "; check the indentation, the colons after keys, and quote text that contains ': ' or starts with a special character"
            return .error(message, at: SourceLocation(file: file, line: mark.line + lineOffset, column: mark.column))
        }
        switch error {
        case .scanner(let context?, _, _, _) where context.text == "while scanning a quoted scalar":
            // Yams notices where the file ends; the curator needs the quote that opened the text.
            return .error(
                "this quote is never closed; end the text with the same quote mark, or remove the quote "
                    + "(a quote inside \"…\" is written \\\", inside '…' it is written '')",
                at: SourceLocation(file: file, line: context.mark.line + lineOffset, column: context.mark.column))
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            return located(problem, context, mark)
        case .duplicatedKeysInMapping(let keys, let context):
            // Yams places the first of the two; the one to remove is usually the later one.
            let key = keys.first ?? ""
            let first = context.mark
            let second = laterKey(key, after: first, in: context.text) ?? (first.line, first.column)
            return .error(
                "'\(Diagnostic.excerpt(key))' is given twice in the same mapping (first at line \(first.line + lineOffset)); "
                    + "keep one of them",
                at: SourceLocation(file: file, line: second.line + lineOffset, column: second.column))
        case .reader(let problem, _, _, _):
            return .error("invalid YAML: \(problem)", at: SourceLocation(file: file, line: lineOffset + 1))
        default:
            return .error("invalid YAML: \(error)", at: SourceLocation(file: file, line: lineOffset + 1))
        }
    }

    /// The next line after `first` that gives `key` at the same column, as a block mapping's
    /// next key is written (`key:` or a quoted `"key":`); nil when there is none, as in a flow
    /// mapping (`{a: 1, a: 2}`). Lines are counted at `\n` only; where YAML also broke lines at
    /// U+0085, U+2028 or U+2029, the mark may name a line past the last: nil then.
    static func laterKey(_ key: String, after first: Mark, in text: String) -> (line: Int, column: Int)? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard first.line >= 1, first.line < lines.count, first.column >= 1 else { return nil }
        for index in first.line..<lines.count {
            let line = lines[index]
            guard line.count >= first.column, line.prefix(first.column - 1).allSatisfy({ $0 == " " }) else { continue }
            let rest = line.dropFirst(first.column - 1)
            for written in [key, "\"\(key)\"", "'\(key)'"] where rest.hasPrefix(written) {
                if rest.dropFirst(written.count).drop(while: { $0 == " " }).hasPrefix(":") {
                    return (index + 1, first.column)
                }
            }
        }
        return nil
    }

    static func location(of node: Node, file: String, lineOffset: Int = 0) -> SourceLocation {
        guard let mark = node.mark else { return SourceLocation(file: file, line: lineOffset + 1) }
        return SourceLocation(file: file, line: mark.line + lineOffset, column: mark.column)
    }

    /// A scalar's text, or nil for anything else (mapping, sequence, null).
    static func text(_ node: Node) -> String? {
        guard case .scalar(let scalar) = node else { return nil }
        if node.null != nil && scalar.style == .plain { return nil }
        return scalar.string
    }

    static func kind(_ node: Node) -> String {
        switch node {
        case .scalar: "a text"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }
}

/// Reads the `{kk: …, ru: …, en: …}` shape (or a single text for every language) with positions.
struct LocalizedTextReader {
    var file: String
    var languages: [String]

    func read(_ node: Node, what: String, diagnostics: inout Diagnostics) -> LocalizedText {
        if let text = YAMLReader.text(node) {
            return LocalizedText(common: text)
        }
        guard case .mapping(let mapping) = node else {
            diagnostics.error(
                "\(what) must be a text or a mapping of language to text, e.g. {kk: …, ru: …, en: …}",
                at: YAMLReader.location(of: node, file: file))
            return LocalizedText()
        }
        var result = LocalizedText()
        for (key, value) in mapping {
            let location = YAMLReader.location(of: key, file: file)
            guard let language = YAMLReader.text(key) else { continue }
            guard languages.contains(language) else {
                diagnostics.warning(
                    "\(what): '\(Diagnostic.excerpt(language))' is not a site language (site.yml languages: \(languages.joined(separator: ", "))); ignored",
                    at: location)
                continue
            }
            guard let text = YAMLReader.text(value) else {
                diagnostics.error(
                    "\(what) in '\(Diagnostic.excerpt(language))' must be a text, not \(YAMLReader.kind(value))",
                    at: YAMLReader.location(of: value, file: file))
                continue
            }
            if !text.isEmpty { result.byLanguage[language] = text }
        }
        return result
    }
}

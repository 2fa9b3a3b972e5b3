import MemorialCore
import Yams

/// A Markdown file split into its YAML front matter (between `---` lines) and its body.
struct FrontMatter {
    /// The front matter's keys in order, with their key and value nodes.
    var entries: [(key: String, keyNode: Node, value: Node)] = []
    var body: String
    /// Lines of the file before the body.
    var bodyLineOffset: Int

    /// Whether a line is `delimiter`, give or take spaces and tabs around it.
    private static func isDelimiter(_ line: Substring.UTF8View, _ delimiter: StaticString) -> Bool {
        let blank: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 }
        guard let first = line.firstIndex(where: { !blank($0) }),
            let last = line.lastIndex(where: { !blank($0) })
        else { return false }
        let expected = UnsafeBufferPointer(start: delimiter.utf8Start, count: delimiter.utf8CodeUnitCount)
        return line[first...last].elementsEqual(expected)
    }

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

    /// The line of a front matter that does not open on the first line with `---`: the first
    /// line that is not blank is a row of three or more dashes, and the next is a `key:` line.
    private static func misplacedOpening(_ text: String) -> Int? {
        let lines = text.split(separator: "\n", maxSplits: 64, omittingEmptySubsequences: false)
        guard let first = lines.firstIndex(where: { !$0.allSatisfy(\.isWhitespace) }) else { return nil }
        let dashes = lines[first].filter { !$0.isWhitespace }
        guard dashes.count >= 3, dashes.allSatisfy({ $0 == "-" }), first + 1 < lines.count else { return nil }
        let key = lines[first + 1].prefix { $0.isLetter || $0.isNumber || $0 == "_" }
        guard !key.isEmpty, lines[first + 1].dropFirst(key.count).drop(while: { $0 == " " }).hasPrefix(":") else {
            return nil
        }
        return first + 1
    }

    /// Splits `text`; reports an unclosed front matter or invalid YAML.
    static func split(_ text: String, file: String, diagnostics: inout Diagnostics) -> FrontMatter? {
        var text = text
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        // Lines are found on bytes: splitting a String walks grapheme clusters, which cost a
        // third of the loading time of a large archive.
        let utf8 = text.utf8
        func lineEnd(from start: String.Index) -> String.Index {
            utf8[start...].firstIndex(of: UInt8(ascii: "\n")) ?? utf8.endIndex
        }
        func next(after end: String.Index) -> String.Index {
            end < utf8.endIndex ? utf8.index(after: end) : utf8.endIndex
        }
        let firstEnd = lineEnd(from: utf8.startIndex)
        guard isDelimiter(utf8[utf8.startIndex..<firstEnd], "---") else {
            if let misplaced = misplacedOpening(text) {
                // Read as text, its keys would be ignored, `status: draft` too: the draft published.
                diagnostics.error(
                    "this looks like the front matter, but it is not read: it must begin on the file's first line "
                        + "with exactly three dashes '---'"
                        + (misplaced > 1 ? " (remove the blank lines above it)" : ""),
                    at: SourceLocation(file: file, line: misplaced, column: 1))
                return nil
            }
            return FrontMatter(body: text, bodyLineOffset: 0)
        }
        let yamlStart = next(after: firstEnd)
        var cursor = yamlStart
        var line = 1
        var closing: (line: Int, start: String.Index, end: String.Index)?
        while cursor < utf8.endIndex {
            let end = lineEnd(from: cursor)
            if isDelimiter(utf8[cursor..<end], "---") || isDelimiter(utf8[cursor..<end], "...") {
                closing = (line, cursor, end)
                break
            }
            line += 1
            cursor = next(after: end)
        }
        guard let closing else {
            diagnostics.error(
                "the front matter opened here is never closed; end it with a line of three dashes '---'",
                at: SourceLocation(file: file, line: 1, column: 1))
            return nil
        }
        var yamlEnd = closing.start
        if yamlEnd > yamlStart { yamlEnd = utf8.index(before: yamlEnd) }
        let yaml = String(text[yamlStart..<yamlEnd])
        let body = String(text[next(after: closing.end)...])
        var result = FrontMatter(body: body, bodyLineOffset: closing.line + 1)
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

import Foundation
import MemorialContent
import MemorialCore

/// `memorial new case <record-id>`: a narrative file for each site language, its front matter
/// filled from the record, as a draft. Existing narratives are never overwritten.
public enum NarrativeScaffold {
    /// What scaffolding did.
    public struct Report: Sendable {
        public var diagnostics: [Diagnostic] = []
        /// Paths relative to the site root.
        public var created: [String] = []
        public var kept: [String] = []

        public var succeeded: Bool { !diagnostics.contains { $0.severity == .error } && !created.isEmpty }
    }

    static let placeholders: [String: String] = [
        "kk":
            "Баянды осында жазыңыз: іс материалдары мен дереккөздер бойынша. Дайын болғанда `status: published` деп қойыңыз.",
        "ru": "Напишите здесь рассказ по материалам дела и источникам. Когда он готов, поставьте `status: published`.",
        "en":
            "Write the narrative here, from the case file and the sources. When it is ready, set `status: published`.",
    ]

    public static func create(recordID: String, siteRoot: URL) -> Report {
        var report = Report()
        var diagnostics = Diagnostics()
        let content = ContentLoader(siteRoot: siteRoot).load(diagnostics: &diagnostics)
        guard let content else {
            report.diagnostics = diagnostics.sorted.filter { $0.severity == .error }
            return report
        }
        guard let record = content.records.first(where: { $0.id == recordID }) else {
            let near = Identifier.nearest(to: recordID, among: content.records.lazy.map(\.id))
            report.diagnostics = [
                .error(
                    "no record has id '\(recordID)'; "
                        + (near.isEmpty
                            ? "add the record to a file in content/records/ first, or check the id"
                            : "did you mean \(near.map { "'\($0)'" }.joined(separator: " or "))?"),
                    at: SourceLocation(file: "content/records", line: 0, column: 0))
            ]
            return report
        }
        let folder = "content/cases/\(recordID)"
        let manager = FileManager.default
        for language in content.config.languages {
            let path = "\(folder)/\(language).md"
            let url = siteRoot.appending(path: path)
            if manager.fileExists(atPath: url.path) {
                report.kept.append(path)
                continue
            }
            let name = record.name.resolved(in: language, fallback: content.config.languages)
            var text = "---\n"
            if let name, name.language == nil { text += "title: \(quoted(name.text))\n" }
            text += "summary: \"\"\nstatus: draft\n---\n\n"
            text += (placeholders[language] ?? placeholders["en"]!) + "\n"
            do {
                try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: url, options: .withoutOverwriting)
                report.created.append(path)
            } catch {
                report.diagnostics.append(
                    .error("cannot write the file: \(error.localizedDescription)", at: SourceLocation(file: path)))
            }
        }
        if report.created.isEmpty && report.diagnostics.isEmpty {
            report.diagnostics.append(
                .error(
                    "every language already has a narrative; memorial new never overwrites one",
                    at: SourceLocation(file: folder, line: 0, column: 0)))
        }
        return report
    }

    /// A YAML double-quoted scalar that reads back as `text`: a name from the records may hold
    /// a quote, a backslash, a line break (a quoted CSV field) or another control character,
    /// which YAML would fold into a space or refuse; each is written as its escape.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            // YAML's line breaks beyond ASCII: next line, line and paragraph separators.
            case "\u{85}": result += "\\N"
            case "\u{2028}": result += "\\L"
            case "\u{2029}": result += "\\P"
            // Controls, the byte order mark and the two noncharacters libyaml refuses.
            case "\u{0}"..."\u{1F}", "\u{7F}"..."\u{9F}", "\u{FEFF}", "\u{FFFE}", "\u{FFFF}":
                let hex = String(scalar.value, radix: 16, uppercase: true)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}

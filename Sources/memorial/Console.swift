import Foundation
import MemorialBuild
import MemorialCore

/// Prints diagnostics to standard error the way compilers do, and summaries to standard output.
enum Console {
    /// In a GitHub Actions run, diagnostics are also printed as workflow commands, so that they
    /// appear as annotations on the files and lines of the pull request.
    static let annotatesForGitHub = ProcessInfo.processInfo.environment["GITHUB_ACTIONS"] == "true"

    static func print(_ report: BuildReport, site: String) {
        let (shown, hiddenErrors, hiddenWarnings) = Diagnostics.shown(report.diagnostics)
        for diagnostic in shown {
            err(diagnostic.formatted(relativeTo: site))
            if annotatesForGitHub { err(diagnostic.githubAnnotation(relativeTo: site)) }
        }
        if let note = Diagnostics.hiddenNote(errors: hiddenErrors, warnings: hiddenWarnings) { err(note) }
        if let failure = report.failure { err("error: \(failure)") }
        let errors = report.diagnostics.filter { $0.severity == .error }.count
        if errors > 0 {
            err(
                "\(Diagnostic.grouped(errors)) error\(errors == 1 ? "" : "s"); nothing was written, the previous output is unchanged"
            )
        }
    }

    /// The table of what is not yet translated, one column per language.
    static func printTranslations(_ rows: [MissingTranslations]) {
        guard let languages = rows.first?.missing.map(\.language) else { return }
        let labels = rows.map { "\($0.label) (of \($0.total))" }
        let width = max(labels.map(\.count).max() ?? 0, "missing translations".count)
        func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
            let padding = String(repeating: " ", count: max(0, width - text.count))
            return right ? padding + text : text + padding
        }
        out(pad("missing translations", width) + languages.map { pad($0, 6, right: true) }.joined())
        for (row, label) in zip(rows, labels) {
            out(pad(label, width) + row.missing.map { pad(String($0.count), 6, right: true) }.joined())
        }
    }

    static func out(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func err(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

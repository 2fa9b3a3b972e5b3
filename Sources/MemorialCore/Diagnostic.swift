/// Where in the content a problem is: a file relative to the site root, and a 1-based line and
/// column (columns count characters, not bytes). Line or column 0 means "the whole file / line".
public struct SourceLocation: Sendable, Hashable, Comparable {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int = 1, column: Int = 1) {
        self.file = file
        self.line = line
        self.column = column
    }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.file, lhs.line, lhs.column) < (rhs.file, rhs.line, rhs.column)
    }
}

/// One problem found in the content, printed as `path:line:column: severity: message`.
public struct Diagnostic: Sendable, Hashable, Comparable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable {
        case error
        case warning
    }

    public var severity: Severity
    public var location: SourceLocation
    public var message: String

    public static func error(_ message: String, at location: SourceLocation) -> Diagnostic {
        Diagnostic(severity: .error, location: location, message: message)
    }

    public static func warning(_ message: String, at location: SourceLocation) -> Diagnostic {
        Diagnostic(severity: .warning, location: location, message: message)
    }

    /// The file's path, prefixed by `directory` when given.
    private func path(relativeTo directory: String?) -> String {
        guard let directory, !directory.isEmpty, directory != "." else { return location.file }
        return directory.hasSuffix("/") ? directory + location.file : directory + "/" + location.file
    }

    /// The line a compiler would print, with the file path prefixed by `directory` when given.
    public func formatted(relativeTo directory: String? = nil) -> String {
        "\(path(relativeTo: directory)):\(location.line):\(location.column): \(severity.rawValue): \(message)"
    }

    public var description: String { formatted() }

    /// The same diagnostic as a GitHub Actions workflow command, which GitHub shows as an
    /// annotation on the file and line: `::error file=…,line=…,col=…::message`. Data is escaped
    /// as GitHub's toolkit does (`%`, CR, LF; in properties also `:` and `,`).
    public func githubAnnotation(relativeTo directory: String? = nil) -> String {
        // On scalars, not characters: CR LF is a single Character.
        func escape(_ text: String, _ replacements: [Unicode.Scalar: String]) -> String {
            var escaped = ""
            for scalar in text.unicodeScalars {
                if let replacement = replacements[scalar] {
                    escaped += replacement
                } else {
                    escaped.unicodeScalars.append(scalar)
                }
            }
            return escaped
        }
        let data: [Unicode.Scalar: String] = ["%": "%25", "\r": "%0D", "\n": "%0A"]
        func escapeData(_ text: String) -> String { escape(text, data) }
        func escapeProperty(_ text: String) -> String { escape(text, data.merging([":": "%3A", ",": "%2C"]) { $1 }) }
        var properties = ["file=\(escapeProperty(path(relativeTo: directory)))"]
        if location.line > 0 { properties.append("line=\(location.line)") }
        if location.column > 0 { properties.append("col=\(location.column)") }
        return "::\(severity.rawValue) \(properties.joined(separator: ","))::\(escapeData(message))"
    }

    public static func < (lhs: Diagnostic, rhs: Diagnostic) -> Bool {
        (lhs.location, lhs.message) < (rhs.location, rhs.message)
    }
}

/// Collects diagnostics from every stage so that one run reports all of them.
public struct Diagnostics: Sendable {
    public private(set) var all: [Diagnostic] = []

    public init() {}

    public mutating func append(_ diagnostic: Diagnostic) { all.append(diagnostic) }
    public mutating func append(contentsOf diagnostics: some Sequence<Diagnostic>) {
        all.append(contentsOf: diagnostics)
    }
    public mutating func error(_ message: String, at location: SourceLocation) {
        all.append(.error(message, at: location))
    }
    public mutating func warning(_ message: String, at location: SourceLocation) {
        all.append(.warning(message, at: location))
    }

    public var hasErrors: Bool { all.contains { $0.severity == .error } }
    /// Sorted by file, line and column, duplicates removed: the order they are printed in.
    public var sorted: [Diagnostic] {
        // Equal place and message sort next to each other, so a duplicate is among the few
        // kept since the last different one (hashing every message was most of reporting
        // 200,000 errors).
        var kept: [Diagnostic] = []
        kept.reserveCapacity(all.count)
        var groupStart = 0
        for diagnostic in all.sorted() {
            if let last = kept.last, last.location != diagnostic.location || last.message != diagnostic.message {
                groupStart = kept.count
            }
            if !kept[groupStart...].contains(where: { $0.severity == diagnostic.severity }) {
                kept.append(diagnostic)
            }
        }
        return kept
    }

    /// Diagnostics at most this many are printed from one file (`shown`).
    public static let shownPerFile = 100
    /// Diagnostics at most this many are printed in all (`shown`).
    public static let shownInAll = 1000

    /// What of `sorted` diagnostics is printed: at most `shownPerFile` of each file and
    /// `shownInAll` in all, and how many errors and warnings are left out, so that 500,000 bad
    /// rows do not print 500,000 lines and the counts stay exact.
    public static func shown(_ sorted: [Diagnostic]) -> (shown: [Diagnostic], hiddenErrors: Int, hiddenWarnings: Int) {
        var shown: [Diagnostic] = []
        var hiddenErrors = 0
        var hiddenWarnings = 0
        var file: String?
        var ofFile = 0
        for diagnostic in sorted {
            if diagnostic.location.file != file {
                file = diagnostic.location.file
                ofFile = 0
            }
            ofFile += 1
            if ofFile <= shownPerFile, shown.count < shownInAll {
                shown.append(diagnostic)
            } else if diagnostic.severity == .error {
                hiddenErrors += 1
            } else {
                hiddenWarnings += 1
            }
        }
        return (shown, hiddenErrors, hiddenWarnings)
    }

    /// The line that says what `shown` left out, e.g. `note: 499,000 more errors not shown`;
    /// nil when nothing was.
    public static func hiddenNote(errors: Int, warnings: Int) -> String? {
        func counted(_ count: Int, _ noun: String) -> String? {
            count == 0 ? nil : "\(Diagnostic.grouped(count)) more \(noun)\(count == 1 ? "" : "s")"
        }
        let parts = [counted(errors, "error"), counted(warnings, "warning")].compactMap { $0 }
        guard !parts.isEmpty else { return nil }
        return "note: \(parts.joined(separator: " and ")) not shown (at most \(shownPerFile) a file and "
            + "\(Diagnostic.grouped(shownInAll)) in all are printed); correct these and run again to see the rest"
    }
}

extension Diagnostic {
    /// At most this many characters of a value are quoted in a message (`excerpt`).
    public static let quotedLength = 60

    /// A value as a message quotes it: its first 60 characters and "…" when it is longer, so that
    /// one bad 10 MB cell is not repeated in full.
    public static func excerpt(_ value: some StringProtocol) -> String {
        guard value.utf8.count > quotedLength,
            let end = value.index(value.startIndex, offsetBy: quotedLength, limitedBy: value.endIndex),
            end < value.endIndex
        else { return String(value) }
        return String(value[..<end]) + "…"
    }

    /// A count with thousands separated by commas: `499,000`.
    public static func grouped(_ count: Int) -> String {
        let digits = String(count.magnitude)
        var text = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return count < 0 ? "-" + text : text
    }
}

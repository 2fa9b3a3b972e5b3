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

    public init(_ severity: Severity, at location: SourceLocation, _ message: String) {
        self.severity = severity
        self.location = location
        self.message = message
    }

    public static func error(_ message: String, at location: SourceLocation) -> Diagnostic {
        Diagnostic(.error, at: location, message)
    }

    public static func warning(_ message: String, at location: SourceLocation) -> Diagnostic {
        Diagnostic(.warning, at: location, message)
    }

    /// The line a compiler would print, with the file path prefixed by `directory` when given.
    public func formatted(relativeTo directory: String? = nil) -> String {
        var path = location.file
        if let directory, !directory.isEmpty, directory != "." {
            path = directory.hasSuffix("/") ? directory + path : directory + "/" + path
        }
        return "\(path):\(location.line):\(location.column): \(severity.rawValue): \(message)"
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
        var path = location.file
        if let directory, !directory.isEmpty, directory != "." {
            path = directory.hasSuffix("/") ? directory + path : directory + "/" + path
        }
        var properties = ["file=\(escapeProperty(path))"]
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
        var seen = Set<Diagnostic>()
        return all.sorted().filter { seen.insert($0).inserted }
    }
}

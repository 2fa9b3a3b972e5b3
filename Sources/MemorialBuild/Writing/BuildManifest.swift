import Foundation
import MemorialCore

/// What the last build wrote, kept in the output as `.memorial-manifest`: for each file the
/// fingerprint of what it was made from and of its bytes, and for each published narrative what
/// rendering it found (warnings, linked files). The next build renders only pages whose inputs
/// changed, writes only files whose bytes changed and removes files that no longer belong.
///
/// One line a fact, tab-separated and sorted, so that it is cheap to read at 300,000 files and
/// the same input always gives the same manifest. It names only published files and
/// narratives: nothing restricted or draft ever appears in it.
struct BuildManifest: Sendable {
    static let fileName = ".memorial-manifest"
    static let header = "memorial-manifest 2"

    struct FileEntry: Sendable, Equatable {
        /// Of what the file is made from.
        var input: Fingerprint
        /// Of the file's bytes.
        var output: Fingerprint
    }

    /// What rendering a narrative's body found, reused while its page need not be rendered.
    struct NarrativeEntry: Sendable, Equatable {
        var fingerprint: Fingerprint
        var linkedFiles: [String]
        var warnings: [Diagnostic]

        static let empty = NarrativeEntry(fingerprint: Fingerprint(), linkedFiles: [], warnings: [])
    }

    var files: [String: FileEntry] = [:]
    var narratives: [String: NarrativeEntry] = [:]

    static func read(from folder: URL) -> BuildManifest? {
        guard let data = FileManager.default.contents(atPath: folder.appending(path: fileName).path) else {
            return nil
        }
        // Split on bytes: a manifest has a line for each of hundreds of thousands of files.
        let bytes = [UInt8](data)
        var lines = bytes.split(separator: UInt8(ascii: "\n"))[...]
        guard let first = lines.first, first.elementsEqual(header.utf8) else { return nil }
        lines = lines.dropFirst()
        var manifest = BuildManifest()
        manifest.files.reserveCapacity(lines.count)
        for line in lines {
            let fields = line.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false)
            func text(_ index: Int) -> String { String(decoding: fields[index], as: UTF8.self) }
            switch (fields.first?.first, fields.count) {
            case (UInt8(ascii: "F"), 4):
                manifest.files[text(1)] = FileEntry(
                    input: Fingerprint(hexDigits: fields[2]), output: Fingerprint(hexDigits: fields[3]))
            case (UInt8(ascii: "N"), 4):
                let linked = fields[3].isEmpty ? [] : text(3).split(separator: "\u{1F}").map(String.init)
                manifest.narratives[text(1), default: .empty].fingerprint = Fingerprint(hex: text(2))
                manifest.narratives[text(1)]?.linkedFiles = linked
            case (UInt8(ascii: "W"), 5):
                guard let warning = WarningLine.decode(text(1), text(2), text(3), text(4)) else { return nil }
                manifest.narratives[warning.location.file, default: .empty].warnings.append(warning)
            default:
                return nil
            }
        }
        return manifest
    }

    func serialized() -> [UInt8] {
        // Lines as bytes, sorted as bytes: sorting 300,000 Strings compares them as Unicode,
        // which took seconds.
        var lines: [[UInt8]] = []
        lines.reserveCapacity(files.count + narratives.count + 1)
        for (path, entry) in files {
            var line: [UInt8] = [UInt8(ascii: "F"), 9]
            line.append(contentsOf: path.utf8)
            line.append(9)
            line.append(contentsOf: entry.input.description.utf8)
            line.append(9)
            line.append(contentsOf: entry.output.description.utf8)
            lines.append(line)
        }
        for (path, entry) in narratives {
            lines.append(
                Array("N\t\(path)\t\(entry.fingerprint)\t\(entry.linkedFiles.joined(separator: "\u{1F}"))".utf8))
            for warning in entry.warnings {
                lines.append(Array(("W\t" + WarningLine.encode(warning)).utf8))
            }
        }
        lines.sort { $0.lexicographicallyPrecedes($1) }
        var bytes = Array(Self.header.utf8)
        bytes.reserveCapacity(lines.reduce(bytes.count + 1) { $0 + $1.count + 1 })
        bytes.append(UInt8(ascii: "\n"))
        for line in lines {
            bytes.append(contentsOf: line)
            bytes.append(UInt8(ascii: "\n"))
        }
        return bytes
    }
}

/// A warning as one line of a build's files: `path<TAB>line<TAB>column<TAB>message`, tabs and
/// line ends in the message turned into spaces. Used by the manifest and the saved build.
enum WarningLine {
    static func encode(_ warning: Diagnostic) -> String {
        let message = warning.message.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(
            of: "\n", with: " ")
        return "\(warning.location.file)\t\(warning.location.line)\t\(warning.location.column)\t\(message)"
    }

    static func decode(
        _ path: some StringProtocol, _ line: some StringProtocol, _ column: some StringProtocol,
        _ message: some StringProtocol
    ) -> Diagnostic? {
        guard let line = Int(line), let column = Int(column) else { return nil }
        return .warning(String(message), at: SourceLocation(file: String(path), line: line, column: column))
    }
}

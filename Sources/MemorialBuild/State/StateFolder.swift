import Foundation
import Glibc
import MemorialContent
import MemorialCore
import Synchronization

/// The folder where a build keeps what the next build needs (`.memorial/` at the site root, or
/// `--cache-dir`), never in the output: `build` (`PreviousBuild`, `SavedBuild`), `manifest`
/// (`BuildManifest`) and `cache` (`LoadCache`), each the line `memorial-state <version>`, its
/// kind and the output folder's path (length-prefixed), then its body. What each holds, and
/// why nothing read from here is trusted: ARCHITECTURE.md, "State".
struct StateFolder: Sendable {
    /// Bumped whenever what a state file holds or means changes (7: `Fingerprint.ofContent`
    /// in four lanes).
    static let header = Array("memorial-state 7\n".utf8)
    /// The default folder's name at the site root.
    static let defaultName = ".memorial"

    enum Kind: String, Sendable {
        case build, manifest, cache
    }

    let folder: URL
    /// The output folder this state describes: its standardized path.
    let output: String

    init(_ options: BuildOptions) {
        folder = options.stateFolder.standardizedFileURL
        output = options.outputFolder.standardizedFileURL.path
    }

    func path(_ kind: Kind) -> String { folder.appending(path: kind.rawValue).path }

    /// What every file of this kind about this output starts with.
    func prefix(_ kind: Kind) -> [UInt8] {
        var writer = ByteWriter()
        writer.bytes.append(contentsOf: Self.header)
        writer.append(kind.rawValue)
        writer.append(output)
        return writer.bytes
    }

    enum Found {
        case missing
        /// The bytes and where the body starts.
        case body([UInt8], Int)
        /// Why it cannot be used (for the note on standard error).
        case unusable(String)
    }

    func read(_ kind: Kind) -> Found {
        guard let bytes = SourceText.readBytes(atPath: path(kind)) else {
            return access(path(kind), F_OK) == 0 ? .unusable("cannot be read") : .missing
        }
        guard bytes.starts(with: Self.header) else { return .unusable("is of another version or damaged") }
        let expected = prefix(kind)
        if bytes.starts(with: expected) { return .body(bytes, expected.count) }
        // Same version and kind, another output: say so, the user may have meant it.
        let other = bytes.withUnsafeBytes { buffer -> String? in
            var reader = ByteReader(buffer, offset: Self.header.count)
            guard reader.string() == kind.rawValue else { return nil }
            let output = reader.string()
            return reader.failed ? nil : output
        }
        if let other { return .unusable("describes another output folder (\(other))") }
        return .unusable("is damaged")
    }

    /// Writes a file of the state whole (under a temporary name, then renamed over it).
    func write(_ kind: Kind, body: [UInt8]) throws(OutputWriter.WriteError) {
        try makeFolder()
        var bytes = prefix(kind)
        bytes.append(contentsOf: body)
        if let failure = OutputWriter.writeAtomically(bytes, to: path(kind)) {
            throw .io("cannot write \(path(kind)): \(failure)")
        }
    }

    func makeFolder() throws(OutputWriter.WriteError) {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw .io("cannot create the state folder \(folder.path): \(error.localizedDescription)")
        }
    }
}

/// What the state folder says of the output, read once at the start of a build.
enum PreviousBuild {
    /// No state about this output (none at all, or about another output; `note` says which
    /// when it is worth saying).
    case none(note: String?)
    /// A build into this output started and did not finish: the output may hold files of two
    /// builds, and the manifest describes only the older one.
    case interrupted
    /// The last build into this output finished, and then something else changed the output
    /// (the folder named, relative to it): it may no longer hold what the manifest describes.
    case changed(String)
    /// The last build into this output finished.
    case finished(SavedBuild)

    var saved: SavedBuild? {
        if case .finished(let saved) = self { saved } else { nil }
    }

    var note: String? {
        switch self {
        case .none(let note): note
        case .interrupted: "the last build into this folder did not finish; comparing every file with the disk"
        case .changed(let folder):
            "the output folder was changed since the last build (\(folder.isEmpty ? "at its top" : folder + "/")); "
                + "comparing every file with the disk"
        case .finished: nil
        }
    }

    /// - Parameter output: the output folder, whose identity a finished build's state must match.
    static func read(_ state: StateFolder, output: URL) -> PreviousBuild {
        switch state.read(.build) {
        case .missing:
            return .none(note: nil)
        case .unusable(let why):
            return .none(note: "\(state.path(.build)) \(why); building everything")
        case .body(let bytes, let start):
            let damaged = PreviousBuild.none(note: "\(state.path(.build)) is damaged; building everything")
            guard start < bytes.count else { return damaged }
            if bytes[start] == 0 { return start + 1 == bytes.count ? .interrupted : damaged }
            guard let saved = SavedBuild.parse(bytes, offset: start + 1) else { return damaged }
            guard SavedBuild.identity(of: output) == saved.outputFolder else {
                return .none(
                    note: "the output folder was removed or replaced since the last build; building everything")
            }
            if let folder = saved.changedOutputFolder(now: SavedBuild.outputFolders(of: output)) {
                return .changed(folder)
            }
            return .finished(saved)
        }
    }
}

/// Set when the user asks a build to stop (SIGINT, SIGTERM): the build stops before its next
/// write, as a failed build does.
public enum BuildInterruption {
    private static let requested = Atomic<Bool>(false)

    /// Asks the running build to stop at its next safe point; safe from any thread.
    public static func request() { requested.store(true, ordering: .relaxed) }

    public static var isRequested: Bool { requested.load(ordering: .relaxed) }
}

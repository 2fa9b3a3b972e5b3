import Foundation
import MemorialCore

#if canImport(Glibc)
    import Glibc
#endif

/// The state of every input of a build, taken from the file system without reading a file: each
/// file's path, size and modification time under `content/` and `templates/`, the build's
/// options, the memorial executable itself and the output's manifest. When it equals the
/// snapshot saved after the last successful build into the same output, nothing can have
/// changed and the build has nothing to do (as make and ninja decide).
///
/// The snapshot is kept beside the output, as `.memorial-state-<output name>`, not in it:
/// times differ between two checkouts of the same content, and the output must not.
struct InputSnapshot: Sendable, Equatable {
    var fingerprint: Fingerprint

    /// The same inputs with the output manifest as it is now (after a build wrote it).
    func withManifest(of options: BuildOptions) -> InputSnapshot {
        var fingerprint = self.fingerprint
        Self.combineStatus(of: options.outputFolder.appending(path: BuildManifest.fileName).path, into: &fingerprint)
        return InputSnapshot(fingerprint: fingerprint)
    }

    /// Everything but the output manifest.
    static func takeInputs(_ options: BuildOptions) -> InputSnapshot {
        var fingerprint = Fingerprint()
        fingerprint.combine("memorial-state 1")
        fingerprint.combine(options.baseURL ?? "")
        fingerprint.combine(options.includeDrafts ? "drafts" : "")
        fingerprint.combine(options.outputFolder.standardizedFileURL.path)
        let root = options.siteRoot.standardizedFileURL.path
        for folder in ["content", "templates"] {
            walk(root + "/" + folder, relative: folder, into: &fingerprint)
        }
        combineStatus(of: "/proc/self/exe", into: &fingerprint)
        return InputSnapshot(fingerprint: fingerprint)
    }

    private static func walk(_ path: String, relative: String, into fingerprint: inout Fingerprint) {
        for (name, isFolder) in DirectoryListing.entries(at: path) {
            fingerprint.combine(relative + "/" + name)
            if isFolder {
                walk(path + "/" + name, relative: relative + "/" + name, into: &fingerprint)
            } else {
                combineStatus(of: path + "/" + name, into: &fingerprint)
            }
        }
    }

    private static func combineStatus(of path: String, into fingerprint: inout Fingerprint) {
        var status = stat()
        if stat(path, &status) == 0 { combine(status, into: &fingerprint) } else { fingerprint.combine(-1) }
    }

    private static func combine(_ status: stat, into fingerprint: inout Fingerprint) {
        fingerprint.combine(Int(status.st_size))
        fingerprint.combine(Int(status.st_mtim.tv_sec))
        fingerprint.combine(Int(status.st_mtim.tv_nsec))
        fingerprint.combine(Int(status.st_ino))
    }

    static func location(for output: URL) -> URL {
        let output = output.standardizedFileURL
        return output.deletingLastPathComponent().appending(path: ".memorial-state-\(output.lastPathComponent)")
    }
}

/// What the last successful build reported, kept with its input snapshot so that a build with
/// nothing to do reports the same pages and warnings.
struct SavedBuild: Sendable {
    var snapshot: InputSnapshot
    var pages: Int
    var files: Int
    var warnings: [Diagnostic]

    static func read(for output: URL) -> SavedBuild? {
        guard let data = FileManager.default.contents(atPath: InputSnapshot.location(for: output).path) else {
            return nil
        }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= 3, lines[0] == "memorial-state 1" else { return nil }
        let counts = lines[2].split(separator: " ").compactMap { Int($0) }
        guard counts.count == 2 else { return nil }
        var warnings: [Diagnostic] = []
        for line in lines.dropFirst(3) where !line.isEmpty {
            let fields = line.split(separator: "\t", maxSplits: 3, omittingEmptySubsequences: false)
            guard fields.count == 4, let warning = WarningLine.decode(fields[0], fields[1], fields[2], fields[3])
            else { return nil }
            warnings.append(warning)
        }
        return SavedBuild(
            snapshot: InputSnapshot(fingerprint: Fingerprint(hex: lines[1])), pages: counts[0], files: counts[1],
            warnings: warnings)
    }

    func write(for output: URL) {
        var text = "memorial-state 1\n\(snapshot.fingerprint)\n\(pages) \(files)\n"
        for warning in warnings { text += WarningLine.encode(warning) + "\n" }
        try? Data(text.utf8).write(to: InputSnapshot.location(for: output), options: .atomic)
    }

    static func remove(for output: URL) {
        try? FileManager.default.removeItem(at: InputSnapshot.location(for: output))
    }
}

/// The state of a site's inputs, for a preview server that rebuilds when they change.
public struct InputFingerprint: Sendable, Equatable {
    let snapshot: InputSnapshot

    public static func take(_ options: BuildOptions) -> InputFingerprint {
        InputFingerprint(snapshot: InputSnapshot.takeInputs(options))
    }

    /// Removes what a build into `output` keeps beside it (the saved snapshot).
    public static func forget(output: URL) {
        SavedBuild.remove(for: output)
    }
}

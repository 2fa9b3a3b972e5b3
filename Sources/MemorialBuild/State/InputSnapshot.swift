import Foundation
import Glibc
import MemorialContent
import MemorialCore

/// The state of every input of a build, taken without reading a file: each file's path and
/// `FileStatus` under `content/` and `templates/`, the build's options, the memorial executable
/// itself, the output folder and the manifest. When it equals the snapshot saved after the last
/// successful build into the same output, nothing can have changed (as make and ninja decide);
/// the preview server compares two to know when to rebuild. Kept in the state folder, not the
/// output: times differ between two checkouts of the same content, and the output must not.
package struct InputSnapshot: Sendable, Equatable {
    var fingerprint: Fingerprint
    /// The same without the statuses of narratives (`content/cases/<id>/<name>.md`; their
    /// paths are in it): when only this is equal, only narratives can have changed, and a
    /// rebuild may look at them alone (`BuildScope`).
    var withoutNarratives = Fingerprint()
    /// What the walk saw, for the build to use rather than look again (not compared).
    var tree: InputTree?

    package static func == (lhs: InputSnapshot, rhs: InputSnapshot) -> Bool { lhs.fingerprint == rhs.fingerprint }

    /// The same inputs with the output folder and the state's manifest as they are now (after a
    /// build wrote them): a removed or replaced output folder, or a removed manifest, is a change.
    func withOutput(of options: BuildOptions) -> InputSnapshot {
        var fingerprint = self.fingerprint
        var withoutNarratives = self.withoutNarratives
        Self.combineStatus(
            of: options.outputFolder.standardizedFileURL.path, into: &fingerprint, and: &withoutNarratives)
        Self.combineStatus(
            of: StateFolder(options).path(.manifest), into: &fingerprint, and: &withoutNarratives)
        return InputSnapshot(fingerprint: fingerprint, withoutNarratives: withoutNarratives, tree: tree)
    }

    /// Everything but the output folder and the manifest.
    package static func takeInputs(_ options: BuildOptions) -> InputSnapshot {
        var fingerprint = Fingerprint()
        fingerprint.combine(StateFolder.header)
        fingerprint.combine(options.baseURL ?? "")
        fingerprint.combine(options.includeDrafts ? "drafts" : "")
        fingerprint.combine(options.noindex ? "noindex" : "")
        fingerprint.combine(options.outputFolder.standardizedFileURL.path)
        var others = fingerprint
        let tree = InputTree.take(siteRoot: options.siteRoot.standardizedFileURL.path)
        for folder in ["content", "templates"] {
            combine(tree, folder, into: &fingerprint, others: &others)
        }
        // A link or FIFO is an error; adding or removing one is a change.
        for (path, problem) in tree.refused.sorted(by: { $0.key < $1.key }) {
            fingerprint.combine(path)
            fingerprint.combine(problem)
            others.combine(path)
            others.combine(problem)
        }
        combineStatus(of: "/proc/self/exe", into: &fingerprint, and: &others)
        return InputSnapshot(fingerprint: fingerprint, withoutNarratives: others, tree: tree)
    }

    /// Adds a file's status (or that there is none) to both fingerprints.
    private static func combineStatus(of path: String, into first: inout Fingerprint, and second: inout Fingerprint) {
        var status = stat()
        if stat(path, &status) == 0 {
            FileStatus(status).combine(into: &first)
            FileStatus(status).combine(into: &second)
        } else {
            first.combine(-1)
            second.combine(-1)
        }
    }

    /// Whether a path relative to the site root is where a narrative is (`content/cases/<id>/<name>.md`).
    static func isNarrativePath(_ path: String) -> Bool {
        guard path.hasPrefix("content/cases/"), path.hasSuffix(".md") else { return false }
        return path.utf8.lazy.filter { $0 == UInt8(ascii: "/") }.count == 3
    }

    /// Adds a folder's entries as the walk saw them, and those of its subfolders, in order.
    private static func combine(
        _ tree: InputTree, _ relative: String, into fingerprint: inout Fingerprint, others: inout Fingerprint
    ) {
        guard let entries = tree.folders[relative] else { return }
        for (name, isFolder) in entries {
            let relativePath = relative + "/" + name
            fingerprint.combine(relativePath)
            others.combine(relativePath)
            if isFolder {
                combine(tree, relativePath, into: &fingerprint, others: &others)
            } else if let file = tree.files[relativePath] {
                file.combine(into: &fingerprint)
                if !isNarrativePath(relativePath) { file.combine(into: &others) }
            } else {
                fingerprint.combine(-1)
                others.combine(-1)
            }
        }
    }
}

/// A file's size, modification time, inode and status-change time, as stat(2) gives them. The
/// change time (which no program can set back) catches a file replaced in place by one of the
/// same size with an older modification time.
struct FileStatus: Sendable, Equatable {
    var size: Int
    var seconds: Int
    var nanoseconds: Int
    var inode: Int
    var changed: Int

    func combine(into fingerprint: inout Fingerprint) {
        fingerprint.combine(size)
        fingerprint.combine(seconds)
        fingerprint.combine(nanoseconds)
        fingerprint.combine(inode)
        fingerprint.combine(changed)
    }
}

extension FileStatus {
    init(_ status: stat) {
        self.init(
            size: Int(status.st_size), seconds: Int(status.st_mtim.tv_sec), nanoseconds: Int(status.st_mtim.tv_nsec),
            inode: Int(status.st_ino),
            changed: Int(status.st_ctim.tv_sec) &* 1_000_000_000 &+ Int(status.st_ctim.tv_nsec))
    }
}

/// The folders and files under `content/` and `templates/` as one walk saw them, by path
/// relative to the site root: the loader lists folders from it rather than again, and knows
/// which files are as they were at the last build.
struct InputTree: Sendable {
    /// Each folder's visible entries, as `DirectoryListing` gives them.
    var folders: [String: [(name: String, isFolder: Bool)]] = [:]
    var files: [String: FileStatus] = [:]
    /// Entries that are neither folders nor regular files (links, FIFOs), with what is wrong
    /// with each, as `DirectoryListing` refuses them.
    var refused: [String: String] = [:]
    /// When the walk began (seconds since 1970).
    var takenAt = 0
}

extension InputTree {
    /// Walks a site root's `content/` and `templates/` (`SiteWalk`), with each file's status.
    static func take(siteRoot root: String) -> InputTree {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let walk = SiteWalk<FileStatus>(siteRoot: root, folders: ["content", "templates"]) { FileStatus($0) }
        return InputTree(folders: walk.folders, files: walk.files, refused: walk.refused, takenAt: Int(now.tv_sec))
    }
}

/// What the last successful build reported, kept with its input snapshot so that a build with
/// nothing to do reports the same pages and warnings; and the fingerprints of the files it read
/// with their status then, so that a file whose status is unchanged need not be read again to
/// know its fingerprint (as git's index does).
struct SavedBuild: Sendable {
    struct KnownFile: Sendable, Equatable {
        var status: FileStatus
        var fingerprint: Fingerprint
    }

    var snapshot: InputSnapshot
    var pages: Int
    var files: Int
    var warnings: [Diagnostic]
    /// By path relative to the site root.
    var known: [String: KnownFile] = [:]
    /// When the walk whose statuses `known` holds began.
    var takenAt = 0
    /// The output folder's device and inode when the build finished: a folder removed or
    /// replaced since then holds none of the files the manifest describes.
    var outputFolder: [Int] = []
    /// The statuses of the output's folders near its top when the build finished
    /// (`outputFolders(of:)`): a file or folder added to or removed from one since then (by hand,
    /// by another tool) makes the manifest untrusted.
    var outputFolders: [String: FileStatus] = [:]

    /// The fingerprint of a file whose status is what the walk before this build saw and what
    /// it was when the last build read it. A file changed within two seconds of that walk is
    /// not trusted (a file system may keep times to the second or two: another change in the
    /// same tick would leave them equal).
    func fingerprint(of path: String, now status: FileStatus?) -> Fingerprint? {
        guard let status, let file = known[path], file.status == status, status.seconds + 2 < takenAt else {
            return nil
        }
        return file.fingerprint
    }

    /// The state after the phase byte of a finished build's `build` file; nil when damaged.
    static func parse(_ bytes: [UInt8], offset: Int) -> SavedBuild? {
        bytes.withUnsafeBytes { buffer -> SavedBuild? in
            var reader = ByteReader(buffer, offset: offset)
            var saved = SavedBuild(
                snapshot: InputSnapshot(fingerprint: reader.fingerprint(), withoutNarratives: reader.fingerprint()),
                pages: reader.int(), files: reader.int(), warnings: reader.warnings())
            saved.takenAt = reader.int()
            saved.outputFolder = [reader.int(), reader.int()]
            let folders = reader.count()
            for _ in 0..<folders where !reader.failed {
                saved.outputFolders[reader.string()] = reader.fileStatus()
            }
            let known = reader.count()
            for _ in 0..<known where !reader.failed {
                let path = reader.string()
                saved.known[path] = KnownFile(status: reader.fileStatus(), fingerprint: reader.fingerprint())
            }
            return reader.failed || !reader.isAtEnd ? nil : saved
        }
    }

    /// Writes the state of a finished build (the `build` file's phase byte 1, then the body).
    func write(to state: StateFolder) throws(OutputWriter.WriteError) {
        var writer = ByteWriter(capacity: known.count * 512 + warnings.count * 512 + 65_536)
        writer.bytes.append(1)
        writer.append(snapshot.fingerprint)
        writer.append(snapshot.withoutNarratives)
        writer.append(pages)
        writer.append(files)
        writer.append(warnings)
        writer.append(takenAt)
        writer.append(outputFolder.first ?? -1)
        writer.append(outputFolder.last ?? -1)
        writer.append(UInt32(outputFolders.count))
        for (path, status) in outputFolders.sorted(by: { $0.key < $1.key }) {
            writer.append(path)
            writer.append(status)
        }
        writer.append(UInt32(known.count))
        for (path, file) in known {
            writer.append(path)
            writer.append(file.status)
            writer.append(file.fingerprint)
        }
        try state.write(.build, body: writer.bytes)
    }
}

extension SavedBuild {
    /// A folder's device and inode, nil when it does not exist.
    static func identity(of folder: URL) -> [Int]? {
        var status = stat()
        guard stat(folder.standardizedFileURL.path, &status) == 0 else { return nil }
        return [Int(status.st_dev), Int(status.st_ino)]
    }

    /// The statuses of the output folder ("") and of the folders one and two levels below it
    /// (`en`, `en/cases`, `media/<id>`…), symbolic links not followed. Adding or removing an entry
    /// changes its folder's time and status, so a page or folder removed from any of them, or
    /// a file put there, is seen. A file removed from a case's own folder (`en/cases/<id>/`) is
    /// not: looking at every page's folder would cost a status per page, 0.6 s at 100,000
    /// records, on every build.
    static func outputFolders(of folder: URL) -> [String: FileStatus] {
        let root = folder.standardizedFileURL.path
        var statuses: [String: FileStatus] = [:]
        var status = stat()
        guard stat(root, &status) == 0 else { return [:] }
        statuses[""] = FileStatus(status)
        for first in OutputWriter.entries(at: root) where first.isFolder {
            guard lstat(root + "/" + first.name, &status) == 0 else { continue }
            statuses[first.name] = FileStatus(status)
            for second in OutputWriter.entries(at: root + "/" + first.name) where second.isFolder {
                let path = first.name + "/" + second.name
                if lstat(root + "/" + path, &status) == 0 { statuses[path] = FileStatus(status) }
            }
        }
        return statuses
    }

    /// The first of the output's folders (`outputFolders(of:)`) that is not as the last build
    /// left it, nil when none; "" (the output folder itself) only when no folder in it changed.
    func changedOutputFolder(now: [String: FileStatus]) -> String? {
        let changed = Set(now.keys).union(outputFolders.keys).sorted().filter { now[$0] != outputFolders[$0] }
        return changed.first { !$0.isEmpty } ?? changed.first
    }

    /// The state to save after a successful build: its report, and its inputs as the walk before
    /// it saw them (`known` is the caller's to fill).
    init(after report: BuildReport, inputs: InputSnapshot, options: BuildOptions) {
        self.init(
            snapshot: inputs.withOutput(of: options), pages: report.pages, files: report.written + report.unchanged,
            warnings: report.diagnostics)
        takenAt = inputs.tree?.takenAt ?? 0
        outputFolder = Self.identity(of: options.outputFolder) ?? []
        outputFolders = Self.outputFolders(of: options.outputFolder)
    }
}

extension ByteWriter {
    mutating func append(_ status: FileStatus) {
        append(status.size)
        append(status.seconds)
        append(status.nanoseconds)
        append(status.inode)
        append(status.changed)
    }
}

extension ByteReader {
    mutating func fileStatus() -> FileStatus {
        FileStatus(size: int(), seconds: int(), nanoseconds: int(), inode: int(), changed: int())
    }
}

import Foundation
import Glibc
import MemorialContent
import MemorialCore
import Synchronization

/// Writes a build into its output folder: a file only when its bytes differ from the last
/// build's (unchanged files keep their modification time, so rsync and CDN uploads stay small);
/// then it removes what no longer belongs and writes the cache and the manifest into the state
/// folder. Temporary names, the staging folder, how it knows a folder of its own and what it
/// does when the manifest is not trusted (`verifies`, `sweep`): ARCHITECTURE.md, "Writing".
///
/// Files are written with openat(2)/renameat(2) relative to the open output folder, not with
/// Foundation's URL and FileManager (which cost a tenth of a 300,000-page build).
final class OutputWriter: @unchecked Sendable {
    enum WriteError: Error, CustomStringConvertible {
        case notMemorialOutput(String)
        case io(String)
        case interrupted

        var description: String {
            switch self {
            case .notMemorialOutput(let path):
                "\(path) is not empty and was not written by memorial (its index.html has no <meta name=\"generator\" content=\"memorial\">); choose an empty or new folder with --out, or empty this one"
            case .io(let message): message
            case .interrupted: "interrupted: the output may hold files of two builds until the next build repairs it"
            }
        }
    }

    typealias FileEntry = BuildManifest.FileEntry

    /// What every page that memorial makes carries in its `<head>` (`templates/base.mustache`):
    /// how it knows a folder of its own without a file of its own in it.
    static let generatorTag = #"<meta name="generator" content="memorial">"#
    /// What the names of files being written start with, until they are renamed.
    static let temporaryPrefix = ".memorial-tmp-"
    /// The file that marks a staging folder as memorial's (removed when the folder becomes the
    /// output; named as a temporary file, so that a sweep removes it if it is ever left there).
    static let stagingMarker = temporaryPrefix + "staging"

    let output: URL
    let state: StateFolder
    /// The last finished build's manifest (empty for a first build, or when it is not trusted).
    let previous: BuildManifest
    /// Whether the manifest is not trusted: each file is compared with the disk, and the whole
    /// output is looked at when the build finishes.
    let verifies: Bool
    /// Whether the state says memorial wrote this folder and nothing else has changed it since
    /// (so every file in it is its own).
    let ownsOutput: Bool
    /// After something else changed the output (`PreviousBuild.changed`), the files the last
    /// build wrote (its manifest): memorial's own, while every file is compared with the disk
    /// and files put there by hand are left alone.
    private let lastWrote: Set<String>
    /// Whether the output folder was new or empty: nothing on disk to compare with.
    private let startedEmpty: Bool
    /// Whether the output folder did not exist when the build started: `begin` then makes
    /// `staging`, if it still does not.
    private let wantsStaging: Bool
    /// Where a build into an output folder that did not exist writes, renamed to the output
    /// folder when it finishes (`.<name>.memorial-partial-XXXXXX` beside it), or nil. Nobody
    /// sees it until then, so each file goes straight to its path: the temporary names and
    /// renames saved were a third of a first build of 300,000 pages on two cores. Locked with
    /// flock through `root` before it holds `stagingMarker` (ARCHITECTURE.md, "Writing").
    private(set) var staging: String?
    /// The output folder's path, ending in `/`.
    private let prefix: String
    /// The output folder, open (from `begin`): pages are made relative to it (`mkdirat`,
    /// `openat`), so the kernel does not walk the output folder's own path for each of 600,000 calls.
    private var root: Int32 = -1
    /// Per file of the last build, by its position in `previous.files`: whether this build
    /// has it, and its entry now. Each file is recorded by one thread, so no lock is needed.
    private let seen: UnsafeMutableBufferPointer<Bool>
    private let entries: UnsafeMutableBufferPointer<FileEntry>
    private let lock = NSLock()
    /// Files the last build did not have (under `lock`), in the order written: one table of
    /// bytes, not a String each (three million pages).
    private var added = FileTable()
    private var narratives: [String: BuildManifest.NarrativeEntry] = [:]
    private let written = Atomic<Int>(0)
    private let unchanged = Atomic<Int>(0)

    /// Checks that the output folder is memorial's and reads the last build's manifest; writes
    /// nothing (see `begin`).
    init(output: URL, state: StateFolder, previous build: PreviousBuild) throws(WriteError) {
        self.output = output.standardizedFileURL
        self.state = state
        let path = self.output.path
        prefix = path.hasSuffix("/") ? path : path + "/"
        let statePath = state.folder.path.hasSuffix("/") ? state.folder.path : state.folder.path + "/"
        if statePath.hasPrefix(prefix) || prefix.hasPrefix(statePath) {
            throw .io(
                "the state folder \(state.folder.path) and the output folder \(path) must not contain each other; choose another --cache-dir or --out"
            )
        }
        // Any state about this output means memorial has written it (so every file in it is its own).
        var owns = if case .none = build { false } else { true }
        var status = stat()
        var empty = true
        // The output folder itself may be a link to a folder (a web server's root).
        if stat(path, &status) == 0 {
            guard status.st_mode & S_IFMT == S_IFDIR else { throw .notMemorialOutput(path) }
            let entries = Self.entries(at: path)
            empty = entries.isEmpty
            // A folder of memorial 0.x kept its manifest in it: it is memorial's, and the
            // sweep of the first build removes that file.
            if !owns, entries.contains(where: { $0.name == ".memorial-manifest" }) { owns = true }
            if !owns, !entries.isEmpty,
                !Self.carriesGeneratorTag(SourceText.readBytes(atPath: prefix + "index.html") ?? [])
            {
                throw .notMemorialOutput(path)
            }
        }
        startedEmpty = empty
        wantsStaging = lstat(path, &status) != 0 && errno == ENOENT
        var previous: BuildManifest?
        var lastWrote = Set<String>()
        switch build {
        case .finished:
            if case .body(let bytes, let offset) = state.read(.manifest) {
                previous = BuildManifest.parse(bytes, offset: offset)
            }
        case .changed:
            owns = false
            if case .body(let bytes, let offset) = state.read(.manifest),
                let files = BuildManifest.parse(bytes, offset: offset)?.files
            {
                lastWrote = Set((0..<files.count).lazy.map(files.path(at:)))
            }
        case .none, .interrupted:
            break
        }
        ownsOutput = owns
        self.lastWrote = lastWrote
        verifies = previous == nil
        self.previous = previous ?? BuildManifest()
        seen = .allocate(capacity: self.previous.files.count)
        seen.initialize(repeating: false)
        entries = .allocate(capacity: self.previous.files.count)
        _ = entries.initialize(fromContentsOf: self.previous.files.entries)
    }

    /// Records in the state that a build is writing the output, then makes and opens the
    /// output folder: called once, before the first write.
    func begin() throws(WriteError) {
        if BuildInterruption.isRequested { throw .interrupted }
        // Marks a build as writing the output: the next one that finds this knows it may hold files of two builds.
        try state.write(.build, body: [0])
        Self.removeStaleStaging(besideOutput: output)
        var status = stat()
        if wantsStaging, lstat(output.path, &status) != 0, errno == ENOENT,
            let (folder, descriptor) = Self.makeStaging(besideOutput: output)
        {
            staging = folder
            root = descriptor
            return
        }
        do {
            try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        } catch {
            throw .io("cannot create \(output.path): \(error.localizedDescription)")
        }
        root = open(output.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard root >= 0 else { throw .io("cannot open \(output.path): \(String(cString: strerror(errno)))") }
    }

    /// Removes the staging folder of a build that failed or was stopped (a killed one leaves it
    /// for the next build), once nothing writes into it any more.
    func abandon() {
        guard let staging else { return }
        try? FileManager.default.removeItem(atPath: staging)
        self.staging = nil
    }

    private static func stagingPrefix(of output: URL) -> String { ".\(output.lastPathComponent).memorial-partial-" }

    /// Makes an empty staging folder beside the output folder, open and locked, then marks it
    /// as memorial's.
    /// - Returns: its path and the open folder; nil when it cannot be made (the output
    ///   folder's folder cannot be written): the build then writes into the output folder itself.
    private static func makeStaging(besideOutput output: URL) -> (String, Int32)? {
        let parent = output.deletingLastPathComponent()
        try? FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        var template = Array(parent.appending(path: stagingPrefix(of: output) + "XXXXXX").path.utf8CString)
        guard let made = mkdtemp(&template) else { return nil }
        let folder = String(cString: made)
        let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else {
            rmdir(folder)
            return nil
        }
        // Locked before it is marked: a marked folder whose lock is free is a killed build's.
        let marker =
            flock(descriptor, LOCK_EX | LOCK_NB) == 0
            ? openat(descriptor, stagingMarker, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666) : -1
        guard marker >= 0 else {
            close(descriptor)
            rmdir(folder)
            return nil
        }
        close(marker)
        return (folder, descriptor)
    }

    /// Removes the staging folders of this output folder that killed builds left: those with
    /// the marker whose lock is free (a running build holds its own).
    private static func removeStaleStaging(besideOutput output: URL) {
        let parent = output.deletingLastPathComponent().path
        let prefix = stagingPrefix(of: output)
        for entry in entries(at: parent) where entry.isFolder && entry.name.hasPrefix(prefix) {
            let folder = parent + "/" + entry.name
            let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW)
            guard descriptor >= 0 else { continue }
            defer { close(descriptor) }
            guard faccessat(descriptor, stagingMarker, F_OK, AT_SYMLINK_NOFOLLOW) == 0,
                flock(descriptor, LOCK_EX | LOCK_NB) == 0
            else { continue }
            try? FileManager.default.removeItem(atPath: folder)
        }
    }

    /// `renameat2(…, RENAME_NOREPLACE)`, found at run time (Swift's Glibc does not declare it):
    /// a folder that appeared at the output's path while the build ran, empty or not, is never
    /// replaced. Where it is missing or the file system refuses the flag, the path is looked at
    /// just before a plain rename.
    private static let renameWithoutReplacing: RenameAt2? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2")
        .map { unsafeBitCast($0, to: RenameAt2.self) }
    private typealias RenameAt2 =
        @convention(c) (
            Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32
        ) -> Int32

    /// Renames a folder to `target` unless something is there; nil, or the `errno` of the failure.
    private static func moveFolder(_ folder: String, to target: String) -> Int32? {
        if let rename2 = renameWithoutReplacing {
            if rename2(AT_FDCWD, folder, AT_FDCWD, target, 1) == 0 { return nil }
            guard errno == EINVAL || errno == ENOSYS else { return errno }
        }
        var status = stat()
        if lstat(target, &status) == 0 { return EEXIST }
        return rename(folder, target) == 0 ? nil : errno
    }

    deinit {
        if root >= 0 { close(root) }
        seen.deallocate()
        entries.deallocate()
    }

    /// A folder's entries, hidden ones too; a symbolic link is not a folder.
    static func entries(at path: String) -> [(name: String, isFolder: Bool)] {
        guard let directory = opendir(path) else { return [] }
        defer { closedir(directory) }
        var result: [(name: String, isFolder: Bool)] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { buffer in
                String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name != ".", name != ".." else { continue }
            var isFolder = Int32(entry.pointee.d_type) == Int32(DT_DIR)
            if Int32(entry.pointee.d_type) == Int32(DT_UNKNOWN) {
                var status = stat()
                isFolder = lstat(path + "/" + name, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
            }
            result.append((name, isFolder))
        }
        return result
    }

    /// Whether a page's bytes carry `generatorTag` (in its head: the first 4 KiB are looked at).
    static func carriesGeneratorTag(_ bytes: [UInt8]) -> Bool {
        String(decoding: bytes.prefix(4096), as: UTF8.self).utf8Offset(of: generatorTag) != nil
    }

    /// The position of a file of the last build (for `keep(at:)`), nil for a new one.
    func previousIndex(of path: String) -> Int? { previous.files.index(of: path) }

    /// Whether the last build made `path` from the same input, so it need not be rendered.
    func isUnchanged(_ path: String, input: Fingerprint) -> Bool { previous.files[path]?.input == input }

    /// Keeps these files of the last build as they are if the last build made each from
    /// `input`; false, keeping none, when it did not or there are none.
    func keepIfUnchanged(_ paths: [String], input: Fingerprint) -> Bool {
        guard !paths.isEmpty, paths.allSatisfy({ isUnchanged($0, input: input) }) else { return false }
        for path in paths { keep(at: previousIndex(of: path)!) }
        return true
    }

    /// - Parameter counted: false when the caller counts kept files itself and reports them
    ///   with `countUnchanged` (threads adding to one counter wait on each other).
    func keep(at index: Int, counted: Bool = true) {
        seen[index] = true
        entries[index] = previous.files.entries[index]
        if counted { unchanged.add(1, ordering: .relaxed) }
    }

    func countUnchanged(_ count: Int) { unchanged.add(count, ordering: .relaxed) }

    /// Makes room for `count` files the last build did not have, whose paths take `pathBytes`:
    /// grown as written, the table copied itself, holding itself twice for a moment, late in
    /// writing a million records' pages.
    func reserveAdded(count: Int, pathBytes: Int) {
        lock.withLock { added.reserveCapacity(count, pathBytes: pathBytes) }
    }

    /// Keeps every file of the last build that this build has neither written nor kept, but
    /// those in `dropped` (`finish` removes them).
    func keepTheRest(except dropped: Set<String>) {
        let droppedIndices = Set(dropped.compactMap(previousIndex(of:)))
        var count = 0
        for index in 0..<previous.files.count where !seen[index] && !droppedIndices.contains(index) {
            keep(at: index, counted: false)
            count += 1
        }
        countUnchanged(count)
    }

    /// Writes a file unless the last build wrote the same bytes (or, when the manifest is not
    /// trusted, unless the file on disk has them); safe from several threads.
    func write(_ path: String, bytes: [UInt8], input: Fingerprint) throws(WriteError) {
        if BuildInterruption.isRequested { throw .interrupted }
        let entry = FileEntry(input: input, output: Fingerprint.ofContent(bytes))
        let index = previousIndex(of: path)
        let same =
            verifies
            ? !startedEmpty && hasBytes(path, bytes)
            : lastBuildWrote(entry.output, at: index, path)
        if !same { try writeFile(path, bytes, isNew: verifies ? startedEmpty : index == nil) }
        record(path, at: index, entry, unchanged: same)
    }

    /// Whether the last build wrote `output` at `path` (its manifest's entry `index`) and the file
    /// is still there.
    private func lastBuildWrote(_ output: Fingerprint, at index: Int?, _ path: String) -> Bool {
        index.map { previous.files.entries[$0].output == output && faccessat(root, path, F_OK, 0) == 0 } ?? false
    }

    /// Marks `path` as this build's, with `entry` in the manifest, and counts it.
    private func record(_ path: String, at index: Int?, _ entry: FileEntry, unchanged same: Bool) {
        if let index {
            seen[index] = true
            entries[index] = entry
        } else {
            lock.withLock { added.append(path, entry) }
        }
        if same { unchanged.add(1, ordering: .relaxed) } else { written.add(1, ordering: .relaxed) }
    }

    /// Writes a file too large to hold in memory (the open dataset): `produce` hands its bytes
    /// over in parts, written as they come under a temporary name; the file is renamed into place
    /// only when its content differs from the last build's (always when the manifest is not
    /// trusted). Its output fingerprint chains the parts', so `produce` must cut the same bytes
    /// into the same parts.
    func writeStreamed(
        _ path: String, input: Fingerprint, _ produce: (_ emit: ([UInt8]) -> Void) -> Void
    ) throws(WriteError) {
        if BuildInterruption.isRequested { throw .interrupted }
        let temporary = Self.temporaryPath(beside: path)
        if let failure = makeFolders(containing: path) {
            throw .io("cannot write \(path): cannot create its folder: \(String(cString: strerror(failure)))")
        }
        let descriptor = openat(root, temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o666)
        guard descriptor >= 0 else { throw .io("cannot write \(path): \(String(cString: strerror(errno)))") }
        var output = Fingerprint()
        var failure: String?
        produce { part in
            guard failure == nil else { return }
            output.combine(Fingerprint.ofContent(part))
            if !Self.writeAll(part, to: descriptor) { failure = String(cString: strerror(errno)) }
        }
        close(descriptor)
        if let failure {
            unlinkat(root, temporary, 0)
            throw .io("cannot write \(path): \(failure)")
        }
        let entry = FileEntry(input: input, output: output)
        let index = previousIndex(of: path)
        let same =
            verifies
            ? !startedEmpty && sameContent(temporary, path)
            : lastBuildWrote(output, at: index, path)
        if same {
            unlinkat(root, temporary, 0)
        } else {
            guard renameat(root, temporary, root, path) == 0 else {
                let reason = String(cString: strerror(errno))
                unlinkat(root, temporary, 0)
                throw .io("cannot write \(path): \(reason)")
            }
            Self.placed()
        }
        record(path, at: index, entry, unchanged: same)
    }

    /// Whether two files of the output have the same bytes, read a part at a time.
    private func sameContent(_ first: String, _ second: String) -> Bool {
        let one = openat(root, first, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        let two = openat(root, second, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        defer {
            if one >= 0 { close(one) }
            if two >= 0 { close(two) }
        }
        guard one >= 0, two >= 0 else { return false }
        var status = stat()
        guard fstat(two, &status) == 0, status.st_mode & S_IFMT == S_IFREG, status.st_nlink == 1 else { return false }
        var left = [UInt8](repeating: 0, count: 1 << 16)
        var right = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = Self.fill(one, &left)
            guard Self.fill(two, &right) == count, left.prefix(count).elementsEqual(right.prefix(count)) else {
                return false
            }
            if count < left.count { return true }
        }
    }

    /// Whether the file at `path` has these bytes (read back only when the manifest is not trusted).
    private func hasBytes(_ path: String, _ bytes: [UInt8]) -> Bool {
        let descriptor = openat(root, path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG, Int(status.st_size) == bytes.count,
            status.st_nlink == 1
        else { return false }
        var disk = [UInt8](repeating: 0, count: bytes.count + 1)
        return Self.fill(descriptor, &disk) == bytes.count && disk.prefix(bytes.count).elementsEqual(bytes)
    }

    /// Reads an open file into `buffer` until it is full, the file ends or a read fails.
    /// - Returns: how many bytes it read.
    private static func fill(_ descriptor: Int32, _ buffer: inout [UInt8]) -> Int {
        var offset = 0
        while offset < buffer.count {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            offset += count
        }
        return offset
    }

    /// `MEMORIAL_TEST_KILL_AFTER_WRITES=N` (ARCHITECTURE.md, "Writing"): the process ends, as if
    /// killed, right after its Nth file, state files included, is in place (renamed, or written
    /// whole in a staging folder); with `N:INT` it sends itself SIGINT there, as Ctrl-C would.
    private static let killAfterWrites: (count: Int, interrupts: Bool)? = {
        guard let value = ProcessInfo.processInfo.environment["MEMORIAL_TEST_KILL_AFTER_WRITES"] else { return nil }
        let parts = value.split(separator: ":")
        return Int(parts[0]).map { ($0, parts.count > 1 && parts[1] == "INT") }
    }()
    private static let renames = Atomic<Int>(0)

    /// Writes under a temporary name in the same folder, then renames it over `path`: a reader
    /// (or a build killed halfway) sees the old file or the new one, whole, and a link at the
    /// path is replaced rather than written through. In a staging folder, straight to `path`.
    /// - Parameter isNew: the last build did not write it: its folder is made first, as it
    ///   is most likely new too (a page is alone in its folder), rather than after an `open`
    ///   that fails (300,000 of them in a first build).
    private func writeFile(_ path: String, _ bytes: [UInt8], isNew: Bool) throws(WriteError) {
        // Say why a folder is missing (no space or inodes left, no permission), not only that it is.
        func folderFailure(_ failure: Int32) -> WriteError {
            .io("cannot write \(path): cannot create its folder: \(String(cString: strerror(failure)))")
        }
        if isNew, let failure = makeFolders(containing: path) { throw folderFailure(failure) }
        var failure = Self.place(path, bytes, in: root, renamed: staging == nil)
        if failure == ENOENT {
            if let failure = makeFolders(containing: path) { throw folderFailure(failure) }
            failure = Self.place(path, bytes, in: root, renamed: staging == nil)
        }
        if let failure { throw .io("cannot write \(path): \(String(cString: strerror(failure)))") }
    }

    /// The name `path`'s bytes are written under before they are renamed to it: in the same
    /// folder, with `temporaryPrefix` before the file's name.
    static func temporaryPath(beside path: String) -> String {
        let name = path.utf8.lastIndex(of: UInt8(ascii: "/")).map(path.utf8.index(after:)) ?? path.startIndex
        return String(path[..<name]) + temporaryPrefix + String(path[name...])
    }

    /// Writes `bytes` to `path` (relative to the open folder `folder`, or to the working folder
    /// with `AT_FDCWD`) under a temporary name beside it, then renames it over `path`; or, when
    /// not `renamed` (in the staging folder, where nobody reads yet), straight to `path`.
    /// - Returns: nil, or the `errno` of the call that failed (`ENOENT`: the folder is missing).
    private static func place(_ path: String, _ bytes: [UInt8], in folder: Int32, renamed: Bool = true) -> Int32? {
        let target = renamed ? temporaryPath(beside: path) : path
        let descriptor = openat(folder, target, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o666)
        guard descriptor >= 0 else { return errno }
        var failure = writeAll(bytes, to: descriptor) ? nil : errno
        close(descriptor)
        if failure == nil, renamed, renameat(folder, target, folder, path) != 0 { failure = errno }
        if failure == nil { placed() } else if renamed { unlinkat(folder, target, 0) }
        return failure
    }

    private static func placed() {
        guard let hook = killAfterWrites, renames.add(1, ordering: .relaxed).newValue == hook.count else { return }
        guard hook.interrupts else { _exit(137) }
        kill(getpid(), SIGINT)
        // The handler runs on another thread: wait for it, as a person would not be that quick.
        for _ in 0..<1000 where !BuildInterruption.isRequested { usleep(1000) }
    }

    /// Makes the folders of a file's path (relative to the output folder) that are missing
    /// (another thread may make one at the same time: an existing folder is fine).
    /// - Returns: nil when the folders exist, else the `errno` of the `mkdirat` that failed.
    private func makeFolders(containing file: String) -> Int32? {
        guard let slash = file.utf8.lastIndex(of: UInt8(ascii: "/")), slash > file.utf8.startIndex else { return nil }
        let folder = String(file[..<slash])
        if mkdirat(root, folder, 0o777) == 0 || errno == EEXIST { return nil }
        guard errno == ENOENT else { return errno }
        if let failure = makeFolders(containing: folder) { return failure }
        return mkdirat(root, folder, 0o777) == 0 || errno == EEXIST ? nil : errno
    }

    /// Copies a media file (a scan may be large) unless the last build copied the same bytes.
    /// A file is known by the fingerprint of its content, never by its size or time.
    /// - Parameter known: the source's fingerprint when the state vouches for it (the file's
    ///   status is what it was when a build last read it), so that it need not be read.
    /// - Returns: the source's fingerprint.
    func copy(from source: URL, to path: String, known: Fingerprint?) throws(WriteError) -> Fingerprint {
        if BuildInterruption.isRequested { throw .interrupted }
        if !verifies, let known, let index = previousIndex(of: path), previous.files.entries[index].input == known,
            faccessat(root, path, F_OK, 0) == 0
        {
            keep(at: index)
            return known
        }
        guard let bytes = SourceText.readBytes(atPath: source.path) else { throw .io("cannot read \(source.path)") }
        let fingerprint = Fingerprint.ofContent(bytes)
        try write(path, bytes: bytes, input: fingerprint)
        return fingerprint
    }

    func record(narrative path: String, _ entry: BuildManifest.NarrativeEntry) {
        lock.withLock { narratives[path] = entry }
    }

    /// Records these narratives, in place of any recorded before.
    func record(narratives: [String: BuildManifest.NarrativeEntry]) {
        lock.withLock { self.narratives = narratives }
    }

    /// The warnings of every narrative published by this build, rendered now or before.
    func narrativeWarnings() -> [Diagnostic] {
        lock.withLock { narratives.values.flatMap(\.warnings) }
    }

    /// Removes what the last build wrote and this one did not (or, when the manifest was not
    /// trusted, what in the output this build did not make: `sweep`), then writes the load
    /// cache when it changed and last the manifest, both into the state folder. The caller
    /// then records the build as finished.
    /// - Returns: how many files this build wrote, kept unchanged and removed.
    func finish(cache: (bytes: [UInt8], unchanged: Bool)) throws(WriteError) -> (
        written: Int, unchanged: Int, removed: Int
    ) {
        if BuildInterruption.isRequested { throw .interrupted }
        var removed = 0
        let files = previous.files
        var folders = Set<String>()
        for index in 0..<files.count where !seen[index] {
            let path = files.path(at: index)
            if unlinkat(root, path, 0) == 0 { removed += 1 }
            var folder = Substring(path)
            while let slash = folder.lastIndex(of: "/") {
                folder = folder[..<slash]
                folders.insert(String(folder))
            }
        }
        let (added, narratives) = lock.withLock { (self.added, self.narratives) }
        lock.withLock { self.added = FileTable() }
        if verifies, !startedEmpty {
            removed += sweep(keeping: Set((0..<added.count).map(added.path(at:))), folders: &folders)
        }
        // Deepest first, so that a folder emptied by removing its subfolders goes too; rmdir(2)
        // removes only empty folders.
        for folder in folders.sorted(by: { $0.utf8.count > $1.utf8.count }) {
            _ = unlinkat(root, folder, AT_REMOVEDIR)
        }
        if let staging {
            // The staging folder becomes the output (`root` stays open on it).
            if let failure = Self.moveFolder(staging, to: output.path) {
                throw .io(
                    "cannot move the new site from \(staging) to \(output.path): \(String(cString: strerror(failure)))"
                        + (failure == EEXIST || failure == ENOTEMPTY
                            ? " (another build made that folder meanwhile; build again)" : ""))
            }
            self.staging = nil
            unlinkat(root, Self.stagingMarker, 0)
        }
        // The cache's bytes start with the state's prefix already.
        if !cache.unchanged || verifies {
            try state.makeFolder()
            if let failure = Self.writeAtomically(cache.bytes, to: state.path(.cache)) {
                throw .io("cannot write the load cache \(state.path(.cache)): \(failure)")
            }
        }
        // Made as it is written; unchanged, it is not written either: a rebuild without
        // changes writes no file.
        let failure = Self.writeAtomically(to: state.path(.manifest), unlessEqualTo: previous.bytes) { writer in
            if added.count == 0, !previous.bytes.isEmpty, !seen.contains(false) {
                // The same files as the last build: its paths are copied, only fingerprints change.
                previous.write(replacingEntries: UnsafeBufferPointer(entries), narratives: narratives, into: &writer)
            } else {
                writeMerged(added, narratives: narratives, into: &writer)
            }
        }
        if let failure {
            throw .io("cannot write the build manifest \(state.path(.manifest)): \(failure)")
        }
        return (written.load(ordering: .relaxed), unchanged.load(ordering: .relaxed), removed)
    }

    /// Removes, after a build whose manifest was not trusted, every file of the output this
    /// build did not make that is memorial's: all of them when the state names the folder, else
    /// the files the last build wrote (`lastWrote`) and the pages that carry `generatorTag`;
    /// temporary files always. Symbolic links to folders are removed as links, never followed.
    /// - Returns: how many files it removed; `folders` receives the folders of the removed files.
    private func sweep(keeping made: Set<String>, folders: inout Set<String>) -> Int {
        var removed = 0
        func walk(_ folder: String) {
            let path = folder.isEmpty ? output.path : prefix + folder
            for entry in Self.entries(at: path) {
                let relative = folder.isEmpty ? entry.name : folder + "/" + entry.name
                if entry.isFolder {
                    walk(relative)
                    folders.insert(relative)
                    continue
                }
                guard !made.contains(relative) else { continue }
                let isOurs =
                    entry.name.hasPrefix(Self.temporaryPrefix) || ownsOutput || lastWrote.contains(relative)
                    || (entry.name.hasSuffix(".html")
                        && Self.carriesGeneratorTag(SourceText.readBytes(atPath: prefix + relative) ?? []))
                if isOurs, unlinkat(root, relative, 0) == 0 {
                    if !entry.name.hasPrefix(Self.temporaryPrefix) { removed += 1 }
                }
            }
        }
        walk("")
        return removed
    }

    /// Writes all of `bytes` to an open file; false when a write fails (see `errno`).
    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Bool {
        bytes.withUnsafeBytes { writeAll($0, to: descriptor) }
    }

    private static func writeAll(_ buffer: UnsafeRawBufferPointer, to descriptor: Int32) -> Bool {
        var offset = 0
        while offset < buffer.count {
            let count = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            if count < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += count
        }
        return true
    }

    /// Writes a file under another name in its folder and renames it, so that it is never seen
    /// half written (as `Data.write(options: .atomic)`, without copying 20 MB into a `Data` first).
    /// - Returns: nil, or why it could not.
    static func writeAtomically(_ bytes: [UInt8], to path: String) -> String? {
        place(path, bytes, in: AT_FDCWD).map { String(cString: strerror($0)) }
    }

    /// Writes the manifest of this build: the last build's files that it kept (already in
    /// order) merged with the new ones, sorted by path bytes, straight into `writer`.
    private func writeMerged(
        _ fresh: FileTable, narratives: [String: BuildManifest.NarrativeEntry], into writer: inout ByteWriter
    ) {
        var order = Array(0..<Int32(fresh.count))
        fresh.withPaths { bytes, ends in
            func range(_ index: Int32) -> UnsafeRawBufferPointer {
                let start = index == 0 ? 0 : Int(ends[Int(index) - 1])
                return UnsafeRawBufferPointer(rebasing: bytes[start..<Int(ends[Int(index)])])
            }
            // Equal paths (a file written twice) in the order written, and only the last kept.
            order.sort {
                let order = FileTable.compare(range($0), range($1))
                return order != 0 ? order < 0 : $0 < $1
            }
            order = order.indices.compactMap { position in
                position + 1 < order.count && FileTable.compare(range(order[position]), range(order[position + 1])) == 0
                    ? nil : order[position]
            }
        }
        // The merged order once, as positions: the last build's from 0, the new ones below it.
        let old = previous.files
        var merged: [Int32] = []
        merged.reserveCapacity(order.count + old.count)
        var pathBytes = 0
        var oldIndex = 0
        var newPosition = 0
        while true {
            while oldIndex < old.count, !seen[oldIndex] { oldIndex += 1 }
            guard oldIndex < old.count || newPosition < order.count else { break }
            let newFirst =
                oldIndex == old.count
                || newPosition < order.count
                    && fresh.withPath(at: Int(order[newPosition])) { new in
                        old.withPath(at: oldIndex) { FileTable.compare(new, $0) < 0 }
                    }
            if newFirst {
                merged.append(-1 - order[newPosition])
                pathBytes += fresh.withPath(at: Int(order[newPosition])) { $0.count }
                newPosition += 1
            } else {
                merged.append(Int32(oldIndex))
                pathBytes += old.withPath(at: oldIndex) { $0.count }
                oldIndex += 1
            }
        }
        let entries = self.entries
        BuildManifest.write(
            prefix: state.prefix(.manifest), count: merged.count, pathBytes: pathBytes, narratives: narratives,
            into: &writer
        ) { body in
            for position in merged {
                if position < 0 {
                    let index = Int(-1 - position)
                    fresh.withPath(at: index) { body($0, fresh.entries[index]) }
                } else {
                    old.withPath(at: Int(position)) { body($0, entries[Int(position)]) }
                }
            }
        }
    }

    /// Writes a file made a part at a time (`make` hands its bytes to the writer it is given,
    /// which passes them on as they come) under another name in its folder, then renames it;
    /// when the bytes are those of `unchanged`, nothing is written at all.
    /// - Returns: nil, or why it could not.
    static func writeAtomically(
        to path: String, unlessEqualTo unchanged: [UInt8], _ make: (inout ByteWriter) -> Void
    ) -> String? {
        let temporary = temporaryPath(beside: path)
        // Opened at the first byte that differs from `unchanged`, which is then written up to there.
        var descriptor: Int32 = -1
        var offset = 0
        var failure: Int32?
        func open() {
            descriptor = openat(AT_FDCWD, temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o666)
            guard descriptor >= 0 else {
                failure = errno
                return
            }
            let same = unchanged.withUnsafeBytes { UnsafeRawBufferPointer(rebasing: $0[0..<offset]) }
            if !writeAll(same, to: descriptor) { failure = errno }
        }
        var writer = ByteWriter { part in
            guard failure == nil else { return }
            if descriptor < 0 {
                let same = unchanged.withUnsafeBytes { old in
                    old.count - offset >= part.count
                        && (part.isEmpty || memcmp(old.baseAddress! + offset, part.baseAddress!, part.count) == 0)
                }
                if same {
                    offset += part.count
                    return
                }
                open()
                guard failure == nil else { return }
            }
            if !writeAll(part, to: descriptor) { failure = errno }
            offset += part.count
        }
        make(&writer)
        writer.drain(force: true)
        if descriptor < 0, failure == nil {
            // Equal so far: the same file, or a shorter one.
            if offset == unchanged.count { return nil }
            open()
        }
        if descriptor >= 0 { close(descriptor) }
        if failure == nil, renameat(AT_FDCWD, temporary, AT_FDCWD, path) != 0 { failure = errno }
        if let failure {
            unlinkat(AT_FDCWD, temporary, 0)
            return String(cString: strerror(failure))
        }
        placed()
        return nil
    }
}

import Foundation
import MemorialCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Writes a build into its output folder incrementally: a file is written only when its bytes
/// differ from what the last build wrote (unchanged files keep their modification time, so
/// rsync and CDN uploads stay small), files that no longer belong are removed, and the manifest
/// is written last.
///
/// Content errors stop a build before a writer exists, so invalid content never touches the
/// output. A build stopped halfway by the machine leaves files of both builds; the manifest of
/// the last finished build still describes the old ones, so the next build repairs the rest.
///
/// Files are written with openat(2)/write(2) relative to the open output folder, not with
/// Foundation's URL and FileManager (which cost a tenth of a 300,000-page build). A file the
/// last build did not write gets its folder made first; others only when `openat` says it is
/// missing.
final class OutputWriter: @unchecked Sendable {
    enum WriteError: Error, CustomStringConvertible {
        case notMemorialOutput(String)
        case io(String)

        var description: String {
            switch self {
            case .notMemorialOutput(let path):
                "\(path) exists and was not written by memorial; remove it or choose another --out (memorial manages every file in its output folder)"
            case .io(let message): message
            }
        }
    }

    /// What one build did to the output.
    struct Summary: Sendable, Equatable {
        var written = 0
        var unchanged = 0
        var removed = 0
    }

    typealias FileEntry = BuildManifest.FileEntry

    let output: URL
    /// The last finished build's manifest (empty for a first build).
    let previous: BuildManifest
    /// The output folder's path, ending in `/`.
    private let prefix: String
    /// The output folder, open: pages are made relative to it (`mkdirat`, `openat`), so the
    /// kernel does not walk the output folder's own path for each of 600,000 calls.
    private let root: Int32
    /// Per file of the last build, by its position in `previous.files`: whether this build
    /// has it, and its entry now. Each file is recorded by one thread, so no lock is needed.
    private let seen: UnsafeMutableBufferPointer<Bool>
    private let entries: UnsafeMutableBufferPointer<FileEntry>
    private let lock = NSLock()
    /// Files the last build did not have (under `lock`).
    private var added: [(path: String, entry: FileEntry)] = []
    private var narratives: [String: BuildManifest.NarrativeEntry] = [:]
    private let written = Atomic<Int>(0)
    private let unchanged = Atomic<Int>(0)

    init(output: URL) throws(WriteError) {
        self.output = output.standardizedFileURL
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        var previous = BuildManifest()
        if manager.fileExists(atPath: self.output.path, isDirectory: &isDirectory) {
            let contents = (try? manager.contentsOfDirectory(atPath: self.output.path)) ?? []
            let isOurs = contents.contains(BuildManifest.fileName)
            if !isDirectory.boolValue || (!contents.isEmpty && !isOurs) {
                throw .notMemorialOutput(self.output.path)
            }
            if isOurs {
                if let manifest = BuildManifest.read(from: self.output) {
                    previous = manifest
                } else {
                    // A manifest of an older format: start from an empty folder.
                    for name in contents { try? manager.removeItem(at: self.output.appending(path: name)) }
                }
            }
        }
        self.previous = previous
        do {
            try manager.createDirectory(at: self.output, withIntermediateDirectories: true)
        } catch {
            throw .io("cannot create \(self.output.path): \(error.localizedDescription)")
        }
        let path = self.output.path
        prefix = path.hasSuffix("/") ? path : path + "/"
        root = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard root >= 0 else { throw .io("cannot open \(path): \(Self.lastError())") }
        seen = .allocate(capacity: previous.files.count)
        seen.initialize(repeating: false)
        entries = .allocate(capacity: previous.files.count)
        _ = entries.initialize(fromContentsOf: previous.files.entries)
    }

    deinit {
        close(root)
        seen.deallocate()
        entries.deallocate()
    }

    /// The position of a file of the last build (for `keep(at:)`), nil for a new one.
    func previousIndex(of path: String) -> Int? { previous.files.index(of: path) }

    /// Whether the last build made `path` from the same input, so it need not be rendered.
    func isUnchanged(_ path: String, input: Fingerprint) -> Bool {
        previous.files[path]?.input == input
    }

    /// Keeps a file of the last build as it is.
    func keep(_ path: String) {
        if let index = previousIndex(of: path) { keep(at: index) }
    }

    /// - Parameter counted: false when the caller counts kept files itself and reports them
    ///   with `countUnchanged` (threads adding to one counter wait on each other).
    func keep(at index: Int, counted: Bool = true) {
        seen[index] = true
        entries[index] = previous.files.entries[index]
        if counted { unchanged.add(1, ordering: .relaxed) }
    }

    func countUnchanged(_ count: Int) { unchanged.add(count, ordering: .relaxed) }

    /// Keeps every file of the last build that this build has neither written nor kept.
    func keepTheRest() {
        var count = 0
        for index in 0..<previous.files.count where !seen[index] {
            seen[index] = true
            entries[index] = previous.files.entries[index]
            count += 1
        }
        unchanged.add(count, ordering: .relaxed)
    }

    /// Writes a file unless the last build wrote the same bytes; safe from several threads.
    func write(_ path: String, bytes: [UInt8], input: Fingerprint) throws(WriteError) {
        let entry = FileEntry(input: input, output: Fingerprint.ofContent(bytes))
        let index = previousIndex(of: path)
        if let index, previous.files.entries[index].output == entry.output, faccessat(root, path, F_OK, 0) == 0 {
            seen[index] = true
            entries[index] = entry
            unchanged.add(1, ordering: .relaxed)
            return
        }
        try writeFile(path, bytes, isNew: index == nil)
        if let index {
            seen[index] = true
            entries[index] = entry
        } else {
            lock.withLock { added.append((path, entry)) }
        }
        written.add(1, ordering: .relaxed)
    }

    /// Writes in place (a file's other names, if any, see the new bytes too, as with `cp`).
    /// - Parameter isNew: the last build did not write it: its folder is made first, as it
    ///   is most likely new too (a page is alone in its folder), rather than after an `open`
    ///   that fails (300,000 of them in a first build).
    private func writeFile(_ path: String, _ bytes: [UInt8], isNew: Bool = false) throws(WriteError) {
        let flags = O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC
        if isNew, let failure = makeFolders(containing: path) {
            throw .io("cannot write \(path): cannot create its folder: \(String(cString: strerror(failure)))")
        }
        var descriptor = openat(root, path, flags, 0o666)
        if descriptor < 0, errno == ENOENT {
            if let failure = makeFolders(containing: path) {
                // Say why the folder is missing (no space or inodes left, no permission), not
                // only that it is.
                throw .io("cannot write \(path): cannot create its folder: \(String(cString: strerror(failure)))")
            }
            descriptor = openat(root, path, flags, 0o666)
        }
        guard descriptor >= 0 else { throw .io("cannot write \(path): \(Self.lastError())") }
        defer { close(descriptor) }
        let failed = !Self.writeAll(bytes, to: descriptor)
        if failed { throw .io("cannot write \(path): \(Self.lastError())") }
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

    private static func lastError() -> String { String(cString: strerror(errno)) }

    /// Copies a media file (a scan may be large) unless the copy is newer than the source and
    /// of the size the last build recorded. The manifest records the file's path, size and
    /// content, never a time, so that two checkouts of the same content give the same manifest.
    func copy(from source: URL, named name: String, to path: String) throws(WriteError) {
        var sourceStatus = stat()
        let sourceExists = stat(source.path, &sourceStatus) == 0
        var input = Fingerprint()
        input.combine(name)
        input.combine(sourceExists ? Int(sourceStatus.st_size) : -1)
        var copied = stat()
        if sourceExists, let index = previousIndex(of: path), previous.files.entries[index].input == input,
            stat(prefix + path, &copied) == 0,
            (copied.st_mtim.tv_sec, copied.st_mtim.tv_nsec) >= (
                sourceStatus.st_mtim.tv_sec, sourceStatus.st_mtim.tv_nsec
            )
        {
            keep(at: index)
            return
        }
        guard let data = FileManager.default.contents(atPath: source.path) else {
            throw .io("cannot read \(source.path)")
        }
        try write(path, bytes: [UInt8](data), input: input)
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

    /// Removes what the last build wrote and this one did not, then writes the files kept
    /// beside the manifest (build caches: not published files, not in the manifest) when they
    /// changed, and last the manifest.
    func finish(alongside: [(name: String, bytes: [UInt8], unchanged: Bool)] = []) throws(WriteError) -> Summary {
        var summary = Summary(
            written: written.load(ordering: .relaxed), unchanged: unchanged.load(ordering: .relaxed))
        let files = previous.files
        var folders = Set<String>()
        for index in 0..<files.count where !seen[index] {
            let path = files.path(at: index)
            if unlink(prefix + path) == 0 { summary.removed += 1 }
            var folder = Substring(path)
            while let slash = folder.lastIndex(of: "/") {
                folder = folder[..<slash]
                folders.insert(String(folder))
            }
        }
        // Deepest first, so that a folder emptied by removing its subfolders goes too; rmdir(2)
        // removes only empty folders.
        for folder in folders.sorted(by: { $0.utf8.count > $1.utf8.count }) {
            _ = rmdir(prefix + folder)
        }
        let (added, narratives) = lock.withLock { (self.added, self.narratives) }
        let bytes: [UInt8]
        if added.isEmpty, !previous.bytes.isEmpty, !seen.contains(false) {
            // The same files as the last build: its paths are copied, only fingerprints change.
            bytes = previous.serialized(replacingEntries: Array(entries), narratives: narratives)
        } else {
            var manifest = BuildManifest()
            manifest.files = mergedFiles(added)
            manifest.narratives = narratives
            bytes = manifest.serialized()
        }
        for file in alongside where !file.unchanged {
            if let failure = Self.writeAtomically(file.bytes, to: prefix + file.name) {
                throw .io("cannot write \(file.name): \(failure)")
            }
        }
        // Unchanged, it is not written either: a rebuild without changes writes no file.
        if bytes != previous.bytes {
            if let failure = Self.writeAtomically(bytes, to: prefix + BuildManifest.fileName) {
                throw .io("cannot write the build manifest: \(failure)")
            }
        }
        return summary
    }

    /// Writes all of `bytes` to an open file; false when a write fails (see `errno`).
    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Bool {
        bytes.withUnsafeBytes { buffer -> Bool in
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
    }

    /// Writes a file under another name and renames it, so that it is never seen half written
    /// (as `Data.write(options: .atomic)`, without copying 20 MB into a `Data` first).
    /// - Returns: nil, or why it could not.
    static func writeAtomically(_ bytes: [UInt8], to path: String) -> String? {
        let temporary = path + ".\(getpid()).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { return lastError() }
        let failed = !Self.writeAll(bytes, to: descriptor)
        let failure = failed ? lastError() : nil
        close(descriptor)
        guard failure == nil, rename(temporary, path) == 0 else {
            let reason = failure ?? lastError()
            unlink(temporary)
            return reason
        }
        return nil
    }

    /// The files of this build sorted by path bytes: the last build's that it kept (already
    /// in order) merged with the new ones.
    private func mergedFiles(_ added: [(path: String, entry: FileEntry)]) -> FileTable {
        var newPaths: [UInt8] = []
        var newEnds: [Int32] = []
        for file in added {
            newPaths.append(contentsOf: file.path.utf8)
            newEnds.append(Int32(newPaths.count))
        }
        let fresh = FileTable(paths: newPaths, ends: newEnds, entries: added.map(\.entry), indexed: false)
        var order = Array(added.indices)
        fresh.withPaths { bytes, ends in
            func range(_ index: Int) -> UnsafeRawBufferPointer {
                let start = index == 0 ? 0 : Int(ends[index - 1])
                return UnsafeRawBufferPointer(rebasing: bytes[start..<Int(ends[index])])
            }
            // Equal paths (a file written twice) in the order written: the last is kept below.
            order.sort {
                let order = FileTable.compare(range($0), range($1))
                return order != 0 ? order < 0 : $0 < $1
            }
        }
        var paths: [UInt8] = []
        var ends: [Int32] = []
        var entries: [FileEntry] = []
        paths.reserveCapacity(newPaths.count + previous.files.pathBytes)
        let old = previous.files
        var oldIndex = 0
        var newPosition = 0
        func appendOld(_ index: Int) {
            old.withPath(at: index) { paths.append(contentsOf: $0) }
            ends.append(Int32(paths.count))
            entries.append(self.entries[index])
        }
        func appendNew(_ index: Int) {
            // Of equal paths (written twice), the last replaces the first.
            if let last = ends.last,
                fresh.withPath(
                    at: index,
                    { new in
                        let start = ends.count == 1 ? 0 : Int(ends[ends.count - 2])
                        return paths.withUnsafeBytes {
                            FileTable.equal(UnsafeRawBufferPointer(rebasing: $0[start..<Int(last)]), new)
                        }
                    })
            {
                entries[entries.count - 1] = fresh.entries[index]
                return
            }
            fresh.withPath(at: index) { paths.append(contentsOf: $0) }
            ends.append(Int32(paths.count))
            entries.append(fresh.entries[index])
        }
        while true {
            while oldIndex < old.count, !seen[oldIndex] { oldIndex += 1 }
            let hasOld = oldIndex < old.count
            let hasNew = newPosition < order.count
            if !hasOld && !hasNew { break }
            if hasOld, hasNew {
                let newFirst = fresh.withPath(at: order[newPosition]) { new in
                    old.withPath(at: oldIndex) { FileTable.precedes(new, $0) }
                }
                if newFirst {
                    appendNew(order[newPosition])
                    newPosition += 1
                } else {
                    appendOld(oldIndex)
                    oldIndex += 1
                }
            } else if hasOld {
                appendOld(oldIndex)
                oldIndex += 1
            } else {
                appendNew(order[newPosition])
                newPosition += 1
            }
        }
        return FileTable(paths: paths, ends: ends, entries: entries, indexed: false)
    }
}

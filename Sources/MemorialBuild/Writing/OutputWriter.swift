import Foundation
import MemorialCore

/// Writes a build into its output folder incrementally: a file is written only when its bytes
/// differ from what the last build wrote (unchanged files keep their modification time, so
/// rsync and CDN uploads stay small), files that no longer belong are removed, and the manifest
/// is written last.
///
/// Content errors stop a build before a writer exists, so invalid content never touches the
/// output. A build stopped halfway by the machine leaves files of both builds; the manifest of
/// the last finished build still describes the old ones, so the next build repairs the rest.
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

    let output: URL
    /// The last finished build's manifest (empty for a first build).
    let previous: BuildManifest
    private let manager = FileManager.default
    private let lock = NSLock()
    private var current = BuildManifest()
    private var summary = Summary()
    private var createdFolders = Set<String>()

    init(output: URL) throws(WriteError) {
        self.output = output.standardizedFileURL
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
    }

    /// Whether the last build made `path` from the same input, so it need not be rendered.
    func isUnchanged(_ path: String, input: Fingerprint) -> Bool {
        previous.files[path]?.input == input
    }

    /// Keeps a file of the last build as it is.
    func keep(_ path: String) {
        guard let entry = previous.files[path] else { return }
        lock.withLock {
            current.files[path] = entry
            summary.unchanged += 1
        }
    }

    /// Writes a file unless the last build wrote the same bytes; safe from several threads.
    func write(_ path: String, bytes: [UInt8], input: Fingerprint) throws(WriteError) {
        let output = Fingerprint.of(bytes)
        let destination = self.output.appending(path: path)
        if previous.files[path]?.output == output, manager.fileExists(atPath: destination.path) {
            lock.withLock {
                current.files[path] = .init(input: input, output: output)
                summary.unchanged += 1
            }
            return
        }
        let folder = destination.deletingLastPathComponent().path
        do {
            if !lock.withLock({ createdFolders.contains(folder) }) {
                try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
                lock.withLock { _ = createdFolders.insert(folder) }
            }
            try Data(bytes).write(to: destination)
        } catch {
            throw .io("cannot write \(path): \(error.localizedDescription)")
        }
        lock.withLock {
            current.files[path] = .init(input: input, output: output)
            summary.written += 1
        }
    }

    /// Copies a media file (a scan may be large) unless the copy is newer than the source and
    /// of the size the last build recorded. The manifest records the file's path, size and
    /// content, never a time, so that two checkouts of the same content give the same manifest.
    func copy(from source: URL, named name: String, to path: String) throws(WriteError) {
        let attributes = (try? manager.attributesOfItem(atPath: source.path)) ?? [:]
        var input = Fingerprint()
        input.combine(name)
        input.combine((attributes[.size] as? NSNumber)?.intValue ?? -1)
        let destination = output.appending(path: path)
        if isUnchanged(path, input: input),
            let copied = (try? manager.attributesOfItem(atPath: destination.path))?[.modificationDate] as? Date,
            let modified = attributes[.modificationDate] as? Date, copied >= modified
        {
            keep(path)
            return
        }
        guard let data = manager.contents(atPath: source.path) else { throw .io("cannot read \(source.path)") }
        try write(path, bytes: [UInt8](data), input: input)
    }

    func record(narrative path: String, _ entry: BuildManifest.NarrativeEntry) {
        lock.withLock { current.narratives[path] = entry }
    }

    /// The warnings of every narrative published by this build, rendered now or before.
    func narrativeWarnings() -> [Diagnostic] {
        lock.withLock { current.narratives.values.flatMap(\.warnings) }
    }

    /// Removes what the last build wrote and this one did not, then writes the manifest.
    func finish() throws(WriteError) -> Summary {
        let (manifest, stale) = lock.withLock { (current, previous.files.keys.filter { current.files[$0] == nil }) }
        var folders = Set<String>()
        for path in stale.sorted() {
            let url = output.appending(path: path)
            if (try? manager.removeItem(at: url)) != nil {
                lock.withLock { summary.removed += 1 }
            }
            var folder = url.deletingLastPathComponent()
            while folder.path.count > output.path.count {
                folders.insert(folder.path)
                folder = folder.deletingLastPathComponent()
            }
        }
        // Deepest first, so that a folder emptied by removing its subfolders goes too.
        for folder in folders.sorted(by: { $0.count > $1.count }) {
            if (try? manager.contentsOfDirectory(atPath: folder))?.isEmpty == true {
                try? manager.removeItem(atPath: folder)
            }
        }
        let bytes = manifest.serialized()
        let url = output.appending(path: BuildManifest.fileName)
        do {
            // Unchanged, it is not written either: a rebuild without changes writes no file.
            if manager.contents(atPath: url.path) != Data(bytes) {
                try Data(bytes).write(to: url, options: .atomic)
            }
        } catch {
            throw .io("cannot write the build manifest: \(error.localizedDescription)")
        }
        return lock.withLock { summary }
    }
}

import Foundation
import MemorialCore

/// Writes a build into a staging folder beside the output and swaps it in only when the whole
/// build succeeded, so a failed or interrupted build never leaves a half-written output.
final class OutputWriter: @unchecked Sendable {
    /// A file that marks a folder as Memorial's output: a folder without it is never replaced.
    static let manifestName = ".memorial-manifest"

    enum WriteError: Error, CustomStringConvertible {
        case notMemorialOutput(String)
        case io(String)

        var description: String {
            switch self {
            case .notMemorialOutput(let path):
                "\(path) exists and was not written by memorial; remove it or choose another --out (memorial replaces its output folder as a whole)"
            case .io(let message): message
            }
        }
    }

    let output: URL
    let staging: URL
    /// Where the last output waits while the new one is moved in.
    let previous: URL
    private let manager = FileManager.default
    private let lock = NSLock()
    private var written: [String] = []
    private var createdFolders = Set<String>()

    init(output: URL) throws(WriteError) {
        self.output = output.standardizedFileURL
        let parent = self.output.deletingLastPathComponent()
        self.staging = parent.appending(path: ".\(self.output.lastPathComponent).staging")
        self.previous = parent.appending(path: ".\(self.output.lastPathComponent).previous")
        Self.recoverInterruptedBuild(output: self.output)
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: self.output.path, isDirectory: &isDirectory) {
            let contents = (try? manager.contentsOfDirectory(atPath: self.output.path)) ?? []
            let isOurs = contents.contains(Self.manifestName)
            if !isDirectory.boolValue || (!contents.isEmpty && !isOurs) {
                throw .notMemorialOutput(self.output.path)
            }
        }
        do {
            if manager.fileExists(atPath: staging.path) { try manager.removeItem(at: staging) }
            try manager.createDirectory(at: staging, withIntermediateDirectories: true)
        } catch {
            throw .io("cannot create \(staging.path): \(error.localizedDescription)")
        }
    }

    /// Puts back the last good output when a build was killed after moving it aside and before
    /// moving the new one in; called before anything else, so even a failing build restores it.
    static func recoverInterruptedBuild(output: URL) {
        let output = output.standardizedFileURL
        let previous = output.deletingLastPathComponent().appending(path: ".\(output.lastPathComponent).previous")
        let manager = FileManager.default
        if !manager.fileExists(atPath: output.path), manager.fileExists(atPath: previous.path) {
            try? manager.moveItem(at: previous, to: output)
        }
    }

    /// Writes one file into the staging folder; safe to call from several threads.
    func write(_ file: OutputFile) throws(WriteError) {
        try write(file.path, bytes: file.bytes)
    }

    func write(_ path: String, bytes: [UInt8]) throws(WriteError) {
        let destination = staging.appending(path: path)
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
        lock.withLock { written.append(path) }
    }

    func copy(from source: URL, to path: String) throws(WriteError) {
        guard let data = manager.contents(atPath: source.path) else { throw .io("cannot read \(source.path)") }
        try write(path, bytes: [UInt8](data))
    }

    /// Writes the manifest, then replaces the output folder with the staging folder.
    func commit() throws(WriteError) -> Int {
        let paths = lock.withLock { written.sorted() }
        try write(Self.manifestName, bytes: Array((paths.joined(separator: "\n") + "\n").utf8))
        do {
            if manager.fileExists(atPath: previous.path) { try manager.removeItem(at: previous) }
            if manager.fileExists(atPath: output.path) {
                try manager.moveItem(at: output, to: previous)
            }
            do {
                try manager.moveItem(at: staging, to: output)
            } catch {
                if manager.fileExists(atPath: previous.path) { try? manager.moveItem(at: previous, to: output) }
                throw error
            }
            if manager.fileExists(atPath: previous.path) { try manager.removeItem(at: previous) }
        } catch {
            throw .io("cannot replace \(output.path): \(error.localizedDescription)")
        }
        return paths.count
    }

    /// Removes the staging folder; the previous output stays as it was.
    func abandon() {
        try? manager.removeItem(at: staging)
    }
}

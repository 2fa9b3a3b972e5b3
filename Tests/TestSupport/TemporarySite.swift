import Foundation

/// The repository's `Tests/Fixtures` folder.
public let fixturesURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appending(path: "Fixtures")

/// The repository root.
public let repositoryURL = fixturesURL.deletingLastPathComponent().deletingLastPathComponent()

/// A site root in a fresh temporary folder: a copy of a fixture site, with files added or
/// replaced inline (Hugo's `-- content/… --` habit), removed again on `remove()`.
public struct TemporarySite {
    public let root: URL

    /// - Parameters:
    ///   - fixture: a folder under `Tests/Fixtures/` to copy, e.g. `Sites/small`; nil for none.
    ///   - files: paths relative to the site root and their contents; nil content deletes.
    public init(fixture: String? = "Sites/small", files: [String: String?] = [:]) throws {
        let manager = FileManager.default
        root = manager.temporaryDirectory.appending(path: "memorial-test-\(UUID().uuidString)")
        try manager.createDirectory(at: root, withIntermediateDirectories: true)
        if let fixture {
            let source = fixturesURL.appending(path: fixture)
            for name in try manager.contentsOfDirectory(atPath: source.path) {
                try manager.copyItem(at: source.appending(path: name), to: root.appending(path: name))
            }
        }
        for (path, content) in files {
            try write(path, content)
        }
    }

    public func write(_ path: String, _ content: String?) throws {
        let url = root.appending(path: path)
        if let content {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(content.utf8).write(to: url)
        } else if FileManager.default.fileExists(atPath: url.path) {
            try FileManager.default.removeItem(at: url)
        }
    }

    public var output: URL { root.appending(path: "public") }

    public func remove() {
        try? FileManager.default.removeItem(at: root)
    }
}

/// Every regular file under `folder`, by path relative to it, with its bytes.
public func filesUnder(_ folder: URL) -> [String: Data] {
    var files: [String: Data] = [:]
    let manager = FileManager.default
    guard let enumerator = manager.enumerator(atPath: folder.path) else { return files }
    while let path = enumerator.nextObject() as? String {
        var isDirectory: ObjCBool = false
        let url = folder.appending(path: path)
        if manager.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            files[path] = manager.contents(atPath: url.path)
        }
    }
    return files
}

/// A valid PNG of one grey pixel, for sites whose documents must be real images.
public let onePixelPNG = Data(
    base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNoAAAAggCBd81ytgAAAABJRU5ErkJggg==")!

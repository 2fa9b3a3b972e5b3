import Foundation
import MemorialCore

/// What loading found in files that a rebuild is likely to read unchanged, kept in the output
/// as `.memorial-cache` beside the manifest: for each published narrative, its front matter
/// as parsed and the warnings parsing gave, under the fingerprint of the file's bytes. A
/// narrative whose bytes have that fingerprint is not parsed again (YAML parsing was most of
/// the time of loading an archive's narratives).
///
/// Keyed by content, never by a file's time, so that equal inputs give equal caches (a
/// rebuild equals a full build byte for byte, this file too) and a cache restored with the
/// output in CI still applies. It holds only what the build published: never a restricted or
/// draft narrative (unless drafts were published), nothing the manifest and pages do not
/// already show. Bump `header` when what parsing makes of a file changes.
struct LoadCache: Sendable {
    static let fileName = ".memorial-cache"
    static let header = Array("memorial-cache 1\n".utf8)

    struct NarrativeEntry: Sendable {
        var fingerprint: Fingerprint
        var narrative: Narrative
        /// What parsing the file reported (warnings only: a file with an error is not kept).
        var warnings: [Diagnostic]
    }

    /// By path relative to the site root.
    var narratives: [String: NarrativeEntry] = [:]
    /// The file as read (empty for a cache made in memory).
    private(set) var bytes: [UInt8] = []

    init() {}

    init(narratives: [NarrativeEntry]) {
        for entry in narratives { self.narratives[entry.narrative.location.file] = entry }
    }

    static func read(from output: URL) -> LoadCache? {
        guard let data = FileManager.default.contents(atPath: output.appending(path: fileName).path) else {
            return nil
        }
        return parse([UInt8](data))
    }

    static func parse(_ bytes: [UInt8]) -> LoadCache? {
        guard bytes.starts(with: header) else { return nil }
        var cache = LoadCache()
        cache.bytes = bytes
        let valid = bytes.withUnsafeBytes { buffer -> Bool in
            var reader = ByteReader(buffer, offset: header.count)
            let count = Int(reader.uint32())
            for _ in 0..<count where !reader.failed {
                let fingerprint = reader.fingerprint()
                let location = reader.location()
                var narrative = Narrative(
                    recordID: reader.string(), language: reader.string(), location: location,
                    title: reader.optionalString(), summary: reader.optionalString(),
                    portrait: reader.optionalString())
                narrative.portraitLocation = reader.bool() ? reader.location() : nil
                let documents = Int(reader.uint32())
                for _ in 0..<documents where !reader.failed {
                    let file = reader.string()
                    let caption = reader.optionalString()
                    narrative.documents.append(Document(file: file, caption: caption, location: reader.location()))
                }
                narrative.status = PublicationStatus(rawValue: reader.string()) ?? .published
                narrative.bodyLineOffset = reader.int32()
                narrative.fingerprint = fingerprint
                var warnings: [Diagnostic] = []
                let warningCount = Int(reader.uint32())
                for _ in 0..<warningCount where !reader.failed {
                    let at = reader.location()
                    warnings.append(.warning(reader.string(), at: at))
                }
                cache.narratives[location.file] = NarrativeEntry(
                    fingerprint: fingerprint, narrative: narrative, warnings: warnings)
            }
            return !reader.failed && reader.isAtEnd
        }
        return valid ? cache : nil
    }

    /// The cache's bytes: entries sorted by the bytes of their paths.
    func serialized() -> [UInt8] {
        var writer = ByteWriter()
        writer.bytes.append(contentsOf: Self.header)
        writer.append(UInt32(narratives.count))
        for path in narratives.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            let entry = narratives[path]!
            let narrative = entry.narrative
            writer.append(entry.fingerprint)
            writer.append(narrative.location)
            writer.append(narrative.recordID)
            writer.append(narrative.language)
            writer.append(narrative.title)
            writer.append(narrative.summary)
            writer.append(narrative.portrait)
            writer.append(narrative.portraitLocation != nil)
            if let location = narrative.portraitLocation { writer.append(location) }
            writer.append(UInt32(narrative.documents.count))
            for document in narrative.documents {
                writer.append(document.file)
                writer.append(document.caption)
                writer.append(document.location)
            }
            writer.append(narrative.status.rawValue)
            writer.append(UInt32(truncatingIfNeeded: narrative.bodyLineOffset))
            writer.append(UInt32(entry.warnings.count))
            for warning in entry.warnings {
                writer.append(warning.location)
                writer.append(warning.message)
            }
        }
        return writer.bytes
    }

    /// The narrative of a file whose bytes have this fingerprint, if the cache has it and the
    /// files its front matter names are still in its folder.
    func narrative(at path: String, fingerprint: Fingerprint, folderFiles: Set<String>) -> NarrativeEntry? {
        guard let entry = narratives[path], entry.fingerprint == fingerprint else { return nil }
        let named = [entry.narrative.portrait].compactMap { $0 } + entry.narrative.documents.map(\.file)
        return named.allSatisfy(folderFiles.contains) ? entry : nil
    }
}

import Foundation
import MemorialContent
import MemorialCore

/// The state folder's `cache` (ARCHITECTURE.md, "Loading"): per published narrative, under the
/// fingerprint of its bytes, its front matter as parsed and its load warnings, so that it is
/// not parsed again (YAML parsing was most of the time of loading an archive's narratives);
/// and the alphabetical orders (`orders`).
///
/// Keyed by content, never by a file's time, so that a rebuild's cache equals a full build's
/// and a cache restored with the output in CI still applies. It holds only what the build
/// published, nothing the manifest and pages do not already show. Bump `StateFolder.header`
/// when what parsing makes of a file changes.
struct LoadCache: Sendable {

    struct NarrativeEntry: Sendable {
        var fingerprint: Fingerprint
        var narrative: Narrative
        /// What parsing the file reported (warnings only: a file with an error is not kept).
        var warnings: [Diagnostic]
    }

    /// By path relative to the site root.
    var narratives: [String: NarrativeEntry] = [:]
    var orders: AlphabeticalOrders?
    /// The file as read (empty for a cache made in memory).
    private(set) var bytes: [UInt8] = []

    init() {}

    /// The cache of a finished build into this output, if it is readable.
    static func read(from state: StateFolder) -> LoadCache? {
        guard case .body(let bytes, let offset) = state.read(.cache) else { return nil }
        return parse(bytes, offset: offset)
    }

    static func parse(_ bytes: [UInt8], offset: Int) -> LoadCache? {
        var cache = LoadCache()
        cache.bytes = bytes
        let valid = bytes.withUnsafeBytes { buffer -> Bool in
            var reader = ByteReader(buffer, offset: offset)
            let count = reader.count()
            for _ in 0..<count where !reader.failed {
                let fingerprint = reader.fingerprint()
                let location = reader.location()
                var narrative = Narrative(
                    recordID: reader.string(), language: reader.string(), location: location,
                    title: reader.optionalString(), summary: reader.optionalString(),
                    portrait: reader.optionalString())
                narrative.portraitLocation = reader.bool() ? reader.location() : nil
                let documents = reader.count()
                for _ in 0..<documents where !reader.failed {
                    narrative.documents.append(
                        Document(file: reader.string(), caption: reader.optionalString(), location: reader.location()))
                }
                narrative.status = PublicationStatus(rawValue: reader.string()) ?? .published
                narrative.bodyLineOffset = reader.int32()
                narrative.updated = reader.optionalString().flatMap { try? PartialDate.parse($0) }
                narrative.fingerprint = fingerprint
                cache.narratives[location.file] = NarrativeEntry(
                    fingerprint: fingerprint, narrative: narrative, warnings: reader.warnings())
            }
            if reader.bool() {
                var orders = AlphabeticalOrders(
                    key: reader.fingerprint(), sorted: [:], searchRecords: reader.fingerprint())
                let languages = reader.count()
                for _ in 0..<languages where !reader.failed {
                    let language = reader.string()
                    guard let order: [Int32] = reader.sizedTable(), let initials: [Int16] = reader.sizedTable(),
                        initials.count == order.count
                    else { return false }
                    orders.sorted[language] = AlphabeticalOrders.Sorted(order: order, initials: initials)
                }
                cache.orders = orders
            }
            return !reader.failed && reader.isAtEnd
        }
        return valid ? cache : nil
    }

    /// The cache's bytes, after `prefix`: entries sorted by the bytes of their paths.
    func serialized(prefix: [UInt8]) -> [UInt8] {
        let paths = narratives.keys.sorted(by: String.utf8Precedes)
        return Self.serialized(paths.lazy.map { narratives[$0]! }, count: paths.count, orders: orders, prefix: prefix)
    }

    /// The bytes of a cache of these entries, given in the order of their paths' bytes: a build
    /// hands them over one by one from its site (a dictionary of 300,000 narratives made only
    /// to be written was a tenth of a fully narrated archive's peak memory).
    static func serialized(
        _ entries: some Sequence<NarrativeEntry>, count: Int, orders: AlphabeticalOrders?, prefix: [UInt8]
    ) -> [UInt8] {
        // More than an entry takes, so the buffer never grows by copying (which for a moment
        // holds it twice); pages never written to cost no memory.
        var writer = ByteWriter(
            capacity: count * 1024 + (orders?.sorted.count ?? 0) * (orders?.sorted.first?.value.order.count ?? 0) * 6
                + 65_536)
        writer.bytes.append(contentsOf: prefix)
        writer.append(UInt32(count))
        for entry in entries {
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
            writer.append(narrative.updated?.description)
            writer.append(entry.warnings)
        }
        writer.append(orders != nil)
        if let orders {
            writer.append(orders.key)
            writer.append(orders.searchRecords)
            writer.append(UInt32(orders.sorted.count))
            for language in orders.sorted.keys.sorted(by: String.utf8Precedes) {
                let sorted = orders.sorted[language]!
                writer.append(language)
                sorted.order.withUnsafeBytes { writer.append(bytes: $0) }
                sorted.initials.withUnsafeBytes { writer.append(bytes: $0) }
            }
        }
        return writer.bytes
    }
}

/// What the state folder knows, as the loader asks for it: the walk before the build, the
/// fingerprints and statuses of the files the last build read, and what it parsed.
struct StateMemory: LoadMemory {
    var cache: LoadCache?
    var inputs: InputTree?
    var saved: SavedBuild?

    func entries(of folder: String) -> [(name: String, isFolder: Bool)]? { inputs?.folders[folder] }

    func refusedEntries() -> [String: String]? {
        inputs.map { $0.refused.filter { $0.key == "content" || $0.key.hasPrefix("content/") } }
    }

    func narrative(
        at path: String, fingerprint: Fingerprint?, folderFiles: Set<String>
    ) -> (narrative: Narrative, warnings: [Diagnostic])? {
        // Only if the cache has the file with these bytes, and the files its front matter names
        // are still in its folder.
        guard let fingerprint = fingerprint ?? saved?.fingerprint(of: path, now: inputs?.files[path]),
            let entry = cache?.narratives[path], entry.fingerprint == fingerprint,
            ([entry.narrative.portrait].compactMap { $0 } + entry.narrative.documents.map(\.file)).allSatisfy(
                folderFiles.contains)
        else { return nil }
        return (entry.narrative, entry.warnings)
    }
}

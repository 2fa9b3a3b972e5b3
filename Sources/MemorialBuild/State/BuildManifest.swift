import Foundation
import MemorialContent
import MemorialCore

/// What the last build wrote, kept in the state folder as `manifest`: per file the fingerprints
/// of its input and of its bytes, per published narrative what rendering it found (warnings,
/// linked files). It names only published files and narratives (ARCHITECTURE.md, "State").
///
/// Binary, files sorted by the bytes of their paths, so that it is read at 300,000 files without
/// making a String or parsing a number per file, and the same input always gives the same
/// manifest. Layout (numbers little-endian): `StateFolder.prefix`; the number of files and of
/// bytes of their paths; where each path ends; the paths' UTF-8 bytes; each file's input and
/// output fingerprints (16 bytes each), in the same order; then the narratives. Each table is
/// one copy to read or write.
struct BuildManifest: Sendable {

    struct FileEntry: Sendable, Equatable {
        /// Of what the file is made from.
        var input: Fingerprint
        /// Of the file's bytes.
        var output: Fingerprint
    }

    /// What rendering a narrative's body found, reused while its page need not be rendered.
    struct NarrativeEntry: Sendable, Equatable {
        var fingerprint: Fingerprint
        var linkedFiles: [String]
        var warnings: [Diagnostic]
    }

    var files = FileTable()
    var narratives: [String: NarrativeEntry] = [:]
    /// Where the paths of the files end and their fingerprints start in `bytes`.
    private(set) var pathsEnd = 0
    /// The manifest as read (empty for one made in memory).
    private(set) var bytes: [UInt8] = []

    init() {}

    /// Parses a manifest whose body starts at `offset`; nil when it is damaged or names a path
    /// that is not a plain path inside the output (`areSafePaths`).
    static func parse(_ bytes: [UInt8], offset: Int) -> BuildManifest? {
        var manifest = BuildManifest()
        manifest.bytes = bytes
        let parsed = bytes.withUnsafeBytes { buffer -> Bool in
            var reader = ByteReader(buffer, offset: offset)
            let count = reader.count()
            let pathBytes = Int(reader.uint32())
            let ends: [Int32] = reader.table(count: count)
            let paths: [UInt8] = reader.table(count: pathBytes)
            guard !reader.failed, zip(ends, ends.dropFirst()).allSatisfy({ $0 < $1 }),
                (ends.first ?? 1) > 0, Int(ends.last ?? 0) == pathBytes,
                paths.withUnsafeBytes({ Self.areSafePaths($0, ends: ends) })
            else { return false }
            manifest.pathsEnd = reader.offset
            let entries: [FileEntry] = reader.table(count: count)
            manifest.files = FileTable(paths: paths, ends: ends, entries: entries)
            let narratives = reader.count()
            for _ in 0..<narratives where !reader.failed {
                let path = reader.string()
                let fingerprint = reader.fingerprint()
                manifest.narratives[path] = NarrativeEntry(
                    fingerprint: fingerprint, linkedFiles: reader.strings(), warnings: reader.warnings())
            }
            return !reader.failed && reader.isAtEnd
        }
        return parsed ? manifest : nil
    }

    /// Whether every path is a plain relative path inside the output: not empty, no NUL, no
    /// empty component, none that starts with `.` (so no `..`, no `/` at the start, and none
    /// of the writer's temporary names). A manifest is read from disk and its paths are
    /// removed: one that could point elsewhere is not used at all.
    static func areSafePaths(_ paths: UnsafeRawBufferPointer, ends: [Int32]) -> Bool {
        var start = 0
        for end in ends {
            let end = Int(end)
            var componentStart = true
            for index in start..<end {
                let byte = paths[index]
                if byte == 0 { return false }
                if byte == UInt8(ascii: "/") {
                    if componentStart { return false }
                    componentStart = true
                } else {
                    if componentStart, byte == UInt8(ascii: ".") { return false }
                    componentStart = false
                }
            }
            if componentStart { return false }
            start = end
        }
        return true
    }

    /// The manifest's bytes, after `prefix`. `files` must be sorted by path bytes, without duplicates.
    func serialized(prefix: [UInt8]) -> [UInt8] {
        var writer = ByteWriter(
            capacity: prefix.count + files.pathBytes + files.count * 36 + narratives.count * 512 + 64)
        let files = self.files
        Self.write(
            prefix: prefix, count: files.count, pathBytes: files.pathBytes, narratives: narratives, into: &writer
        ) {
            body in
            for index in 0..<files.count { files.withPath(at: index) { body($0, files.entries[index]) } }
        }
        return writer.bytes
    }

    /// Writes a manifest after `prefix`: `count` files whose paths' bytes add up to `pathBytes`,
    /// which `files` hands to its argument in the order of their paths' bytes, without
    /// duplicates, each time it is called (three times: once per table of the layout), so that
    /// the files need not be gathered into one table first.
    static func write(
        prefix: [UInt8], count: Int, pathBytes: Int, narratives: [String: NarrativeEntry],
        into writer: inout ByteWriter,
        files: ((UnsafeRawBufferPointer, FileEntry) -> Void) -> Void
    ) {
        writer.bytes.append(contentsOf: prefix)
        writer.append(UInt32(count))
        writer.append(UInt32(pathBytes))
        var end: UInt32 = 0
        files { path, _ in
            end += UInt32(path.count)
            writer.append(end)
            writer.drain()
        }
        files { path, _ in
            writer.bytes.append(contentsOf: path)
            writer.drain()
        }
        files { _, entry in
            withUnsafeBytes(of: entry) { writer.bytes.append(contentsOf: $0) }
            writer.drain()
        }
        appendNarratives(narratives, to: &writer)
        writer.drain(force: true)
    }

    /// Writes into `writer` the bytes of a manifest with the same files, in the same order, as
    /// this one read from a file, but with other fingerprints and narratives: the paths are
    /// copied as they are.
    func write(
        replacingEntries entries: UnsafeBufferPointer<FileEntry>, narratives: [String: NarrativeEntry],
        into writer: inout ByteWriter
    ) {
        precondition(entries.count == files.count && !bytes.isEmpty)
        precondition(UInt16(1).littleEndian == 1 && _isPOD(FileEntry.self))
        bytes.withUnsafeBytes { writer.append(raw: UnsafeRawBufferPointer(rebasing: $0[0..<pathsEnd])) }
        writer.append(raw: UnsafeRawBufferPointer(entries))
        Self.appendNarratives(narratives, to: &writer)
        writer.drain(force: true)
    }

    private static func appendNarratives(_ narratives: [String: NarrativeEntry], to writer: inout ByteWriter) {
        writer.append(UInt32(narratives.count))
        for path in narratives.keys.sorted(by: String.utf8Precedes) {
            let entry = narratives[path]!
            writer.append(path)
            writer.append(entry.fingerprint)
            writer.append(entry.linkedFiles)
            writer.append(entry.warnings)
            writer.drain()
        }
    }
}

/// The files of a manifest: their paths in one buffer, looked up by a hash of their bytes, so
/// that neither reading nor looking up makes a String.
struct FileTable: Sendable {
    private(set) var paths: [UInt8] = []
    /// Where each path ends in `paths` (it starts where the one before ends).
    private(set) var ends: [Int32] = []
    private(set) var entries: [FileEntry] = []
    /// Open addressing: positions in `ends` plus one, 0 for an empty slot.
    private var slots: [Int32] = []

    typealias FileEntry = BuildManifest.FileEntry

    init() {}

    init(paths: [UInt8], ends: [Int32], entries: [FileEntry]) {
        self.paths = paths
        self.ends = ends
        self.entries = entries
        var capacity = 16
        while capacity < ends.count * 2 { capacity *= 2 }
        var slots = [Int32](repeating: 0, count: capacity)
        let mask = capacity - 1
        paths.withUnsafeBytes { buffer in
            for index in ends.indices {
                var slot = Self.hash(UnsafeRawBufferPointer(rebasing: buffer[range(at: index)])) & mask
                while slots[slot] != 0 { slot = (slot + 1) & mask }
                slots[slot] = Int32(index + 1)
            }
        }
        self.slots = slots
    }

    var count: Int { ends.count }
    var pathBytes: Int { paths.count }

    /// Adds a file (not to the lookup table: `OutputWriter` lists the files a build adds here).
    mutating func append(_ path: String, _ entry: FileEntry) {
        paths.append(contentsOf: path.utf8)
        ends.append(Int32(paths.count))
        entries.append(entry)
    }

    mutating func reserveCapacity(_ count: Int, pathBytes: Int) {
        paths.reserveCapacity(pathBytes)
        ends.reserveCapacity(count)
        entries.reserveCapacity(count)
    }

    private func range(at index: Int) -> Range<Int> { (index == 0 ? 0 : Int(ends[index - 1]))..<Int(ends[index]) }

    func withPath<Result>(at index: Int, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        paths.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[range(at: index)])) }
    }

    func withPaths<Result>(_ body: (UnsafeRawBufferPointer, [Int32]) -> Result) -> Result {
        paths.withUnsafeBytes { body($0, ends) }
    }

    /// Byte order: negative, zero or positive.
    static func compare(_ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer) -> Int {
        let common = min(lhs.count, rhs.count)
        if common > 0 {
            let order = memcmp(lhs.baseAddress!, rhs.baseAddress!, common)
            if order != 0 { return Int(order) }
        }
        return lhs.count - rhs.count
    }

    func path(at index: Int) -> String { withPath(at: index) { String(decoding: $0, as: UTF8.self) } }

    func index(of path: String) -> Int? {
        guard !slots.isEmpty else { return nil }
        let mask = slots.count - 1
        var path = path
        return path.withUTF8 { utf8 -> Int? in
            let path = UnsafeRawBufferPointer(utf8)
            return paths.withUnsafeBytes { buffer in
                slots.withUnsafeBufferPointer { slots in
                    var slot = Self.hash(path) & mask
                    while slots[slot] != 0 {
                        let index = Int(slots[slot]) - 1
                        if Self.compare(UnsafeRawBufferPointer(rebasing: buffer[range(at: index)]), path) == 0 {
                            return index
                        }
                        slot = (slot + 1) & mask
                    }
                    return nil
                }
            }
        }
    }

    subscript(path: String) -> FileEntry? { index(of: path).map { entries[$0] } }

    /// The paths whose bytes pass `test` (a cheap filter over every file of the last build).
    func paths(where test: (UnsafeRawBufferPointer) -> Bool) -> [String] {
        (0..<count).compactMap { index in
            withPath(at: index) { test($0) ? String(decoding: $0, as: UTF8.self) : nil }
        }
    }

    /// A 64-bit hash of a path's bytes, eight at a time (paths are short; any good spread will do).
    static func hash(_ bytes: UnsafeRawBufferPointer) -> Int {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var offset = 0
        while offset + 8 <= bytes.count {
            hash = (hash ^ bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            hash ^= hash >> 29
            offset += 8
        }
        var tail: UInt64 = 0
        while offset < bytes.count {
            tail = tail << 8 | UInt64(bytes[offset])
            offset += 1
        }
        hash = (hash ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        hash ^= hash >> 32
        return Int(truncatingIfNeeded: hash)
    }
}

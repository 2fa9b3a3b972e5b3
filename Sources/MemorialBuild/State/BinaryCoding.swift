import MemorialContent
import MemorialCore

extension String {
    /// Whether the text's UTF-8 bytes sort before the other's: the order of the build's own
    /// files, the same on every machine. (The generic `utf8.lexicographicallyPrecedes` walked
    /// a byte at a time through iterators: sorting 15,000 paths took 0.2 s.)
    static func utf8Precedes(_ lhs: String, _ rhs: String) -> Bool {
        var lhs = lhs
        var rhs = rhs
        return lhs.withUTF8 { a in
            rhs.withUTF8 { b in FileTable.compare(UnsafeRawBufferPointer(a), UnsafeRawBufferPointer(b)) < 0 }
        }
    }
}

/// Appends little-endian numbers, fingerprints and length-prefixed texts to bytes: the build's
/// own files (manifest, cache) are read back only by memorial, at hundreds of thousands of
/// entries, so they are binary rather than text (no number or hexadecimal to parse).
struct ByteWriter {
    var bytes: [UInt8] = []
    /// Where `drain` hands the bytes made so far; nil keeps them all in `bytes`.
    private let sink: ((UnsafeRawBufferPointer) -> Void)?

    init(capacity: Int = 0) {
        sink = nil
        bytes.reserveCapacity(capacity)
    }

    /// Bytes handed to `sink` a part at a time (see `drain`): a state file of a million pages
    /// made whole in memory was a seventh of the build's peak.
    init(sink: @escaping (UnsafeRawBufferPointer) -> Void) {
        self.sink = sink
        bytes.reserveCapacity(Self.part + 65_536)
    }

    private static let part = 1 << 20

    /// Hands the bytes made so far to the sink once they are a part's worth (`force`: any).
    mutating func drain(force: Bool = false) {
        guard let sink, bytes.count >= (force ? 1 : Self.part) else { return }
        bytes.withUnsafeBytes(sink)
        bytes.removeAll(keepingCapacity: true)
    }

    /// A large run of bytes, straight to the sink when there is one.
    mutating func append(raw other: UnsafeRawBufferPointer) {
        guard sink != nil, other.count >= Self.part else {
            bytes.append(contentsOf: other)
            return
        }
        drain(force: true)
        sink?(other)
    }

    mutating func append(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func append(_ value: Int) {
        withUnsafeBytes(of: Int64(value).littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func append(_ fingerprint: Fingerprint) {
        withUnsafeBytes(of: fingerprint.value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func append(_ flag: Bool) { bytes.append(flag ? 1 : 0) }

    mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { append(bytes: UnsafeRawBufferPointer($0)) }
    }

    mutating func append(_ text: String?) {
        append(text != nil)
        if let text { append(text) }
    }

    /// A length (4 bytes) and the bytes.
    mutating func append(bytes other: UnsafeRawBufferPointer) {
        append(UInt32(other.count))
        bytes.append(contentsOf: other)
    }

    mutating func append(_ location: SourceLocation) {
        append(location.file)
        append(UInt32(truncatingIfNeeded: location.line))
        append(UInt32(truncatingIfNeeded: location.column))
    }

    mutating func append(_ texts: [String]) {
        append(UInt32(texts.count))
        for text in texts { append(text) }
    }

    /// Warnings (the state keeps no errors: a build with errors saves nothing).
    mutating func append(_ warnings: [Diagnostic]) {
        append(UInt32(warnings.count))
        for warning in warnings {
            append(warning.location)
            append(warning.message)
        }
    }
}

/// Reads what `ByteWriter` wrote; every read checks the bounds, and a short or malformed file
/// makes `failed` true (and the values read zero or empty) rather than trapping.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    var offset = 0
    private(set) var failed = false

    init(_ bytes: UnsafeRawBufferPointer, offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    var isAtEnd: Bool { offset == bytes.count }

    private mutating func take(_ count: Int) -> Int? {
        guard count >= 0, !failed, bytes.count - offset >= count else {
            failed = true
            return nil
        }
        defer { offset += count }
        return offset
    }

    mutating func uint32() -> UInt32 {
        guard let start = take(4) else { return 0 }
        return UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: start, as: UInt32.self))
    }

    mutating func int() -> Int {
        guard let start = take(8) else { return 0 }
        return Int(truncatingIfNeeded: Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: start, as: Int64.self)))
    }

    mutating func int32() -> Int { Int(Int32(bitPattern: uint32())) }

    /// A number of entries to read next, each at least a byte: a damaged file's larger count
    /// fails at once rather than looping billions of times over failed reads.
    mutating func count() -> Int {
        let count = Int(uint32())
        guard count <= bytes.count - offset else {
            failed = true
            return 0
        }
        return count
    }

    mutating func fingerprint() -> Fingerprint {
        guard let start = take(16) else { return Fingerprint() }
        return Fingerprint(value: UInt128(littleEndian: bytes.loadUnaligned(fromByteOffset: start, as: UInt128.self)))
    }

    mutating func bool() -> Bool {
        guard let start = take(1) else { return false }
        return bytes[start] != 0
    }

    /// A length-prefixed run of bytes, as a slice of the buffer.
    mutating func slice() -> UnsafeRawBufferPointer {
        let count = Int(uint32())
        guard let start = take(count) else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(rebasing: bytes[start..<(start + count)])
    }

    mutating func string() -> String { String(decoding: slice(), as: UTF8.self) }

    /// `count` plain values (numbers, fingerprints) stored as their bytes, read in one copy: the
    /// layout in memory is the file's on a little-endian machine, the only kind Swift runs on here.
    mutating func table<Element>(count: Int) -> [Element] {
        precondition(UInt16(1).littleEndian == 1 && _isPOD(Element.self))
        let size = MemoryLayout<Element>.stride
        guard count >= 0, count <= (bytes.count - offset) / max(size, 1), let start = take(count * size) else {
            failed = true
            return []
        }
        return [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            if count > 0 {
                UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(
                    from: bytes.baseAddress! + start, byteCount: count * size)
            }
            initialized = count
        }
    }

    /// A table written as one run of bytes (`append(bytes:)` of its memory); nil when the run
    /// is not a whole number of values.
    mutating func sizedTable<Element>() -> [Element]? {
        let size = Int(uint32())
        guard size % MemoryLayout<Element>.stride == 0 else { return nil }
        return table(count: size / MemoryLayout<Element>.stride)
    }

    mutating func optionalString() -> String? { bool() ? string() : nil }

    mutating func location() -> SourceLocation {
        SourceLocation(file: string(), line: Int(uint32()), column: Int(uint32()))
    }

    mutating func strings() -> [String] {
        (0..<count()).map { _ in string() }
    }

    mutating func warnings() -> [Diagnostic] {
        (0..<count()).map { _ in
            let location = location()
            return .warning(string(), at: location)
        }
    }
}

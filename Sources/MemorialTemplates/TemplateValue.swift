/// What a template sees: text, a flag, a number, a list or an object of named values.
///
/// Page contexts are built as these typed values rather than `[String: Any]`: swift-mustache
/// finds a name in an `Any` through dynamic casts to its protocols, which took half of all
/// rendering time at 100,000 records (perf: `swift_conformsToProtocol`, `tryCast`).
/// `CompiledTemplates` switches over these cases instead.
package enum TemplateValue: Sendable, CustomStringConvertible {
    case string(String)
    /// Text held as its UTF-8 bytes, which must be valid UTF-8: rendered as `.string` of the
    /// same text. For text a page assembles from parts as bytes (its JSON-LD, its citation),
    /// which would otherwise be checked byte by byte once more on becoming a `String`.
    case utf8([UInt8])
    case bool(Bool)
    case int(Int)
    case list([TemplateValue])
    case object(TemplateObject)

    /// What `{{name}}` prints: a text as it is, `true`/`false`, a number in decimal; a list or an
    /// object (a template's mistake) as Swift describes an array or a dictionary, fields in the
    /// order they were set, so that it is the same on every build.
    package var description: String {
        switch self {
        case .string(let text): text
        case .utf8(let bytes): String(decoding: bytes, as: UTF8.self)
        default: quoted
        }
    }

    /// As inside a list: texts in quotes, escaped as Swift writes a string literal.
    private var quoted: String {
        switch self {
        case .string(let text): String(reflecting: text)
        case .utf8: String(reflecting: description)
        case .bool(let flag): flag ? "true" : "false"
        case .int(let number): String(number)
        case .list(let items): "[" + items.map(\.quoted).joined(separator: ", ") + "]"
        case .object(let fields):
            fields.isEmpty
                ? "[:]"
                : "["
                    + fields.entries.map { String(reflecting: $0.key) + ": " + $0.value.quoted }
                    .joined(separator: ", ") + "]"
        }
    }
}

extension TemplateValue: ExpressibleByStringLiteral, ExpressibleByStringInterpolation {
    package init(stringLiteral value: String) { self = .string(value) }
}

extension TemplateValue: ExpressibleByBooleanLiteral {
    package init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension TemplateValue: ExpressibleByIntegerLiteral {
    package init(integerLiteral value: Int) { self = .int(value) }
}

extension TemplateValue: ExpressibleByArrayLiteral {
    package init(arrayLiteral elements: TemplateValue...) { self = .list(elements) }
}

extension TemplateValue: ExpressibleByDictionaryLiteral {
    package init(dictionaryLiteral elements: (String, TemplateValue)...) {
        self = .object(TemplateObject(entries: elements))
    }
}

/// The named values of an object in a template context: a list searched by a precomputed hash.
///
/// A page context is dozens of small objects (a case page's facts, links, the menu), each made
/// once and read a few times; a `Dictionary` hashes every key with SipHash on each insert and
/// each lookup, and names climbing the context stack miss in several objects before they hit.
/// Here a key's hash is a cheap FNV-1a made once on insert, the compiled templates hash their
/// names once when compiled, and a lookup compares integers until one matches; a 64-bit mask
/// of the keys' hashes lets a name skip an object that cannot have it without looking at its
/// entries.
package struct TemplateObject: Sendable, ExpressibleByDictionaryLiteral {
    package struct Entry: Sendable {
        let hash: Int
        let key: String
        var value: TemplateValue

        package init(hash: Int, key: String, value: TemplateValue) {
            self.hash = hash
            self.key = key
            self.value = value
        }
    }

    private(set) var entries: [Entry] = []
    /// `bit(hash)` of every key: a name whose bit is not set is not here.
    private(set) var keys: UInt64 = 0

    /// Entries as they are (hashes already made, keys unique).
    package init(copying entries: [Entry]) {
        self.entries = entries
        for entry in entries { keys |= Self.bit(entry.hash) }
    }

    package init(entries: some Sequence<(String, TemplateValue)>) {
        self.entries.reserveCapacity(entries.underestimatedCount)
        for (key, value) in entries { self[key] = value }
    }

    package init(_ dictionary: [String: TemplateValue]) {
        self.init(copying: dictionary.map { Entry(hash: Self.hash($0.key), key: $0.key, value: $0.value) })
    }

    package init(dictionaryLiteral elements: (String, TemplateValue)...) { self.init(entries: elements) }

    var isEmpty: Bool { entries.isEmpty }

    /// FNV-1a of the key's UTF-8 bytes.
    package static func hash(_ key: String) -> Int {
        // Through the contiguous bytes every native string has: stepping through `utf8` checks
        // the string's form at each byte (a third slower on keys like `label` and `href`), and
        // contexts hash every key they are given.
        let hash =
            key.utf8.withContiguousStorageIfAvailable(hash(_:))
            ?? Array(key.utf8).withUnsafeBufferPointer(hash(_:))
        return Int(truncatingIfNeeded: hash)
    }

    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return hash
    }

    /// The bit of `keys` that a key with this hash sets (from the best-mixed, top bits).
    @inline(__always)
    static func bit(_ hash: Int) -> UInt64 { 1 &<< (UInt64(bitPattern: Int64(hash)) &>> 58) }

    /// The position of `key`, whose `hash(_:)` is `hash`.
    @inline(__always)
    private func index(of key: String, hash: Int) -> Int? {
        guard keys & Self.bit(hash) != 0 else { return nil }
        // Through the buffer, so that skipping an entry reads its hash without retaining its
        // key and value (a `for entry in entries` loop copies, and so retains, each one).
        return entries.withUnsafeBufferPointer { buffer -> Int? in
            for index in buffer.indices where buffer[index].hash == hash && buffer[index].key == key {
                return index
            }
            return nil
        }
    }

    /// Where the value of `key` (whose `hash(_:)` is `hash`) is, for reading without copying
    /// it (which would retain it). Valid while these entries are neither changed nor freed.
    @inline(__always)
    func valuePointer(_ key: String, hash: Int) -> UnsafePointer<TemplateValue>? {
        guard let index = index(of: key, hash: hash) else { return nil }
        return entries.withUnsafeBufferPointer { buffer in
            UnsafeRawPointer(buffer.baseAddress! + index).advanced(by: Self.valueOffset)
                .assumingMemoryBound(to: TemplateValue.self)
        }
    }

    /// Where an entry's value is within it (a constant the compiler folds).
    private static var valueOffset: Int { MemoryLayout<Entry>.offset(of: \.value)! }

    package subscript(key: String) -> TemplateValue? {
        get { index(of: key, hash: Self.hash(key)).map { entries[$0].value } }
        set {
            let hash = Self.hash(key)
            if let index = index(of: key, hash: hash) {
                if let newValue {
                    entries[index].value = newValue
                } else {
                    entries.remove(at: index)
                    keys = 0
                    for entry in entries { keys |= Self.bit(entry.hash) }
                }
            } else if let newValue {
                entries.append(Entry(hash: hash, key: key, value: newValue))
                keys |= Self.bit(hash)
            }
        }
    }
}

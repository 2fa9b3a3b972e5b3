/// A record's cells by column, read by base name and language against the layout its file's
/// header gives: the row's values stored one after another in one array of bytes.
///
/// Not `[String: LocalizedText]`: a dictionary of dictionaries per record took about 3.5 KB a
/// record in memory, and the archive of the whole country is a million records. The values and
/// their ends take little more than the row's bytes.
public struct RecordFields: Sendable {
    /// What each value of a row is: made once per records file, shared by its records.
    public final class Layout: Sendable {
        struct Slots: Sendable {
            /// The column of the value without a language, if the header has one.
            var common: Int?
            var byLanguage: [(language: String, column: Int)] = []
        }

        /// The base names, each once, in header order.
        public let bases: [String]
        let slots: [String: Slots]
        let columnCount: Int

        /// - Parameter columns: the header's columns in order, by base name and language
        ///   (`name_kk` is `("name", "kk")`); no two alike.
        public init(columns: [(base: String, language: String?)]) {
            var bases: [String] = []
            var slots: [String: Slots] = [:]
            for (column, (base, language)) in columns.enumerated() {
                if slots[base] == nil { bases.append(base) }
                if let language {
                    slots[base, default: Slots()].byLanguage.append((language, column))
                } else {
                    slots[base, default: Slots()].common = column
                }
            }
            self.bases = bases
            self.slots = slots
            columnCount = columns.count
        }

        /// The columns `own(base, in: language)` reads, found once for a file's rows
        /// (`withOwnUTF8`) rather than by name for each.
        public func ownColumns(_ base: String, in language: String) -> OwnColumns {
            let slots = slots[base]
            return OwnColumns(
                language: slots?.byLanguage.first { $0.language == language }?.column, common: slots?.common)
        }
    }

    /// The language's column and the one for all languages of a base name, in one layout.
    public struct OwnColumns: Sendable {
        let language: Int?
        let common: Int?
    }

    /// The layout of the row's file (nil for no fields).
    public let layout: Layout?
    /// Where each column's value ends in the values' UTF-8 (a value starts where the previous
    /// ends), two bytes each, or four when the values take more than 65,535 bytes; then the
    /// values' UTF-8, one after another. One array, not a String and an array of ends: two
    /// allocations and four-byte ends were a tenth of a record's memory.
    private let storage: [UInt8]

    /// No fields.
    public init() {
        layout = nil
        storage = []
    }

    /// The row's values, one per column of `layout` in order (missing ones at the end empty); an
    /// empty value is no value.
    public init(layout: Layout, values: some Sequence<String>) {
        let columns = layout.columnCount
        var ends: [Int] = []
        ends.reserveCapacity(columns)
        var total = 0
        var kept: [String] = []
        kept.reserveCapacity(columns)
        for value in values.prefix(columns) {
            total += value.utf8.count
            ends.append(total)
            kept.append(value)
        }
        while ends.count < columns { ends.append(total) }
        let width = total > Int(UInt16.max) ? 4 : 2
        var storage: [UInt8] = []
        storage.reserveCapacity(columns * width + total)
        for end in ends {
            if width == 2 {
                withUnsafeBytes(of: UInt16(end).littleEndian) { storage.append(contentsOf: $0) }
            } else {
                withUnsafeBytes(of: UInt32(end).littleEndian) { storage.append(contentsOf: $0) }
            }
        }
        for var value in kept { value.withUTF8 { storage.append(contentsOf: $0) } }
        self.layout = layout
        self.storage = storage
    }

    /// The bytes of each end: the values take `storage.count - 2 × columns` bytes with two-byte
    /// ends, which is more than 65,535 only when the ends take four.
    private func width(_ columns: Int) -> Int { storage.count - 2 * columns > Int(UInt16.max) ? 4 : 2 }

    private func end(_ column: Int, width: Int) -> Int {
        storage.withUnsafeBytes { bytes in
            width == 2
                ? Int(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: column * 2, as: UInt16.self)))
                : Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: column * 4, as: UInt32.self)))
        }
    }

    /// Where column `column`'s value lies in `storage`; nil for no column or an empty value.
    private func filled(_ column: Int?) -> Range<Int>? {
        guard let column, let count = layout?.columnCount else { return nil }
        let width = width(count)
        let start = column == 0 ? 0 : end(column - 1, width: width)
        let end = end(column, width: width)
        return start < end ? (count * width + start)..<(count * width + end) : nil
    }

    private func isFilled(_ column: Int) -> Bool { filled(column) != nil }

    private func value(_ column: Int?) -> String? {
        filled(column).map { range in storage.withUnsafeBytes { String(decoding: $0[range], as: UTF8.self) } }
    }

    /// The base names that have a value, in header order.
    public var bases: [String] {
        guard let layout else { return [] }
        return layout.bases.filter { base in
            guard let slots = layout.slots[base] else { return false }
            return slots.common.map(isFilled) == true || slots.byLanguage.contains { isFilled($0.column) }
        }
    }

    /// A base name's values; nil when it has none.
    public subscript(base: String) -> LocalizedText? {
        guard let slots = layout?.slots[base] else { return nil }
        var text = LocalizedText(common: value(slots.common))
        for (language, column) in slots.byLanguage {
            if let value = value(column) { text.byLanguage[language] = value }
        }
        return text.isEmpty ? nil : text
    }

    /// A base name's value in a language, else (`orCommon`) its value for all languages; never
    /// another language's (`self[base]?.byLanguage[language] ?? self[base]?.common` without
    /// making them).
    public func own(_ base: String, in language: String, orCommon: Bool = true) -> String? {
        guard let columns = layout?.ownColumns(base, in: language) else { return nil }
        return withOwnUTF8(OwnColumns(language: columns.language, common: orCommon ? columns.common : nil)) {
            String(decoding: $0, as: UTF8.self)
        }
    }

    /// `own(base, in: language)`'s value as UTF-8, without making a String; `columns` are the
    /// row's layout's `ownColumns(base, in: language)`. Nil when there is no value.
    public func withOwnUTF8<R>(_ columns: OwnColumns, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
        guard let range = filled(columns.language) ?? filled(columns.common) else { return nil }
        return storage.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[range])) }
    }

    /// `LocalizedText.resolved(in:fallback:)` of a base name's values, without making them one.
    public func resolved(_ base: String, in language: String, fallback: [String]) -> (text: String, language: String?)?
    {
        guard let slots = layout?.slots[base] else { return nil }
        return LocalizedText.resolve(
            in: language, fallback: fallback, hasLanguages: slots.byLanguage.contains { isFilled($0.column) },
            common: value(slots.common)
        ) { wanted in value(slots.byLanguage.first { $0.language == wanted }?.column) }
    }
}

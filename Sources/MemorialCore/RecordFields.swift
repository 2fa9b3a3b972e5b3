/// A record's cells by column, read by base name and language against the layout its file's
/// header gives: the row's values stored one after another in one string.
///
/// Not `[String: LocalizedText]`: a dictionary of dictionaries per record took about 3.5 KB a
/// record in memory, and the archive of the whole country is a million records. One string and
/// its value ends take little more than the row's bytes.
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
    }

    private let layout: Layout?
    private let text: String
    /// Where each column's value ends in `text`'s UTF-8 (a value starts where the previous ends).
    private let ends: [UInt32]

    /// No fields.
    public init() {
        layout = nil
        text = ""
        ends = []
    }

    /// The row's values, one per column of `layout` in order (missing ones at the end empty); an
    /// empty value is no value.
    public init(layout: Layout, values: some Sequence<String>) {
        var text = ""
        var ends: [UInt32] = []
        ends.reserveCapacity(layout.columnCount)
        for value in values.prefix(layout.columnCount) {
            text += value
            ends.append(UInt32(text.utf8.count))
        }
        while ends.count < layout.columnCount { ends.append(UInt32(text.utf8.count)) }
        self.layout = layout
        self.text = text
        self.ends = ends
    }

    /// The base names that have a value, in header order.
    public var bases: [String] {
        guard let layout else { return [] }
        return layout.bases.filter { base in
            guard let slots = layout.slots[base] else { return false }
            return slots.common.map(isFilled) == true || slots.byLanguage.contains { isFilled($0.column) }
        }
    }

    private func isFilled(_ column: Int) -> Bool { ends[column] > (column == 0 ? 0 : ends[column - 1]) }

    private func value(_ column: Int?) -> String? {
        guard let column, isFilled(column) else { return nil }
        let start = column == 0 ? 0 : Int(ends[column - 1])
        let end = Int(ends[column])
        let utf8 = text.utf8
        return String(
            Substring(utf8[utf8.index(utf8.startIndex, offsetBy: start)..<utf8.index(utf8.startIndex, offsetBy: end)]))
    }

    /// A column's value without a language (`id`, `people`, `birth_year`).
    public func common(_ base: String) -> String? { value(layout?.slots[base]?.common) }

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
        guard let slots = layout?.slots[base] else { return nil }
        return value(slots.byLanguage.first { $0.language == language }?.column)
            ?? (orCommon ? value(slots.common) : nil)
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

import Foundation
import MemorialCore

/// Orders names in a language's alphabet: Kazakh А Ә Б В Г Ғ Д Е Ё Ж З И Й К Қ Л М Н Ң О Ө П Р
/// С Т У Ұ Ү Ф Х Һ Ц Ч Ш Щ Ъ Ы І Ь Э Ю Я, Russian А–Я with Ё after Е, English A–Z.
///
/// Written out rather than left to Foundation's locale-aware comparison: that gives the same
/// order for Kazakh on Linux but costs microseconds a comparison (seconds when sorting 100,000
/// names in three languages), depends on the platform's ICU data, and the alphabetical index
/// needs each language's letters anyway. Each name gets a sort key once: letters of the
/// language by their place in its alphabet, letters with diacritics after their base letter,
/// spaces and punctuation before letters, other scripts after the language's own.
struct NameCollator: Sendable {
    static let alphabets: [String: [Character]] = [
        "kk": Array("аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"),
        "ru": Array("абвгдеёжзийклмнопрстуфхцчшщъыьэюя"),
        "en": Array("abcdefghijklmnopqrstuvwxyz"),
    ]

    let ranks: [Character: UInt32]
    /// The key element of each scalar below `U+0500` that is a Character of its own in any name
    /// made of such scalars, `UInt32.max` for the others (combining marks, controls, Greek,
    /// whose lower case depends on its place). A name made only of scalars with an element
    /// gets its key from this table, without lowercasing or walking Characters.
    private let elements: [UInt32]

    init(language: String) {
        let known = Self.alphabets[language] != nil ? language : "en"
        self.init(alphabet: Self.alphabets[known]!, elements: Self.elementTables[known] ?? [])
    }

    private init(alphabet: [Character], elements: [UInt32]) {
        var ranks: [Character: UInt32] = [:]
        for (index, letter) in alphabet.enumerated() { ranks[letter] = UInt32(index + 1) << 8 }
        self.ranks = ranks
        self.elements = elements
    }

    /// Per alphabet, the table of `elements`, made once from `characterSortKey` itself.
    private static let elementTables: [String: [UInt32]] = alphabets.mapValues { alphabet in
        let collator = NameCollator(alphabet: alphabet, elements: [])
        return (0..<UInt32(0x500)).map { value in
            // Controls, combining marks (which join the Character before them) and Greek
            // (final sigma) are left to the Character walk.
            let excluded: [ClosedRange<UInt32>] = [0...0x1F, 0x7F...0x9F, 0x300...0x3FF, 0x483...0x489]
            guard !excluded.contains(where: { $0.contains(value) }), let scalar = Unicode.Scalar(value) else {
                return .max
            }
            let key = collator.characterSortKey(String(scalar))
            return key.count == 1 ? key[0] : .max
        }
    }

    /// Of the alphabets and the element tables made from them: part of the key under which
    /// orders are cached, so that other rules in a newer memorial sort again.
    static let tablesFingerprint: Fingerprint = {
        var fingerprint = Fingerprint()
        for language in alphabets.keys.sorted() {
            fingerprint.combine(language)
            fingerprint.combine(String(alphabets[language]!))
            for element in elementTables[language] ?? [] { fingerprint.combine(Int(element)) }
        }
        return fingerprint
    }()

    /// Compare keys with `<` on arrays, element by element.
    func sortKey(_ name: String) -> [UInt32] {
        guard !elements.isEmpty else { return characterSortKey(name) }
        var key: [UInt32] = []
        key.reserveCapacity(name.utf8.count)
        for scalar in name.unicodeScalars {
            guard scalar.value < 0x500 else { return characterSortKey(name) }
            let element = elements[Int(scalar.value)]
            guard element != .max else { return characterSortKey(name) }
            key.append(element)
        }
        return key
    }

    /// The key from the name's Characters, lowercased.
    func characterSortKey(_ name: String) -> [UInt32] {
        var key: [UInt32] = []
        key.reserveCapacity(name.count)
        for character in name.lowercased() {
            if let rank = ranks[character] {
                key.append(rank)
            } else if character.isWhitespace || character.isPunctuation || character.isSymbol {
                key.append(0)
            } else if let base = baseLetter(character), let rank = ranks[base] {
                // After the bare letter, before the next one: ö after o, before p.
                key.append(rank | 1)
            } else {
                // Another script, after the language's letters, in code point order.
                key.append(0x1000_0000 + (character.unicodeScalars.first?.value ?? 0))
            }
        }
        return key
    }

    /// The place in the alphabet (from 0) of the first letter of a sort key; nil when the name
    /// starts with no letter of the alphabet.
    static func initial(of key: [UInt32]) -> Int? {
        guard let first = key.first(where: { $0 != 0 }), first < 0x1000_0000 else { return nil }
        return Int(first >> 8) - 1
    }

    private func baseLetter(_ character: Character) -> Character? {
        let decomposed = String(character).decomposedStringWithCanonicalMapping
        return decomposed.unicodeScalars.first.map { Character($0) }
    }
}

/// Many sort keys in one buffer, each with its first 18 elements packed into a number, so
/// that sorting 100,000 names compares integers held side by side, and keys only past that.
struct SortKeys: Sendable {
    private var elements: [UInt32] = []
    private var ends: [Int] = []
    private var prefixes: [UInt128] = []

    /// Seven bits an element, in the order of the elements: 0 for a separator, a letter of the
    /// alphabet as its place and whether it is the bare letter, anything else (another
    /// script) as the largest, so that packed prefixes order as the keys do or tie.
    private static func packed(_ element: UInt32) -> UInt128 {
        if element == 0 { return 0 }
        if element < 0x1000_0000 { return UInt128(min((element >> 8) * 2 + (element & 1), 126)) }
        return 127
    }

    mutating func append(_ key: [UInt32]) {
        elements.append(contentsOf: key)
        ends.append(elements.count)
        var prefix: UInt128 = 0
        for position in 0..<18 {
            prefix = prefix << 7 | (position < key.count ? Self.packed(key[position]) : 0)
        }
        prefixes.append(prefix)
    }

    /// Positions sorted by key, equal keys by position.
    func sortedIndices() -> [Int] {
        var order = prefixes.enumerated().map { (prefix: $1, index: $0) }
        elements.withUnsafeBufferPointer { elements in
            ends.withUnsafeBufferPointer { ends in
                order.sort { lhs, rhs in
                    if lhs.prefix != rhs.prefix { return lhs.prefix < rhs.prefix }
                    let a = UnsafeBufferPointer(
                        rebasing: elements[(lhs.index == 0 ? 0 : ends[lhs.index - 1])..<ends[lhs.index]])
                    let b = UnsafeBufferPointer(
                        rebasing: elements[(rhs.index == 0 ? 0 : ends[rhs.index - 1])..<ends[rhs.index]])
                    let common = min(a.count, b.count)
                    var index = 0
                    while index < common {
                        if a[index] != b[index] { return a[index] < b[index] }
                        index += 1
                    }
                    return a.count == b.count ? lhs.index < rhs.index : a.count < b.count
                }
            }
        }
        return order.map(\.index)
    }
}

/// Folds a person's name into keys that meet across the scripts the archive's names are written in:
/// Kazakh Cyrillic, Russian Cyrillic, Kazakh Latin (2018 and 2021 alphabets), English and other
/// Latin transliterations, and the Latin alphabets of the deported peoples (German, Polish, Baltic,
/// Crimean Tatar, Turkish). "Бөкейханов", "Букейханов", "Bökeikhanov" and "Bukeikhanov" all fold
/// to "bakahanav"; "Жансүгіров", "Джансугуров", "Zhansugurov" and "Jansügirov" to "jansagarav".
///
/// The rules are written here by hand because no library does this job. Unicode's transliterators
/// (ICU, CLDR) turn one script into another by one standard, but the archive's spellings come from
/// many: a Soviet clerk's Russian form of a Kazakh name, a passport's English one, the Kazakh Latin
/// alphabets, German or Polish originals. Folding has to be lossy in the places where those
/// spellings disagree, and only there. What meets what:
///
/// - All vowels meet (they fold to "a"): Kazakh ө ү і ұ, Russian у и ю, Latin ö ü ı and y differ
///   unpredictably between scripts. Vowel runs become one "a", so "Сейфуллин" = "Seifullin".
/// - Soft and hard signs, apostrophes and primes are silent: "Ковальчук" = "Kovalchuk" =
///   "Kovalʹchuk", "Bo'keikhanov" = "Bokeikhanov".
/// - ж, дж, zh, dzh, dj, j, ž meet as "j"; х, kh, h as "h"; ц, ч, ts, tz, ch, cz, tch, ç, č as "c";
///   ш, sh, sch, sz, ş, š, ś as "x"; ң, ng, ñ as "n"; қ, k, q, c (alone) as "k"; ғ, g, gh, ğ as "g";
///   в, v, w as "v"; ф, f, ph as "f"; x as "ks"; щ, shch as "xc".
/// - Doubled letters meet single ones: "Мюллер" = "Müller" = "Mueller".
///
/// Folding is applied to each word of a name separately (see `keys(_:)`); anything that is not a
/// letter (spaces, hyphens, punctuation, digits, brackets) separates words.
///
/// The browser's search must fold a query exactly as the build folds names, so the rules exist in
/// one place: the tables below. `keys(_:)` applies them in Swift, and `javaScript` writes them,
/// as generated data, into the script the search page loads.
public enum NameFolding {
    // MARK: - The rules (the only place they are written)

    /// Letters outside ASCII, as lowercase scalars (names are lowercased first), and the ASCII
    /// each is read as. ASCII a to z stand for themselves. Letters of other scripts (Georgian,
    /// Armenian, Hangul, CJK, Arabic...) are in no table: they are kept as they are.
    static let letters: [(scalars: String, ascii: String)] = [
        // Kazakh and Russian Cyrillic. The Kazakh letters read like their Russian neighbours.
        ("аә", "a"), ("б", "b"), ("в", "v"), ("гғ", "g"), ("д", "d"), ("е", "e"), ("ё", "yo"), ("ж", "zh"),
        ("з", "z"), ("иі", "i"), ("й", "y"), ("кқ", "k"), ("л", "l"), ("м", "m"), ("н", "n"), ("ң", "ng"),
        ("оө", "o"), ("п", "p"), ("р", "r"), ("с", "s"), ("т", "t"), ("уұү", "u"), ("ф", "f"), ("х", "kh"),
        ("һ", "h"), ("ц", "ts"), ("ч", "ch"), ("ш", "sh"), ("щ", "shch"), ("ъь", ""), ("ы", "y"), ("э", "e"),
        ("ю", "yu"), ("я", "ya"),
        // Ukrainian and Belarusian.
        ("є", "ye"), ("ї", "yi"), ("ґ", "g"), ("ў", "u"),
        // Other Cyrillic alphabets of peoples living in Kazakhstan: Tatar җ; Uzbek and Tajik ҳ, ҷ, ӣ, ӯ;
        // Bashkir ҙ, ҫ, ҡ; Chuvash ӑ, ӗ, ӳ; the Chechen and Ingush palochka ӏ, which marks the
        // sound of the letter before it and is silent here. Precomposed ѐ and ѝ (accented vowels).
        ("җ", "zh"), ("ҳ", "h"), ("ҷ", "dzh"), ("ӣѝ", "i"), ("ӯӳ", "u"), ("ҙ", "z"), ("ҫ", "s"), ("ҡ", "k"),
        ("ӑ", "a"), ("ӗѐ", "e"), ("ӏ", ""),
        // Russian spelling before 1918, still found in documents of the 1920s.
        ("ѣ", "e"), ("ѳ", "f"), ("ѵ", "i"),
        // Latin letters with diacritics: Latin-1, Latin Extended-A and the Extended-B letters of
        // Romanian (ș, ț), Kazakh Latin 2018 (ǵ), Azerbaijani (ə) and pinyin (ǎ, ǚ...). Each is read
        // as it sounds in its own language where that differs from the bare letter: Kazakh Latin
        // ñ = ң, Turkish and Kazakh ş = ш, Polish ś = ш and ż = ж, Czech and Baltic č, š, ž,
        // Romanian ţ = ц.
        ("àáâãäåāăąǎ", "a"), ("æ", "ae"), ("çćĉċč", "ch"), ("ďđð", "d"), ("èéêëēĕėęěǝə", "e"),
        ("ĝğġģǧǵ", "g"), ("ĥħ", "h"), ("ìíîïĩīĭįıǐ", "i"), ("ĳ", "ij"), ("ĵ", "j"), ("ķĸ", "k"),
        ("ĺļľŀł", "l"), ("ñŋ", "ng"), ("ńņňŉ", "n"), ("òóôõöøōŏőǒ", "o"), ("œ", "oe"), ("ŕŗř", "r"),
        ("śŝşšș", "sh"), ("ſ", "s"), ("ß", "ss"), ("ţț", "ts"), ("ťŧ", "t"), ("ùúûüũūŭůűųǔǖǘǚǜ", "u"),
        ("ŵ", "w"), ("ýÿŷ", "y"), ("ź", "z"), ("żž", "zh"), ("þ", "th"),
        // Greek, as Greek names are transliterated (the Pontic Greeks deported in the 1940s).
        // Final ς is read like σ, which also hides a difference between Swift's `lowercased()`
        // (Σ -> σ everywhere) and JavaScript's `toLowerCase()` (Σ -> ς at the end of a word).
        ("αά", "a"), ("β", "v"), ("γ", "g"), ("δ", "d"), ("εέ", "e"), ("ζ", "z"), ("ηήιίϊΐ", "i"), ("θ", "th"),
        ("κ", "k"), ("λ", "l"), ("μ", "m"), ("ν", "n"), ("ξ", "x"), ("οόωώ", "o"), ("π", "p"), ("ρ", "r"),
        ("σς", "s"), ("τ", "t"), ("υύϋΰ", "y"), ("φ", "f"), ("χ", "kh"), ("ψ", "ps"),
    ]

    /// Dropped without separating words: apostrophes (' ’ ʼ ` ‘ ´ ʻ), the primes of scholarly
    /// transliteration for ь and ъ (ʹ ʺ ′), and invisible characters that pasted text carries
    /// inside words (soft hyphen, zero-width space, joiners, byte-order mark).
    static let silent = "'`´ʹʺʻʼ‘’′\u{AD}\u{200B}\u{200C}\u{200D}\u{2060}\u{FEFF}"

    /// Combining marks (U+0300 to U+036F) are dropped, so "Bo\u{308}keikhanov" = "Bökeikhanov",
    /// except after an ASCII letter with which they make a letter read differently from the bare
    /// one: "s" + U+0327 is "ş" (sh), not "s".
    static let combiningMarks: ClosedRange<UInt32> = 0x300...0x36F

    /// The decomposed forms of the letters in `letters` whose reading differs from their base's.
    static let compositions: [(base: Unicode.Scalar, mark: Unicode.Scalar, letter: Unicode.Scalar)] = [
        ("s", "\u{327}", "ş"), ("c", "\u{327}", "ç"), ("t", "\u{327}", "ţ"), ("s", "\u{326}", "ș"),
        ("t", "\u{326}", "ț"), ("s", "\u{30C}", "š"), ("c", "\u{30C}", "č"), ("z", "\u{30C}", "ž"),
        ("s", "\u{301}", "ś"), ("c", "\u{301}", "ć"), ("z", "\u{307}", "ż"), ("c", "\u{307}", "ċ"),
        ("c", "\u{302}", "ĉ"), ("s", "\u{302}", "ŝ"), ("n", "\u{303}", "ñ"),
    ]

    /// How the ASCII spelling of a word folds: one pass from left to right, taking at each place
    /// the longest rule that matches; a rule's output is not read again. Letters no rule names
    /// (b d f g h j k l m n p r s t v z) stay. Keys are written in b c d f g h j k l m n p r s t v x
    /// z, and "a" for any vowel.
    static let rules: [(from: String, to: String)] = [
        ("shch", "xc"), ("sch", "x"), ("dzh", "j"), ("tch", "c"), ("zh", "j"), ("dj", "j"), ("kh", "h"),
        ("gh", "g"), ("sh", "x"), ("ch", "c"), ("cz", "c"), ("sz", "x"), ("ts", "c"), ("tz", "c"),
        ("ph", "f"), ("th", "t"), ("ng", "n"), ("x", "ks"), ("w", "v"), ("q", "k"), ("c", "k"),
        ("a", "a"), ("e", "a"), ("i", "a"), ("o", "a"), ("u", "a"), ("y", "a"),
    ]

    /// Scalars of other scripts kept in words: the general categories Letter and Mark, in Unicode's
    /// planes 0 to 3 and 14 (the others hold no letters or marks: they are unassigned or for
    /// private use). `javaScript` carries the ranges these make, so the browser agrees without
    /// `\p{L}`, which ES2017 lacks.
    static func isKeptInWords(_ scalar: Unicode.Scalar) -> Bool {
        guard scalar.value < 0x4_0000 || (0xE_0000..<0xE_1000).contains(scalar.value) else { return false }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .enclosingMark:
            return true
        default:
            return false
        }
    }

    // MARK: - Folding

    /// The folded keys of the words of a name, in order, with empty words dropped:
    /// "Бөкейханов Әлихан" -> ["bakahanav", "alahan"], "Çoban-zade" -> ["caban", "zada"].
    ///
    /// 1. The name is lowercased (Unicode's default case mapping, as `lowercased()` and
    ///    JavaScript's `toLowerCase()`; done here scalar by scalar, as `lowercased()` does it).
    /// 2. Scalar by scalar: `compositions` are composed, other combining marks and `silent` ones
    ///    dropped; `letters` are read as ASCII, ASCII letters and letters of other scripts kept,
    ///    and anything else ends a word.
    /// 3. Each word's spelling goes through `rules`, then runs of one character become one.
    ///
    /// It runs on every name of the archive at each build, so it works on scalar values with
    /// tables built once, not on `Character`s or with regular expressions.
    public static func keys(_ name: String) -> [String] {
        var folder = Folder(table: Table.shared)
        for scalar in name.unicodeScalars {
            let value = scalar.value
            if value < Table.denseLimit {
                let entry = folder.table.dense[Int(value)]
                if entry.role != .lowercasesToMore {
                    folder.take(entry.lowercase, entry)
                    continue
                }
            } else if !scalar.properties.changesWhenLowercased {
                folder.take(value, folder.table.entry(forLowercase: value))
                continue
            }
            for lowercase in scalar.properties.lowercaseMapping.unicodeScalars {
                folder.take(lowercase.value, folder.table.entry(forLowercase: lowercase.value))
            }
        }
        folder.endWord()
        return folder.keys
    }

    /// What a scalar of the lowercased name does, in the order the rules are tried.
    private enum Role: UInt8, Sendable {
        case asciiLetter, combiningMark, silent, letter, kept, separator
        /// In `Table.dense` only: the scalar lowercases to more than one scalar (İ to i and U+0307).
        case lowercasesToMore
    }

    /// A scalar's lowercase form and what that does; for a letter of `letters`, where its ASCII
    /// spelling is in `Table.spellings`.
    private struct Entry: Sendable {
        var role: Role
        var lowercase: UInt32
        var spelling: Range<Int> = 0..<0
    }

    /// A rule of `rules`, its ASCII letters packed in bytes, lowest first.
    private struct Rule: Sendable {
        var from: UInt64
        var fromCount: Int
        var to: UInt64
        var toCount: Int

        init(_ from: String, _ to: String) {
            precondition(from.utf8.count <= 8 && to.utf8.count <= 8, "a rule of more than 8 letters")
            self.from = from.utf8.reversed().reduce(0) { $0 << 8 | UInt64($1) }
            fromCount = from.utf8.count
            self.to = to.utf8.reversed().reduce(0) { $0 << 8 | UInt64($1) }
            toCount = to.utf8.count
        }
    }

    /// The tables as flat lookups for `keys(_:)`, built once.
    private struct Table: Sendable {
        static let shared = Table()
        static let denseLimit: UInt32 = 0x500

        /// The entries of the scalars below `denseLimit` (ASCII, Latin, Greek and Cyrillic), by value.
        var dense: [Entry] = []
        /// The entries of the lowercase scalars at or above `denseLimit` that the tables name.
        var sparse: [UInt32: Entry] = [:]
        /// The ASCII spellings of `letters`, one after the other.
        var spellings: [UInt32] = []
        /// (base << 32 | mark) -> the entry of the letter they compose.
        var composed: [UInt64: Entry] = [:]
        /// The rules, by first letter and longest first: those starting with ASCII value `c` are
        /// `rules[ruleStarts[c]..<ruleStarts[c + 1]]`.
        var rules: [Rule] = []
        var ruleStarts: [Int] = []

        init() {
            var letterSpellings: [UInt32: Range<Int>] = [:]
            for (scalars, ascii) in NameFolding.letters {
                let start = spellings.count
                spellings += ascii.unicodeScalars.map(\.value)
                for scalar in scalars.unicodeScalars { letterSpellings[scalar.value] = start..<spellings.count }
            }
            let silent = Set(NameFolding.silent.unicodeScalars.map(\.value))
            func entry(_ value: UInt32) -> Entry {
                if (0x61...0x7A).contains(value) { return Entry(role: .asciiLetter, lowercase: value) }
                if NameFolding.combiningMarks.contains(value) { return Entry(role: .combiningMark, lowercase: value) }
                if silent.contains(value) { return Entry(role: .silent, lowercase: value) }
                if let spelling = letterSpellings[value] {
                    return Entry(role: .letter, lowercase: value, spelling: spelling)
                }
                let kept = Unicode.Scalar(value).map(NameFolding.isKeptInWords) ?? false
                return Entry(role: kept ? .kept : .separator, lowercase: value)
            }
            dense = (0..<Self.denseLimit).map { value in
                let lowercase = Unicode.Scalar(value).map { Array($0.properties.lowercaseMapping.unicodeScalars) } ?? []
                guard lowercase.count == 1 else { return Entry(role: .lowercasesToMore, lowercase: value) }
                return entry(lowercase[0].value)
            }
            for value in Set(letterSpellings.keys).union(silent) where value >= Self.denseLimit {
                sparse[value] = entry(value)
            }
            for (base, mark, letter) in NameFolding.compositions {
                composed[UInt64(base.value) << 32 | UInt64(mark.value)] = entry(letter.value)
            }
            let byFirstLetter = Dictionary(grouping: NameFolding.rules) { $0.from.utf8.first! }
            for first in UInt8(0)..<0x80 {
                ruleStarts.append(rules.count)
                let longestFirst = (byFirstLetter[first] ?? []).sorted { $0.from.utf8.count > $1.from.utf8.count }
                rules += longestFirst.map { Rule($0.from, $0.to) }
            }
            ruleStarts.append(rules.count)
        }

        /// The entry of a scalar that is already lowercase.
        func entry(forLowercase value: UInt32) -> Entry {
            if value < Self.denseLimit { return dense[Int(value)] }
            if let entry = sparse[value] { return entry }
            let kept = Unicode.Scalar(value).map(NameFolding.isKeptInWords) ?? false
            return Entry(role: kept ? .kept : .separator, lowercase: value)
        }
    }

    /// The state of `keys(_:)` while it reads a name.
    private struct Folder {
        let table: Table
        var keys: [String] = []
        /// The ASCII spelling of the current word (with letters of other scripts kept).
        var word: [UInt32] = []
        /// The folded key being written, in UTF-8, and its last scalar.
        var key: [UInt8] = []
        var last: UInt32 = 0
        /// The scalar before this one when it was an ASCII letter (a base for `compositions`), else 0.
        var base: UInt64 = 0

        init(table: Table) {
            self.table = table
            word.reserveCapacity(32)
            key.reserveCapacity(32)
        }

        /// Step 2 for one scalar of the lowercased name.
        mutating func take(_ value: UInt32, _ entry: Entry) {
            let previous = base
            base = 0
            switch entry.role {
            case .asciiLetter:
                word.append(value)
                base = UInt64(value)
            case .combiningMark:
                if let letter = table.composed[previous << 32 | UInt64(value)] {
                    word.removeLast()
                    word += table.spellings[letter.spelling]
                }
            case .silent:
                break
            case .letter:
                word += table.spellings[entry.spelling]
            case .kept:
                word.append(value)
            case .separator, .lowercasesToMore:
                endWord()
            }
        }

        /// Step 3: folds the current word, if it has a spelling, into a key.
        mutating func endWord() {
            guard !word.isEmpty else { return }
            key.removeAll(keepingCapacity: true)
            last = 0
            let count = word.count
            var index = 0
            next: while index < count {
                let first = word[index]
                if first < 0x80 {
                    for rule in table.rules[table.ruleStarts[Int(first)]..<table.ruleStarts[Int(first) + 1]]
                    where rule.fromCount <= count - index {
                        var matched = 1
                        while matched < rule.fromCount
                            && word[index + matched] == UInt32(truncatingIfNeeded: rule.from >> (8 * matched) & 0xFF)
                        {
                            matched += 1
                        }
                        guard matched == rule.fromCount else { continue }
                        for offset in 0..<rule.toCount {
                            emit(UInt32(truncatingIfNeeded: rule.to >> (8 * offset) & 0xFF))
                        }
                        index += rule.fromCount
                        continue next
                    }
                }
                emit(first)
                index += 1
            }
            keys.append(String(decoding: key, as: UTF8.self))
            word.removeAll(keepingCapacity: true)
        }

        /// Appends a scalar to the key unless it repeats the last one.
        private mutating func emit(_ value: UInt32) {
            guard value != last else { return }
            last = value
            if value < 0x80 {
                key.append(UInt8(value))
            } else {
                UTF8.encode(Unicode.Scalar(value)!) { key.append($0) }
            }
        }
    }
}

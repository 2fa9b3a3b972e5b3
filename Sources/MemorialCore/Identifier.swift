/// The forms of identifiers in content, checked byte by byte (a regex literal is compiled
/// anew each time it is evaluated, which cost seconds at 100,000 rows).
public enum Identifier {
    /// A record id or page slug: `[a-z0-9][a-z0-9-]{0,63}`.
    public static func isValidID(_ text: String) -> Bool {
        let utf8 = text.utf8
        guard let first = utf8.first, (1...64).contains(utf8.count), isLowerAlphanumeric(first) else { return false }
        return utf8.allSatisfy { isLowerAlphanumeric($0) || $0 == UInt8(ascii: "-") }
    }

    /// Whether a value may name a folder or file of the output (a vocabulary code such as a
    /// people's, which becomes `/<lang>/peoples/<code>/`): `[a-z0-9][a-z0-9._-]{0,63}`. So no
    /// `.` or `..`, no hidden name, no `/`, `\\`, space or control character; `58-10` and
    /// `crimean_tatar` are fine. Ids and slugs (`isValidID`) are a stricter form of the same.
    public static func isPathSegment(_ text: some StringProtocol) -> Bool {
        let utf8 = text.utf8
        guard let first = utf8.first, (1...64).contains(utf8.count), isLowerAlphanumeric(first) else { return false }
        return utf8.allSatisfy {
            isLowerAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
        }
    }

    /// What `isPathSegment` allows, for messages.
    public static let pathSegmentForm =
        "use 1 to 64 lower-case Latin letters, digits, '-', '_' and '.', starting with a letter or digit"

    /// Why a text cannot be a site's `base_url` (site.yml or `--base-url`), nil when it can: it
    /// must be an absolute http(s) address of at most 2,000 characters, without spaces, quotes,
    /// `<`, `>`, backslashes or control characters (it is written into every page).
    public static func baseURLProblem(_ text: String) -> String? {
        let example = "e.g. https://example.org/exhibition/"
        guard text.hasPrefix("https://") || text.hasPrefix("http://") else {
            return "must be the absolute http(s) address the site is published at, \(example)"
        }
        guard text.utf8.count <= 2000 else {
            return "is \(text.utf8.count) bytes long; an address may have at most 2,000, \(example)"
        }
        let host = text.utf8.drop { $0 != UInt8(ascii: ":") }.dropFirst(3).prefix { $0 != UInt8(ascii: "/") }
        guard !host.isEmpty else { return "has no host name, \(example)" }
        let forbidden: Set<Unicode.Scalar> = ["\"", "'", "<", ">", "\\", "`"]
        if let bad = text.unicodeScalars.first(where: {
            $0.value <= 0x20 || (0x7F...0x9F).contains($0.value) || forbidden.contains($0)
        }) {
            let hex = String(bad.value, radix: 16, uppercase: true)
            let shown =
                forbidden.contains(bad) ? "'\(bad)'" : "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            return
                "contains \(shown); an address may not contain spaces, quotes, '<', '>', '\\', '`' or control characters "
                + "(percent-encode them), \(example)"
        }
        return nil
    }

    /// A language code: two or three lower-case Latin letters.
    public static func isLanguageCode(_ text: String) -> Bool {
        (2...3).contains(text.utf8.count) && text.utf8.allSatisfy { (0x61...0x7A).contains($0) }
    }

    /// Exactly `count` ASCII digits.
    @inlinable public static func isDigits(_ text: some StringProtocol, count: Int) -> Bool {
        text.utf8.count == count && text.utf8.allSatisfy { (0x30...0x39).contains($0) }
    }

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
    }

    /// Up to three of `ids` at most two edits (a letter added, removed or replaced) from `id`,
    /// nearest first, for "did you mean": a typo in a folder or command names a record that is
    /// there. Ids that differ in length by more than two are not compared.
    public static func nearest(to id: String, among ids: some Sequence<String>) -> [String] {
        let wanted = Array(id.utf8)
        var found: [(distance: Int, id: String)] = []
        for candidate in ids where abs(candidate.utf8.count - wanted.count) <= 2 {
            guard let distance = editDistance(wanted, Array(candidate.utf8), atMost: 2) else { continue }
            found.append((distance, candidate))
        }
        return found.sorted { ($0.distance, $0.id) < ($1.distance, $1.id) }.prefix(3).map(\.id)
    }

    /// Levenshtein distance when it is at most `limit`, else nil (a row whose least value is
    /// over the limit ends the count).
    static func editDistance(_ a: [UInt8], _ b: [UInt8], atMost limit: Int) -> Int? {
        guard !a.isEmpty else { return b.count <= limit ? b.count : nil }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            if current.min()! > limit { return nil }
            swap(&previous, &current)
        }
        return previous[b.count] <= limit ? previous[b.count] : nil
    }
}

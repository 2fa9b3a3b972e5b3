/// The forms of identifiers in content, checked byte by byte (a regex literal is compiled
/// anew each time it is evaluated, which cost seconds at 100,000 rows).
public enum Identifier {
    /// A record id or page slug: `[a-z0-9][a-z0-9-]{0,63}`.
    public static func isValidID(_ text: String) -> Bool {
        let utf8 = text.utf8
        guard let first = utf8.first, (1...64).contains(utf8.count), isLowerAlphanumeric(first) else { return false }
        return utf8.allSatisfy { isLowerAlphanumeric($0) || $0 == UInt8(ascii: "-") }
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
}

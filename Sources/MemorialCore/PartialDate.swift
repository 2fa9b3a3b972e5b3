/// A date as precise as the archive knows it: a year, a month of a year, or a day.
///
/// One 32-bit number (year, then month and day, 0 for unknown): a record has five dates, and
/// as three optional Ints each they were 160 bytes of every record, twice while resolving (the
/// records and their cases), a third of a GiB at a million records.
public struct PartialDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// `year << 9 | month << 5 | day`: its order is the dates' order (`<`).
    @usableFromInline let bits: Int32

    @inlinable public var year: Int { Int(bits >> 9) }
    @inlinable public var month: Int? { month0 == 0 ? nil : month0 }
    @inlinable public var day: Int? { day0 == 0 ? nil : day0 }
    /// The month and day, 0 for unknown.
    @usableFromInline var month0: Int { Int((bits >> 5) & 0xF) }
    @usableFromInline var day0: Int { Int(bits & 0x1F) }

    /// - Parameters: a year of at most six digits, a month of 1 to 12, a day of 1 to 31 (the
    ///   day is dropped without a month).
    public init(year: Int, month: Int? = nil, day: Int? = nil) {
        precondition(
            abs(year) < 1 << 21 && (month ?? 1) >= 1 && (month ?? 1) <= 12 && (day ?? 1) >= 1 && (day ?? 1) <= 31)
        let month = month ?? 0
        let day = month == 0 ? 0 : day ?? 0
        bits = Int32(year) << 9 | Int32(month) << 5 | Int32(day)
    }

    public enum ParseError: Error, Equatable, Sendable {
        /// Not `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
        case malformed
        /// Well-formed but not a day of the calendar, e.g. `1937-13-45`.
        case impossible(String)
    }

    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD` from its bytes, without splitting.
    public static func parse(_ text: String) throws(ParseError) -> PartialDate {
        var numbers: (Int, Int, Int) = (0, 0, 0)
        var part = 0
        var width = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: "-") {
                guard width == (part == 0 ? 4 : 2), part < 2 else { throw .malformed }
                part += 1
                width = 0
                continue
            }
            // Bounded before the digit is added: 20 digits would overflow an Int.
            guard (0x30...0x39).contains(byte), width < (part == 0 ? 4 : 2) else { throw .malformed }
            let digit = Int(byte - 0x30)
            switch part {
            case 0: numbers.0 = numbers.0 * 10 + digit
            case 1: numbers.1 = numbers.1 * 10 + digit
            default: numbers.2 = numbers.2 * 10 + digit
            }
            width += 1
        }
        guard width == (part == 0 ? 4 : 2) else { throw .malformed }
        // Well-formed, so each part is at a fixed place in the text: YYYY-MM-DD.
        guard numbers.0 >= 1000 else { throw .impossible("year \(text.prefix(4)) is out of range") }
        guard part >= 1 else { return PartialDate(year: numbers.0) }
        guard (1...12).contains(numbers.1) else {
            throw .impossible("month \(text.dropFirst(5).prefix(2)) does not exist")
        }
        guard part == 2 else { return PartialDate(year: numbers.0, month: numbers.1) }
        guard (1...daysIn(month: numbers.1, year: numbers.0)).contains(numbers.2) else {
            throw .impossible("day \(text.suffix(2)) does not exist in \(text.prefix(7))")
        }
        return PartialDate(year: numbers.0, month: numbers.1, day: numbers.2)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Whether every day this date can mean comes before every day `other` can mean.
    public func isSurelyBefore(_ other: PartialDate) -> Bool {
        let latest = (year, month ?? 12, day ?? PartialDate.daysIn(month: month ?? 12, year: year))
        let earliest = (other.year, other.month ?? 1, other.day ?? 1)
        return latest < earliest
    }

    /// ISO form at the known precision: `1937`, `1937-09`, `1937-09-27`.
    public var description: String {
        func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        var text = String(year)
        if let month { text += "-" + pad(month) }
        if let day { text += "-" + pad(day) }
        return text
    }

    /// Orders by the earliest day each date can mean; a year sorts before its months.
    public static func < (lhs: PartialDate, rhs: PartialDate) -> Bool { lhs.bits < rhs.bits }
}

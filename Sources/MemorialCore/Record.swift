/// One person's archival record: a CSV row, validated.
public struct Record: Sendable {
    public enum Status: String, Sendable {
        case published
        case restricted
    }

    public var id: String
    /// The row in its CSV file (line of the row's first field).
    public var location: SourceLocation
    /// Every column by base name (`name_kk` and `name_en` are both under `name`).
    public var fields: RecordFields
    public var birthYear: Int?
    public var arrestDate: PartialDate?
    public var sentenceDate: PartialDate?
    public var deathDate: PartialDate?
    public var rehabilitationDate: PartialDate?
    /// When the archive last changed the record (column `updated`), if it says.
    public var updated: PartialDate?
    public var people: String?
    public var charges: [String] = []
    public var sentences: [String] = []
    public var sentencingBody: String?
    public var status = Status.published
    /// Where the birth year and date cells are, by column name, for checks that compare them:
    /// kept only when `datesOutOfOrder` has something to say.
    public var dateCells: [String: SourceLocation] = [:]
    /// Of everything the record says, when its parser worked it out from the file (its header
    /// and row); nil otherwise, and then worked out from `fields` where needed. Whoever changes
    /// a parsed record's values must set it to nil.
    public var contentFingerprint: Fingerprint?

    public init(id: String, location: SourceLocation, fields: RecordFields = RecordFields()) {
        self.id = id
        self.location = location
        self.fields = fields
    }

    // The computed properties below are @inlinable: called on a record inside an array from
    // another module, a call would copy the whole record first.
    @inlinable public var name: LocalizedText { fields["name"] ?? LocalizedText() }

    /// Dates that contradict each other, latest column first: birth after arrest, arrest after
    /// sentence, sentence after death, rehabilitation before sentence. Partial dates contradict
    /// only when no day they can mean is in order (1937 and 1937-09 do not).
    public var datesOutOfOrder: [(column: String, message: String)] {
        let birth = birthYear.map { PartialDate(year: $0) }
        let checks: [(PartialDate?, String, PartialDate?, String)] = [
            (birth, "birth_year", arrestDate, "arrest_date"),
            (arrestDate, "arrest_date", sentenceDate, "sentence_date"),
            (sentenceDate, "sentence_date", deathDate, "death_date"),
            (sentenceDate, "sentence_date", rehabilitationDate, "rehabilitation_date"),
        ]
        var problems: [(column: String, message: String)] = []
        for (earlier, earlierColumn, later, laterColumn) in checks {
            guard let earlier, let later, later.isSurelyBefore(earlier) else { continue }
            problems.append(
                (laterColumn, "\(laterColumn) \(later) is before \(earlierColumn) \(earlier); check both cells"))
        }
        return problems
    }

    /// The year a case is indexed under: of the sentence, else of the arrest.
    @inlinable public var indexYear: Int? { sentenceDate?.year ?? arrestDate?.year }

    /// "1866–1937", "1866–?", "?–1937", or nil when neither year is known.
    public var lifespan: String? {
        let death = deathDate?.year
        guard birthYear != nil || death != nil else { return nil }
        // Written digit by digit: every list entry shows it, and interpolating the two numbers
        // made a String three times and cost more than the rest of an entry's fields.
        return String(unsafeUninitializedCapacity: 48) { buffer in
            var count = 0
            func put(_ year: Int?) {
                guard let year else {
                    buffer[count] = UInt8(ascii: "?")
                    count += 1
                    return
                }
                if year < 0 {
                    buffer[count] = UInt8(ascii: "-")
                    count += 1
                }
                let start = count
                var magnitude = year.magnitude
                repeat {
                    buffer[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                    count += 1
                    magnitude /= 10
                } while magnitude > 0
                var digits = UnsafeMutableBufferPointer(rebasing: buffer[start..<count])
                digits.reverse()
            }
            put(birthYear)
            for byte in "–".utf8 {
                buffer[count] = byte
                count += 1
            }
            put(death)
            return count
        }
    }
}

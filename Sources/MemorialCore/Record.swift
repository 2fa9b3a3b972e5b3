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
    public var fields: [String: LocalizedText]
    public var birthYear: Int?
    public var arrestDate: PartialDate?
    public var sentenceDate: PartialDate?
    public var deathDate: PartialDate?
    public var rehabilitationDate: PartialDate?
    public var people: String?
    public var charges: [String]
    public var sentences: [String]
    public var sentencingBody: String?
    public var status: Status

    public init(
        id: String, location: SourceLocation, fields: [String: LocalizedText] = [:],
        birthYear: Int? = nil, arrestDate: PartialDate? = nil, sentenceDate: PartialDate? = nil,
        deathDate: PartialDate? = nil, rehabilitationDate: PartialDate? = nil, people: String? = nil,
        charges: [String] = [], sentences: [String] = [], sentencingBody: String? = nil,
        status: Status = .published
    ) {
        self.id = id
        self.location = location
        self.fields = fields
        self.birthYear = birthYear
        self.arrestDate = arrestDate
        self.sentenceDate = sentenceDate
        self.deathDate = deathDate
        self.rehabilitationDate = rehabilitationDate
        self.people = people
        self.charges = charges
        self.sentences = sentences
        self.sentencingBody = sentencingBody
        self.status = status
    }

    public var name: LocalizedText { fields["name"] ?? LocalizedText() }

    /// The year a case is indexed under: of the sentence, else of the arrest.
    public var indexYear: Int? { sentenceDate?.year ?? arrestDate?.year }

    /// "1866–1937", "1866–?", "?–1937", or nil when neither year is known.
    public var lifespan: String? {
        let death = deathDate?.year
        switch (birthYear, death) {
        case (nil, nil): return nil
        case (let birth?, let death?): return "\(birth)–\(death)"
        case (let birth?, nil): return "\(birth)–?"
        case (nil, let death?): return "?–\(death)"
        }
    }
}

import Testing

@testable import MemorialCore

@Suite struct RecordTests {
    /// The lifespan, written digit by digit, reads as the two years interpolated would.
    @Test(arguments: [nil, 0, 7, 10, 99, 1866, 1937, 20_000, -44])
    func lifespanShowsBothYearsOrAQuestionMark(birth: Int?) {
        for death in [nil, 0, 9, 1937, 123_456, -1] as [Int?] {
            var record = Record(id: "x", location: SourceLocation(file: "r.csv", line: 2, column: 1))
            record.birthYear = birth
            record.deathDate = death.map { PartialDate(year: $0) }
            let expected: String? =
                birth == nil && death == nil ? nil : "\(birth.map(String.init) ?? "?")–\(death.map(String.init) ?? "?")"
            #expect(record.lifespan == expected)
        }
    }
}

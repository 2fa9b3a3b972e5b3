import MemorialCore
import Testing

/// What of many diagnostics is printed, and how a long value is quoted.
@Suite struct DiagnosticCapTests {
    @Test func atMostAHundredAFileAndAThousandInAllAreShownAndTheRestCounted() {
        var diagnostics = Diagnostics()
        for file in 0..<12 {
            for line in 1...150 {
                let location = SourceLocation(file: "f\(file < 10 ? "0" : "")\(file).csv", line: line)
                if line % 3 == 0 {
                    diagnostics.warning("w", at: location)
                } else {
                    diagnostics.error("e", at: location)
                }
            }
        }
        let (shown, errors, warnings) = Diagnostics.shown(diagnostics.sorted)
        #expect(shown.count == 1000)
        #expect(shown.filter { $0.location.file == "f00.csv" }.count == 100)
        #expect(shown.last?.location == SourceLocation(file: "f09.csv", line: 100))
        #expect(errors + warnings == 12 * 150 - 1000)
        #expect(errors == 12 * 100 - shown.filter { $0.severity == .error }.count)
        #expect(
            Diagnostics.hiddenNote(errors: 499_000, warnings: 1)
                == "note: 499,000 more errors and 1 more warning not shown (at most 100 a file and 1,000 in all are "
                + "printed); correct these and run again to see the rest")
        #expect(Diagnostics.hiddenNote(errors: 0, warnings: 0) == nil)
    }

    @Test func duplicatesAreRemovedOnceSortedWhateverTheirOrder() {
        var diagnostics = Diagnostics()
        let here = SourceLocation(file: "a", line: 2)
        diagnostics.error("x", at: here)
        diagnostics.warning("x", at: here)
        diagnostics.error("y", at: SourceLocation(file: "a", line: 1))
        diagnostics.error("x", at: here)
        diagnostics.warning("x", at: here)
        #expect(diagnostics.sorted.map(\.description) == ["a:1:1: error: y", "a:2:1: error: x", "a:2:1: warning: x"])
    }

    @Test func aLongValueIsQuotedByItsFirst60Characters() {
        #expect(Diagnostic.excerpt(String(repeating: "я", count: 60)) == String(repeating: "я", count: 60))
        #expect(
            Diagnostic.excerpt(String(repeating: "9", count: 10_000_000)) == String(repeating: "9", count: 60) + "…")
        #expect(Diagnostic.grouped(1_234_567) == "1,234,567")
        #expect(Diagnostic.grouped(999) == "999")
    }
}

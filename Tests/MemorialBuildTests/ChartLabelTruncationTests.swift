import Foundation
import Testing

@testable import MemorialBuild

/// `BarChart.truncated` finds in one pass what dropping one character at a time found.
@Suite struct ChartLabelTruncationTests {
    /// The former way: drop the last character until the rest and "…" fit.
    static func dropping(_ text: String, width: Double, fontSize: Double) -> String {
        guard BarChart.estimatedWidth(text, fontSize: fontSize) > width else { return text }
        var characters = Array(text)
        while !characters.isEmpty, BarChart.estimatedWidth(String(characters) + "…", fontSize: fontSize) > width {
            characters.removeLast()
        }
        return String(characters).trimmingCharacters(in: .whitespaces) + "…"
    }

    @Test(arguments: [
        "Kazakh", "корейцы и другие народы Дальнего Востока", "Iiiii lllll WWWWW ЖЖЖЖЖ 12345 ...", "   spaced   out   ",
        "Mixed Ωмега ıi 1937–1938 (NKVD)", "",
    ])
    func cutsWhereDroppingOneCharacterAtATimeCut(label: String) {
        for width in stride(from: 0.0, through: 300, by: 7) {
            #expect(
                BarChart.truncated(label, width: width, fontSize: 12)
                    == Self.dropping(label, width: width, fontSize: 12), "width \(width)")
        }
    }

    @Test func aLabelOf8000CharactersIsCutInLinearTime() {
        let label = String(repeating: "қазақ ", count: 1334)
        let start = Date()
        let cut = BarChart.truncated(label, width: 140, fontSize: 12)
        #expect(Date().timeIntervalSince(start) < 1)
        #expect(cut == Self.dropping(String(label.prefix(40)), width: 140, fontSize: 12))
    }
}

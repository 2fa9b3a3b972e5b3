import MemorialCore
import Testing

@testable import MemorialContent

@Suite struct FrontMatterTests {
    func split(_ text: String) -> (FrontMatter?, [String]) {
        var diagnostics = Diagnostics()
        let result = FrontMatter.split(text, file: "c/ru.md", diagnostics: &diagnostics)
        return (result, diagnostics.all.map { $0.formatted() })
    }

    /// Read as text, a front matter's `status: draft` would be ignored and the draft published.
    @Test func aFrontMatterThatDoesNotOpenOnTheFirstLineIsAnError() {
        let expected =
            "error: this looks like the front matter, but it is not read: it must begin on the file's first line "
            + "with exactly three dashes '---'"
        for (text, line, hint) in [
            ("\n---\ntitle: A\nstatus: draft\n---\n\nText.\n", 2, " (remove the blank lines above it)"),
            (" \n\n---\nstatus: draft\n---\n", 3, " (remove the blank lines above it)"),
            ("----\nstatus: draft\n----\n\nText.\n", 1, ""),
        ] {
            let (result, diagnostics) = split(text)
            #expect(result == nil)
            #expect(diagnostics == ["c/ru.md:\(line):1: " + expected + hint])
        }
    }

    @Test func aBodyWithoutFrontMatterOrWithARuleIsText() {
        for text in ["Text.\n\n---\n\nMore.\n", "\n---\n\nA rule, then text: no key.\n", "# Title\n"] {
            let (result, diagnostics) = split(text)
            #expect(result?.entries.isEmpty == true && result?.bodyLineOffset == 0)
            #expect(diagnostics.isEmpty)
        }
    }
}

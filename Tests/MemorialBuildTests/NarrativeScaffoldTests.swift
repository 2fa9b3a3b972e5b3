import Testing
import Yams

@testable import MemorialBuild

@Suite struct NarrativeScaffoldTests {
    /// `memorial new case` writes the record's name as the draft's title: whatever the name
    /// holds, YAML reads back the same text.
    @Test(arguments: [
        "Әбенов Тест", "O'Brien \"Tom\"", #"back\slash"#, "two\nlines", "crlf\r\nend", "tab\there",
        "bell\u{7} and nul\u{0}", "next\u{85}line", "line\u{2028}para\u{2029}end", "c1\u{9B}del\u{7F}", "bom\u{FEFF}",
        "non\u{FFFE}char\u{FFFF}",
        "# not a comment: {x}", "",
    ])
    func titlesReadBackAsTheName(_ name: String) throws {
        let yaml = "title: \(NarrativeScaffold.quoted(name))\n"
        #expect(!yaml.dropLast().contains("\n"), "the title takes one line")
        let read = try Yams.load(yaml: yaml) as? [String: Any]
        #expect(read?["title"] as? String == name)
    }
}

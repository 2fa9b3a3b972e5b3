import MemorialCore
import Testing

@testable import MemorialContent

@Suite struct YAMLReaderTests {
    func errors(_ text: String, lineOffset: Int = 0) -> [String] {
        YAMLReader.compose(text, file: "f.yml", lineOffset: lineOffset).diagnostics.map { $0.formatted() }
    }

    @Test func aKeyGivenTwiceIsOneErrorAtTheSecondOnALineOfItsOwn() {
        #expect(
            errors("kazakh: {en: Kazakh}\nkorean: {en: Korean}\nkazakh: {en: Kazakh}\n") == [
                "f.yml:3:1: error: 'kazakh' is given twice in the same mapping (first at line 1); keep one of them"
            ])
        // In front matter, after the opening `---`.
        #expect(
            errors("title: A\nsummary: B\nsummary: C\n", lineOffset: 1) == [
                "f.yml:4:1: error: 'summary' is given twice in the same mapping (first at line 3); keep one of them"
            ])
        // In a list of mappings, the item's own key, not the next item's.
        #expect(
            errors("- file: a.jpg\n  kind: photo\n- file: b.jpg\n  kind: letter\n  \"kind\": other\n") == [
                "f.yml:5:3: error: 'kind' is given twice in the same mapping (first at line 4); keep one of them"
            ])
    }

    @Test func aTabInTheIndentationIsCalledATab() {
        let message =
            "error: this line is indented with a tab, and YAML indents with spaces only: replace the tab with spaces"
        #expect(errors("\ttitle: A\nstatus: draft\n", lineOffset: 1) == ["f.yml:2:1: " + message])
        #expect(errors("title: A\nsummary:\n  \t- x\n") == ["f.yml:3:3: " + message])
    }

    @Test func aKeyGivenTwiceInAFlowMappingIsPlacedAtTheFirst() {
        #expect(
            errors("summary: {en: a, en: b}\n") == [
                "f.yml:1:11: error: 'en' is given twice in the same mapping (first at line 1); keep one of them"
            ])
    }
}

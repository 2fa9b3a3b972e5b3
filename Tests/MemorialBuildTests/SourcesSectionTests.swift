import Testing

@testable import MemorialBuild
@testable import MemorialContent

/// The case page shows one Sources section: the narrative's own, taken out of its text, and
/// the record's sources after it.
@Suite struct SourcesSectionTests {
    /// A narrative's own "Sources" section leaves the narrative for the page's one Sources section.
    @Test func theNarrativesSourcesSectionIsTakenOutUpToTheNextHeadingOrTheFootnotes() {
        let body =
            "## Life\n\nText.[^n]\n\n## Источники\n\n- <https://a.example/>\n\n## After\n\nMore.\n\n[^n]: Note.\n"
        var html = MarkdownRenderer.render(body, file: "x.md", lineOffset: 0, headingOffset: 1).html
        let part = PageRenderer.sourcesPart(of: &html, heading: "Источники")
        #expect(part?.contains("href=\"https://a.example/\"") == true)
        #expect(part?.contains("After") == false)
        #expect(!html.contains("Источники") && !html.contains("a.example"))
        #expect(html.contains("<h3>Life</h3>") && html.contains("<h3>After</h3>") && html.contains("footnotes"))
        var last = MarkdownRenderer.render(
            "Text.[^n]\n\n## Sources\n\n- one\n\n[^n]: Note.\n", file: "x.md", lineOffset: 0, headingOffset: 1
        ).html
        #expect(PageRenderer.sourcesPart(of: &last, heading: "Sources")?.contains("<li>one</li>") == true)
        #expect(last.contains("class=\"footnotes\"") && !last.contains("<li>one</li>"))
        var none = "<h3>Life</h3>\n"
        #expect(PageRenderer.sourcesPart(of: &none, heading: "Sources") == nil && none == "<h3>Life</h3>\n")
    }
}

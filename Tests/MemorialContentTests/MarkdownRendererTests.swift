import Dispatch
import MemorialCore
import Synchronization
import Testing

@testable import MemorialContent

@Suite struct MarkdownRendererTests {
    @Test func rendersTheGitHubExtensions() {
        let html = MarkdownRenderer.render(
            "~~gone~~ www.example.org\n\n| a |\n|---|\n| 1 |\n\n- [ ] open\n\nNote.[^n]\n\n[^n]: Footnote.\n",
            file: "x.md", lineOffset: 0
        ).html
        #expect(html.contains("<del>gone</del>"))
        #expect(html.contains("<a href=\"http://www.example.org\">www.example.org</a>"))
        #expect(html.contains("<td>1</td>"))
        #expect(html.contains("<input type=\"checkbox\" disabled=\"\" /> open"))
        #expect(html.contains("class=\"footnotes\""))
    }

    @Test func dropsRawHTMLAndUnsafeLinksWithAWarningAtTheirPlace() {
        let body =
            "Intro.\n\n<div onclick=x>raw</div>\n\nSee [a](javascript:alert(1)), [b](JavaScript:x), [c]( vbscript:x),\n[d](data:text/html,x) and ![e](data:image/png;base64,AA).\nӘ <span>inline</span>\n"
        let rendered = MarkdownRenderer.render(body, file: "c/en.md", lineOffset: 4)
        #expect(!rendered.html.contains("onclick"))
        #expect(!rendered.html.contains("<span>"))
        #expect(!rendered.html.lowercased().contains("javascript:"))
        #expect(!rendered.html.contains("vbscript:"))
        #expect(!rendered.html.contains("data:"))
        // A dropped link keeps its text, a dropped image its description, and neither leaves an
        // empty address behind (an empty `src` is not valid HTML).
        #expect(rendered.html.contains("<p>See a, b, c,\nd and e.\n"))
        #expect(!rendered.html.contains("href=\"\"") && !rendered.html.contains("<img"))
        #expect(
            rendered.diagnostics.map { "\($0.location.line):\($0.location.column) \($0.message.prefix(12))" } == [
                "7:1 raw HTML is ", "9:5 javascript: ", "9:31 javascript: ", "9:50 vbscript: li", "10:1 data: link t",
                "10:27 data: link t", "11:3 raw HTML is ", "11:15 raw HTML is ",
            ])
    }

    @Test func rewritesLinksToFilesOfTheCaseFolder() {
        let rendered = MarkdownRenderer.render(
            "![Scan](scan%201.jpg) [pdf](./protocol.pdf) [other](missing.jpg) [web](https://x.org/a.jpg)",
            file: "x.md", lineOffset: 0, localFiles: ["scan 1.jpg", "protocol.pdf"], mediaPrefix: "/media/x/")
        #expect(rendered.html.contains("<img src=\"/media/x/scan%201.jpg\" alt=\"Scan\" />"))
        #expect(rendered.html.contains("<a href=\"/media/x/protocol.pdf\">"))
        #expect(rendered.html.contains("<a href=\"missing.jpg\">"))
        #expect(rendered.localFiles == ["scan 1.jpg", "protocol.pdf"])
    }

    @Test func leavesOutLinksToWithheldDocumentsKeepingTheirText() {
        let rendered = MarkdownRenderer.render(
            "See [the file](secret.jpg), ![a *scan*](./secret.jpg) and [the photo](photo.jpg).",
            file: "c/en.md", lineOffset: 3, localFiles: ["photo.jpg", "secret.jpg"], withheldFiles: ["secret.jpg"],
            mediaPrefix: "/media/c/")
        #expect(
            rendered.html == "<p>See the file, a <em>scan</em> and <a href=\"/media/c/photo.jpg\">the photo</a>.</p>\n")
        #expect(rendered.localFiles == ["photo.jpg"])
        #expect(
            rendered.diagnostics.map { "\($0.location.line):\($0.location.column) \($0.severity)" } == [
                "4:5 warning", "4:29 warning",
            ])
        #expect(rendered.diagnostics.allSatisfy { $0.message.hasPrefix("'secret.jpg' is a document whose status") })
    }

    @Test func aFileNameWithASpaceInALinkIsToldToUseAngleBrackets() {
        let rendered = MarkdownRenderer.render(
            "Text.\n\nSee ![Portrait](my photo.jpg) and [it](<my photo.jpg>), [web](a b).\n", file: "c/en.md",
            lineOffset: 4, localFiles: ["my photo.jpg"], mediaPrefix: "/media/c/")
        #expect(rendered.html.contains("See ![Portrait](my photo.jpg) and <a href=\"/media/c/my%20photo.jpg\">it</a>"))
        #expect(
            rendered.diagnostics.map { $0.formatted() } == [
                "c/en.md:7:5: warning: 'my photo.jpg' has a space in its name, so this is not read as a link and "
                    + "shows as written; put the name in angle brackets: (<my photo.jpg>)"
            ])
    }

    @Test func writesATableColumnsAlignmentAsAStyle() {
        let html = MarkdownRenderer.render("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n", file: "x.md", lineOffset: 0)
            .html
        #expect(html.contains("<th style=\"text-align: left\">a</th>"))
        #expect(html.contains("<td style=\"text-align: center\">2</td>"))
        #expect(html.contains("<td style=\"text-align: right\">3</td>"))
        #expect(!html.contains("align=\""))
    }

    /// cmark-gfm 0.29 is not thread-safe (see `MarkdownRenderer`): rendering concurrently, with
    /// every extension that has inline characters in use, must give what a serial rendering gives.
    @Test func concurrentRenderingEqualsSerialRendering() {
        let documents = (0..<3000).map { index in
            "# Case \(index)\n\n~~struck \(index)~~ and **bold** www.example.org/\(index)\n\n| a | b |\n|---|---|\n| \(index) | x |\n\n- [x] task\n\nNote.[^\(index)]\n\n[^\(index)]: Footnote \(index).\n"
        }
        let serial = documents.map { MarkdownRenderer.render($0, file: "x.md", lineOffset: 0).html }
        let concurrent = Mutex([String](repeating: "", count: documents.count))
        DispatchQueue.concurrentPerform(iterations: documents.count) { index in
            let html = MarkdownRenderer.render(documents[index], file: "x.md", lineOffset: 0).html
            concurrent.withLock { $0[index] = html }
        }
        let results = concurrent.withLock { $0 }
        let differing = results.indices.filter { results[$0] != serial[$0] }
        #expect(differing.isEmpty, "documents rendered differently: \(differing.count), e.g. \(differing.prefix(5))")
        #expect(serial.allSatisfy { $0.contains("<del>struck") })
        #expect(serial.allSatisfy { $0.contains("<a href=\"http://www.example.org/") })
        #expect(serial.allSatisfy { $0.contains("<table>") && $0.contains("checked=\"\"") })
    }

    /// cmark-gfm allocates from a bump arena per thread (`CMarkArena`): a document far larger
    /// than one of its blocks (a 300 KB table, a paragraph of 200 KB whose buffer grows by
    /// reallocation across blocks) renders whole, and the next small one on the same thread
    /// (from the emptied arena) renders as before it.
    @Test func largeDocumentsRenderWholeFromTheArena() {
        let small = "Before ~~and~~ after.\n"
        let before = MarkdownRenderer.render(small, file: "x.md", lineOffset: 0).html
        let rows = (0..<8000).map { "| \($0) | ~~row \($0)~~ |" }.joined(separator: "\n")
        let paragraph = (0..<20000).map { "word\($0)" }.joined(separator: " ")
        let html = MarkdownRenderer.render(
            "| n | text |\n|---|---|\n\(rows)\n\n\(paragraph)\n", file: "x.md", lineOffset: 0
        ).html
        #expect(html.utf8Offset(of: "<td>7999</td>") != nil)
        #expect(html.components(separatedBy: "<del>row ").count == 8001)
        #expect(html.contains("word0 word1 ") && html.contains(" word19999</p>"))
        #expect(MarkdownRenderer.render(small, file: "x.md", lineOffset: 0).html == before)
        #expect(before == "<p>Before <del>and</del> after.</p>\n")
    }

    /// A narrative sits under the case page's "Life and fate" (h2): its `##` is an h3.
    @Test func headingsMoveDownByTheOffsetAndNoFurtherThanH6() {
        let body = "# One\n\n## Two\n\n###### Six\n"
        let plain = MarkdownRenderer.render(body, file: "x.md", lineOffset: 0).html
        #expect(plain.contains("<h1>One</h1>") && plain.contains("<h2>Two</h2>") && plain.contains("<h6>Six</h6>"))
        let shifted = MarkdownRenderer.render(body, file: "x.md", lineOffset: 0, headingOffset: 1).html
        #expect(
            shifted.contains("<h2>One</h2>") && shifted.contains("<h3>Two</h3>") && shifted.contains("<h6>Six</h6>"))
    }

    /// cmark-gfm labels footnote back-links in English; a kk or ru page gives its own label.
    @Test func footnoteBackLinksTakeTheGivenLabel() {
        let html = MarkdownRenderer.render("Note.[^n]\n\n[^n]: Footnote.\n", file: "x.md", lineOffset: 0).html
        #expect(html.contains(MarkdownRenderer.backReferenceLabel))
        let labelled = MarkdownRenderer.labellingBackReferences(html, escapedLabel: "Мәтінге оралу")
        #expect(!labelled.contains("Back to content"))
        #expect(labelled.contains("data-footnote-backref aria-label=\"Мәтінге оралу\""))
        #expect(
            MarkdownRenderer.labellingBackReferences("<p>Back to content</p>", escapedLabel: "x")
                == "<p>Back to content</p>")
    }
}

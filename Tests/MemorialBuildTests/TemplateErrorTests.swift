import Foundation
import MemorialCore
import TestSupport
import Testing

@testable import MemorialBuild
@testable import MemorialContent
@testable import MemorialTemplates

/// Every error the engine reports in a template, with its exact message and place (1-based
/// line and column, columns in characters). `InvalidSiteTests` shows them in a site's files.
@Suite struct TemplateErrorTests {
    static let transforms =
        "first(), last(), index(), even(), odd(), empty(), count(), lowercased(), uppercased(), capitalized(), "
        + "equalzero(), plusone() and minusone()"

    /// The one error of `template`, as `line:column: message`.
    func error(_ template: String) -> String {
        do {
            _ = try CompiledTemplates(sources: ["main": template, "fine": "{{ok}}"])
            return "no error"
        } catch {
            return error.errors.map { "\($0.template) \($0.line):\($0.column): \($0.message)" }.joined(separator: "\n")
        }
    }

    @Test func aSectionClosedWithAnotherName() {
        #expect(
            error("a\n{{#a}}\n{{/b}}")
                == "main 3:4: a section is closed with another name than it was opened with; "
                + "check that each {{#name}} ends with {{/name}}")
        #expect(
            error("{{#first(list)}}x{{/list}}")
                == "main 1:21: a section is closed with another name than it was opened with; "
                + "check that each {{#name}} ends with {{/name}}")
    }

    @Test func aClosingTagWithoutASection() {
        #expect(error("x {{/a}}") == "main 1:6: {{/a}} closes no section; remove it, or add the {{#a}} that opens it")
    }

    @Test func aSectionNeverClosedIsReportedWhereItOpens() {
        let message = "a section is never closed; add the {{/name}} that ends it"
        #expect(error("one\n  {{#items}}\n  <li>") == "main 2:6: \(message)")
        #expect(error("{{^ empty }}none") == "main 1:5: \(message)")
        #expect(error("{{$block}}x") == "main 1:4: \(message)")
        #expect(error("{{<base}}{{$main}}x{{/main}}") == "main 1:4: \(message)")
        #expect(error("{{=<% %>=}}\n<%#a%>") == "main 2:4: \(message)")
    }

    @Test func aTagNotFinished() {
        #expect(error("abc {{name") == "main 1:5: a tag is not finished; close it with }}")
        #expect(error("abc {{") == "main 1:5: a tag is not finished; close it with }}")
        #expect(error("abc {{\nname\n") == "main 1:5: a tag is not finished; close it with }}")
        #expect(error("{{name}x") == "main 1:7: a tag is not finished; close it with }}")
        #expect(error("{{=<% %>=}} <%name") == "main 1:13: a tag is not finished; close it with %>")
        #expect(error("{{>partial") == "main 1:1: a tag is not finished; close it with }}")
    }

    @Test func aCharacterThatCannotBeInAName() {
        #expect(
            error("{{first name}}") == "main 1:9: a name cannot contain spaces; close the tag with }} after the name")
        #expect(
            error("{{#a+b}}{{/a+b}}")
                == "main 1:5: “+” cannot be in a name (letters, digits and . - _ ? * only); "
                + "close the tag with }} after the name")
    }

    @Test func aTripleTagNotFinished() {
        #expect(error("{{{name}}") == "main 1:1: a {{{name}}} tag is not finished; close it with }}}")
        #expect(error("{{{name}} x") == "main 1:10: a {{{name}}} tag is not finished; close it with }}}")
    }

    @Test func aMalformedTransform() {
        let message = "is not a name or a transform; write transform(name), with a ) for each ("
        #expect(error("{{a(b}}") == "main 1:3: “a(b” \(message)")
        #expect(error("{{first(a))}}") == "main 1:3: “first(a))” \(message)")
        #expect(error("{{count(first(list)}}") == "main 1:3: “count(first(list)” \(message)")
    }

    @Test func aTransformTheEngineDoesNotHave() {
        #expect(
            error("<ul>{{#sorted(list)}}{{.}}{{/sorted(list)}}</ul>")
                == "main 1:8: the transform sorted() is not supported; the transforms are \(Self.transforms)")
        #expect(
            error("{{count(reversed(list))}}")
                == "main 1:3: the transform reversed() is not supported; the transforms are \(Self.transforms)")
        #expect(
            error("{{#enumerated(o)}}{{/enumerated(o)}}")
                == "main 1:4: the transform enumerated() is not supported; the transforms are \(Self.transforms)")
        #expect(
            error("{{nosuch(s)}}") == "main 1:3: there is no transform nosuch(); the transforms are \(Self.transforms)")
    }

    @Test func aBlockWithATransform() {
        #expect(
            error("{{$first(b)}}x{{/b}}")
                == "main 1:4: a block cannot have a transform; write {{$name}} with a plain name")
    }

    @Test func aTagInsideAParentOutsideItsBlocks() {
        let message = "{{<base}} can hold only block overrides ({{$name}}…{{/name}}); move this tag into one of them"
        #expect(error("{{<base}}\n<p>{{x}}</p>\n{{/base}}") == "main 2:4: \(message)")
        #expect(error("{{<base}}{{#a}}{{/a}}{{/base}}") == "main 1:10: \(message)")
        #expect(error("{{<base}}{{>p}}{{/base}}") == "main 1:10: \(message)")
        #expect(error("{{<base}}{{% CONTENT_TYPE: HTML}}{{/base}}") == "main 1:10: \(message)")
    }

    @Test func aCommentNotFinished() {
        #expect(error("a {{! note") == "main 1:3: a comment is not finished; close it with }}")
    }

    @Test func aDelimiterChangeWrittenWrong() {
        let message =
            "a delimiter change is not written right; write it as {{=<% %>=}}: "
            + "the two new delimiters, without spaces in them, between = signs"
        #expect(error("{{=<% %>}}") == "main 1:1: \(message)")
        #expect(error("x\n {{=<%%>=}}") == "main 2:2: \(message)")
        #expect(
            error("{{=<% %>=}}<%=[ ]=>")
                == "main 1:12: a delimiter change is not written right; write it as <%=<% %>=%>: "
                + "the two new delimiters, without spaces in them, between = signs")
    }

    @Test func aSettingOtherThanHTML() {
        #expect(
            error("{{% CONTENT_TYPE: TEXT}}")
                == "main 1:1: the content type TEXT is not supported: every {{name}} is escaped for HTML; "
                + "remove the tag, and write {{{name}}} where a value must not be escaped")
        #expect(
            error("x {{% FOO: bar}}")
                == "main 1:3: there is no setting FOO; remove the tag (the one setting is CONTENT_TYPE)")
        #expect(
            error("{{%CONTENT_TYPE}}")
                == "main 1:1: a setting is not written right; write {{% CONTENT_TYPE: HTML}}, the only one"
        )
    }

    @Test func aTagWithoutAName() {
        #expect(error("a {{ }}") == "main 1:3: a tag has no name; write {{name}}, or {{.}} for the current value")
        #expect(error("{{#}}{{/}}") == "main 1:1: a tag has no name; write {{name}}, or {{.}} for the current value")
        #expect(error("{{>}}") == "main 1:1: a partial tag has no name; write {{>name}}")
        #expect(error("{{<*}}{{/*}}") == "main 1:1: a partial tag has no name; write {{<name}}")
    }

    @Test func linesAndColumnsCountCharacters() {
        #expect(error("Қазақ\r\n  ә {{/x}}").hasPrefix("main 2:8: "))
        #expect(error("a\rb\n{{/x}}").hasPrefix("main 3:4: "))
        #expect(error("e\u{301}e\u{301} {{/x}}").hasPrefix("main 1:7: "))
    }

    @Test func aSiteTemplateThatIsNotUTF8() throws {
        let site = try TemporarySite(fixture: "Sites/minimal")
        defer { site.remove() }
        let folder = site.root.appending(path: "templates")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data([0x7B, 0x7B, 0xFF, 0x7D, 0x7D]).write(to: folder.appending(path: "page.mustache"))
        var diagnostics = Diagnostics()
        _ = TemplateLibrary.load(siteRoot: site.root, diagnostics: &diagnostics)
        #expect(
            diagnostics.all.map { $0.formatted() } == [
                "templates/page.mustache:1:1: error: the template is not valid UTF-8; save it as UTF-8"
            ])
    }

    @Test func everyTemplateWithAnErrorIsReported() {
        do {
            _ = try CompiledTemplates(sources: ["b": "{{/x}}", "a": "{{#y}}", "c": "fine"])
            Issue.record("no error")
        } catch {
            #expect(error.errors.map(\.template) == ["a", "b"])
        }
    }
}

import Testing

@testable import MemorialTemplates

/// Every error the engine reports in a template, with its exact message and place (1-based
/// line and column, columns in characters). `TemplateEngineTests` shows one in a site's file.
@Suite struct TemplateErrorTests {
    static let transforms =
        "is not a name, and the only transforms are first() and last() (true on the first and the last item "
        + "of a list section); write one of them, or a plain name"

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
            error("{{#first()}}x{{/last()}}")
                == "main 1:17: a section is closed with another name than it was opened with; "
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
        #expect(error("{{a(b}}") == "main 1:3: “a(b” \(Self.transforms)")
        #expect(error("{{first(a))}}") == "main 1:3: “first(a))” \(Self.transforms)")
        #expect(error("{{#first(}}") == "main 1:4: “first(” \(Self.transforms)")
    }

    /// swift-mustache's other transforms, which no template uses, and transforms it does not have.
    @Test func aTransformOtherThanFirstOrLast() {
        #expect(
            error("<ul>{{#sorted(list)}}{{.}}{{/sorted(list)}}</ul>") == "main 1:8: “sorted(list)” \(Self.transforms)")
        #expect(error("{{count(reversed(list))}}") == "main 1:3: “count(reversed(list))” \(Self.transforms)")
        #expect(error("{{#list}}\n{{^ index() }}") == "main 2:5: “index()” \(Self.transforms)")
        #expect(error("{{{first(list)}}}") == "main 1:4: “first(list)” \(Self.transforms)")
        #expect(error("{{&uppercased(s)}}") == "main 1:4: “uppercased(s)” \(Self.transforms)")
        #expect(error("{{nosuch(s)}}") == "main 1:3: “nosuch(s)” \(Self.transforms)")
    }

    @Test func aBlockWithATransform() {
        #expect(
            error("{{$first()}}x{{/first()}}")
                == "main 1:4: a block cannot have a transform; write {{$name}} with a plain name")
    }

    /// `{{>*name}}` and `{{<*name}}`, swift-mustache's partials named by a value.
    @Test func aDynamicPartialOrParent() {
        #expect(
            error("x {{>*which}}")
                == "main 1:6: dynamic names ({{>*name}}) are not supported; name the template itself: {{>name}}")
        #expect(
            error("{{< *base}}{{/*base}}")
                == "main 1:5: dynamic names ({{<*name}}) are not supported; name the template itself: {{<name}}")
        #expect(
            error("{{=<% %>=}}<%>*%>")
                == "main 1:15: dynamic names (<%>*name%>) are not supported; name the template itself: <%>name%>")
    }

    /// `{{%…}}`, swift-mustache's `CONTENT_TYPE`, whose only use would be to stop escaping HTML.
    @Test func aPragma() {
        let message = "are not supported; remove the tag: {{name}} escapes HTML and {{&name}} does not"
        #expect(error("{{% CONTENT_TYPE: HTML}}") == "main 1:1: pragmas ({{%…}}) \(message)")
        #expect(error("x\n {{%CONTENT_TYPE: TEXT}}\n") == "main 2:2: pragmas ({{%…}}) \(message)")
        #expect(
            error("{{=[ ]=}}[%FOO]")
                == "main 1:10: pragmas ([%…]) are not supported; remove the tag: [name] escapes HTML and [&name] does not"
        )
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

    @Test func aTagWithoutAName() {
        #expect(error("a {{ }}") == "main 1:3: a tag has no name; write {{name}}, or {{.}} for the current value")
        #expect(error("{{#}}{{/}}") == "main 1:1: a tag has no name; write {{name}}, or {{.}} for the current value")
        #expect(error("{{>}}") == "main 1:1: a partial tag has no name; write {{>name}}")
        #expect(error("{{<}}{{/}}") == "main 1:1: a partial tag has no name; write {{<name}}")
    }

    @Test func linesAndColumnsCountCharacters() {
        #expect(error("Қазақ\r\n  ә {{/x}}").hasPrefix("main 2:8: "))
        #expect(error("a\rb\n{{/x}}").hasPrefix("main 3:4: "))
        #expect(error("e\u{301}e\u{301} {{/x}}").hasPrefix("main 1:7: "))
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

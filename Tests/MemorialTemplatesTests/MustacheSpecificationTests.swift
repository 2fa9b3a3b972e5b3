import Testing

@testable import MemorialTemplates

/// The engine against what the Mustache specification (mustache/spec: interpolation, sections,
/// inverted sections, comments, partials, set delimiters, inheritance) documents, each behaviour
/// with a case of its own and its exact output.
@Suite struct MustacheSpecificationTests {
    /// `template` rendered over `context` with `partials` beside it.
    func render(
        _ template: String, _ context: TemplateValue = [:], partials: [String: String] = [:]
    ) throws -> String {
        var sources = partials
        sources["main"] = template
        let templates = try CompiledTemplates(sources: sources)
        var output: [UInt8] = []
        templates.render(context, template: "main", into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    // MARK: - Interpolation

    @Test func textWithoutTagsIsCopiedAsItIs() throws {
        #expect(
            try render("Plain {text} and } braces\r\nwith a line break\n")
                == "Plain {text} and } braces\r\nwith a line break\n")
    }

    @Test func doubleBracesEscapeHTML() throws {
        let context: TemplateValue = ["name": "<b>Tom & \"Jerry\" O'Hara</b>"]
        #expect(try render("Hi {{name}}!", context) == "Hi &lt;b&gt;Tom &amp; &quot;Jerry&quot; O&#39;Hara&lt;/b&gt;!")
    }

    @Test func tripleBracesAndAmpersandDoNotEscape() throws {
        let context: TemplateValue = ["html": "<em>a & b</em>"]
        #expect(
            try render("{{{html}}}|{{&html}}|{{{ html }}}|{{& html }}", context) == String(
                repeating: "<em>a & b</em>|", count: 3) + "<em>a & b</em>")
    }

    @Test func numbersPrintInDecimal() throws {
        #expect(
            try render("{{count}} cases, {{delta}} since", ["count": 1937, "delta": -12]) == "1937 cases, -12 since")
    }

    @Test func aMissingNameIsEmpty() throws {
        #expect(try render("[{{nothing}}|{{{nothing}}}|{{&nothing}}|{{no.such.path}}]", ["some": "x"]) == "[|||]")
    }

    @Test func spacesInsideTagsAreIgnored() throws {
        #expect(try render("|{{ word }}|{{{  word  }}}|{{&  word }}|", ["word": "ok"]) == "|ok|ok|ok|")
    }

    @Test func aTagMayGoOverSeveralLines() throws {
        #expect(try render("|{{\nword\n}}|{{#\r\nflag }}yes{{/flag}}|", ["word": "ok", "flag": true]) == "|ok|yes|")
    }

    @Test func aStartDelimiterCutShortByTheEndIsText() throws {
        #expect(try render("a {") == "a {")
        #expect(try render("{{=<% %>=}}a <") == "a <")
    }

    @Test func whitespaceAroundATagIsKept() throws {
        #expect(try render("  {{word}}  \n", ["word": "ok"]) == "  ok  \n")
        #expect(try render("{{word}}\n", ["word": "ok"]) == "ok\n")
    }

    @Test func dottedNamesStepIntoObjects() throws {
        let context: TemplateValue = ["person": ["name": "Aigerim", "born": ["year": 1908]]]
        #expect(try render("{{person.name}} ({{person.born.year}})", context) == "Aigerim (1908)")
        #expect(try render("{{{person.name}}}/{{&person.born.year}}", context) == "Aigerim/1908")
    }

    @Test func aDottedNameWhosePartIsMissingIsEmptyAndDoesNotClimb() throws {
        let context: TemplateValue = ["a": ["b": [:]], "c": "top c", "b": ["c": "top b.c"]]
        #expect(try render("[{{a.b.c}}]", context) == "[]")
        #expect(try render("[{{a.x.c}}]", context) == "[]")
    }

    @Test func onlyTheFirstPartOfADottedNameIsLookedUpInEnclosingContexts() throws {
        let context: TemplateValue = ["place": ["city": "Almaty"], "inner": ["other": 1]]
        #expect(try render("{{#inner}}{{place.city}}{{/inner}}", context) == "Almaty")
    }

    @Test func theImplicitIteratorIsTheCurrentValue() throws {
        #expect(try render("[{{.}}]", "a<b") == "[a&lt;b]")
        #expect(try render("[{{{.}}}]", "a<b") == "[a<b]")
        #expect(try render("{{#list}}({{.}}){{/list}}", ["list": ["x", "y", 3]]) == "(x)(y)(3)")
    }

    // MARK: - Sections

    @Test func aTrueSectionIsShownAndAFalseOneIsNot() throws {
        #expect(try render("<{{#flag}}shown{{/flag}}>", ["flag": true]) == "<shown>")
        #expect(try render("<{{#flag}}shown{{/flag}}>", ["flag": false]) == "<>")
        #expect(try render("<{{#missing}}shown{{/missing}}>") == "<>")
    }

    @Test func aListSectionIsShownOncePerItemWithTheItemAsContext() throws {
        let context: TemplateValue = ["people": [["name": "Ahmet"], ["name": "Saken"], ["name": "Magzhan"]]]
        #expect(try render("{{#people}}{{name}}, {{/people}}", context) == "Ahmet, Saken, Magzhan, ")
    }

    @Test func anEmptyListSectionIsNotShown() throws {
        #expect(try render("<{{#people}}x{{/people}}>", ["people": []]) == "<>")
    }

    @Test func anObjectSectionPushesTheObject() throws {
        let context: TemplateValue = ["case": ["id": "A-1", "name": "Zhusup"], "id": "top"]
        #expect(try render("{{#case}}{{id}}: {{name}}{{/case}} {{id}}", context) == "A-1: Zhusup top")
    }

    @Test func namesClimbNestedContexts() throws {
        let context: TemplateValue = [
            "a": ["one": 1], "b": ["two": 2], "c": ["three": 3, "one": "c one"],
        ]
        #expect(
            try render("{{#a}}{{one}}{{#b}}{{one}}{{two}}{{#c}}{{one}}{{two}}{{three}}{{/c}}{{/b}}{{/a}}", context)
                == "112c one23")
    }

    @Test func aListOfListsNestsSections() throws {
        let context: TemplateValue = ["rows": [["a", "b"], ["c"]]]
        #expect(try render("{{#rows}}[{{#.}}{{.}}{{/.}}]{{/rows}}", context) == "[ab][c]")
    }

    @Test func dottedNamesOpenSections() throws {
        let context: TemplateValue = ["a": ["b": ["c": true]]]
        #expect(try render("{{#a.b.c}}here{{/a.b.c}}|{{#a.x.c}}not{{/a.x.c}}", context) == "here|")
    }

    @Test func theSameSectionTwice() throws {
        #expect(try render("{{#f}}1{{/f}} and {{#f}}2{{/f}}", ["f": true]) == "1 and 2")
    }

    @Test func standaloneSectionTagsLeaveNoLine() throws {
        let template = "| before\n{{#flag}}\n| inside\n  {{/flag}}  \n| after\n"
        #expect(try render(template, ["flag": true]) == "| before\n| inside\n| after\n")
        #expect(try render(template, ["flag": false]) == "| before\n| after\n")
    }

    @Test func standaloneSectionTagsWithCRLF() throws {
        #expect(try render("|\r\n{{#flag}}\r\n{{/flag}}\r\n|", ["flag": true]) == "|\r\n|")
    }

    @Test func aStandaloneTagOnTheFirstOrLastLine() throws {
        #expect(try render("  {{#flag}}\n#{{/flag}}\n/", ["flag": true]) == "#\n/")
        #expect(try render("#{{#flag}}\n/\n  {{/flag}}", ["flag": true]) == "#\n/\n")
    }

    @Test func sectionTagsAmongTextAreNotStandalone() throws {
        #expect(try render(" {{#flag}}YES{{/flag}}\n {{#flag}}GOOD{{/flag}}\n", ["flag": true]) == " YES\n GOOD\n")
    }

    // MARK: - Inverted sections

    @Test func anInvertedSectionIsShownForFalseMissingAndEmpty() throws {
        let template = "<{{^v}}none{{/v}}>"
        #expect(try render(template, ["v": false]) == "<none>")
        #expect(try render(template, [:]) == "<none>")
        #expect(try render(template, ["v": []]) == "<none>")
        #expect(try render(template, ["v": true]) == "<>")
        #expect(try render(template, ["v": ["x"]]) == "<>")
        #expect(try render(template, ["v": ["k": "x"]]) == "<>")
    }

    @Test func anInvertedSectionWithADottedName() throws {
        #expect(try render("{{^a.b}}no b{{/a.b}}", ["a": [:]]) == "no b")
        #expect(try render("{{^a.b}}no b{{/a.b}}", ["a": ["b": true]]) == "")
    }

    @Test func aSectionAndItsInverse() throws {
        let template = "{{#items}}<li>{{.}}</li>{{/items}}{{^items}}<p>nothing</p>{{/items}}"
        #expect(try render(template, ["items": ["a"]]) == "<li>a</li>")
        #expect(try render(template, ["items": []]) == "<p>nothing</p>")
    }

    @Test func standaloneInvertedSectionTagsLeaveNoLine() throws {
        #expect(try render("a\n  {{^flag}}\nb\n  {{/flag}}\nc\n", ["flag": false]) == "a\nb\nc\n")
    }

    // MARK: - Comments

    @Test func commentsAreNotShown() throws {
        #expect(try render("12{{! a comment }}34") == "1234")
        #expect(try render("12{{!\n  over\n  lines\n}}34") == "1234")
        #expect(try render("12 {{! between spaces }} 34") == "12  34")
    }

    @Test func aStandaloneCommentLeavesNoLine() throws {
        #expect(try render("Begin.\n{{! comment }}\nEnd.") == "Begin.\nEnd.")
        #expect(try render("Begin.\n   {{! indented }}  \nEnd.") == "Begin.\nEnd.")
        #expect(try render("Begin.\r\n{{! comment }}\r\nEnd.") == "Begin.\r\nEnd.")
        #expect(try render("  {{! first line }}\n!") == "!")
        #expect(try render("!\n  {{! last line }}") == "!\n")
        #expect(try render("Begin.\n{{!\n  several\n  lines\n}}\nEnd.") == "Begin.\nEnd.")
    }

    @Test func aCommentAmongTextKeepsTheLine() throws {
        #expect(try render("  12 {{! 34 }}\n") == "  12 \n")
    }

    // MARK: - Partials

    @Test func aPartialIsRenderedInPlaceWithTheSameContext() throws {
        #expect(try render("\"{{>inner}}\"", ["who": "you"], partials: ["inner": "hello {{who}}"]) == "\"hello you\"")
        #expect(try render("[{{> inner }}]", partials: ["inner": "x"]) == "[x]")
    }

    @Test func aMissingPartialIsEmpty() throws {
        #expect(try render("\"{{>nowhere}}\"") == "\"\"")
    }

    @Test func aPartialInsideASectionSeesTheItem() throws {
        let context: TemplateValue = ["people": [["name": "A"], ["name": "B"]]]
        #expect(
            try render("{{#people}}{{>person}}{{/people}}", context, partials: ["person": "<{{name}}>"]) == "<A><B>")
    }

    @Test func partialsNestAndRecurse() throws {
        let tree: TemplateValue = ["name": "1", "kids": [["name": "1.1", "kids": [["name": "1.1.1", "kids": []]]]]]
        #expect(
            try render("{{>node}}", tree, partials: ["node": "({{name}}{{#kids}}{{>node}}{{/kids}})"])
                == "(1(1.1(1.1.1)))")
        #expect(try render("{{>a}}", partials: ["a": "a[{{>b}}]", "b": "b"]) == "a[b]")
    }

    @Test func whitespaceAroundAPartialAmongTextIsKept() throws {
        #expect(try render("| {{>p}} |", partials: ["p": "\t|\t"]) == "| \t|\t |")
        #expect(try render("  {{word}}  {{>p}}\n", ["word": "|"], partials: ["p": ">\n>"]) == "  |  >\n>\n")
    }

    @Test func aStandalonePartialIsIndentedLineByLine() throws {
        let partial = "|\n{{{content}}}\n|\n"
        #expect(
            try render("\\\n {{>p}}\n/\n", ["content": "<\n->"], partials: ["p": partial]) == "\\\n |\n <\n->\n |\n/\n")
        #expect(try render("|\r\n{{>p}}\r\n|", partials: ["p": ">"]) == "|\r\n>|")
        #expect(try render("  {{>p}}\n>", partials: ["p": ">\n>"]) == "  >\n  >>")
        #expect(try render(">\n  {{>p}}", partials: ["p": ">\n>"]) == ">\n  >\n  >")
    }

    // MARK: - Set delimiters

    @Test func newDelimitersReplaceTheBraces() throws {
        #expect(try render("{{=<% %>=}}(<%text%>) {{text}}", ["text": "Hey!"]) == "(Hey!) {{text}}")
        #expect(try render("({{=[ ]=}}[text])", ["text": "It worked!"]) == "(It worked!)")
        #expect(try render("{{= | | =}}|text| |={{ }}=|{{text}}", ["text": "x"]) == "x x")
    }

    @Test func newDelimitersWorkForSectionsAndInvertedSections() throws {
        let template = "[\n{{#s}}\n  {{data}}\n  |data|\n{{/s}}\n{{= | | =}}\n|#s|\n  {{data}}\n  |data|\n|/s|\n]\n"
        #expect(
            try render(template, ["s": true, "data": "yes"]) == "[\n  yes\n  |data|\n  {{data}}\n  yes\n]\n")
        let inverted = "{{=<% %>=}}<%^s%>none<%/s%>"
        #expect(try render(inverted, ["s": false]) == "none")
    }

    @Test func newDelimitersDoNotReachIntoPartials() throws {
        let partials = ["include": ".{{value}}. {{= | | =}} .|value|."]
        #expect(
            try render("[ {{>include}} ]\n{{= | | =}}\n[ |>include| ]\n", ["value": "yes"], partials: partials)
                == "[ .yes.  .yes. ]\n[ .yes.  .yes. ]\n")
    }

    @Test func aStandaloneDelimiterChangeLeavesNoLine() throws {
        #expect(try render("Begin.\n{{=@ @=}}\nEnd.") == "Begin.\nEnd.")
        #expect(try render("Begin.\n  {{=@ @=}}  \nEnd.") == "Begin.\nEnd.")
        #expect(try render("  {{=@ @=}}\n=") == "=")
        #expect(try render("=\n  {{=@ @=}}") == "=\n")
        #expect(try render("| {{=@ @=}} |") == "|  |")
        #expect(try render("|{{= @   @ =}}|") == "||")
    }

    // MARK: - Inheritance

    @Test func aBlockOutsideAParentShowsItsDefault() throws {
        #expect(try render("{{$title}}Default title{{/title}}\n") == "Default title\n")
        #expect(
            try render("{{$b}}{{x}} {{{x}}} {{#f}}yes{{/f}}{{^f}}no{{/f}}{{/b}}", ["x": "<x>", "f": true])
                == "&lt;x&gt; <x> yes")
    }

    @Test func aParentWithoutOverridesShowsItsDefaults() throws {
        #expect(try render("{{<parent}}{{/parent}}", partials: ["parent": "<{{$a}}default a{{/a}}>"]) == "<default a>")
    }

    @Test func aChildOverridesTheParentsBlocks() throws {
        let parent = "<title>{{$title}}Default{{/title}}</title><main>{{$main}}none{{/main}}</main>"
        let child = "{{<parent}}{{$title}}Case {{id}}{{/title}}{{/parent}}"
        #expect(try render(child, ["id": 7], partials: ["parent": parent]) == "<title>Case 7</title><main>none</main>")
    }

    @Test func dataDoesNotOverrideABlock() throws {
        let parent = "{{$var}}in parent{{/var}}"
        #expect(
            try render("{{<p}}{{$var}}in child{{/var}}{{/p}}", ["var": "in data"], partials: ["p": parent])
                == "in child")
        #expect(try render("{{<p}}{{/p}}", ["var": "in data"], partials: ["p": parent]) == "in parent")
    }

    @Test func theSameParentTwiceWithOtherOverrides() throws {
        let partials = ["p": "|{{$stuff}}...{{/stuff}}|"]
        #expect(
            try render(
                "test {{<p}}{{$stuff}}one{{/stuff}}{{/p}} {{<p}}{{$stuff}}two{{/stuff}}{{/p}}", partials: partials)
                == "test |one| |two|")
    }

    @Test func theOutermostOverrideWinsOverSeveralLevels() throws {
        let partials = [
            "grandparent": "{{$a}}g{{/a}}-{{$b}}g{{/b}}",
            "parent": "{{<grandparent}}{{$a}}p{{/a}}{{$b}}p{{/b}}{{/grandparent}}",
        ]
        #expect(try render("{{<parent}}{{$a}}c{{/a}}{{/parent}}", partials: partials) == "c-p")
        #expect(try render("{{<parent}}{{/parent}}", partials: partials) == "p-p")
    }

    @Test func overridesReachBlocksInThePartialsOfTheParent() throws {
        let partials = ["parent": "[{{>inner}}]", "inner": "{{$a}}default{{/a}}"]
        #expect(try render("{{<parent}}{{$a}}child{{/a}}{{/parent}}", partials: partials) == "[child]")
    }

    @Test func textAndCommentsInsideAParentAreDiscarded() throws {
        let partials = ["parent": "{{$word}}peaked{{/word}}"]
        #expect(
            try render("{{<parent}} text {{! comment }} {{$word}}peaking{{/word}}{{/parent}}", partials: partials)
                == "peaking")
    }

    @Test func anOverrideIsReindentedLikeTheBlockItReplaces() throws {
        let partials = ["parent": "stop:\n  {{$nested}}\n  three\n  {{/nested}}\n"]
        #expect(
            try render("{{<parent}}{{$nested}}one\ntwo\n{{/nested}}{{/parent}}", partials: partials)
                == "stop:\n  one\n  two\n")
    }

    @Test func standaloneParentAndBlockTagsLeaveNoLine() throws {
        let partials = ["parent": "<main>\n{{$main}}\ndefault\n{{/main}}\n</main>\n"]
        let child = "{{<parent}}\n{{$main}}\nchild\n{{/main}}\n{{/parent}}\n"
        #expect(try render(child, partials: partials) == "<main>\nchild\n</main>\n")
    }
}

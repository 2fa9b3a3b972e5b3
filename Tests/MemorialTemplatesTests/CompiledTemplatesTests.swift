import Foundation
import Mustache
import TestSupport
import Testing

@testable import MemorialTemplates

/// `CompiledTemplates` against swift-mustache (a test dependency only), byte for byte:
/// hand-written corners of every feature, random templates, and every built-in template with
/// random contexts.
@Suite struct CompiledTemplatesTests {
    typealias Render = @Sendable (CompiledTemplates, TemplateValue, String, inout [UInt8]) -> Void

    static let compiledRender: Render = { templates, context, name, output in
        templates.render(context, template: name, into: &output)
    }

    /// swift-mustache's library of `sources`; nil when it refuses a template. Its own HTML
    /// escaping replaces the same five characters as `HTMLEscaping` (by `Character`, which only
    /// differs on one of them followed by a combining mark, which no test text has).
    static func mustacheLibrary(_ sources: [String: String]) -> MustacheLibrary? {
        var library = MustacheLibrary()
        for (name, source) in sources {
            guard (try? library.register(source, named: name)) != nil else { return nil }
        }
        return library
    }

    /// Where the two renderers differ on any template of `sources`, or nil when they agree.
    static func mismatch(
        sources: [String: String], context: TemplateValue, render: Render = compiledRender
    ) -> String? {
        guard let library = mustacheLibrary(sources) else { return "swift-mustache refuses the templates" }
        guard let compiled = try? CompiledTemplates(sources: sources) else { return "CompiledTemplates refuses them" }
        let value = context.mustacheValue
        for name in sources.keys.sorted() {
            let expected = Array((library.render(value, withTemplate: name) ?? "").utf8)
            var actual: [UInt8] = Array("kept".utf8)
            render(compiled, context, name, &actual)
            guard actual.starts(with: "kept".utf8) else { return "\(name): overwrote what was in the output" }
            actual.removeFirst(4)
            if actual != expected {
                let common = zip(actual, expected).prefix { $0 == $1 }.count
                return """
                    \(name): differs at byte \(common)
                    swift-mustache: \(String(decoding: expected, as: UTF8.self).debugDescription)
                    compiled:       \(String(decoding: actual, as: UTF8.self).debugDescription)
                    """
            }
        }
        return nil
    }

    func expectSame(
        sources: [String: String], context: TemplateValue, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        if let mismatch = Self.mismatch(sources: sources, context: context) {
            Issue.record("\(mismatch)\nsources: \(sources)", sourceLocation: sourceLocation)
        }
    }

    /// `expectSame` with a template named `main`, over each of `contexts`; also with `main` on
    /// a later line, where what is standalone on the first line is too.
    func expectSame(
        _ main: String, partials: [String: String] = [:], _ contexts: TemplateValue...,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        for main in [main, "first line\n" + main] {
            var sources = partials
            sources["main"] = main
            for context in contexts {
                expectSame(sources: sources, context: context, sourceLocation: sourceLocation)
            }
        }
    }

    static let awkward: TemplateValue = "<a href=\"x\">Tom & 'Jerry'</a> Қазақ"

    // MARK: - The check itself

    @Test func aWrongRendererIsCaught() {
        let sources = ["main": "a {{x}} b\n"]
        let context: TemplateValue = ["x": Self.awkward]
        #expect(Self.mismatch(sources: sources, context: context) == nil)
        let dropsLastByte: Render = { templates, context, name, output in
            templates.render(context, template: name, into: &output)
            output.removeLast()
        }
        #expect(Self.mismatch(sources: sources, context: context, render: dropsLastByte) != nil)
        let escapesNothing: Render = { _, _, _, output in output += Array("a <a href=\"x\">".utf8) }
        #expect(Self.mismatch(sources: sources, context: context, render: escapesNothing) != nil)
        let replaces: Render = { templates, context, name, output in
            output = []
            templates.render(context, template: name, into: &output)
        }
        #expect(Self.mismatch(sources: sources, context: context, render: replaces) != nil)
    }

    // MARK: - Variables

    @Test func variablesEscapeAndPrintAsSwiftMustacheDoes() {
        let context: TemplateValue = [
            "s": Self.awkward, "empty": "", "n": 42, "negative": -7, "zero": 0, "yes": true, "no": false,
            "list": ["a", 1, true], "object": ["k": "<v>"], "big": ["a": 1, "b": "two", "c": [1, 2], "d": [:]],
            "nested": [["a": "b"], [], ["x", ["y": false]]],
            "u": .utf8(Array(Self.awkward.description.utf8)), "emptyUTF8": .utf8([]),
            "inList": [.utf8(Array("a\"б".utf8))],
        ]
        expectSame("{{s}}|{{{s}}}|{{&s}}|{{ s }}|{{{ s }}}|{{& s}}|{{empty}}|{{missing}}|{{{missing}}}", context)
        // Text held as UTF-8 prints as the same text held as a String.
        expectSame("{{u}}|{{{u}}}|{{&u}}|{{emptyUTF8}}|{{{emptyUTF8}}}|{{inList}}", context)
        expectSame("{{n}} {{negative}} {{zero}} {{yes}} {{no}} {{{n}}} {{&no}}", context)
        expectSame("{{list}} {{object}} {{{object}}} {{big}} {{nested}} {{{nested}}}", context)
        expectSame("{{.}}", "a<b", 5, true, ["k": "v"], [1, 2])
        expectSame("{{int}}", ["int": .int(Int.min)], ["int": .int(Int.max)])
    }

    /// The renderer scans text eight bytes at a time: characters to escape at every position
    /// of a word, next to each other, at the end, and in texts shorter than a word.
    @Test func escapingFindsEveryCharacterWhereverItIs() throws {
        let templates = try CompiledTemplates(sources: ["main": "{{s}}|{{{s}}}"])
        var random = SplitMix64(seed: 0xE5C)
        let alphabet: [String] = ["a", "Z", "0", " ", "-", ";", "=", "?", "Қ", "é", "<", ">", "&", "\"", "'"]
        for _ in 0..<2000 {
            let text = (0..<random.below(40)).map { _ in random.chance(0.9) ? "x" : random.pick(alphabet) }.joined()
            var output: [UInt8] = []
            templates.render(["s": .string(text)], template: "main", into: &output)
            #expect(String(decoding: output, as: UTF8.self) == HTMLEscaping.escape(text) + "|" + text, "\(text)")
            var bytesOutput: [UInt8] = []
            templates.render(["s": .utf8(Array(text.utf8))], template: "main", into: &bytesOutput)
            #expect(bytesOutput == output, "\(text)")
        }
    }

    /// Pages that outgrow the renderer's first scratch space, also with a partial's indentation
    /// put into what was rendered before and after it grew.
    @Test func pagesLargerThanTheScratchSpace() {
        let items: TemplateValue = .list((0..<3000).map { .string("item <\($0)> & some more text") })
        expectSame("{{#items}}<li>{{.}}</li>\n{{/items}}", ["items": items])
        expectSame("  {{>p}}\nend", partials: ["p": "{{#items}}{{.}}\n{{/items}}"], ["items": items])
    }

    @Test func dottedNamesClimbTheContextStack() {
        let context: TemplateValue = [
            "a": ["b": ["c": "abc"], "s": "in a"], "s": "top", "lang": "kk",
            "items": [["lang": "ru"], ["name": "no lang"], "plain", 3],
        ]
        expectSame("{{a.b.c}} {{a.s}} {{a.missing}} {{a.b.c.d}} {{s.x}} {{.a.s}} {{..a.s}} {{a..s}} {{a.}}", context)
        expectSame("{{#a}}{{s}} {{b.c}} {{lang}} {{.s}} {{.lang}}{{/a}}", context)
        expectSame("{{#a.b}}{{c}} {{s}} {{a.s}}{{/a.b}}", context)
        expectSame("{{#items}}[{{lang}}|{{.lang}}|{{name}}|{{.}}]{{/items}}", context)
        // `a` is found, so `a.lang` does not climb on to the top's `lang`.
        expectSame("{{#items}}{{a.lang}}{{a.s}}{{/items}}", context)
        expectSame("{{#a}}{{#b}}{{#c}}{{.}} {{s}} {{lang}}{{/c}}{{/b}}{{/a}}", context)
        expectSame(
            "{{#entries}}{{#.description}}<p>{{.}}</p>{{/.description}}{{/entries}}",
            ["entries": [["description": "d1"], ["label": "x"], ["description": ""]], "description": "top"])
    }

    // MARK: - Sections

    @Test func sectionsAndInvertedSectionsOverEveryKindOfValue() {
        let values: [TemplateValue] = [
            "", "text", 0, 7, true, false, [], ["a"], ["one", "two", "three"], [:], ["k": "v"], [[], []],
            .utf8([]), .utf8(Array("<текст>".utf8)),
        ]
        for value in values {
            let context: TemplateValue = ["v": value, "k": "outer"]
            expectSame("{{#v}}[{{.}}|{{k}}]{{/v}}{{^v}}<{{.}}|{{k}}>{{/v}}", context)
            expectSame("{{#v}}\n{{.}}\n{{/v}}\n{{^v}}\nnot\n{{/v}}\n", context)
        }
        expectSame("{{#missing}}x{{/missing}}{{^missing}}none {{k}}{{/missing}}", ["k": "v"])
        expectSame("{{#a}}{{#b}}{{#c}}deep{{/c}}{{^c}}no c{{/c}}{{/b}}{{/a}}", ["a": ["b": ["c": false]]])
        expectSame("{{#.}}{{.}},{{/.}}", ["x", "y"], "s", [])
    }

    @Test func listPositionsAsSwiftMustacheDefinesThem() {
        let body =
            "{{#first()}}F{{/first()}}{{#last()}}L{{/last()}}{{^first()}}-{{/first()}}{{^last()}}+{{/last()}}"
            + "{{first()}}{{last()}}{{{first()}}}{{.}};"
        for items: TemplateValue in [[], ["one"], ["one", "two", "three"], ["a", "b", "c", "d"]] {
            expectSame("{{#items}}\(body){{/items}}", ["items": items])
            expectSame(
                "{{#items}}\n{{#first()}}\n<ul>\n{{/first()}}\n<li>{{.}}</li>\n"
                    + "{{#last()}}\n</ul>\n{{/last()}}\n{{/items}}\n",
                ["items": items])
        }
        // Outside a list, in a pushed value and in a partial there is no position; a flag keeps it.
        let items: TemplateValue = ["items": [["o": ["x": 1], "f": true], ["o": ["x": 2], "f": true]]]
        expectSame(
            "{{first()}}{{#first()}}x{{/first()}}{{^first()}}y{{/first()}}"
                + "{{#items}}{{#o}}{{first()}}{{/o}}{{#f}}{{first()}}{{/f}}{{>p}}{{/items}}",
            partials: ["p": "<{{last()}}{{^last()}}none{{/last()}}>"], items)
        expectSame(
            "{{#items}}{{#items}}{{first()}}{{/items}}/{{last()}} {{/items}}", ["items": [["items": [1, 2]], "z"]])
        expectSame("{{#items}}{{#.}}{{last()}}:{{.}} {{/.}}|{{/items}}", ["items": [["a", "b"], [], "c"]])
    }

    // MARK: - Whitespace

    @Test func standaloneLinesAndLineEndings() {
        let context: TemplateValue = ["a": true, "b": false, "s": "x", "list": ["1", "2"]]
        let templates = [
            "{{#a}}\nyes\n{{/a}}\n", "  {{#a}}  \n  yes\n  {{/a}}  \nend", "{{#a}}\r\nyes\r\n{{/a}}\r\nend\r\n",
            "\t{{^b}}\t\r\n\tno\r\n\t{{/b}}\r\n", "{{#a}}yes{{/a}}\n", " {{#a}} yes {{/a}} \n",
            "{{! comment }}\nafter", "  {{! comment }}  \n", "a {{! inline }} b\n", "{{!\nmultiline\n}}\nz",
            "{{s}}\n", "  {{s}}  \n", "\n{{#a}}\n\n{{/a}}\n\n", "{{#a}}{{/a}}", "{{#a}}\n{{/a}}", "{{#a}}x\n{{/a}}  ",
            "{{#a}}\n{{#b}}\nno\n{{/b}}\n{{/a}}\nend", "{{#list}}\n  - {{.}}\n{{/list}}\n", "  \n  ", "trailing   ",
            "{{#a}}\nx\n{{/a}}{{! c }}\ny", "x{{#a}}\ny\n{{/a}}\n{{! c }}\nz", "{{#a}}\u{2028}x\u{0B}{{/a}}\u{85}y",
            "{{#a}}\ry\r{{/a}}\r", "  {{^b}}\nx{{/b}}", "{{#a}} \t \nx{{/a}}", "a\n", "\n", "", "{{s}}", "  {{s}}",
            "{{#a}}\n{{/a}}\n{{#a}}\n\n\n{{/a}}", "{{^b}}\r\n{{/b}}  \r\nz",
        ]
        for template in templates {
            expectSame(template, context)
        }
    }

    @Test func partialsKeepTheirIndentation() {
        let partials = [
            "p": "line 1\nline 2 {{s}}\n{{#list}}\n- {{.}}\n{{/list}}\nlast", "crlf": "one\r\ntwo\r\n{{s}}\r\n",
            "nested": "  {{>p}}\nafter\n", "empty": "", "newline": "\n", "section": "{{#a}}\nin\n{{/a}}\n",
        ]
        let context: TemplateValue = ["s": "<s>", "a": true, "list": ["x", "y"], "items": [["s": "1"], ["s": "2"]]]
        for main in [
            "{{>p}}", "  {{>p}}\n", "\t{{>p}}\r\nend", "a {{>p}} b\n", "  {{>crlf}}\n", "    {{>nested}}\n",
            "  {{>empty}}\n", " {{>newline}}\n", "  {{>section}}\nx", "{{#items}}\n  {{>p}}\n{{/items}}\n",
            "{{> p }}", "  {{>missing}}\nz", "{{#a}}{{>p}}{{/a}}", ">\n  {{>p}}  \n  {{>p}}\n",
        ] {
            expectSame(main, partials: partials, context)
        }
    }

    @Test func partialsRecurseOverNestedData() {
        let tree: TemplateValue = [
            "name": "root",
            "children": [
                ["name": "a", "children": [["name": "a1", "children": []]]], ["name": "b", "children": []],
            ],
        ]
        expectSame("{{>node}}", partials: ["node": "{{name}}\n{{#children}}\n  {{>node}}\n{{/children}}\n"], tree)
    }

    @Test func inheritanceWithBlocksOverriddenOrNot() {
        let partials = [
            "base": "<title>{{$title}}Default {{t}}{{/title}}</title>\n{{$head}}\n{{/head}}\n<main>\n{{$main}}\n"
                + "default main\n{{/main}}\n</main>\n  {{$indented}}\n  a\n    b\n  {{/indented}}\n",
            "mid":
                "{{<base}}\n{{$title}}Mid {{t}}{{/title}}\n{{$main}}\nmid main\n"
                + "{{$inner}}inner{{/inner}}\n{{/main}}\n{{/base}}\n",
            "usesPartial": "{{<base}}{{$main}}{{>p}}{{/main}}{{/base}}", "p": "p: {{$title}}p title{{/title}}\n",
        ]
        let context: TemplateValue = ["t": "<T>", "list": ["1", "2"]]
        for main in [
            "{{<base}}{{/base}}", "{{<base}}\n{{$main}}\nchild main\n{{/main}}\n{{/base}}\n",
            "{{<base}}\n  {{$main}}\n    child\n      deeper\n    back\n  {{/main}}\n{{/base}}",
            "{{<mid}}\n{{$title}}Child{{/title}}\n{{/mid}}", "{{<mid}}\n{{$inner}}child inner{{/inner}}\n{{/mid}}",
            "{{<base}}{{$title}}{{#list}}{{.}}{{/list}}{{/title}}{{$head}}<meta>\n{{/head}}{{/base}}",
            "before\n{{<base}}\n{{! comment }}\n{{$indented}}\nx\n  y\n{{/indented}}\n{{/base}}\nafter",
            "  {{<base}}\n  {{$main}}\n  m\n  {{/main}}\n  {{/base}}\n",
            "{{<usesPartial}}{{$title}}from child{{/title}}{{/usesPartial}}",
            "{{$title}}no parent{{/title}}\n{{$main}}\nstandalone\n{{/main}}\n",
            "{{<missing}}{{$a}}x{{/a}}{{/missing}}",
            "{{#list}}{{<base}}{{$title}}{{.}} {{first()}}{{/title}}{{/base}}{{/list}}",
            "{{<base}}{{$main}}1{{/main}}{{$main}}2{{/main}}{{/base}}",
            "{{<mid}}{{$main}}\n  main {{t}}\n{{/main}}{{/mid}}",
        ] {
            expectSame(main, partials: partials, context)
        }
    }

    @Test func setDelimiters() {
        let context: TemplateValue = ["s": "<s>", "a": true, "list": ["x"]]
        let partials = ["p": "[{{s}}]\n", "q": "{{=<% %>=}}<%s%>"]
        for main in [
            "{{=<% %>=}}\n<%s%> {{s}}\n<%#a%>\nyes\n<%/a%>\n<%={{ }}=%>{{s}}", "{{=| |=}}|{s|} |&s| |! c|\n|#a|x|/a|",
            "{{#a}}{{=<% %>=}}<%s%><%/a%>{{s}}", "{{#a}}\n{{=<% %>=}}\n<%s%>\n<%/a%>\n{{s}}", "{{>q}}{{s}}",
            "{{=<%% %%>=}}<%%s%%> <%% s %%>", "{{= @ @ =}}@s@",
        ] {
            expectSame(main, partials: partials, context)
        }
    }

    // MARK: - What is refused

    /// What the engine does not have is an error, as swift-mustache's syntax errors are
    /// (`TemplateErrorTests` checks each message), also where swift-mustache takes it: its other
    /// transforms, dynamic partials and pragmas.
    @Test func whatTheEngineDoesNotHaveIsAnError() throws {
        for source in [
            "{{reversed(s)}}", "{{#sorted(list)}}{{.}}{{/sorted(list)}}", "{{#enumerated(o)}}{{key}}{{/enumerated(o)}}",
            "{{%CONTENT_TYPE: HTML}}{{s}}", "{{#a}}{{%CONTENT_TYPE: TEXT}}{{/a}}", "{{#a}}unclosed", "{{s}",
            "{{first(reversed(list))}}", "{{nosuch(s)}}", "{{index()}}", "{{#list}}{{#even()}}e{{/even()}}{{/list}}",
            "{{count(list)}}", "{{first(list)}}", "{{uppercased(s)}}", "{{>*which}}", "{{<*which}}{{/*which}}",
        ] {
            #expect(throws: CompiledTemplates.Errors.self, "\(source)") {
                try CompiledTemplates(sources: ["main": "ok", "other": source])
            }
        }
        _ = try CompiledTemplates(sources: [:])
    }

    @Test func anUnknownTemplateRendersNothing() throws {
        let templates = try CompiledTemplates(sources: ["main": "x"])
        var output: [UInt8] = [1]
        templates.render(["a": 1], template: "nope", into: &output)
        #expect(output == [1])
    }

    // MARK: - Random templates

    /// Random templates made of every kind of tag, with whitespace and line breaks around them
    /// so that tags are standalone or not. Where swift-mustache refuses a template,
    /// `CompiledTemplates` must refuse it too.
    @Test(arguments: 0..<4) func randomTemplates(seed: UInt64) {
        var random = SplitMix64(seed: 0x5EED + seed)
        var accepted = 0
        let samples = 300
        for _ in 0..<samples {
            var fuzzer = TemplateFuzzer(random: random)
            let sources = [
                "main": fuzzer.template(partials: ["p1", "p2", "parent", "absent"], parents: ["parent", "p2"]),
                "p1": fuzzer.template(partials: ["p2"], parents: []),
                "p2": fuzzer.template(partials: [], parents: []),
                "parent": fuzzer.template(partials: ["p1", "p2"], parents: []),
            ]
            random = fuzzer.random
            guard Self.mustacheLibrary(sources) != nil else {
                #expect((try? CompiledTemplates(sources: sources)) == nil, "swift-mustache refuses: \(sources)")
                continue
            }
            accepted += 1
            for _ in 0..<3 {
                expectSame(sources: sources, context: TemplateFuzzer.context(&random))
            }
        }
        #expect(accepted > samples / 3)
    }

    // MARK: - The built-in templates

    /// The repository's `templates/`, which the built-in templates equal (`DefaultTemplatesTests`).
    static func builtInTemplates() throws -> [String: String] {
        let folder = repositoryURL.appending(path: "templates")
        var sources: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasSuffix(".mustache") {
            sources[String(name.dropLast(".mustache".count))] = try String(
                contentsOf: folder.appending(path: name), encoding: .utf8)
        }
        return sources
    }

    @Test(arguments: 0..<4) func everyBuiltInTemplateWithRandomContexts(seed: UInt64) throws {
        let sources = try Self.builtInTemplates()
        #expect(sources.count >= 10)
        let library = try #require(Self.mustacheLibrary(sources))
        let compiled = try CompiledTemplates(sources: sources)
        let schema = ContextSchema(templates: sources)
        var random = SplitMix64(seed: 1937 + seed)
        var sizes = 0
        for _ in 0..<80 {
            let context = schema.context(&random)
            let value = context.mustacheValue
            for name in sources.keys.sorted() {
                let expected = Array((library.render(value, withTemplate: name) ?? "").utf8)
                var actual: [UInt8] = []
                compiled.render(context, template: name, into: &actual)
                sizes += actual.count
                if actual != expected {
                    Issue.record("\(name) differs; \(Self.mismatch(sources: sources, context: context) ?? "")")
                    return
                }
            }
        }
        #expect(sizes > 100_000)
    }
}

/// Choices for the random templates and contexts, drawn from the module's one seeded generator.
extension SplitMix64 {
    mutating func pick<T>(_ choices: [T]) -> T { choices.randomElement(using: &self)! }

    mutating func chance(_ probability: Double) -> Bool { Double.random(in: 0..<1, using: &self) < probability }

    mutating func below(_ bound: Int) -> Int { Int.random(in: 0..<bound, using: &self) }

    static let strings: [String] = [
        "", "Ivan", "<b>bold</b> & \"quoted\" 'single'", "Қазақша", "Русский текст", "1937", "a\nb", " ", "e\u{301}",
        "x&y", "https://example.org/?a=1&b=2", "<", "Ә", "trailing \r\n",
    ]
}

/// Makes random templates from tags, text, whitespace and line breaks.
struct TemplateFuzzer {
    var random: SplitMix64
    var delimiters = ("{{", "}}")

    static let names = [
        "a", "b", "s", "n", "list", "list.a", "a.b", ".", ".a", "first()", "last()", "obj", "obj.s", "missing",
        "flag", "empty", "zero", "a.b.c",
    ]
    static let texts = ["a", "b c", " ", "  ", "\t", "\n", "\n", "\r\n", "&<>\"'", "Ж", "x\n", "}", "{ ", "é"]

    mutating func template(partials: [String], parents: [String]) -> String {
        delimiters = ("{{", "}}")
        return pieces(depth: 0, partials: partials, parents: parents, blocks: true)
    }

    mutating func tag(_ inside: String) -> String { delimiters.0 + inside + delimiters.1 }

    /// Spaces or tabs, often none.
    mutating func indent() -> String { random.pick(["", "", "", " ", "  ", "\t", " \t"]) }

    /// A line break or trailing whitespace after a tag, often none.
    mutating func after() -> String { random.pick(["", "", "\n", "\n", "\r\n", " \n", " ", "x"]) }

    mutating func pieces(depth: Int, partials: [String], parents: [String], blocks: Bool) -> String {
        var text = ""
        for _ in 0..<random.below(depth == 0 ? 9 : 5) {
            text += piece(depth: depth, partials: partials, parents: parents, blocks: blocks)
        }
        return text
    }

    mutating func piece(depth: Int, partials: [String], parents: [String], blocks: Bool) -> String {
        let name = random.pick(Self.names)
        switch random.below(16) {
        case 0, 1, 2: return random.pick(Self.texts)
        case 3: return indent() + tag(random.pick(["", " "]) + name + random.pick(["", " "])) + after()
        case 4: return indent() + (delimiters == ("{{", "}}") ? "{{{\(name)}}}" : tag("&" + name)) + after()
        case 5: return indent() + tag("&" + name) + after()
        case 6: return indent() + tag("! note " + random.pick(["", "\n", "{"]) + " ") + after()
        case 7, 8, 9:
            guard depth < 3 else { return random.pick(Self.texts) }
            let open = random.pick(["#", "^"]) + name
            let saved = delimiters
            let body = pieces(depth: depth + 1, partials: partials, parents: parents, blocks: blocks)
            let closing = tag("/" + name)
            delimiters = saved
            return indent() + saved.0 + open + saved.1 + after() + body + indent() + closing + after()
        case 10:
            guard let partial = partials.randomElement(using: &random) else { return "" }
            return indent() + tag(">" + random.pick(["", " "]) + partial) + after()
        case 11:
            guard blocks, depth < 3 else { return "" }
            let block = random.pick(["b1", "b2"])
            let saved = delimiters
            let open = tag("$" + block)
            let body = pieces(depth: depth + 1, partials: partials, parents: parents, blocks: blocks)
            let closing = tag("/" + block)
            delimiters = saved
            return indent() + open + after() + body + indent() + closing + after()
        case 12:
            guard let parent = parents.randomElement(using: &random), depth < 2 else { return "" }
            var text = indent() + tag("<" + parent) + after()
            for _ in 0..<random.below(3) {
                switch random.below(3) {
                case 0: text += random.pick(["\n", "  ", "\r\n", " \n"])
                case 1: text += indent() + tag("! c ") + after()
                default:
                    let block = random.pick(["b1", "b2"])
                    let saved = delimiters
                    let open = tag("$" + block)
                    // No partials in an override: it applies inside them too, and could recurse.
                    let body = pieces(depth: depth + 1, partials: [], parents: [], blocks: false)
                    let closing = tag("/" + block)
                    delimiters = saved
                    text += indent() + open + after() + body + indent() + closing + after()
                }
            }
            return text + indent() + tag("/" + parent) + after()
        case 13:
            // Not one-character delimiters: swift-mustache crashes on an empty section between them.
            let next = random.pick([("{{", "}}"), ("<%", "%>"), ("[[", "]]"), ("<<<", ">>")])
            let text = indent() + tag("=\(next.0) \(next.1)=") + after()
            delimiters = next
            return text
        default:
            return indent() + tag(random.pick(["#", "^"]) + name) + tag("/" + name) + after()
        }
    }

    static func context(_ random: inout SplitMix64) -> TemplateValue {
        func scalar() -> TemplateValue {
            switch random.below(4) {
            case 0: .string(random.pick(SplitMix64.strings))
            case 1: .bool(random.chance(0.5))
            case 2: .int(random.pick([0, 1, 2, -5, 1937]))
            default: .string(random.pick(["x", "<y>", ""]))
            }
        }
        func object(_ depth: Int) -> TemplateValue {
            var fields: [String: TemplateValue] = [:]
            for key in ["a", "b", "c", "s", "n", "list", "obj", "flag", "empty", "zero"] where random.chance(0.5) {
                fields[key] = value(depth + 1)
            }
            return .object(TemplateObject(fields))
        }
        func value(_ depth: Int) -> TemplateValue {
            guard depth < 3 else { return scalar() }
            switch random.below(6) {
            case 0, 1: return scalar()
            case 2, 3: return .list((0..<random.below(4)).map { _ in random.chance(0.7) ? object(depth) : scalar() })
            default: return object(depth)
            }
        }
        return object(0)
    }
}

/// What the built-in templates look up, inside what: random contexts with those names are
/// likely to reach every section.
struct ContextSchema {
    /// Names at the top level of some template.
    var top: Set<String> = []
    /// For each name used as a section or as the first part of a dotted name: the names used in it.
    var inner: [String: Set<String>] = [:]
    var all: Set<String> = []

    init(templates: [String: String]) {
        for source in templates.values {
            guard let tokens = try? MustacheSyntax.parse(source, template: "") else { continue }
            collect(tokens, container: nil)
        }
    }

    private mutating func note(_ name: String, in container: String?) {
        let parts = name.split(separator: ".").map(String.init)
        guard let first = parts.first else { return }
        if let container { inner[container, default: []].insert(first) } else { top.insert(first) }
        all.formUnion(parts)
        for (outer, part) in zip(parts, parts.dropFirst()) { inner[outer, default: []].insert(part) }
    }

    private mutating func collect(_ tokens: [MustacheSyntax.Token], container: String?) {
        for token in tokens {
            switch token {
            case .variable(let name, _):
                note(name, in: container)
            case .section(let name, let tokens, _):
                note(name, in: container)
                let last = name.split(separator: ".").last.map(String.init)
                collect(tokens, container: last ?? container)
            case .blockExpansion(_, let tokens, _), .blockDefinition(_, let tokens):
                collect(tokens, container: container)
            case .partial(_, _, let inherits?):
                for tokens in inherits.values { collect(tokens, container: container) }
            default:
                break
            }
        }
    }

    func context(_ random: inout SplitMix64) -> TemplateValue {
        let presence = random.pick([0.5, 0.8, 0.95])
        var fields: [String: TemplateValue] = [:]
        for name in top.sorted() where random.chance(presence) {
            fields[name] = value(for: name, depth: 1, &random)
        }
        return .object(TemplateObject(fields))
    }

    func object(_ names: Set<String>, depth: Int, _ random: inout SplitMix64) -> TemplateValue {
        var fields: [String: TemplateValue] = [:]
        let presence = random.pick([0.4, 0.7, 0.95])
        for name in names.sorted() where random.chance(presence) {
            fields[name] = value(for: name, depth: depth + 1, &random)
        }
        // Now and then a name of another context, to be found before the one further out.
        if random.chance(0.2), let name = all.randomElement(using: &random) {
            fields[name] = scalar(&random)
        }
        return .object(TemplateObject(fields))
    }

    func value(for name: String, depth: Int, _ random: inout SplitMix64) -> TemplateValue {
        if let names = inner[name], depth < 5 {
            switch random.below(20) {
            case 0..<9:
                let count = random.pick([0, 1, 1, 2, 3, 5])
                return .list((0..<count).map { _ in object(names, depth: depth, &random) })
            case 9..<15: return object(names, depth: depth, &random)
            case 15, 16: return .bool(random.chance(0.5))
            default: return scalar(&random)
            }
        }
        switch random.below(20) {
        case 0: return .list((0..<random.below(3)).map { _ in scalar(&random) })
        case 1: return .object(["x": scalar(&random)])
        default: return scalar(&random)
        }
    }

    func scalar(_ random: inout SplitMix64) -> TemplateValue {
        switch random.below(10) {
        case 0, 1: return .bool(random.chance(0.5))
        case 2: return .int(random.pick([0, 1, 12, 1937, -1]))
        default: return .string(random.pick(SplitMix64.strings))
        }
    }
}

extension TemplateValue {
    /// The value as swift-mustache expects it: `String`, `Bool`, `Int`, `[Any]`, `MustacheObject`.
    var mustacheValue: Any {
        switch self {
        case .string(let text): text
        case .utf8: description
        case .bool(let flag): flag
        case .int(let number): number
        case .list(let items): items.map(\.mustacheValue)
        case .object(let fields): MustacheObject(entries: fields.entries.map { ($0.key, $0.value.mustacheValue) })
        }
    }
}

/// An object as swift-mustache sees it: a `Dictionary` to its lookups, but with its fields in
/// the order they were set, as `TemplateValue.description` prints them.
struct MustacheObject: MustacheParent, CustomStringConvertible, CustomDebugStringConvertible {
    let entries: [(String, Any)]

    func child(named: String) -> Any? {
        entries.first { $0.0 == named }?.1
    }

    /// As a `Dictionary` describes itself: `["key": value, …]`, `[:]` when empty.
    var description: String {
        guard !entries.isEmpty else { return "[:]" }
        return "[" + entries.map { String(reflecting: $0.0) + ": " + String(reflecting: $0.1) }.joined(separator: ", ")
            + "]"
    }

    var debugDescription: String { description }
}

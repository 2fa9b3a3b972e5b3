/// The site's templates compiled for `TemplateValue` contexts: Memorial's Mustache renderer.
///
/// Why its own: at 100,000 records (309,000 pages) swift-mustache took about 65% of the whole
/// build, almost all of it finding names: it splits every `{{a.b}}` at render time
/// (`String.split`) and casts each value it steps into from `Any` to its protocols
/// (`swift_conformsToProtocol`, `tryCast` in perf). Here names are split and text made UTF-8
/// once, when compiled, and rendering switches over a stack of `TemplateValue`s (no `Any`, no
/// dynamic casts), escaping straight into the output bytes: about 15 times faster.
///
/// Its rules are swift-mustache's (Mustache's, with the transforms `first()` and `last()`):
/// `MustacheSyntax` is a step-for-step port of its parser, and rendering follows its
/// `Template+Render.swift`, `Context.swift`, `Sequence.swift` and `SequenceContext.swift`:
/// names climb the context stack; an empty string, `0` and an empty object are truthy, `false`,
/// a missing name and an empty list are not; a list section pushes each item with its `first()`
/// and `last()`; an inverted section over an empty list pushes that list; a partial's
/// indentation goes after each `\n` (not after `\r\n`) between the partial's tokens; the
/// outermost `{{<parent}}`'s block overrides win. `CompiledTemplatesTests` compares it with
/// swift-mustache byte for byte, `MustacheSpecificationTests` with the specification.
package struct CompiledTemplates: Sendable {
    let program: Program
    /// Template name to template number (`program.templates`).
    let indexes: [String: Int]

    /// A template that cannot be compiled: its name, and where and what is wrong.
    package struct TemplateError: Error, Equatable, Sendable {
        package var template: String
        package var line: Int
        package var column: Int
        package var message: String
    }

    /// Every template that cannot be compiled (one error each), in the order of their names.
    package struct Errors: Error {
        package var errors: [TemplateError]
    }

    /// Whether any template has `name` in a tag: a page can leave out a costly value no
    /// template reads (a case page's `record`, every column, is for custom templates). Looks
    /// through every name: ask once, not per page.
    package func mentions(_ name: String) -> Bool { program.names.contains(name) }

    /// Appends the rendered UTF-8 bytes of `template` (a name among the sources) to `output`.
    package func render(_ context: TemplateValue, template: String, into output: inout [UInt8]) {
        guard let index = indexes[template] else { return }
        // Room for most pages (Swift puts it on the heap when the stack has too little left).
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32_768) { scratch in
            var rendered = Output(scratch: scratch)
            withUnsafePointer(to: context) { root in
                var renderer = Renderer(program: program, root: root)
                renderer.render(program.templates[index], into: &rendered)
            }
            output.append(contentsOf: rendered.bytes)
        }
    }
}

// In an extension, so that the memberwise `init(program:indexes:)` (`privateCopy`) is made too.
extension CompiledTemplates {
    /// `sources`: template name to text.
    package init(sources: [String: String]) throws(Errors) {
        let names = sources.keys.sorted()
        var indexes: [String: Int] = [:]
        for (index, name) in names.enumerated() { indexes[name] = index }
        var compiler = Compiler(templates: indexes)
        var errors: [TemplateError] = []
        for name in names {
            do {
                compiler.code.templates.append(compiler.body(try MustacheSyntax.parse(sources[name]!, template: name)))
            } catch {
                errors.append(error)
            }
        }
        guard errors.isEmpty else { throw Errors(errors: errors) }
        self.program = Program(compiler.code)
        self.indexes = indexes
    }
}

extension CompiledTemplates {
    /// The compiled templates as flat tables of plain values, kept in memory of their own: as a
    /// tree of indirect enums (a node per token, holding its path's arrays and its sections'
    /// bodies), rendering retained and released what each node held as it switched over it,
    /// almost half of all rendering time in perf. A body is a run of `Instruction`s (a kind and
    /// four numbers) that refer by number to text in one byte table, to paths, names and other
    /// bodies, so reading one copies no reference; the tables are allocated, not arrays, so that
    /// reading them checks no bounds and needs no array kept alive around each read.
    final class Program: @unchecked Sendable {
        // @unchecked: the tables are written once in `init` and only read afterwards.
        let instructions: UnsafeBufferPointer<Instruction>
        /// Every text and indentation, back to back.
        let bytes: UnsafeBufferPointer<UInt8>
        /// Each template's, section's and block's run of `instructions`.
        let bodies: UnsafeBufferPointer<Run>
        let paths: UnsafeBufferPointer<Path>
        /// The names of all paths, each path's in a run.
        let names: UnsafeBufferPointer<String>
        /// `TemplateObject.hash` of each name.
        let hashes: UnsafeBufferPointer<Int>
        /// `false` and `true`, for `first()` and `last()`.
        let flags = Program.allocate([TemplateValue.bool(false), .bool(true)])
        /// The overrides of each `{{<parent}}`: a run of `overrides`.
        let frames: UnsafeBufferPointer<Run>
        let overrides: UnsafeBufferPointer<Override>
        /// The body of each template, by template number.
        let templates: UnsafeBufferPointer<Int32>

        init(_ code: Code) {
            instructions = Self.allocate(code.instructions)
            bytes = Self.allocate(code.bytes)
            bodies = Self.allocate(code.bodies)
            paths = Self.allocate(code.paths)
            names = Self.allocate(code.names)
            hashes = Self.allocate(code.hashes)
            frames = Self.allocate(code.frames)
            overrides = Self.allocate(code.overrides)
            templates = Self.allocate(code.templates)
        }

        deinit {
            Self.free(instructions)
            Self.free(bytes)
            Self.free(bodies)
            Self.free(paths)
            Self.free(names)
            Self.free(hashes)
            Self.free(flags)
            Self.free(frames)
            Self.free(overrides)
            Self.free(templates)
        }

        /// The tables as arrays again (to copy them, and for tests).
        var code: Code {
            Code(
                instructions: Array(instructions), bytes: Array(bytes), bodies: Array(bodies), paths: Array(paths),
                names: Array(names), hashes: Array(hashes), frames: Array(frames),
                overrides: Array(overrides), templates: Array(templates))
        }

        private static func allocate<Element>(_ elements: [Element]) -> UnsafeBufferPointer<Element> {
            let start = UnsafeMutablePointer<Element>.allocate(capacity: max(elements.count, 1))
            _ = UnsafeMutableBufferPointer(start: start, count: elements.count).initialize(fromContentsOf: elements)
            return UnsafeBufferPointer(start: start, count: elements.count)
        }

        private static func free<Element>(_ buffer: UnsafeBufferPointer<Element>) {
            let start = UnsafeMutablePointer(mutating: buffer.baseAddress!)
            start.deinitialize(count: buffer.count)
            start.deallocate()
        }
    }

    /// The tables of a `Program` while they are being made.
    struct Code {
        var instructions: [Instruction] = []
        var bytes: [UInt8] = []
        var bodies: [Run] = []
        var paths: [Path] = []
        var names: [String] = []
        var hashes: [Int] = []
        var frames: [Run] = []
        var overrides: [Override] = []
        var templates: [Int32] = []
    }

    /// `count` elements of a table from `start`.
    struct Run {
        var start: Int32
        var count: Int32

        var range: Range<Int> { Int(start)..<Int(start + count) }
    }

    /// One step of a body; what the numbers mean depends on the kind.
    struct Instruction {
        enum Kind: UInt8 {
            /// `bytes` from `a`, `b` of them.
            case text
            /// The value of path `a`, escaped when `escaped`.
            case variable
            /// `{{#…}}`: path `a`, body `b`.
            case section
            /// `{{^…}}`: path `a`, body `b`.
            case invertedSection
            /// `{{$name}}…{{/name}}` outside a parent: an overridden block `a`, else its own
            /// body `b`; its indentation is `d` bytes from `c`.
            case block
            /// `{{>name}}` (no overrides) or `{{<name}}…{{/name}}`: template `a` (-1 when there is
            /// none), indentation `d` bytes from `c` (none and empty alike), overrides frame `b`
            /// (-1 for none).
            case partial
        }

        var kind: Kind
        var escaped = false
        var a: Int32 = 0
        var b: Int32 = 0
        var c: Int32 = 0
        var d: Int32 = 0
    }

    /// The block a `{{<parent}}` overrides, and the body it puts there.
    struct Override {
        var block: Int32
        var body: Int32
    }

    /// A name as swift-mustache resolves it (`getChild`), split once.
    struct Path {
        enum Start: UInt8 {
            /// `.`, or a name with no parts: the top of the stack.
            case current
            /// `first()` and `last()`: whether the item being rendered is its list's first or last.
            case first, last
            /// `.a.b`: from the top of the stack only.
            case top
            /// `a.b`: `a` from the innermost context that has it.
            case stack
        }

        var start: Start
        /// Its run of `names` and `hashes`.
        var names: Run
    }
}

extension CompiledTemplates {
    /// Turns `MustacheSyntax` tokens into the tables of a `Program`.
    fileprivate struct Compiler {
        let templates: [String: Int]
        var blocks: [String: Int] = [:]
        var code = Code()

        /// The number of the body made of `tokens`; its sections' bodies are made first.
        mutating func body(_ tokens: [MustacheSyntax.Token]) -> Int32 {
            var nodes: [Instruction] = []
            for token in tokens {
                switch token {
                case .text(let text):
                    let (start, count) = bytes(text)
                    if let previous = nodes.last, previous.kind == .text {
                        // Neighbouring texts are neighbours in `bytes` too: nothing is added between them.
                        precondition(previous.a + previous.b == start)
                        nodes[nodes.count - 1].b += count
                    } else {
                        nodes.append(Instruction(kind: .text, a: start, b: count))
                    }
                case .variable(let name, let escaped):
                    nodes.append(Instruction(kind: .variable, escaped: escaped, a: path(name)))
                case .section(let name, let tokens, let inverted):
                    let path = path(name)
                    nodes.append(Instruction(kind: inverted ? .invertedSection : .section, a: path, b: body(tokens)))
                case .blockExpansion(let name, let tokens, let indentation):
                    let body = body(tokens)
                    let (start, count) = bytes(indentation)
                    nodes.append(Instruction(kind: .block, a: blockID(name), b: body, c: start, d: count))
                case .partial(let name, let indentation, let inherits):
                    var frame: Int32 = -1
                    if let inherits {
                        // As a dictionary: a block given twice keeps the last body.
                        var overrides: [Int32: Int32] = [:]
                        for (block, tokens) in inherits {
                            overrides[blockID(block)] = body(tokens)
                        }
                        frame = Int32(code.frames.count)
                        code.frames.append(Run(start: Int32(code.overrides.count), count: Int32(overrides.count)))
                        for (block, body) in overrides { code.overrides.append(Override(block: block, body: body)) }
                    }
                    let (start, count) = bytes(indentation ?? "")
                    let template = Int32(templates[name] ?? -1)
                    nodes.append(Instruction(kind: .partial, a: template, b: frame, c: start, d: count))
                case .blockDefinition:
                    // Only inside `{{<parent}}`, where the parser collects them as its overrides.
                    preconditionFailure("a block definition outside a parent")
                }
            }
            code.bodies.append(Run(start: Int32(code.instructions.count), count: Int32(nodes.count)))
            code.instructions += nodes
            return Int32(code.bodies.count - 1)
        }

        /// Where `text` starts in `bytes`, and its length.
        mutating func bytes(_ text: String) -> (Int32, Int32) {
            let start = Int32(code.bytes.count)
            code.bytes.append(contentsOf: text.utf8)
            return (start, Int32(code.bytes.count) - start)
        }

        mutating func blockID(_ name: String) -> Int32 {
            if let id = blocks[name] { return Int32(id) }
            blocks[name] = blocks.count
            return Int32(blocks.count - 1)
        }

        /// The number of the path of `name`.
        mutating func path(_ name: String) -> Int32 {
            var start = Path.Start.current
            var names: [String] = []
            if name == "first()" || name == "last()" {
                start = name == "first()" ? .first : .last
            } else if name != "." {
                names = name.split(separator: ".").map(String.init)
                if !names.isEmpty { start = name.first == "." ? .top : .stack }
            }
            let path = Path(start: start, names: Run(start: Int32(code.names.count), count: Int32(names.count)))
            code.names += names
            code.hashes += names.map(TemplateObject.hash)
            code.paths.append(path)
            return Int32(code.paths.count - 1)
        }
    }
}

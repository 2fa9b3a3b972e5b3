/// The site's templates compiled for `TemplateValue` contexts: a renderer written by hand that
/// produces exactly the bytes swift-mustache produces for the same templates and data.
///
/// Why by hand: at 100,000 records (309,000 pages) swift-mustache took about 65% of the whole
/// build. Almost all of it was finding names: every `{{a.b}}` splits its name at render time
/// (`String.split`), and every step into a value casts an `Any` to swift-mustache's protocols
/// (`swift_conformsToProtocol`, `tryCast` in perf). Here templates are parsed once into a tree
/// with names already split and text already UTF-8; rendering walks a stack of `TemplateValue`s
/// with a `switch` (no `Any`, no existentials, no dynamic casts), and escapes straight into the
/// output bytes.
///
/// Exactness: templates are read by `MustacheSyntax`, a step-for-step port of swift-mustache's
/// parser, and rendered with its rules (`Template+Render.swift`, `Context.swift`,
/// `Sequence.swift`, `SequenceContext.swift`, `Transform.swift`): names climb the context
/// stack; an empty string, `0` and an empty object are truthy, `false`, a missing name and an
/// empty list are not; a list section pushes each item with its `first()`, `last()`,
/// `index()`, `even()`, `odd()`; an inverted section over an empty list pushes that list;
/// a partial's indentation goes after each `\n` (not after `\r\n`) between the partial's
/// tokens; the outermost `{{<parent}}`'s block overrides win. `CompiledTemplatesTests`
/// compares the two renderers byte for byte on hand-written corner cases, random templates,
/// and every built-in template with random contexts. What this does not reproduce exactly,
/// `init` refuses, and the caller renders with swift-mustache.
struct CompiledTemplates: Sendable {
    let bodies: [Body]
    let indexes: [String: Int]

    init(bodies: [Body], indexes: [String: Int]) {
        self.bodies = bodies
        self.indexes = indexes
    }

    /// nil when any template uses something this renderer does not reproduce exactly as
    /// swift-mustache does; the caller then renders everything with swift-mustache.
    /// The sources are the raw template texts (without the pragma), already accepted by
    /// swift-mustache's parser.
    ///
    /// Refused: a `{{% CONTENT_TYPE}}` other than Memorial's own (its escaping differs), and the
    /// transforms whose results are not a plain value (`reversed`, `sorted`, `enumerated`).
    init?(sources: [String: String]) {
        let names = sources.keys.sorted()
        var indexes: [String: Int] = [:]
        for (index, name) in names.enumerated() { indexes[name] = index }
        var compiler = Compiler(templates: indexes)
        var bodies: [Body] = []
        for name in names {
            // swift-mustache parses each template after the pragma that `TemplateLibrary` puts
            // before it, which decides whether tags on the first line are standalone.
            guard let tokens = try? MustacheSyntax.parse(HTMLEscaping.pragma + sources[name]!),
                let body = compiler.body(tokens)
            else { return nil }
            bodies.append(body)
        }
        self.bodies = bodies
        self.indexes = indexes
    }

    /// Appends the rendered UTF-8 bytes of `template` (a name among the sources) to `output`.
    func render(_ context: TemplateValue, template: String, into output: inout [UInt8]) {
        guard let index = indexes[template] else { return }
        var renderer = Renderer(bodies: bodies, indexes: indexes, root: context)
        renderer.render(bodies[index], into: &output)
    }
}

extension CompiledTemplates {
    /// One template, section or block: its nodes in order.
    struct Body: Sendable {
        /// One node per swift-mustache token: an indented partial's indentation goes between them.
        let nodes: [Node]
        /// The same with neighbouring text joined, rendered where there is no indentation.
        let joined: [Node]

        init(nodes: [Node], joined: [Node]) {
            self.nodes = nodes
            self.joined = joined
        }

        init(_ nodes: [Node]) {
            self.nodes = nodes
            var joined: [Node] = []
            for node in nodes {
                if case .text(let next) = node, case .text(let previous)? = joined.last {
                    joined[joined.count - 1] = .text(previous + next)
                } else {
                    joined.append(node)
                }
            }
            self.joined = joined
        }
    }

    indirect enum Node: Sendable {
        case text([UInt8])
        case variable(Path, escaped: Bool)
        case section(Path, Body)
        case invertedSection(Path, Body)
        /// `{{$name}}…{{/name}}` outside a parent: an overridden block, else its own body.
        case block(id: Int, Body, indentation: [UInt8])
        /// `{{>name}}` (no overrides) or `{{<name}}…{{/name}}`; `template` is -1 when there is none.
        case partial(template: Int, indentation: [UInt8]?, overrides: [Int: Body]?)
        /// `{{>*name}}` or `{{<*name}}`: the template named by the value of `path`.
        case dynamicPartial(Path, indentation: [UInt8]?, overrides: [Int: Body]?)
    }

    /// A name as swift-mustache resolves it (`getChild`), split once.
    struct Path: Sendable {
        enum Start: Sendable {
            /// `.`, or a name with no parts: the top of the stack.
            case current
            /// `first()` and the like: the position in the list being rendered.
            case sequence
            /// `.a.b`: from the top of the stack only.
            case top
            /// `a.b`: `a` from the innermost context that has it.
            case stack
        }

        let start: Start
        let names: [String]
        /// `TemplateObject.hash` of each name.
        let hashes: [Int]
        /// In the order they apply (innermost first).
        let transforms: [Transform]

        init(start: Start, names: [String], hashes: [Int], transforms: [Transform]) {
            self.start = start
            self.names = names
            self.hashes = hashes
            self.transforms = transforms
        }

        init(start: Start, names: [String], transforms: [Transform]) {
            self.start = start
            self.names = names
            self.hashes = names.map(TemplateObject.hash)
            self.transforms = transforms
        }
    }

    /// The transforms swift-mustache applies to `String`, `Int`, arrays, dictionaries and a list
    /// position (`Transform.swift`, `SequenceContext.swift`) whose results are plain values.
    enum Transform: Sendable {
        case first, last, index, even, odd, empty, count
        case lowercased, uppercased, capitalized
        case equalzero, plusone, minusone
        /// A name no type implements: always nil.
        case unknown

        /// nil for the transforms that give swift-mustache values other than a `TemplateValue`
        /// (`reversed` gives a `Substring` or a `ReversedCollection`, `sorted` and `enumerated`
        /// tuples), which this renderer therefore refuses.
        init?(name: String) {
            switch name {
            case "first": self = .first
            case "last": self = .last
            case "index": self = .index
            case "even": self = .even
            case "odd": self = .odd
            case "empty": self = .empty
            case "count": self = .count
            case "lowercased": self = .lowercased
            case "uppercased": self = .uppercased
            case "capitalized": self = .capitalized
            case "equalzero": self = .equalzero
            case "plusone": self = .plusone
            case "minusone": self = .minusone
            case "reversed", "sorted", "enumerated": return nil
            default: self = .unknown
            }
        }
    }
}

extension CompiledTemplates {
    /// Turns `MustacheSyntax` tokens into nodes.
    fileprivate struct Compiler {
        let templates: [String: Int]
        var blocks: [String: Int] = [:]

        mutating func body(_ tokens: [MustacheSyntax.Token]) -> Body? {
            var nodes: [Node] = []
            for token in tokens {
                switch token {
                case .text(let text):
                    nodes.append(.text(Array(text.utf8)))
                case .variable(let name, let transforms, let escaped):
                    guard let path = Self.path(name, transforms) else { return nil }
                    nodes.append(.variable(path, escaped: escaped))
                case .section(let name, let transforms, let tokens, let inverted):
                    guard let path = Self.path(name, transforms), let body = body(tokens) else { return nil }
                    nodes.append(inverted ? .invertedSection(path, body) : .section(path, body))
                case .blockExpansion(let name, let tokens, let indentation):
                    guard let body = body(tokens) else { return nil }
                    nodes.append(.block(id: blockID(name), body, indentation: Array(indentation.utf8)))
                case .partial(let name, let indentation, let inherits, let dynamic):
                    var overrides: [Int: Body]?
                    if let inherits {
                        overrides = [:]
                        for (block, tokens) in inherits {
                            guard let body = body(tokens) else { return nil }
                            overrides?[blockID(block)] = body
                        }
                    }
                    let indentation = indentation.map { Array($0.utf8) }
                    if dynamic {
                        guard let path = Self.path(name, []) else { return nil }
                        nodes.append(.dynamicPartial(path, indentation: indentation, overrides: overrides))
                    } else {
                        nodes.append(
                            .partial(template: templates[name] ?? -1, indentation: indentation, overrides: overrides))
                    }
                case .contentType(let name):
                    // Every template starts with `HTMLEscaping.pragma`, so all text is escaped the
                    // same way and saying it again changes nothing; another escaping is not reproduced.
                    guard name == HTMLEscaping.name else { return nil }
                case .blockDefinition:
                    return nil  // only inside `{{<parent}}`, where the parser collects them
                }
            }
            return Body(nodes)
        }

        mutating func blockID(_ name: String) -> Int {
            if let id = blocks[name] { return id }
            blocks[name] = blocks.count
            return blocks.count - 1
        }

        static func path(_ name: String, _ transformNames: [String]) -> Path? {
            var transforms: [Transform] = []
            for name in transformNames.reversed() {
                guard let transform = Transform(name: name) else { return nil }
                transforms.append(transform)
            }
            if name == "." {
                return Path(start: .current, names: [], transforms: transforms)
            }
            if name.isEmpty, !transforms.isEmpty {
                return Path(start: .sequence, names: [], transforms: transforms)
            }
            let names = name.split(separator: ".").map(String.init)
            if names.isEmpty {
                return Path(start: .current, names: [], transforms: transforms)
            }
            return Path(start: name.first == "." ? .top : .stack, names: names, transforms: transforms)
        }
    }
}

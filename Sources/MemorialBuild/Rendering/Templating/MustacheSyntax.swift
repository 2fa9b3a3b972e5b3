/// A template as swift-mustache's parser reads it: a port of its `MustacheTemplate.parse`
/// (`Template+Parser.swift`) and of the `Parser` it reads with (`Parser.swift`), swift-mustache
/// 2.1.1, Apache-2.0, by the Hummingbird authors.
///
/// Whitespace handling in Mustache is full of corners (which line is standalone, what a block
/// inside `{{<parent}}` does with its indentation, that only `\n` and `\r\n` end a line of text
/// but any newline character ends a standalone tag's line, that trailing spaces at the end of a
/// file vanish), and `CompiledTemplates` must reproduce swift-mustache's output byte for byte.
/// So this reads characters exactly as swift-mustache does, step for step, on the same Swift
/// `Character`s, instead of reimplementing the specification; the differential tests in
/// `CompiledTemplatesTests` compare the two on templates written and generated to hit those
/// corners.
enum MustacheSyntax {
    indirect enum Token {
        case text(String)
        case variable(name: String, transforms: [String], escaped: Bool)
        case section(name: String, transforms: [String], tokens: [Token], inverted: Bool)
        case blockDefinition(name: String, tokens: [Token])
        case blockExpansion(name: String, tokens: [Token], indentation: String)
        case partial(name: String, indentation: String?, inherits: [String: [Token]]?, dynamic: Bool)
        /// `{{% CONTENT_TYPE: value}}`; any other configuration is a parse error in swift-mustache.
        case contentType(String)
    }

    enum Failure: Error {
        case overflow
        case syntax
    }

    /// The tokens of `text`, or `Failure` where swift-mustache's parser throws.
    static func parse(_ text: String) throws -> [Token] {
        var scanner = Scanner(text)
        return try parse(&scanner, state: State())
    }

    private struct State {
        var sectionName: String?
        var sectionTransforms: [String] = []
        var newLine = true
        var isPartialDefinition = false
        var isPartialDefinitionTopLevel = false
        var startDelimiter = "{{"
        var endDelimiter = "}}"
        var partialDefinitionIndent: Substring?

        func withSectionName(_ name: String, newLine: Bool, transforms: [String] = []) -> State {
            var state = self
            state.sectionName = name
            state.sectionTransforms = transforms
            state.isPartialDefinitionTopLevel = false
            if !newLine { state.newLine = false }
            return state
        }

        func withInheritancePartial(_ name: String) -> State {
            var state = self
            state.sectionName = name
            state.sectionTransforms = []
            state.newLine = true
            state.isPartialDefinition = true
            state.isPartialDefinitionTopLevel = true
            return state
        }

        func withDelimiters(start: String, end: String) -> State {
            var state = self
            state.startDelimiter = start
            state.endDelimiter = end
            state.isPartialDefinitionTopLevel = false
            return state
        }
    }

    private static func parse(_ parser: inout Scanner, state: State) throws -> [Token] {
        var tokens: [Token] = []
        var state = state
        var whiteSpaceBefore: Substring = ""
        while !parser.reachedEnd() {
            if state.newLine {
                let whiteSpace = parser.read(while: { $0 == " " || $0 == "\t" })
                if state.isPartialDefinition, !state.isPartialDefinitionTopLevel {
                    if let indent = state.partialDefinitionIndent {
                        whiteSpaceBefore = whiteSpace.dropFirst(indent.count)
                    } else {
                        state.partialDefinitionIndent = whiteSpace
                    }
                } else {
                    whiteSpaceBefore = whiteSpace
                }
            }
            let text = try readUntilDelimiterOrNewline(&parser, state: state)
            if parser.current().isNewline {
                tokens.append(.text(whiteSpaceBefore + text + String(parser.current())))
                state.newLine = true
                parser.advance()
                continue
            }
            if text.count > 0 {
                tokens.append(.text(whiteSpaceBefore + text))
                whiteSpaceBefore = ""
                state.newLine = false
            }
            if parser.reachedEnd() { break }
            var setNewLine = false
            switch parser.current() {
            case "#", "^":
                let inverted = parser.current() == "^"
                parser.advance()
                let (name, transforms) = try parseName(&parser, state: state)
                if isStandalone(&parser, state: state) {
                    setNewLine = true
                } else if whiteSpaceBefore.count > 0 {
                    tokens.append(.text(String(whiteSpaceBefore)))
                    whiteSpaceBefore = ""
                }
                let section = try parse(
                    &parser, state: state.withSectionName(name, newLine: setNewLine, transforms: transforms))
                tokens.append(.section(name: name, transforms: transforms, tokens: section, inverted: inverted))

            case "/":
                parser.advance()
                let (name, transforms) = try parseName(&parser, state: state)
                guard name == state.sectionName, transforms == state.sectionTransforms else {
                    throw Failure.syntax
                }
                if isStandalone(&parser, state: state) {
                    // swift-mustache sets its flag here too, then returns without using it.
                } else if whiteSpaceBefore.count > 0 {
                    tokens.append(.text(String(whiteSpaceBefore)))
                    whiteSpaceBefore = ""
                }
                return tokens

            case "!":
                parser.advance()
                _ = try parser.read(untilString: state.endDelimiter)
                setNewLine = isStandalone(&parser, state: state)

            case "{":
                if whiteSpaceBefore.count > 0 {
                    tokens.append(.text(String(whiteSpaceBefore)))
                    whiteSpaceBefore = ""
                }
                parser.advance()
                let (name, transforms) = try parseName(&parser, state: state)
                guard try parser.read("}") else { throw Failure.syntax }
                tokens.append(.variable(name: name, transforms: transforms, escaped: false))

            case "&":
                if whiteSpaceBefore.count > 0 {
                    tokens.append(.text(String(whiteSpaceBefore)))
                    whiteSpaceBefore = ""
                }
                parser.advance()
                let (name, transforms) = try parseName(&parser, state: state)
                tokens.append(.variable(name: name, transforms: transforms, escaped: false))

            case ">":
                parser.advance()
                parser.read(while: \.isWhitespace)
                var dynamic = false
                if parser.current() == "*" {
                    parser.advance()
                    dynamic = true
                }
                let name = try parsePartialName(&parser, state: state)
                if whiteSpaceBefore.count > 0 {
                    tokens.append(.text(String(whiteSpaceBefore)))
                }
                if isStandalone(&parser, state: state) {
                    setNewLine = true
                    tokens.append(
                        .partial(name: name, indentation: String(whiteSpaceBefore), inherits: nil, dynamic: dynamic))
                } else {
                    tokens.append(.partial(name: name, indentation: nil, inherits: nil, dynamic: dynamic))
                }
                whiteSpaceBefore = ""

            case "<":
                parser.advance()
                parser.read(while: \.isWhitespace)
                let sectionName = try parsePartialName(&parser, state: state)
                let dynamic = sectionName.first == "*"
                let name = dynamic ? String(sectionName.dropFirst()) : sectionName
                if whiteSpaceBefore.count > 0 {
                    tokens.append(.text(String(whiteSpaceBefore)))
                }
                if isStandalone(&parser, state: state) {
                    setNewLine = true
                }
                let section = try parse(&parser, state: state.withInheritancePartial(sectionName))
                var inherits: [String: [Token]] = [:]
                for token in section {
                    switch token {
                    case .blockDefinition(let name, let tokens): inherits[name] = tokens
                    case .text: break
                    default: throw Failure.syntax
                    }
                }
                tokens.append(
                    .partial(name: name, indentation: String(whiteSpaceBefore), inherits: inherits, dynamic: dynamic))
                whiteSpaceBefore = ""

            case "$":
                parser.advance()
                let (name, transforms) = try parseName(&parser, state: state)
                guard transforms.isEmpty else { throw Failure.syntax }
                if state.isPartialDefinitionTopLevel {
                    if isStandalone(&parser, state: state) {
                        setNewLine = true
                    }
                    let section = try parse(&parser, state: state.withSectionName(name, newLine: setNewLine))
                    tokens.append(.blockDefinition(name: name, tokens: section))
                } else {
                    if whiteSpaceBefore.count > 0 {
                        tokens.append(.text(String(whiteSpaceBefore)))
                    }
                    if isStandalone(&parser, state: state) {
                        setNewLine = true
                    }
                    let section = try parse(&parser, state: state.withSectionName(name, newLine: setNewLine))
                    tokens.append(.blockExpansion(name: name, tokens: section, indentation: String(whiteSpaceBefore)))
                    whiteSpaceBefore = ""
                }

            case "=":
                parser.advance()
                state = try setDelimiter(&parser, state: state)
                setNewLine = isStandalone(&parser, state: state)

            case "%":
                parser.advance()
                tokens.append(try readConfigVariable(&parser, state: state))
                setNewLine = isStandalone(&parser, state: state)

            default:
                if whiteSpaceBefore.count > 0 {
                    tokens.append(.text(String(whiteSpaceBefore)))
                    whiteSpaceBefore = ""
                }
                let (name, transforms) = try parseName(&parser, state: state)
                tokens.append(.variable(name: name, transforms: transforms, escaped: true))
            }
            state.newLine = setNewLine
        }
        guard state.sectionName == nil else { throw Failure.syntax }
        return tokens
    }

    private static func readUntilDelimiterOrNewline(_ parser: inout Scanner, state: State) throws -> String {
        guard let delimiterFirstChar = state.startDelimiter.first else { return "" }
        let untilSet: Set<Character> = ["\n", "\r\n", delimiterFirstChar]
        var totalText = ""
        while !parser.reachedEnd() {
            totalText += parser.read(until: untilSet)
            if parser.current().isNewline {
                break
            } else if parser.current() == delimiterFirstChar {
                if try parser.read(string: state.startDelimiter) {
                    break
                }
                totalText += String(delimiterFirstChar)
                parser.advance()
            }
        }
        return totalText
    }

    private static func parseName(_ parser: inout Scanner, state: State) throws -> (String, [String]) {
        parser.read(while: \.isWhitespace)
        let text = String(parser.read(while: { sectionNameChars.contains($0) }))
        parser.read(while: \.isWhitespace)
        guard try parser.read(string: state.endDelimiter) else { throw Failure.syntax }

        var nameParser = Scanner(text)
        let string = nameParser.read(while: { sectionNameCharsWithoutBrackets.contains($0) })
        if nameParser.reachedEnd() { return (text, []) }
        guard nameParser.current() == "(" else { throw Failure.syntax }
        nameParser.advance()
        var transforms = [string]
        while true {
            let name = nameParser.read(while: { sectionNameCharsWithoutBrackets.contains($0) })
            switch nameParser.current() {
            case ")":
                nameParser.advance()
                var closing = 0
                while !nameParser.reachedEnd(), nameParser.current() == ")" {
                    nameParser.advance()
                    closing += 1
                }
                guard closing + 1 == transforms.count, nameParser.reachedEnd() else { throw Failure.syntax }
                return (String(name), transforms.map(String.init))
            case "(":
                nameParser.advance()
                transforms.append(name)
            default:
                throw Failure.syntax
            }
        }
    }

    private static func parsePartialName(_ parser: inout Scanner, state: State) throws -> String {
        parser.read(while: \.isWhitespace)
        let text = String(parser.read(while: { partialNameChars.contains($0) }))
        parser.read(while: \.isWhitespace)
        guard try parser.read(string: state.endDelimiter) else { throw Failure.syntax }
        return text
    }

    private static func setDelimiter(_ parser: inout Scanner, state: State) throws -> State {
        parser.read(while: \.isWhitespace)
        let startDelimiter = try parser.readUntil(\.isWhitespace)
        parser.read(while: \.isWhitespace)
        let endDelimiter = try parser.readUntil({ $0 == "=" || $0.isWhitespace })
        parser.read(while: \.isWhitespace)
        guard try parser.read("=") else { throw Failure.syntax }
        guard try parser.read(string: state.endDelimiter) else { throw Failure.syntax }
        guard startDelimiter.count > 0, endDelimiter.count > 0 else { throw Failure.syntax }
        return state.withDelimiters(start: String(startDelimiter), end: String(endDelimiter))
    }

    private static func readConfigVariable(_ parser: inout Scanner, state: State) throws -> Token {
        parser.read(while: \.isWhitespace)
        let variable = parser.read(while: { sectionNameCharsWithoutBrackets.contains($0) })
        parser.read(while: \.isWhitespace)
        guard try parser.read(":") else { throw Failure.syntax }
        parser.read(while: \.isWhitespace)
        let value = parser.read(while: { sectionNameCharsWithoutBrackets.contains($0) })
        parser.read(while: \.isWhitespace)
        guard try parser.read(string: state.endDelimiter) else { throw Failure.syntax }
        guard variable.count > 0, value.count > 0, variable == "CONTENT_TYPE" else { throw Failure.syntax }
        return .contentType(String(value))
    }

    private static func isStandalone(_ parser: inout Scanner, state: State) -> Bool {
        guard state.newLine else { return false }
        if parser.reachedEnd() { return true }
        var lookahead = parser
        lookahead.read(while: { $0 == " " || $0 == "\t" })
        if lookahead.current().isNewline {
            lookahead.advance()
            parser.position = lookahead.position
            return true
        }
        return false
    }

    private static let sectionNameCharsWithoutBrackets = Set<Character>(
        "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-_?*")
    private static let sectionNameChars = Set<Character>(
        "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-_?()*")
    private static let partialNameChars = Set<Character>(
        "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-_?()*/")
}

/// swift-mustache's `Parser`: a position in a `String`, moved by `Character`s.
private struct Scanner {
    let buffer: String
    var position: String.Index

    init(_ buffer: String) {
        self.buffer = buffer
        self.position = buffer.startIndex
    }

    func reachedEnd() -> Bool { position == buffer.endIndex }

    /// The current character, or `"\0"` at the end.
    func current() -> Character { reachedEnd() ? "\0" : buffer[position] }

    mutating func advance() { position = buffer.index(after: position) }

    /// Reads `char` when it is the current character; throws at the end.
    mutating func read(_ char: Character) throws -> Bool {
        guard !reachedEnd() else { throw MustacheSyntax.Failure.overflow }
        guard buffer[position] == char else { return false }
        advance()
        return true
    }

    /// Reads `string` when the text continues with it; throws when fewer characters are left.
    mutating func read(string: String) throws -> Bool {
        let count = string.count
        guard count > 0 else { return true }
        guard buffer.distance(from: position, to: buffer.endIndex) >= count else {
            throw MustacheSyntax.Failure.overflow
        }
        let end = buffer.index(position, offsetBy: count)
        guard buffer[position..<end] == string else { return false }
        position = end
        return true
    }

    /// Reads up to the first character in `set`, or to the end.
    mutating func read(until set: Set<Character>) -> Substring {
        let start = position
        while !reachedEnd(), !set.contains(buffer[position]) { advance() }
        return buffer[start..<position]
    }

    /// Reads up to the first character `stop` accepts; throws (and stays) when there is none.
    mutating func readUntil(_ stop: (Character) -> Bool) throws -> Substring {
        let start = position
        while !reachedEnd() {
            if stop(buffer[position]) { return buffer[start..<position] }
            advance()
        }
        position = start
        throw MustacheSyntax.Failure.overflow
    }

    /// swift-mustache's `read(untilString:throwOnOverflow: true, skipToEnd: true)`, including
    /// that after a partial match it does not look at the mismatching character again.
    mutating func read(untilString: String) throws -> Substring {
        guard untilString.count > 0 else { return "" }
        let start = position
        var foundIndex = position
        var untilIndex = untilString.startIndex
        while !reachedEnd() {
            if buffer[position] == untilString[untilIndex] {
                if untilIndex == untilString.startIndex {
                    foundIndex = position
                }
                untilIndex = untilString.index(after: untilIndex)
                if untilIndex == untilString.endIndex {
                    advance()
                    return buffer[start..<foundIndex]
                }
            } else {
                untilIndex = untilString.startIndex
            }
            advance()
        }
        position = start
        throw MustacheSyntax.Failure.overflow
    }

    @discardableResult mutating func read(while accept: (Character) -> Bool) -> Substring {
        let start = position
        while !reachedEnd(), accept(buffer[position]) { advance() }
        return buffer[start..<position]
    }
}

/// A template read into tokens, as swift-mustache's parser reads it: a port of its
/// `MustacheTemplate.parse` (`Template+Parser.swift`) and of the `Parser` it reads with
/// (`Parser.swift`), swift-mustache 2.1.1, Apache-2.0, by the Hummingbird authors; swift-mustache
/// itself is only a test dependency, the reference `CompiledTemplatesTests` compares with.
///
/// Whitespace handling in Mustache is full of corners (which line is standalone, what a block
/// inside `{{<parent}}` does with its indentation, that only `\n` and `\r\n` end a line of text
/// but any newline character ends a standalone tag's line, that trailing spaces at the end of a
/// file vanish), so this reads characters exactly as swift-mustache does, step for step, on the
/// same Swift `Character`s. Where swift-mustache only says that a template is wrong, this says
/// where and what to do (`TemplateError`), and it also refuses what the renderer does not do:
/// transforms other than `first()` and `last()` (read as names), dynamic partials
/// (`{{>*name}}`), pragmas (`{{%…}}`), tags without a name, and a template that ends inside a
/// tag; a start delimiter is text when the template ends before its last character, and starts
/// a tag when a line break follows it (swift-mustache refuses the one and drops the other); and
/// a comment ends at the first end delimiter in it (swift-mustache can miss one that follows a
/// partial match, as `%>` in `%%>`).
enum MustacheSyntax {
    indirect enum Token {
        case text(String)
        case variable(name: String, escaped: Bool)
        case section(name: String, tokens: [Token], inverted: Bool)
        case blockDefinition(name: String, tokens: [Token])
        case blockExpansion(name: String, tokens: [Token], indentation: String)
        case partial(name: String, indentation: String?, inherits: [String: [Token]]?)
    }

    /// The tokens of `text`, the template `name`; what is wrong in it, where: a 1-based line and
    /// column (columns count characters; `\n`, `\r\n` and `\r` end a line).
    static func parse(_ text: String, template name: String) throws(CompiledTemplates.TemplateError) -> [Token] {
        var scanner = Scanner(text)
        do {
            return try parse(&scanner, state: State())
        } catch {
            var line = 1
            var column = 1
            for character in text[..<error.position] {
                if character == "\n" || character == "\r\n" || character == "\r" {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
            }
            throw CompiledTemplates.TemplateError(template: name, line: line, column: column, message: error.message)
        }
    }

    /// A syntax error at a position of the text.
    fileprivate struct Failure: Error {
        var position: String.Index
        var message: String
    }

    private struct State {
        var sectionName: String?
        /// Where the name of the open section, block or parent is.
        var sectionStart: String.Index?
        /// The `{{<parent}}` whose overrides are being read (also after a delimiter change).
        var parentName: String?
        var newLine = true
        var isPartialDefinition = false
        var isPartialDefinitionTopLevel = false
        var startDelimiter = "{{"
        var endDelimiter = "}}"
        var partialDefinitionIndent: Substring?

        func withSectionName(_ name: String, at start: String.Index, newLine: Bool) -> State {
            var state = self
            state.sectionName = name
            state.sectionStart = start
            state.parentName = nil
            state.isPartialDefinitionTopLevel = false
            if !newLine { state.newLine = false }
            return state
        }

        func withInheritancePartial(_ name: String, at start: String.Index) -> State {
            var state = self
            state.sectionName = name
            state.sectionStart = start
            state.parentName = name
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

        /// `{{name}}` with the delimiters in use.
        func tag(_ inside: String) -> String { startDelimiter + inside + endDelimiter }
    }

    private static func parse(_ parser: inout Scanner, state: State) throws(Failure) -> [Token] {
        var tokens: [Token] = []
        var state = state
        var whiteSpaceBefore: Substring = ""
        // The indentation before a tag that is not standalone is text.
        func flushWhiteSpace() {
            if whiteSpaceBefore.count > 0 {
                tokens.append(.text(String(whiteSpaceBefore)))
                whiteSpaceBefore = ""
            }
        }
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
            let (text, foundTag) = readUntilDelimiterOrNewline(&parser, state: state)
            // swift-mustache drops a start delimiter followed by a line break; it starts a tag.
            if !foundTag, parser.current().isNewline {
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
            if parser.reachedEnd() {
                // swift-mustache ignores a start delimiter at the very end.
                if foundTag {
                    throw Failure(
                        position: parser.buffer.index(parser.position, offsetBy: -state.startDelimiter.count),
                        message: "a tag is not finished; close it with \(state.endDelimiter)")
                }
                break
            }
            let tagStart = parser.buffer.index(parser.position, offsetBy: -state.startDelimiter.count)
            if let parent = state.parentName {
                let allowed: Bool
                switch parser.current() {
                case "/", "!", "=": allowed = true
                case "$": allowed = state.isPartialDefinitionTopLevel
                default: allowed = false
                }
                guard allowed else {
                    throw Failure(
                        position: tagStart,
                        message: "\(state.tag("<" + parent)) can hold only block overrides "
                            + "(\(state.tag("$name"))…\(state.tag("/name"))); move this tag into one of them")
                }
            }
            var setNewLine = false
            switch parser.current() {
            case "#", "^":
                let inverted = parser.current() == "^"
                parser.advance()
                let (name, nameStart) = try parseName(&parser, state: state, tagStart: tagStart)
                if isStandalone(&parser, state: state) {
                    setNewLine = true
                } else {
                    flushWhiteSpace()
                }
                let section = try parse(&parser, state: state.withSectionName(name, at: nameStart, newLine: setNewLine))
                tokens.append(.section(name: name, tokens: section, inverted: inverted))

            case "/":
                parser.advance()
                let (name, nameStart) = try parseName(&parser, state: state, tagStart: tagStart, allowsEmpty: true)
                guard let sectionName = state.sectionName else {
                    throw Failure(
                        position: nameStart,
                        message: "\(state.tag("/" + name)) closes no section; remove it, "
                            + "or add the \(state.tag("#" + name)) that opens it")
                }
                guard name == sectionName else {
                    throw Failure(
                        position: nameStart,
                        message: "a section is closed with another name than it was opened with; "
                            + "check that each {{#name}} ends with {{/name}}")
                }
                if !isStandalone(&parser, state: state) { flushWhiteSpace() }
                return tokens

            case "!":
                parser.advance()
                guard let end = parser.buffer[parser.position...].firstRange(of: state.endDelimiter) else {
                    throw Failure(
                        position: tagStart, message: "a comment is not finished; close it with \(state.endDelimiter)")
                }
                parser.position = end.upperBound
                setNewLine = isStandalone(&parser, state: state)

            case "{", "&":
                let triple = parser.current() == "{"
                flushWhiteSpace()
                parser.advance()
                let (name, _) = try parseName(&parser, state: state, tagStart: tagStart)
                if triple {
                    guard parser.current() == "}" else {
                        throw Failure(
                            position: parser.reachedEnd() ? tagStart : parser.position,
                            message: "a {{{name}}} tag is not finished; close it with }}}")
                    }
                    parser.advance()
                }
                tokens.append(.variable(name: name, escaped: false))

            case ">":
                parser.advance()
                let name = try parsePartialName(&parser, state: state, tagStart: tagStart, sigil: ">")
                if whiteSpaceBefore.count > 0 {
                    tokens.append(.text(String(whiteSpaceBefore)))
                }
                if isStandalone(&parser, state: state) {
                    setNewLine = true
                    tokens.append(.partial(name: name, indentation: String(whiteSpaceBefore), inherits: nil))
                } else {
                    tokens.append(.partial(name: name, indentation: nil, inherits: nil))
                }
                whiteSpaceBefore = ""

            case "<":
                parser.advance()
                parser.read(while: \.isWhitespace)
                let nameStart = parser.position
                let name = try parsePartialName(&parser, state: state, tagStart: tagStart, sigil: "<")
                if whiteSpaceBefore.count > 0 {
                    tokens.append(.text(String(whiteSpaceBefore)))
                }
                setNewLine = isStandalone(&parser, state: state)
                let section = try parse(&parser, state: state.withInheritancePartial(name, at: nameStart))
                var inherits: [String: [Token]] = [:]
                for token in section {
                    // Anything else was refused where it was read.
                    if case .blockDefinition(let name, let tokens) = token { inherits[name] = tokens }
                }
                tokens.append(.partial(name: name, indentation: String(whiteSpaceBefore), inherits: inherits))
                whiteSpaceBefore = ""

            case "$":
                parser.advance()
                let (name, nameStart) = try parseName(&parser, state: state, tagStart: tagStart)
                guard !name.hasSuffix(")") else {
                    throw Failure(
                        position: nameStart,
                        message: "a block cannot have a transform; write \(state.tag("$name")) with a plain name")
                }
                if !state.isPartialDefinitionTopLevel, whiteSpaceBefore.count > 0 {
                    tokens.append(.text(String(whiteSpaceBefore)))
                }
                setNewLine = isStandalone(&parser, state: state)
                let section = try parse(&parser, state: state.withSectionName(name, at: nameStart, newLine: setNewLine))
                if state.isPartialDefinitionTopLevel {
                    tokens.append(.blockDefinition(name: name, tokens: section))
                } else {
                    tokens.append(.blockExpansion(name: name, tokens: section, indentation: String(whiteSpaceBefore)))
                    whiteSpaceBefore = ""
                }

            case "=":
                parser.advance()
                state = try setDelimiter(&parser, state: state, tagStart: tagStart)
                setNewLine = isStandalone(&parser, state: state)

            case "%":
                throw Failure(
                    position: tagStart,
                    message: "pragmas (\(state.tag("%…"))) are not supported; remove the tag: "
                        + "\(state.tag("name")) escapes HTML and \(state.tag("&name")) does not")

            default:
                flushWhiteSpace()
                let (name, _) = try parseName(&parser, state: state, tagStart: tagStart)
                tokens.append(.variable(name: name, escaped: true))
            }
            state.newLine = setNewLine
        }
        if state.sectionName != nil, let start = state.sectionStart {
            throw Failure(position: start, message: "a section is never closed; add the {{/name}} that ends it")
        }
        return tokens
    }

    /// The text up to the next line break or tag, and whether a tag's start delimiter was read.
    private static func readUntilDelimiterOrNewline(
        _ parser: inout Scanner, state: State
    ) -> (String, Bool) {
        guard let delimiterFirstChar = state.startDelimiter.first else { return ("", false) }
        let untilSet: Set<Character> = ["\n", "\r\n", delimiterFirstChar]
        var totalText = ""
        while !parser.reachedEnd() {
            totalText += parser.read(while: { !untilSet.contains($0) })
            if parser.current().isNewline {
                break
            } else if parser.current() == delimiterFirstChar {
                // swift-mustache throws when fewer characters are left than the delimiter has;
                // they are text.
                if parser.read(prefix: state.startDelimiter) {
                    return (totalText, true)
                }
                totalText += String(delimiterFirstChar)
                parser.advance()
            }
        }
        return (totalText, false)
    }

    /// The name of a tag and where it starts, with the end delimiter read. `first()` and
    /// `last()` are names.
    private static func parseName(
        _ parser: inout Scanner, state: State, tagStart: String.Index, allowsEmpty: Bool = false
    ) throws(Failure) -> (String, String.Index) {
        parser.read(while: \.isWhitespace)
        let start = parser.position
        let name = String(parser.read(while: { sectionNameChars.contains($0) }))
        parser.read(while: \.isWhitespace)
        try readEnd(&parser, state: state, tagStart: tagStart)
        guard !name.isEmpty || allowsEmpty else {
            throw Failure(
                position: tagStart,
                message: "a tag has no name; write \(state.tag("name")), or \(state.tag(".")) for the current value")
        }
        guard name == "first()" || name == "last()" || !name.contains(where: { $0 == "(" || $0 == ")" }) else {
            throw Failure(
                position: start,
                message: "“\(name)” is not a name, and the only transforms are first() and last() (true on the "
                    + "first and the last item of a list section); write one of them, or a plain name")
        }
        return (name, start)
    }

    /// Reads the end delimiter that must come next.
    private static func readEnd(_ parser: inout Scanner, state: State, tagStart: String.Index) throws(Failure) {
        if parser.read(prefix: state.endDelimiter) { return }
        let next = parser.current()
        if parser.reachedEnd() || next == state.endDelimiter.first {
            throw Failure(
                position: parser.reachedEnd() ? tagStart : parser.position,
                message: "a tag is not finished; close it with \(state.endDelimiter)")
        }
        let close = "close the tag with \(state.endDelimiter) after the name"
        if partialNameChars.contains(next) {
            throw Failure(position: parser.position, message: "a name cannot contain spaces; \(close)")
        }
        throw Failure(
            position: parser.position,
            message: "“\(next)” cannot be in a name (letters, digits and . - _ ? * only); \(close)")
    }

    private static func parsePartialName(
        _ parser: inout Scanner, state: State, tagStart: String.Index, sigil: String
    ) throws(Failure) -> String {
        parser.read(while: \.isWhitespace)
        let start = parser.position
        let text = String(parser.read(while: { partialNameChars.contains($0) }))
        parser.read(while: \.isWhitespace)
        try readEnd(&parser, state: state, tagStart: tagStart)
        guard !text.isEmpty else {
            throw Failure(
                position: tagStart, message: "a partial tag has no name; write \(state.tag(sigil + "name"))")
        }
        guard text.first != "*" else {
            throw Failure(
                position: start,
                message: "dynamic names (\(state.tag(sigil + "*name"))) are not supported; "
                    + "name the template itself: \(state.tag(sigil + "name"))")
        }
        return text
    }

    private static func setDelimiter(
        _ parser: inout Scanner, state: State, tagStart: String.Index
    ) throws(Failure) -> State {
        let wrong = Failure(
            position: tagStart,
            message: "a delimiter change is not written right; write it as \(state.tag("=<% %>=")): "
                + "the two new delimiters, without spaces in them, between = signs")
        parser.read(while: \.isWhitespace)
        guard let startDelimiter = parser.readUntil(\.isWhitespace) else { throw wrong }
        parser.read(while: \.isWhitespace)
        guard let endDelimiter = parser.readUntil({ $0 == "=" || $0.isWhitespace }) else { throw wrong }
        parser.read(while: \.isWhitespace)
        guard parser.current() == "=" else { throw wrong }
        parser.advance()
        guard parser.read(prefix: state.endDelimiter) else { throw wrong }
        guard startDelimiter.count > 0, endDelimiter.count > 0 else { throw wrong }
        return state.withDelimiters(start: String(startDelimiter), end: String(endDelimiter))
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

    /// Reads `string` when the text continues with it.
    mutating func read(prefix string: String) -> Bool {
        guard let end = buffer.index(position, offsetBy: string.count, limitedBy: buffer.endIndex),
            buffer[position..<end] == string
        else { return false }
        position = end
        return true
    }

    /// Reads up to the first character `stop` accepts; nil (and stays) when there is none.
    mutating func readUntil(_ stop: (Character) -> Bool) -> Substring? {
        let start = position
        while !reachedEnd() {
            if stop(buffer[position]) { return buffer[start..<position] }
            advance()
        }
        position = start
        return nil
    }

    @discardableResult mutating func read(while accept: (Character) -> Bool) -> Substring {
        let start = position
        while !reachedEnd(), accept(buffer[position]) { advance() }
        return buffer[start..<position]
    }
}

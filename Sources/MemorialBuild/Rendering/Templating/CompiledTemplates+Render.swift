import Foundation

extension CompiledTemplates {
    /// Where a list section is: swift-mustache's `MustacheSequenceContext`.
    struct SequencePosition {
        var first: Bool
        var last: Bool
        var index: Int
    }

    /// One rendering: swift-mustache's `MustacheContext`, kept as a stack that nodes push onto
    /// and pop from instead of a new context per step.
    struct Renderer {
        let bodies: [Body]
        let indexes: [String: Int]
        /// The context stack; names are looked up from the end.
        var stack: [TemplateValue]
        /// Set inside a list section's item, cleared by anything that pushes another value, by
        /// partials and by blocks, as swift-mustache does.
        var sequence: SequencePosition?
        /// What goes after each line break between the nodes of a body (standalone partials
        /// and blocks add theirs to it).
        var indentation: [UInt8] = []
        /// The overrides of the `{{<parent}}`s being rendered, outermost first; the outermost
        /// that defines a block wins (swift-mustache merges them keeping the older value).
        var overrides: [[Int: Body]] = []

        init(bodies: [Body], indexes: [String: Int], root: TemplateValue) {
            self.bodies = bodies
            self.indexes = indexes
            self.stack = [root]
            stack.reserveCapacity(16)
        }

        /// swift-mustache's `MustacheTemplate.render(context:)`: with an indentation, it goes
        /// before a node's output when that output is not empty and what this body has
        /// rendered so far ends with the character `\n` (`\r\n` is another character).
        mutating func render(_ body: Body, into output: inout [UInt8]) {
            let indentation = self.indentation
            if indentation.isEmpty {
                // Through the buffer: a `for node in` loop copies, and so retains, every node.
                body.joined.withUnsafeBufferPointer { nodes in
                    for index in nodes.indices { render(nodes[index], into: &output) }
                }
                return
            }
            let start = output.count
            for node in body.nodes {
                let position = output.count
                render(node, into: &output)
                if output.count > position, position > start, output[position - 1] == 0x0A,
                    position - 1 == start || output[position - 2] != 0x0D
                {
                    output.insert(contentsOf: indentation, at: position)
                }
            }
        }

        mutating func render(_ node: Node, into output: inout [UInt8]) {
            switch node {
            case .text(let bytes):
                output.append(contentsOf: bytes)

            case .variable(let path, let escaped):
                guard let value = value(of: path) else { return }
                Self.append(value, escaped: escaped, to: &output)

            case .section(let path, let body):
                guard let value = value(of: path) else { return }
                switch value {
                case .list(let items):
                    guard !items.isEmpty else { return }
                    let saved = sequence
                    for (index, item) in items.enumerated() {
                        stack.append(item)
                        sequence = SequencePosition(first: index == 0, last: index == items.count - 1, index: index)
                        render(body, into: &output)
                        stack.removeLast()
                    }
                    sequence = saved
                case .bool(let flag):
                    if flag { render(body, into: &output) }
                case .string, .int, .object:
                    renderPushing(value, body, into: &output)
                }

            case .invertedSection(let path, let body):
                guard let value = value(of: path) else {
                    render(body, into: &output)
                    return
                }
                switch value {
                case .list(let items):
                    if items.isEmpty { renderPushing(value, body, into: &output) }
                case .bool(let flag):
                    if !flag { render(body, into: &output) }
                case .string, .int, .object:
                    break
                }

            case .block(let id, let body, let indentation):
                var chosen = body
                for frame in overrides {
                    if let override = frame[id] {
                        chosen = override
                        break
                    }
                }
                let (savedSequence, savedIndentation) = (sequence, self.indentation)
                sequence = nil
                if !indentation.isEmpty { self.indentation += indentation }
                render(chosen, into: &output)
                (sequence, self.indentation) = (savedSequence, savedIndentation)

            case .partial(let template, let indentation, let overrides):
                guard template >= 0 else { return }
                renderPartial(bodies[template], indentation: indentation, overrides: overrides, into: &output)

            case .dynamicPartial(let path, let indentation, let overrides):
                guard case .string(let name)? = value(of: path), let template = indexes[name] else { return }
                renderPartial(bodies[template], indentation: indentation, overrides: overrides, into: &output)
            }
        }

        /// A section over one value: swift-mustache's `context.withObject(value)`.
        mutating func renderPushing(_ value: TemplateValue, _ body: Body, into output: inout [UInt8]) {
            let saved = sequence
            sequence = nil
            stack.append(value)
            render(body, into: &output)
            stack.removeLast()
            sequence = saved
        }

        /// swift-mustache's `context.withPartial(indented:inheriting:)`.
        mutating func renderPartial(
            _ body: Body, indentation: [UInt8]?, overrides frame: [Int: Body]?, into output: inout [UInt8]
        ) {
            let (savedSequence, savedIndentation) = (sequence, self.indentation)
            sequence = nil
            if let indentation, !indentation.isEmpty { self.indentation += indentation }
            if let frame { overrides.append(frame) }
            render(body, into: &output)
            if frame != nil { overrides.removeLast() }
            (sequence, self.indentation) = (savedSequence, savedIndentation)
        }

        /// swift-mustache's `getChild(named:transforms:context:)`.
        func value(of path: Path) -> TemplateValue? {
            var value: TemplateValue
            var transforms = path.transforms[...]
            switch path.start {
            case .current:
                value = stack[stack.count - 1]
            case .sequence:
                guard let sequence, let transform = transforms.popFirst(),
                    let result = Self.apply(transform, to: sequence)
                else { return nil }
                value = result
            case .top:
                value = stack[stack.count - 1]
                for (name, hash) in zip(path.names, path.hashes) {
                    guard case .object(let fields) = value, let child = fields.value(name, hash: hash) else {
                        return nil
                    }
                    value = child
                }
            case .stack:
                let names = path.names
                guard let found = climb(names[0], hash: path.hashes[0]) else { return nil }
                value = found
                for (name, hash) in zip(names.dropFirst(), path.hashes.dropFirst()) {
                    guard case .object(let fields) = value, let child = fields.value(name, hash: hash) else {
                        return nil
                    }
                    value = child
                }
            }
            for transform in transforms {
                guard let result = Self.apply(transform, to: value) else { return nil }
                value = result
            }
            return value
        }

        /// The value of `name` in the innermost context that has it. Only objects have named
        /// children (swift-mustache's `Mirror` finds no labelled children in the others).
        func climb(_ name: String, hash: Int) -> TemplateValue? {
            var index = stack.count - 1
            while index >= 0 {
                if case .object(let fields) = stack[index], let child = fields.value(name, hash: hash) { return child }
                index -= 1
            }
            return nil
        }

        static func apply(_ transform: Transform, to position: SequencePosition) -> TemplateValue? {
            switch transform {
            case .first: .bool(position.first)
            case .last: .bool(position.last)
            case .index: .int(position.index)
            case .even: .bool(position.index & 1 == 0)
            case .odd: .bool(position.index & 1 == 1)
            default: nil
            }
        }

        static func apply(_ transform: Transform, to value: TemplateValue) -> TemplateValue? {
            switch value {
            case .string(let text):
                switch transform {
                case .empty: .bool(text.isEmpty)
                case .capitalized: .string(text.capitalized)
                case .lowercased: .string(text.lowercased())
                case .uppercased: .string(text.uppercased())
                default: nil
                }
            case .bool:
                nil
            case .int(let number):
                switch transform {
                case .equalzero: .bool(number == 0)
                case .plusone: .int(number + 1)
                case .minusone: .int(number - 1)
                case .even: .bool(number & 1 == 0)
                case .odd: .bool(number & 1 == 1)
                default: nil
                }
            case .list(let items):
                switch transform {
                case .first: items.first
                case .last: items.last
                case .count: .int(items.count)
                case .empty: .bool(items.isEmpty)
                default: nil
                }
            case .object(let fields):
                switch transform {
                case .count: .int(fields.count)
                case .empty: .bool(fields.isEmpty)
                default: nil
                }
            }
        }

        /// A variable's text: swift-mustache's `String(describing:)` of the value, escaped by
        /// `HTMLEscaping` unless the tag is `{{{…}}}` or `{{&…}}`.
        static func append(_ value: TemplateValue, escaped: Bool, to output: inout [UInt8]) {
            switch value {
            case .string(let text):
                if escaped {
                    appendEscaped(text, to: &output)
                } else {
                    output.append(contentsOf: text.utf8)
                }
            case .int(let number):
                appendDecimal(number, to: &output)
            case .bool(let flag):
                output.append(contentsOf: flag ? trueBytes : falseBytes)
            case .list, .object:
                // Printing a list or an object is a template's mistake, and rare: describe the
                // same `Any` swift-mustache would (a dictionary's `mapValues` keeps its order).
                let text = String(describing: value.mustacheValue)
                if escaped {
                    appendEscaped(text, to: &output)
                } else {
                    output.append(contentsOf: text.utf8)
                }
            }
        }

        static func appendEscaped(_ text: String, to output: inout [UInt8]) {
            let done: Void? = text.utf8.withContiguousStorageIfAvailable { bytes in
                appendEscaped(bytes, to: &output)
            }
            if done == nil {
                appendEscaped(Array(text.utf8), to: &output)
            }
        }

        /// `HTMLEscaping.escapeText`, appending runs of ordinary bytes whole.
        static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
            var runStart = 0
            for index in 0..<bytes.count {
                let entity: [UInt8]
                switch bytes[index] {
                case 0x3C: entity = lessThan
                case 0x3E: entity = greaterThan
                case 0x26: entity = ampersand
                case 0x22: entity = quote
                case 0x27: entity = apostrophe
                default: continue
                }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                output.append(contentsOf: entity)
                runStart = index + 1
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
        }

        static func appendEscaped(_ bytes: [UInt8], to output: inout [UInt8]) {
            bytes.withUnsafeBufferPointer { appendEscaped($0, to: &output) }
        }

        /// `String(describing: number)` without making the string.
        static func appendDecimal(_ number: Int, to output: inout [UInt8]) {
            if number < 0 { output.append(0x2D) }
            var magnitude = number.magnitude
            let start = output.count
            repeat {
                output.append(0x30 + UInt8(magnitude % 10))
                magnitude /= 10
            } while magnitude > 0
            output[start...].reverse()
        }

        static let lessThan = Array("&lt;".utf8)
        static let greaterThan = Array("&gt;".utf8)
        static let ampersand = Array("&amp;".utf8)
        static let quote = Array("&quot;".utf8)
        static let apostrophe = Array("&#39;".utf8)
        static let trueBytes = Array("true".utf8)
        static let falseBytes = Array("false".utf8)
    }
}

extension CompiledTemplates {
    /// One rendering: swift-mustache's `MustacheContext`, as one stack that nodes push onto and
    /// pop from, of pointers to values: copying a `TemplateValue` out of the context retains its
    /// text, list or object (perf: most of the retains of rendering). Every value pushed is part
    /// of the context, which `CompiledTemplates.render` keeps alive and nobody changes meanwhile.
    struct Renderer {
        let program: Program
        /// The context stack; names are looked up from the end.
        var stack: [UnsafePointer<TemplateValue>]
        /// Where a list section is (swift-mustache's `MustacheSequenceContext`): set inside a list
        /// section's item, cleared by anything that pushes another value, by partials and by
        /// blocks, as swift-mustache does.
        var sequence: (first: Bool, last: Bool)?
        /// What goes after each line break between the nodes of a body (standalone partials
        /// and blocks add theirs to it).
        var indentation: [UInt8] = []
        /// The override frames of the `{{<parent}}`s being rendered, outermost first; the
        /// outermost that defines a block wins (swift-mustache merges them keeping the older value).
        var overrides: [Int32] = []

        init(program: Program, root: UnsafePointer<TemplateValue>) {
            self.program = program
            self.stack = [root]
            stack.reserveCapacity(16)
        }

        /// swift-mustache's `MustacheTemplate.render(context:)`, whose tokens are a tag or a line
        /// of text: with an indentation, it goes before a token's output when that output is not
        /// empty and what this body has rendered so far ends with the character `\n` (`\r\n` is
        /// another character), so also after each such `\n` inside a text that more text follows.
        mutating func render(_ body: Int32, into output: inout Output) {
            let body = program.bodies[Int(body)]
            if indentation.isEmpty {
                for index in body.range { run(program.instructions[index], into: &output) }
                return
            }
            let start = output.count
            for index in body.range {
                let instruction = program.instructions[index]
                var position = output.count
                run(instruction, into: &output)
                while position < output.count {
                    if position > start, output[position - 1] == 0x0A,
                        position - 1 == start || output[position - 2] != 0x0D
                    {
                        output.insert(contentsOf: indentation, at: position)
                        position += indentation.count
                    }
                    guard instruction.kind == .text else { break }
                    position += 1
                }
            }
        }

        mutating func run(_ instruction: Instruction, into output: inout Output) {
            switch instruction.kind {
            case .text:
                output.append(contentsOf: bytes(from: instruction.a, count: instruction.b))

            case .variable:
                guard let value = find(program.paths[Int(instruction.a)]) else { return }
                Self.append(value, escaped: instruction.escaped, to: &output)

            case .section:
                guard let value = find(program.paths[Int(instruction.a)]) else { return }
                section(value, instruction.b, into: &output)

            case .invertedSection:
                guard let value = find(program.paths[Int(instruction.a)]) else {
                    return render(instruction.b, into: &output)
                }
                invertedSection(value, instruction.b, into: &output)

            case .block:
                var chosen = instruction.b
                search: for frame in overrides.indices {
                    for index in program.frames[Int(overrides[frame])].range
                    where program.overrides[index].block == instruction.a {
                        chosen = program.overrides[index].body
                        break search
                    }
                }
                renderNested(chosen, instruction, frame: -1, into: &output)

            case .partial:
                guard instruction.a >= 0 else { return }
                renderNested(program.templates[Int(instruction.a)], instruction, frame: instruction.b, into: &output)
            }
        }

        func bytes(from start: Int32, count: Int32) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(start: program.bytes.baseAddress! + Int(start), count: Int(count))
        }

        mutating func section(_ value: UnsafePointer<TemplateValue>, _ body: Int32, into output: inout Output) {
            switch value.pointee {
            case .list(let items):
                guard !items.isEmpty else { return }
                let saved = sequence
                items.withUnsafeBufferPointer { items in
                    let last = items.count - 1
                    for index in items.indices {
                        stack.append(items.baseAddress! + index)
                        sequence = (first: index == 0, last: index == last)
                        render(body, into: &output)
                        stack.removeLast()
                    }
                }
                sequence = saved
            case .bool(let flag):
                if flag { render(body, into: &output) }
            case .string, .utf8, .int, .object:
                renderPushing(value, body, into: &output)
            }
        }

        mutating func invertedSection(
            _ value: UnsafePointer<TemplateValue>, _ body: Int32, into output: inout Output
        ) {
            switch value.pointee {
            case .list(let items):
                if items.isEmpty { renderPushing(value, body, into: &output) }
            case .bool(let flag):
                if !flag { render(body, into: &output) }
            case .string, .utf8, .int, .object:
                break
            }
        }

        /// A section over one value: swift-mustache's `context.withObject(value)`.
        mutating func renderPushing(_ value: UnsafePointer<TemplateValue>, _ body: Int32, into output: inout Output) {
            let saved = sequence
            sequence = nil
            stack.append(value)
            render(body, into: &output)
            stack.removeLast()
            sequence = saved
        }

        /// swift-mustache's `context.withPartial(indented:inheriting:)`, for a `partial` or
        /// `block` instruction (whose indentation is `c` and `d`).
        /// - Parameter frame: the partial's override frame, or -1.
        mutating func renderNested(_ body: Int32, _ instruction: Instruction, frame: Int32, into output: inout Output) {
            let (savedSequence, savedIndentation) = (sequence, indentation.count)
            sequence = nil
            indentation.append(contentsOf: bytes(from: instruction.c, count: instruction.d))
            if frame >= 0 { overrides.append(frame) }
            render(body, into: &output)
            if frame >= 0 { overrides.removeLast() }
            sequence = savedSequence
            indentation.removeLast(indentation.count - savedIndentation)
        }

        /// The value a path names (swift-mustache's `getChild`), where the context holds it.
        func find(_ path: Path) -> UnsafePointer<TemplateValue>? {
            var value = stack[stack.count - 1]
            var names = path.names.range
            switch path.start {
            case .current:
                return value
            case .first, .last:
                guard let sequence else { return nil }
                return program.flags.baseAddress! + ((path.start == .first ? sequence.first : sequence.last) ? 1 : 0)
            case .top:
                break
            case .stack:
                guard let found = climb(names.lowerBound) else { return nil }
                value = found
                names = names.dropFirst()
            }
            for index in names {
                guard let child = Self.child(of: value, program.names[index], hash: program.hashes[index]) else {
                    return nil
                }
                value = child
            }
            return value
        }

        /// The value of name number `index` in the innermost context that has it. Only objects
        /// have named children (swift-mustache's `Mirror` finds no labelled children in the others).
        func climb(_ index: Int) -> UnsafePointer<TemplateValue>? {
            let name = program.names[index]
            let hash = program.hashes[index]
            var level = stack.count - 1
            while level >= 0 {
                if let child = Self.child(of: stack[level], name, hash: hash) { return child }
                level -= 1
            }
            return nil
        }

        /// The field `name` (whose hash is `hash`) when `value` is an object that has it.
        @inline(__always)
        static func child(
            of value: UnsafePointer<TemplateValue>, _ name: String, hash: Int
        ) -> UnsafePointer<TemplateValue>? {
            guard case .object(let fields) = value.pointee else { return nil }
            return fields.valuePointer(name, hash: hash)
        }

        /// A variable's text (`TemplateValue.description`), escaped by `HTMLEscaping` unless the
        /// tag is `{{{…}}}` or `{{&…}}`.
        static func append(_ value: UnsafePointer<TemplateValue>, escaped: Bool, to output: inout Output) {
            let text: String
            switch value.pointee {
            case .string(let string): text = string
            case .utf8(let bytes):
                return bytes.withUnsafeBufferPointer {
                    if escaped { appendEscaped($0, to: &output) } else { output.append(contentsOf: $0) }
                }
            case .int(let number): return appendDecimal(number, to: &output)
            case .bool(let flag): return output.append(contentsOf: (flag ? "true" : "false") as StaticString)
            // Printing a list or an object is a template's mistake, and rare.
            case .list, .object: text = value.pointee.description
            }
            if escaped {
                appendEscaped(text, to: &output)
            } else {
                output.append(contentsOf: text.utf8)
            }
        }

        static func appendEscaped(_ text: String, to output: inout Output) {
            var text = text
            text.withUTF8 { appendEscaped($0, to: &output) }
        }

        /// `HTMLEscaping`, appending runs of ordinary bytes whole.
        static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout Output) {
            guard let base = bytes.baseAddress else { return }
            var start = 0
            while true {
                let special = HTMLEscaping.next(in: bytes, from: start)
                output.append(contentsOf: UnsafeBufferPointer(start: base + start, count: special - start))
                guard special < bytes.count else { return }
                output.append(contentsOf: HTMLEscaping.entity(for: base[special]))
                start = special + 1
            }
        }

        /// `String(describing: number)` without making the string.
        static func appendDecimal(_ number: Int, to output: inout Output) {
            if number < 0 { output.append(0x2D) }
            var magnitude = number.magnitude
            let start = output.count
            repeat {
                output.append(0x30 + UInt8(magnitude % 10))
                magnitude /= 10
            } while magnitude > 0
            output.reverse(from: start)
        }
    }
}

extension CompiledTemplates {
    /// The bytes of one rendering, appended to the caller's array once at the end: a page is a
    /// few hundred short pieces (text between tags, a name, a link), and `append(contentsOf:)`
    /// costs more per piece in its general checks than copying the piece (perf: more than all
    /// the rest of the renderer's own code); copying the finished page once more is a small part
    /// of that. It starts in scratch space on the stack, so that most pages allocate nothing.
    struct Output: ~Copyable {
        private(set) var base: UnsafeMutablePointer<UInt8>
        private(set) var count = 0
        private var capacity: Int
        /// Whether `base` was allocated here (else it is the caller's scratch space).
        private var owned = false

        /// Starting in `scratch`, which must outlive this.
        init(scratch: UnsafeMutableBufferPointer<UInt8>) {
            base = scratch.baseAddress!
            capacity = scratch.count
        }

        deinit { if owned { base.deallocate() } }

        var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

        subscript(index: Int) -> UInt8 { base[index] }

        @inline(__always)
        mutating func append(contentsOf bytes: UnsafeBufferPointer<UInt8>) {
            guard let source = bytes.baseAddress else { return }
            let added = bytes.count
            if capacity - count < added { grow(to: count + added) }
            (base + count).initialize(from: source, count: added)
            count += added
        }

        @inline(__always)
        mutating func append(_ byte: UInt8) {
            if count == capacity { grow(to: count + 1) }
            base[count] = byte
            count += 1
        }

        /// The bytes of a literal, which needs no array of its own.
        @inline(__always)
        mutating func append(contentsOf text: StaticString) {
            text.withUTF8Buffer { append(contentsOf: $0) }
        }

        mutating func append(contentsOf text: String.UTF8View) {
            let done: Void? = text.withContiguousStorageIfAvailable { append(contentsOf: $0) }
            if done == nil { Array(text).withUnsafeBufferPointer { append(contentsOf: $0) } }
        }

        mutating func insert(contentsOf bytes: [UInt8], at index: Int) {
            let added = bytes.count
            if capacity - count < added { grow(to: count + added) }
            (base + index + added).update(from: base + index, count: count - index)  // overlapping: a memmove
            bytes.withUnsafeBufferPointer { (base + index).update(from: $0.baseAddress!, count: added) }
            count += added
        }

        /// Reverses the bytes from `start` to the end.
        mutating func reverse(from start: Int) {
            var bytes = UnsafeMutableBufferPointer(start: base + start, count: count - start)
            bytes.reverse()
        }

        @inline(never)
        private mutating func grow(to needed: Int) {
            let newCapacity = max(capacity * 2, needed)
            let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            newBase.initialize(from: base, count: count)
            if owned { base.deallocate() }
            base = newBase
            capacity = newCapacity
            owned = true
        }
    }
}

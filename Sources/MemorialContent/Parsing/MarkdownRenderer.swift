import CCMark
import CMarkArena
import Foundation
import MemorialCore
import Synchronization

/// What rendering one Markdown body gives: safe HTML, the case-folder files it refers to, and
/// the problems found, positioned in the whole file.
package struct RenderedMarkdown: Sendable {
    package var html: String
    package var localFiles: [String]
    package var diagnostics: [Diagnostic]
    /// Every other link and image target with its place, for `check` to follow.
    package var links: [(url: String, location: SourceLocation)] = []
}

/// Renders GitHub-flavoured Markdown with cmark-gfm in its safe mode (raw HTML omitted) plus the
/// table, strikethrough, autolink, tagfilter and tasklist extensions and footnotes.
///
/// cmark-gfm 0.29 keeps the inline parser's special characters in one global table: the inline
/// pass of every parse (in `cmark_parser_finish`) adds its extensions' characters (`~`, `:`,
/// `w`, `|`) and removes them when it ends (`cmark_manage_extensions_special_characters`;
/// github/cmark-gfm#221), so two threads in that pass at once corrupt each other's output (a
/// probe saw `~~x~~` left unrendered in 2–7 % of documents). That pass therefore holds one
/// process-wide lock. Reading the blocks (`cmark_parser_feed`, about 40 % of a parse), walking
/// the tree and writing HTML touch no global state and run on every core. Emptying the
/// extensions' character lists after setting the characters once does not work: the inline
/// pass also finds a delimiter's extension through them, and loops forever without it.
package enum MarkdownRenderer {
    private static let lock = Mutex(())
    static let extensionNames = ["table", "strikethrough", "autolink", "tagfilter", "tasklist"]
    static let unsafeSchemes: Set<String> = ["javascript", "vbscript", "data", "file"]
    /// Without `CMARK_OPT_VALIDATE_UTF8`: the bytes come from a Swift `String`, which is valid
    /// UTF-8 by construction, and checking them again was a hundredth of a narrated build.
    /// A table column's alignment as a `style` attribute: HTML5 has no `align` on cells.
    static let options = CMARK_OPT_DEFAULT | CMARK_OPT_FOOTNOTES | CMARK_OPT_TABLE_PREFER_STYLE_ATTRIBUTES
    /// The extensions, registered once per process (thread-safe: a `static let`).
    private static let registered: Void = cmark_gfm_core_extensions_ensure_registered()
    private nonisolated(unsafe) static let extensions: [OpaquePointer] = {
        _ = registered
        return extensionNames.compactMap { cmark_find_syntax_extension($0) }
    }()

    /// - Parameters:
    ///   - lineOffset: lines of the file before the body (front matter), added to cmark's lines.
    ///   - localFiles: names of the files beside the Markdown file; relative links to them are
    ///     rewritten to `mediaPrefix + name`.
    ///   - withheldFiles: names of files beside it that are not published (`Case.withheldFiles`):
    ///     a link or image naming one is left out, its text kept, with a warning.
    ///   - withLinks: whether to list the other links with their places (for `check`; a build
    ///     does not follow them, and placing each cost a tenth of rendering a narrative).
    ///   - headingOffset: levels added to every heading (at most h6): a body under a section
    ///     heading of the page has its `##` one level below that heading.
    static func render(
        _ body: String, file: String, lineOffset: Int, localFiles: Set<String> = [],
        withheldFiles: Set<String> = [], mediaPrefix: String = "", withLinks: Bool = true, headingOffset: Int = 0
    ) -> RenderedMarkdown {
        let utf8 = Array(body.utf8)
        // Where each line starts, in bytes: made only when a position is asked for (splitting
        // the body into `Character`s for it cost as much as parsing it).
        var lineStarts: [Int] = []
        // The last place a column was counted for: nodes come in document order, so counting on
        // from there keeps a line of 20,000 links linear (from the line's start, it took 39 s).
        var counted = (line: 0, byte: 0, column: 1)
        var diagnostics: [Diagnostic] = []
        var referenced: [String] = []
        var links: [(url: String, location: SourceLocation)] = []
        // Links and images whose target is dropped: taken out of the tree once it is walked.
        var dropped: [OpaquePointer] = []

        func location(_ node: OpaquePointer) -> SourceLocation {
            var current: OpaquePointer? = node
            // Bare autolinks report 0:0; their enclosing block knows where they are.
            while let candidate = current, cmark_node_get_start_line(candidate) == 0 {
                current = cmark_node_parent(candidate)
            }
            guard let found = current else { return SourceLocation(file: file, line: lineOffset + 1) }
            let line = Int(cmark_node_get_start_line(found))
            let byteColumn = Int(cmark_node_get_start_column(found))
            // cmark counts columns in UTF-8 bytes; curators' editors count characters.
            var column = byteColumn
            if lineStarts.isEmpty {
                lineStarts.append(0)
                for index in utf8.indices where utf8[index] == 0x0A { lineStarts.append(index + 1) }
            }
            if line >= 1, line <= lineStarts.count {
                let start = lineStarts[line - 1]
                let end = line < lineStarts.count ? lineStarts[line] - 1 : utf8.count
                let target = min(end, start + max(byteColumn - 1, 0))
                if counted.line != line || counted.byte > target { counted = (line, start, 1) }
                // A node starts at Markdown syntax, never inside a character, so the counts add up.
                column =
                    counted.column + String(decoding: utf8[counted.byte..<target], as: UTF8.self).count
                counted = (line, target, column)
            }
            return SourceLocation(file: file, line: line + lineOffset, column: column)
        }

        // Everything cmark-gfm allocates for this document comes from this thread's arena, given
        // back at once when the document is done (`CMarkArena`).
        let memory = memorial_cmark_arena_begin()
        defer { memorial_cmark_arena_end() }
        // Only the inline pass holds the lock (see above).
        let parsed: (parser: OpaquePointer, root: OpaquePointer)? = {
            _ = registered
            guard let parser = cmark_parser_new_with_mem(options, memory) else { return nil }
            for syntaxExtension in extensions { cmark_parser_attach_syntax_extension(parser, syntaxExtension) }
            utf8.withUnsafeBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return }
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    cmark_parser_feed(parser, $0, buffer.count)
                }
            }
            // Addresses cross the lock as integers: C pointers are not `Sendable`.
            let parserAddress = Int(bitPattern: parser)
            let rootAddress = lock.withLock { _ in
                Int(bitPattern: cmark_parser_finish(OpaquePointer(bitPattern: parserAddress)))
            }
            guard let root = OpaquePointer(bitPattern: rootAddress) else { return nil }
            return (parser, root)
        }()
        // Nothing is freed one by one (parser, tree, iterator, HTML): the arena goes as a whole.
        guard let (parser, root) = parsed else {
            return RenderedMarkdown(html: "", localFiles: [], diagnostics: [])
        }

        let iterator = cmark_iter_new(root)
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
            let type = cmark_node_get_type(node)
            if type == CMARK_NODE_HEADING, headingOffset != 0 {
                let level = Int(cmark_node_get_heading_level(node)) + headingOffset
                cmark_node_set_heading_level(node, Int32(min(6, max(1, level))))
            } else if type == CMARK_NODE_HTML_BLOCK || type == CMARK_NODE_HTML_INLINE {
                diagnostics.append(
                    .warning(
                        "raw HTML is not published; it was left out of the page (write it in Markdown instead)",
                        at: location(node)))
            } else if type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE {
                let url = cmark_node_get_url(node).map { String(cString: $0) } ?? ""
                if let scheme = scheme(of: url), unsafeSchemes.contains(scheme) {
                    diagnostics.append(
                        .warning(
                            "\(scheme): link target dropped; links may point only to web pages, cases and files of the case",
                            at: location(node)))
                    dropped.append(node)
                } else if let name = localFileName(url), withheldFiles.contains(name) {
                    diagnostics.append(
                        .warning(
                            "'\(name)' is a document whose status in documents.yml is not published; the link to it "
                                + "was left out of the page (its text is kept)",
                            at: location(node)))
                    dropped.append(node)
                } else if let name = localFileName(url), localFiles.contains(name) {
                    referenced.append(name)
                    cmark_node_set_url(node, mediaPrefix + percentEncoded(name))
                } else if withLinks {
                    links.append((url, location(node)))
                }
            }
        }
        // A dropped link leaves its text and a dropped image its description, in their place
        // (`href=""` would link the page itself, and `src=""` is not valid HTML).
        for node in dropped {
            while let child = cmark_node_first_child(node), cmark_node_insert_before(node, child) == 1 {}
            cmark_node_unlink(node)
        }
        let spaced = localFiles.filter { $0.contains(" ") }.union(withheldFiles.filter { $0.contains(" ") })
        if !spaced.isEmpty { diagnostics += spacedFileLinks(utf8, file: file, lineOffset: lineOffset, named: spaced) }
        var html = ""
        if let rendered = cmark_render_html_with_mem(
            root, options, cmark_parser_get_syntax_extensions(parser), memory)
        {
            html = String(cString: rendered)
        }
        return RenderedMarkdown(html: html, localFiles: referenced, diagnostics: diagnostics, links: links)
    }

    /// `[text](my scan.jpg)` naming a file of the case whose name has a space (one of `names`) is
    /// no link in Markdown (an address ends at a space), and the page shows it as written: a
    /// warning at its `[` says how to write it.
    static func spacedFileLinks(_ utf8: [UInt8], file: String, lineOffset: Int, named names: Set<String>)
        -> [Diagnostic]
    {
        var found: [Diagnostic] = []
        var lineStart = 0
        var line = 1
        var index = 0
        while index + 1 < utf8.count {
            if utf8[index] == 0x0A {
                line += 1
                lineStart = index + 1
            } else if utf8[index] == UInt8(ascii: "]"), utf8[index + 1] == UInt8(ascii: "(") {
                let inner = index + 2
                if let close = utf8[inner...].firstIndex(where: { $0 == UInt8(ascii: ")") || $0 == 0x0A }),
                    utf8[close] == UInt8(ascii: ")"),
                    case let name = String(decoding: utf8[inner..<close], as: UTF8.self).trimmed,
                    names.contains(name),
                    let open = utf8[lineStart..<index].lastIndex(of: UInt8(ascii: "["))
                {
                    let start = open > lineStart && utf8[open - 1] == UInt8(ascii: "!") ? open - 1 : open
                    let column = String(decoding: utf8[lineStart..<start], as: UTF8.self).count + 1
                    found.append(
                        .warning(
                            "'\(name)' has a space in its name, so this is not read as a link and shows as written; "
                                + "put the name in angle brackets: (<\(name)>)",
                            at: SourceLocation(file: file, line: line + lineOffset, column: column)))
                }
            }
            index += 1
        }
        return found
    }

    /// Renders the body of a narrative, given its whole file, with positions in the file.
    package static func renderBody(
        of narrative: Narrative, text: String, localFiles: Set<String>, withheldFiles: Set<String> = [],
        mediaPrefix: String, withLinks: Bool = true, headingOffset: Int = 0
    ) -> RenderedMarkdown {
        render(
            String(FrontMatter.body(of: text, lineOffset: narrative.bodyLineOffset)), file: narrative.location.file,
            lineOffset: narrative.bodyLineOffset, localFiles: localFiles, withheldFiles: withheldFiles,
            mediaPrefix: mediaPrefix, withLinks: withLinks, headingOffset: headingOffset)
    }

    /// The label cmark-gfm gives every footnote's back-link, in English whatever the page's
    /// language.
    static let backReferenceLabel = "aria-label=\"Back to content\""

    /// `html` with its footnote back-links labelled `escapedLabel` (in the page's language, HTML
    /// escaped), not in cmark-gfm's English; `html` itself when it has no footnotes.
    package static func labellingBackReferences(_ html: String, escapedLabel: String) -> String {
        guard html.utf8Offset(of: "data-footnote-backref") != nil else { return html }
        return html.replacingUTF8Occurrences(of: backReferenceLabel, with: "aria-label=\"\(escapedLabel)\"")
    }

    /// The lower-cased scheme of a URL, ignoring the spaces and control characters browsers skip.
    package static func scheme(of url: String) -> String? {
        // Over bytes, leaving out controls and spaces as browsers do: only ASCII letters, digits
        // and `+.-` can be in a scheme (a Unicode property lookup per character was a fifth of
        // checking a narrative's links).
        var scheme: [UInt8] = []
        for byte in url.utf8 where byte > 0x20 {
            if byte == UInt8(ascii: ":") { return scheme.isEmpty ? nil : String(decoding: scheme, as: UTF8.self) }
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"),
                UInt8(ascii: "."), UInt8(ascii: "-"):
                scheme.append(byte)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                scheme.append(byte + 0x20)
            default:
                return nil
            }
        }
        return nil
    }

    /// `scan.jpg` or `./scan.jpg` → `scan.jpg`; anything with a scheme, a path or an anchor → nil.
    static func localFileName(_ url: String) -> String? {
        var name = url
        if name.hasPrefix("./") { name.removeFirst(2) }
        guard !name.isEmpty, scheme(of: name) == nil, !name.contains("/"), !name.hasPrefix("#"), !name.hasPrefix("?")
        else { return nil }
        return name.removingPercentEncoding ?? name
    }

    static func percentEncoded(_ name: String) -> String {
        name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? name
    }
}

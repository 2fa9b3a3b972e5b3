import MemorialCore

/// How deep block quotes and lists nest, read from the markers at the start of each line
/// before cmark-gfm sees the text: cmark-gfm takes time quadratic in the depth (a line of
/// 20,000 `> ` or `- `), and no narrative needs more than a few levels.
enum MarkdownNesting {
    /// Levels of block quotes and list items a line may open at most.
    static let limit = 100

    /// The error for the first line of `body` that nests deeper than `limit`, placed at the
    /// marker that goes past it; nil when none does. One pass over the bytes of line starts.
    /// - Parameter lineOffset: lines of the file before the body.
    static func problem(in body: String, file: String, lineOffset: Int) -> Diagnostic? {
        var body = body
        return body.withUTF8 { bytes -> Diagnostic? in
            let count = bytes.count
            var index = 0
            var line = 1
            while index < count {
                let lineStart = index
                var depth = 0
                markers: while index < count {
                    switch bytes[index] {
                    case UInt8(ascii: " "), UInt8(ascii: "\t"):
                        index += 1
                        continue markers
                    case UInt8(ascii: ">"):
                        index += 1
                    case UInt8(ascii: "-"), UInt8(ascii: "*"), UInt8(ascii: "+"):
                        guard index + 1 < count, bytes[index + 1] == 0x20 || bytes[index + 1] == 0x09 else {
                            break markers
                        }
                        index += 2
                    case UInt8(ascii: "0")...UInt8(ascii: "9"):
                        // An ordered list item: up to 9 digits, then `.` or `)` and a space.
                        var end = index
                        while end < count, end - index < 9, (0x30...0x39).contains(bytes[end]) { end += 1 }
                        guard end + 1 < count, bytes[end] == UInt8(ascii: ".") || bytes[end] == UInt8(ascii: ")"),
                            bytes[end + 1] == 0x20 || bytes[end + 1] == 0x09
                        else { break markers }
                        index = end + 2
                    default:
                        break markers
                    }
                    depth += 1
                    if depth > limit {
                        // The markers before it are ASCII: bytes are characters.
                        return .error(
                            "block quotes and lists are nested more than \(limit) levels deep here; "
                                + "take out '>', '-', '*', '+' or numbered markers at the start of this line",
                            at: SourceLocation(
                                file: file, line: line + lineOffset,
                                column: markerStart(bytes, before: index, from: lineStart) - lineStart + 1))
                    }
                }
                while index < count, bytes[index] != 0x0A { index += 1 }
                index += 1
                line += 1
            }
            return nil
        }
    }

    /// Where the marker that ends just before `end` starts (its digits, for a numbered one).
    private static func markerStart(_ bytes: UnsafeBufferPointer<UInt8>, before end: Int, from lineStart: Int) -> Int {
        var start = end - 1
        if bytes[start] == 0x20 || bytes[start] == 0x09 { start -= 1 }
        if bytes[start] == UInt8(ascii: ".") || bytes[start] == UInt8(ascii: ")") {
            while start > lineStart, (0x30...0x39).contains(bytes[start - 1]) { start -= 1 }
        }
        return start
    }
}

/// The one writer of JSON string literals, used wherever the site writes JSON.
public enum JSON {
    /// Appends `text` as a JSON string literal: `"` and `\` escaped, control characters as
    /// `\n`, `\r`, `\t` or `\u00XX`, and `<` as `\u003c` so the literal can sit inside a
    /// `<script>` element (no `</script>` or `<!--` can appear). Other characters are copied
    /// as UTF-8, or, when `ascii`, written as `\uXXXX` (UTF-16, a pair for characters beyond
    /// U+FFFF) so that the output is ASCII whatever charset it is served with.
    public static func appendString(_ text: String, to bytes: inout [UInt8], ascii: Bool = false) {
        if !ascii {
            var text = text
            text.withUTF8 { appendString(utf8: $0, to: &bytes) }
        } else {
            bytes.append(UInt8(ascii: "\""))
            for scalar in text.unicodeScalars {
                if (0x20...0x7E).contains(scalar.value), scalar != "\"", scalar != "\\", scalar != "<" {
                    bytes.append(UInt8(scalar.value))
                } else {
                    for unit in UTF16.encode(scalar)! { appendEscape(unit, to: &bytes) }
                }
            }
            bytes.append(UInt8(ascii: "\""))
        }
    }

    /// `appendString` of text given as (valid) UTF-8.
    public static func appendString(utf8: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        appendEscaped(utf8: utf8, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    /// `appendString` without the quotes: for a literal made of several texts.
    public static func appendEscaped(_ text: String, to bytes: inout [UInt8]) {
        var text = text
        text.withUTF8 { appendEscaped(utf8: $0, to: &bytes) }
    }

    private static func appendEscaped(utf8: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8]) {
        // Runs between escapes are copied whole: byte by byte, this was a tenth of a build.
        var start = 0
        for (index, byte) in utf8.enumerated() where byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x3C {
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
            appendEscape(UInt16(byte), to: &bytes)
            start = index + 1
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
    }

    /// `appendString` as a String.
    public static func string(_ text: String, ascii: Bool = false) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 2)
        appendString(text, to: &bytes, ascii: ascii)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func appendEscape(_ unit: UInt16, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\\"))
        switch unit {
        case 0x22, 0x5C: bytes.append(UInt8(unit))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        default:
            bytes.append(UInt8(ascii: "u"))
            for shift in stride(from: 12, through: 0, by: -4) {
                let digit = UInt8((unit >> UInt16(shift)) & 0xF)
                bytes.append(digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10)
            }
        }
    }
}

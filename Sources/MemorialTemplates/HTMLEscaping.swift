/// The one escaper for text put into HTML or XML (the templates' `{{name}}`, the sitemap, the
/// charts' SVG, the preview server's error page). It replaces `<`, `>`, `&`, `"` and `'` (`&lt;`,
/// `&gt;`, `&amp;`, `&quot;`, `&#39;`, which HTML and XML both read) and works on UTF-8 bytes:
/// none of the five is part of a longer character's bytes, and a character made of one of them
/// and a combining mark is escaped too. Most text has nothing to escape, so it is scanned eight
/// bytes at a time.
package enum HTMLEscaping {
    /// `text` escaped.
    package static func escape(_ text: String) -> String {
        var text = text
        let escaped: [UInt8]? = text.withUTF8 { utf8 in
            guard next(in: utf8, from: 0) < utf8.count else { return nil }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(utf8.count + 16)
            append(utf8, to: &bytes)
            return bytes
        }
        guard let escaped else { return text }
        return String(decoding: escaped, as: UTF8.self)
    }

    /// Appends `text` escaped to `bytes`.
    package static func append(_ text: String, to bytes: inout [UInt8]) {
        var text = text
        text.withUTF8 { append($0, to: &bytes) }
    }

    static func append(_ utf8: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8]) {
        guard let base = utf8.baseAddress else { return }
        var start = 0
        while true {
            let special = next(in: utf8, from: start)
            bytes.append(contentsOf: UnsafeBufferPointer(start: base + start, count: special - start))
            guard special < utf8.count else { return }
            entity(for: base[special]).withUTF8Buffer { bytes.append(contentsOf: $0) }
            start = special + 1
        }
    }

    /// The position of the first byte at or after `start` that is escaped, or `bytes.count`.
    @inline(__always)
    static func next(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        let count = bytes.count
        var index = start
        while index < count {
            if index + 8 <= count {
                let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                if !mayNeedEscaping(word) {
                    index += 8
                    continue
                }
            }
            if isSpecial(base[index]) { return index }
            index += 1
        }
        return count
    }

    /// The entity that replaces `byte`, one of the five `next(in:from:)` stops at.
    @inline(__always)
    static func entity(for byte: UInt8) -> StaticString {
        switch byte {
        case 0x3C: "&lt;"
        case 0x3E: "&gt;"
        case 0x26: "&amp;"
        case 0x22: "&quot;"
        default: "&#39;"
        }
    }

    @inline(__always)
    static func isSpecial(_ byte: UInt8) -> Bool {
        // Bit n set for the bytes `"`, `&`, `'`, `<` and `>`, all below 64.
        let special: UInt64 = 1 << 0x22 | 1 << 0x26 | 1 << 0x27 | 1 << 0x3C | 1 << 0x3E
        return byte < 64 && special >> byte & 1 != 0
    }

    /// Whether any of the eight bytes of `word` may be one to escape: false means none is. A
    /// byte equal to `b` is a zero byte of `word ^ (b × 0x01…01)`, and
    /// `(x - 0x01…01) & ~x & 0x80…80` is not zero exactly when `x` has a zero byte.
    @inline(__always)
    static func mayNeedEscaping(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        func hasZeroByte(_ x: UInt64) -> Bool { (x &- ones) & ~x & highs != 0 }
        return hasZeroByte(word ^ (ones &* 0x22)) || hasZeroByte(word ^ (ones &* 0x26))
            || hasZeroByte(word ^ (ones &* 0x27)) || hasZeroByte(word ^ (ones &* 0x3C))
            || hasZeroByte(word ^ (ones &* 0x3E))
    }
}

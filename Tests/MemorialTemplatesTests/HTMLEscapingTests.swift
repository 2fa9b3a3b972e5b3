import TestSupport
import Testing

@testable import MemorialTemplates

/// The one escaper of HTML and XML text, against a plain byte-by-byte reference, and where it
/// is used outside templates.
@Suite struct HTMLEscapingTests {
    /// What the escaper must do, the slow and obvious way.
    static func reference(_ text: String) -> String {
        var bytes: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "<"): bytes += Array("&lt;".utf8)
            case UInt8(ascii: ">"): bytes += Array("&gt;".utf8)
            case UInt8(ascii: "&"): bytes += Array("&amp;".utf8)
            case UInt8(ascii: "\""): bytes += Array("&quot;".utf8)
            case UInt8(ascii: "'"): bytes += Array("&#39;".utf8)
            default: bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func theFiveCharactersBecomeEntitiesAndNothingElseChanges() {
        #expect(
            HTMLEscaping.escape("<a href=\"x\">Tom & 'Jerry'</a>")
                == "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;")
        #expect(HTMLEscaping.escape("Қазақ тілі — ok; =?/") == "Қазақ тілі — ok; =?/")
        #expect(HTMLEscaping.escape("") == "")
        #expect(HTMLEscaping.escape("&amp;") == "&amp;amp;")
    }

    /// A character made of `"` or `<` and a combining mark is escaped too (walking characters,
    /// as swift-mustache did, left it as it was).
    @Test func aSpecialCharacterWithACombiningMarkIsEscaped() {
        #expect(HTMLEscaping.escape("\"\u{301}x<\u{338}") == "&quot;\u{301}x&lt;\u{338}")
    }

    /// Texts of every length around the eight bytes scanned at once, special characters at
    /// every position, next to each other and at the end.
    @Test func randomTextsAgreeWithTheReference() {
        var random = SplitMix64(seed: 0x4E5C)
        let alphabet: [String] = ["a", "Z", "0", " ", ";", "Қ", "é", "€", "😀", "<", ">", "&", "\"", "'"]
        for _ in 0..<3000 {
            let text = (0..<random.below(40)).map { _ in random.chance(0.85) ? "x" : random.pick(alphabet) }.joined()
            #expect(HTMLEscaping.escape(text) == Self.reference(text), "\(text)")
            var bytes: [UInt8] = [1]
            HTMLEscaping.append(text, to: &bytes)
            #expect(bytes == [1] + Array(Self.reference(text).utf8), "\(text)")
        }
    }
}

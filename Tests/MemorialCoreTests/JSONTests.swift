import Foundation
import MemorialCore
import Testing

@Suite struct JSONTests {
    @Test func escapesQuotesBackslashesControlCharactersAndTheScriptOpener() {
        #expect(JSON.string(#"a "b" \c"#) == #""a \"b\" \\c""#)
        #expect(JSON.string("1\n2\r3\t4\u{1}5\u{1F}") == #""1\n2\r3\t4\u00015\u001f""#)
        #expect(JSON.string("</script><!--") == #""\u003c/script>\u003c!--""#)
        #expect(JSON.string("") == #""""#)
    }

    @Test func copiesOtherCharactersOrWritesThemAsUTF16WhenASCIIOnly() {
        #expect(JSON.string("Әлихан 😀 é") == "\"Әлихан 😀 é\"")
        #expect(JSON.string("Ә😀\u{7F}<\"", ascii: true) == #""\u04d8\ud83d\ude00\u007f\u003c\"""#)
    }

    @Test func bytesAreTheString() {
        var bytes = Array("[".utf8)
        JSON.appendString("Ә<\n", to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "[" + JSON.string("Ә<\n"))
    }

    /// Whatever the text, a JSON parser reads back the same text, in both forms.
    @Test func aJSONParserReadsBackTheText() throws {
        var random = FixedRandom()
        let pieces = [
            "a", "Ә", "\"", "\\", "<", "/", "\n", "\r", "\t", "\u{0}", "\u{1F}", "\u{7F}", " ", "中", "e\u{301}", "😀",
            "\u{10FFFF}", "\u{2028}",
        ]
        for _ in 0..<500 {
            let text = (0..<Int.random(in: 0...8, using: &random)).map { _ in pieces.randomElement(using: &random)! }
                .joined()
            for ascii in [false, true] {
                let written = JSON.string(text, ascii: ascii)
                #expect(!ascii || written.utf8.allSatisfy { (0x20...0x7E).contains($0) })
                let read = try JSONSerialization.jsonObject(with: Data("[\(written)]".utf8)) as? [String]
                #expect(read == [text], "\(text.debugDescription) as \(written)")
            }
        }
    }
}

/// A fixed sequence of pseudo-random numbers (64-bit LCG), so a failure can be replayed.
private struct FixedRandom: RandomNumberGenerator {
    var state: UInt64 = 1937

    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state ^ (state >> 29)
    }
}

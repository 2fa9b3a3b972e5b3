import Testing

@testable import MemorialContent

@Suite struct ByteSearchTests {
    @Test func findsTheFirstOccurrenceFromAByteOffsetInUTF8() {
        let html = "<h3>Источники</h3>\n<p>a</p><h3>Б</h3>"
        #expect(html.utf8Offset(of: "<h3>Источники</h3>\n") == 0)
        #expect(html.utf8Offset(of: "<h3", from: 1) == "<h3>Источники</h3>\n<p>a</p>".utf8.count)
        #expect(html.utf8Offset(of: "<h2") == nil)
        #expect(html.utf8Offset(of: "Б</h3>") == html.utf8.count - "Б</h3>".utf8.count)
        #expect(html.utf8Offset(of: "</h3>x") == nil)
        #expect(html.utf8Offset(of: "", from: 3) == 3)
        #expect(html.utf8Offset(of: "a", from: html.utf8.count + 1) == nil)
        #expect("aab".utf8Offset(of: "ab") == 1)
    }

    @Test func replacesEveryOccurrenceAndLeavesTheRest() {
        #expect("a-b-c".replacingUTF8Occurrences(of: "-", with: "—") == "a—b—c")
        #expect("Назад Назад".replacingUTF8Occurrences(of: "Назад", with: "x") == "x x")
        #expect("abc".replacingUTF8Occurrences(of: "z", with: "y") == "abc")
        #expect("aaa".replacingUTF8Occurrences(of: "aa", with: "b") == "ba")
    }
}

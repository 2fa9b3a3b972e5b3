import Foundation

/// Text files as curators save them: UTF-8, perhaps with a byte-order mark, perhaps with
/// Windows (CRLF) or old Mac (CR) line ends. Everything downstream sees LF only, so line
/// numbers in diagnostics match what an editor shows.
enum SourceText {
    static func decode(_ data: Data) -> String? {
        guard var text = String(data: data, encoding: .utf8) else { return nil }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        if text.utf8.contains(UInt8(ascii: "\r")) {
            text = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        }
        return text
    }
}

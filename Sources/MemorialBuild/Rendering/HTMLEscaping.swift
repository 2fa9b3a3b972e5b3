import Mustache

/// Escapes `{{…}}` values for HTML byte by byte. swift-mustache's own HTML escaping walks
/// grapheme clusters through a dictionary, which costs about as much as all the rest of a
/// page's rendering on Cyrillic text; this escapes the same five characters (`< > & " '`) and
/// returns the text untouched when none is present.
public struct HTMLEscaping: MustacheContentType {
    /// The name templates select it by (`{{% CONTENT_TYPE: MEMORIAL_HTML}}`).
    static let name = "MEMORIAL_HTML"
    /// Put before every template; a template without it is escaped by swift-mustache's own
    /// (slower) HTML escaping, so safety never depends on it.
    static let pragma = "{{% CONTENT_TYPE: \(name)}}"

    static func register() {
        MustacheContentTypes.register(HTMLEscaping(), named: name)
    }

    /// The text with `< > & " '` escaped, for HTML made outside templates.
    public static func escape(_ text: String) -> String { HTMLEscaping().escapeText(text) }

    public func escapeText(_ text: String) -> String {
        let utf8 = text.utf8
        guard utf8.contains(where: { $0 == 0x3C || $0 == 0x3E || $0 == 0x26 || $0 == 0x22 || $0 == 0x27 }) else {
            return text
        }
        var escaped: [UInt8] = []
        escaped.reserveCapacity(utf8.count + 16)
        for byte in utf8 {
            switch byte {
            case 0x3C: escaped.append(contentsOf: "&lt;".utf8)
            case 0x3E: escaped.append(contentsOf: "&gt;".utf8)
            case 0x26: escaped.append(contentsOf: "&amp;".utf8)
            case 0x22: escaped.append(contentsOf: "&quot;".utf8)
            case 0x27: escaped.append(contentsOf: "&#39;".utf8)
            default: escaped.append(byte)
            }
        }
        return String(decoding: escaped, as: UTF8.self)
    }
}

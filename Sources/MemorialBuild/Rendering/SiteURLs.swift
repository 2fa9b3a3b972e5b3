import Foundation
import MemorialContent
import MemorialCore
import MemorialTemplates

/// The site's URL scheme (README.md, section 6) in one place: every page's root-relative href,
/// absolute URL and output file path.
struct SiteURLs: Sendable {
    let root: String
    let baseURL: String

    init(config: SiteConfig) {
        root = config.rootPath
        baseURL = config.baseURL
    }

    /// One part of a path (a people code, a file name), percent-encoded unless plain ASCII.
    static func component(_ text: String) -> String {
        // Codes and file names are nearly always plain ASCII: no need to ask Foundation.
        let isPlain = text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                true
            default: false
            }
        }
        if isPlain { return text }
        return text.addingPercentEncoding(
            withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/")))
            ?? text
    }

    func href(_ folder: String) -> String { root + Self.encoded(folder) }
    func absolute(_ folder: String) -> String { baseURL + Self.encoded(folder) }

    /// Folders are file paths, so the letters of the names index stay letters on disk (`kk/names/ә/`);
    /// in addresses they are percent-encoded. Every other folder is ASCII already.
    static func encoded(_ folder: String) -> String {
        guard folder.utf8.contains(where: { $0 >= 0x80 }) else { return folder }
        return folder.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? folder
    }

    static func home(_ language: String) -> String { "\(language)/" }
    static func caseFolder(_ language: String, _ id: String) -> String { "\(language)/cases/\(id)/" }
    static func peoples(_ language: String) -> String { "\(language)/peoples/" }
    static func people(_ language: String, _ code: String) -> String { "\(language)/peoples/\(component(code))/" }
    static func years(_ language: String) -> String { "\(language)/years/" }
    static func year(_ language: String, _ year: Int) -> String { "\(language)/years/\(year)/" }
    static func names(_ language: String) -> String { "\(language)/names/" }
    static func nameLetter(_ language: String, _ slug: String) -> String { "\(language)/names/\(slug)/" }
    static func search(_ language: String) -> String { "\(language)/search/" }
    static func page(_ language: String, _ slug: String) -> String { "\(language)/\(slug)/" }
    /// Document `index` (0-based) of a case: `<lang>/cases/<id>/documents/<index + 1>/`.
    static func document(_ language: String, _ id: String, _ index: Int) -> String {
        "\(language)/cases/\(id)/documents/\(index + 1)/"
    }
    static func data(_ language: String) -> String { "\(language)/data/" }
    /// Page `number` of a paginated index whose first page is `folder`.
    static func paginated(_ folder: String, _ number: Int) -> String {
        number <= 1 ? folder : folder + "page/\(number)/"
    }

    /// The output file of a page folder: `<folder>index.html`.
    static func file(_ folder: String) -> String { folder + "index.html" }
}

import Foundation
import MemorialContent
import MemorialCore

/// What `memorial check` says about the documents beyond a build's errors: scans too large to
/// build quickly, and captions missing in a site language. (Files of a case folder that
/// nothing describes or links are `ContentChecker`'s.)
enum DocumentChecker {
    /// Scans above this many bytes are worth a warning: every build that makes their images
    /// decodes them whole.
    static let largeScan = 50 * 1024 * 1024

    static func check(_ content: SiteContent, siteRoot: URL) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let languages = content.config.languages
        let root = SiteBuilder.rootPath(of: siteRoot)
        for (id, documents) in content.documents.sorted(by: { $0.key < $1.key }) {
            for document in documents where document.status == .published {
                let path = root + "content/cases/\(id)/\(document.file)"
                if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int,
                    size > largeScan
                {
                    diagnostics.append(
                        .warning(
                            "'\(document.file)' is \(size / (1024 * 1024)) MB; scans over \(largeScan / (1024 * 1024)) MB make builds slow: export it at 300 dpi, or as JPEG",
                            at: document.location))
                }
                guard document.caption.common == nil else { continue }
                let missing = languages.filter { document.caption.byLanguage[$0] == nil }
                if !missing.isEmpty {
                    diagnostics.append(
                        .warning(
                            "'\(document.file)' has no caption in \(missing.joined(separator: ", ")); add it under 'caption:'",
                            at: document.location))
                }
            }
        }
        return diagnostics
    }
}

import Foundation
import MemorialCore
import Testing

@testable import MemorialContent

/// The built-in interface strings are edited as YAML files and embedded by
/// `scripts/embed-templates.py`; these tests read the files as a site's `content/i18n/` is read.
@Suite struct BuiltInStringsTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(
            "Sources/MemorialContent/Strings")

    static func file(_ language: String) throws -> (text: String, path: String) {
        let url = folder.appendingPathComponent("\(language).yml")
        return (try String(contentsOf: url, encoding: .utf8), url.path)
    }

    @Test func theEmbeddedStringsEqualTheFiles() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter {
            $0.hasSuffix(".yml")
        }
        #expect(files.map { String($0.dropLast(4)) }.sorted() == InterfaceStrings.builtIn.keys.sorted())
        for language in InterfaceStrings.builtIn.keys {
            let (text, path) = try Self.file(language)
            var diagnostics = Diagnostics()
            let parsed = InterfaceStringsParser.parse(text, file: path, diagnostics: &diagnostics)
            #expect(diagnostics.all.isEmpty, "\(diagnostics.all.map { $0.formatted() })")
            #expect(parsed == InterfaceStrings.builtIn[language], "run `make templates` after editing \(path)")
        }
    }

    @Test func everyLanguageHasEveryKey() {
        for (language, strings) in InterfaceStrings.builtIn {
            let missing = InterfaceStrings.keys.subtracting(strings.keys).sorted()
            #expect(missing.isEmpty, "\(language).yml lacks \(missing)")
        }
    }
}

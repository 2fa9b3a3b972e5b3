import Foundation
import MemorialCore
import TestSupport
import Testing

@testable import MemorialBuild

/// What `TemplateLibrary` reports itself about a site's templates (the engine's own errors are
/// `TemplateErrorTests` in the engine's tests).
@Suite struct TemplateLibraryTests {
    @Test func aSiteTemplateThatIsNotUTF8() throws {
        let site = try TemporarySite(fixture: "Sites/minimal")
        defer { site.remove() }
        let folder = site.root.appending(path: "templates")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data([0x7B, 0x7B, 0xFF, 0x7D, 0x7D]).write(to: folder.appending(path: "page.mustache"))
        var diagnostics = Diagnostics()
        _ = TemplateLibrary.load(siteRoot: site.root, diagnostics: &diagnostics)
        #expect(
            diagnostics.all.map { $0.formatted() } == [
                "templates/page.mustache:1:1: error: the template is not valid UTF-8; save it as UTF-8"
            ])
    }
}

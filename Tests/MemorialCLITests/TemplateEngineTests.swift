import Foundation
import TestSupport
import Testing

/// The compiled template renderer against swift-mustache, the reference: whole sites built with
/// each must be the same byte for byte. `MEMORIAL_TEMPLATE_ENGINE=mustache` forces the
/// reference; `=compiled` makes a build fail rather than fall back.
@Suite struct TemplateEngineTests {
    /// Builds `root` into a fresh folder with one engine; its files by path.
    func build(_ root: URL, engine: String, into output: URL) throws -> [String: Data] {
        let result = try CommandLineTests().run(
            [
                "build", "--quiet", "--site", root.path, "--out", output.path, "--cache-dir",
                output.path + "-state",
            ],
            environment: ["MEMORIAL_TEMPLATE_ENGINE": engine])
        #expect(result.status == 0, "\(engine): \(result.stderr)")
        return filesUnder(output)
    }

    @Test(arguments: ["", "Sites/small", "Sites/search"])
    func compiledRendererBuildsTheSameSiteAsSwiftMustache(fixture: String) throws {
        let scratch = FileManager.default.temporaryDirectory.appending(path: "memorial-engines-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let root = fixture.isEmpty ? repositoryURL : fixturesURL.appending(path: fixture)
        let reference = try build(root, engine: "mustache", into: scratch.appending(path: "mustache"))
        let compiled = try build(root, engine: "compiled", into: scratch.appending(path: "compiled"))
        #expect(reference.count > 10)
        #expect(Set(compiled.keys) == Set(reference.keys))
        let differing = reference.keys.sorted().filter { compiled[$0] != reference[$0] }
        #expect(differing.isEmpty, "files that differ: \(differing.prefix(10))")
    }

    /// A site template using what only swift-mustache renders (here `reversed()`) is still
    /// rendered, by swift-mustache; asking for the compiled renderer then is an error.
    @Test func templatesTheCompiledRendererCannotTakeFallBackToSwiftMustache() throws {
        let site = try TemporarySite(files: [
            "templates/names.mustache":
                "{{<base}}{{$main}}<p id=\"r\">{{#reversed(letters)}}{{label}},{{/reversed(letters)}}</p>"
                + "{{/main}}{{/base}}\n"
        ])
        defer { site.remove() }
        let fallback = try CommandLineTests().run(["build", "--quiet", "--site", site.root.path])
        #expect(fallback.status == 0, "\(fallback.stderr)")
        let page = try String(contentsOf: site.output.appending(path: "en/names/index.html"), encoding: .utf8)
        #expect(page.contains("<p id=\"r\">Z,Y,X,W,"))
        let strict = try CommandLineTests().run(
            ["build", "--quiet", "--site", site.root.path, "--out", site.root.appending(path: "strict").path],
            environment: ["MEMORIAL_TEMPLATE_ENGINE": "compiled"])
        #expect(strict.status == 1)
        #expect(strict.stderr.contains("/templates:1:1: error: MEMORIAL_TEMPLATE_ENGINE=compiled"))
    }
}

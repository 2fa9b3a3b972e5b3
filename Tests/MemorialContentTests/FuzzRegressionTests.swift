import Foundation
import MemorialCore
import Testing

@testable import MemorialContent

/// The fuzz targets (`make fuzz`) replayed on the inputs that once broke them and on the seeds
/// of their corpus, through the same entry points: every diagnostic has a place in its file.
@Suite struct FuzzRegressionTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func inputs(_ target: FuzzTarget) -> [URL] {
        let folder = fixtures.appendingPathComponent("Fuzz/\(target.rawValue)")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().map { folder.appendingPathComponent($0) }
    }

    @Test(arguments: FuzzTarget.allCases)
    func everyKeptInputGivesOnlyLocatedDiagnostics(_ target: FuzzTarget) throws {
        let inputs = Self.inputs(target)
        #expect(!inputs.isEmpty)
        for input in inputs {
            let bytes = try [UInt8](Data(contentsOf: input))
            let (diagnostics, texts) = target.diagnose(bytes)
            #expect(FuzzTarget.problem(in: diagnostics, texts: texts) == nil, "\(input.lastPathComponent)")
        }
    }

    /// The sample site's files go through each target and give no diagnostic: so a target reads
    /// its input as the loader does, and a finding is not the harness's.
    @Test func theMinimalSiteGivesNoDiagnosticInAnyTarget() {
        let site = FuzzTarget.SiteFolder.parts
        let inputs: [(FuzzTarget, String)] = [
            (.csv, site[1].text), (.frontMatter, site[3].text), (.yaml, site[0].text), (.yaml, site[2].text),
            (.load, ""),
        ]
        for (target, text) in inputs {
            let (diagnostics, _) = target.diagnose(Array(text.utf8))
            let unexpected = diagnostics.filter {
                // The one text read as site.yml, vocabulary and strings fits only one of them.
                target != .yaml
                    || $0.location.file
                        == (text == site[0].text ? "content/site.yml" : "content/vocabularies/peoples.yml")
            }
            #expect(unexpected.isEmpty, "\(target): \(unexpected)")
        }
    }

    @Test func aDiagnosticWithoutALineOrPastTheEndIsAProblem() {
        let text: [String: [UInt8]] = ["a.yml": Array("one\ntwo".utf8)]
        func problem(_ line: Int, _ column: Int, _ file: String = "a.yml") -> Bool {
            FuzzTarget.problem(
                in: [.error("x", at: SourceLocation(file: file, line: line, column: column))], texts: text) != nil
        }
        #expect(!problem(2, 4))
        #expect(!problem(3, 1))
        #expect(problem(4, 1))
        #expect(problem(0, 0))
        #expect(problem(1, 0))
        #expect(problem(1, 1, ""))
        // NEL is a line break in YAML 1.1, which libyaml counts, and not in CSV.
        let nel: [String: [UInt8]] = ["a.yml": Array("a\u{85}b\n".utf8), "a.csv": Array("a\u{85}b\n".utf8)]
        #expect(FuzzTarget.problem(in: [.error("x", at: SourceLocation(file: "a.yml", line: 3))], texts: nel) == nil)
        #expect(FuzzTarget.problem(in: [.error("x", at: SourceLocation(file: "a.csv", line: 3))], texts: nel) != nil)
    }

    /// The YAML target's first finding: libyaml put an error at the end of a text without a
    /// final line break on the line after it.
    @Test func aYAMLErrorAtTheEndOfTheLastLineIsOnThatLine() {
        var diagnostics = Diagnostics()
        _ = SiteConfigParser.parse("base_url: https://example.org/\nlanguages:---# no colon", diagnostics: &diagnostics)
        #expect(diagnostics.all.map(\.location) == [SourceLocation(file: "content/site.yml", line: 2, column: 24)])
    }
}

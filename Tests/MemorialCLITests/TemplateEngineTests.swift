import Foundation
import TestSupport
import Testing

/// The template engine renders every page; what it does not have fails the build with the
/// template's file, line and column, and writes nothing.
@Suite struct TemplateEngineTests {
    @Test func aSiteTemplateUsingWhatTheEngineLacksFailsTheBuildAtItsPlace() throws {
        let site = try TemporarySite(files: [
            "templates/names.mustache":
                "{{<base}}{{$main}}\n<p id=\"r\">{{#reversed(letters)}}{{label}},{{/reversed(letters)}}</p>"
                + "{{/main}}{{/base}}\n"
        ])
        defer { site.remove() }
        let result = try CommandLineTests().run(["build", "--quiet", "--site", site.root.path])
        #expect(result.status == 1)
        #expect(
            result.stderr.contains(
                "templates/names.mustache:2:14: error: template error: “reversed(letters)” is not a name, and the "
                    + "only transforms are first() and last() (true on the first and the last item of a list "
                    + "section); write one of them, or a plain name"),
            "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: site.output.path))
    }

}

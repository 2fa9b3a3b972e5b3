import Foundation
import TestSupport
import Testing

@testable import MemorialBuild
@testable import MemorialContent

/// Guarantee 5: every page is valid HTML5, checked with the W3C's Nu HTML Checker. `make test`
/// installs it and sets `VNU_JAR`; a bare `swift test` without it skips this suite.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["VNU_JAR"] != nil, "set VNU_JAR (make test does)"))
struct HTMLValidityTests {
    func validate(_ folder: URL) throws -> (status: Int32, output: String) {
        let jar = ProcessInfo.processInfo.environment["VNU_JAR"] ?? ""
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "java", "-jar", URL(fileURLWithPath: jar, relativeTo: repositoryURL).path,
            "--errors-only", "--skip-non-html", folder.path,
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    @Test func everyPageOfTheFixtureAndTheSampleExhibitionIsValidHTML5() throws {
        let site = try TemporarySite()
        defer { site.remove() }
        #expect(SiteBuilder.build(BuildOptions(siteRoot: site.root)).succeeded)
        let sample = site.root.appending(path: "sample")
        #expect(SiteBuilder.build(stateBeside(BuildOptions(siteRoot: repositoryURL, output: sample))).succeeded)
        let result = try validate(site.root)
        #expect(result.status == 0)
        #expect(result.output == "")
    }

    @Test func theCheckerFindsInvalidHTML() throws {
        let site = try TemporarySite(
            fixture: "Sites/minimal",
            files: [
                "templates/page.mustache": "", "templates/case.mustache": "<!DOCTYPE html><html lang=en><p><div></p>\n",
            ])
        defer { site.remove() }
        #expect(SiteBuilder.build(BuildOptions(siteRoot: site.root)).succeeded)
        let result = try validate(site.output)
        #expect(result.status != 0)
        #expect(result.output.contains("error"))
    }
}

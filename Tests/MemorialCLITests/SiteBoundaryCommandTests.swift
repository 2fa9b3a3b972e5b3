import Foundation
import TestSupport
import Testing

/// The site's boundary end to end (see `SiteBoundaryTests` for the library's side): a link to
/// the process's environment fails the build with the link named, and the environment (tokens
/// included, in CI) reaches no file; a `--base-url` that is not a plain address is misuse.
@Suite struct SiteBoundaryCommandTests {
    @Test func aLinkToTheEnvironmentFailsTheBuildAndPublishesNothingOfIt() throws {
        let site = try TemporarySite(
            fixture: "Sites/minimal",
            files: [
                "content/cases/abenov-test/en.md":
                    "---\ntitle: Test Abenov\nsummary: An invented person.\n---\n\nSee [the file](env.txt).\n"
            ])
        defer { site.remove() }
        try FileManager.default.createSymbolicLink(
            atPath: site.root.appending(path: "content/cases/abenov-test/env.txt").path,
            withDestinationPath: "/proc/self/environ")
        let secret = "token-\(UUID().uuidString)"
        let result = try CommandLineTests().run(
            ["build", "--site", site.root.path, "--quiet"], environment: ["MEMORIAL_TEST_TOKEN": secret])
        #expect(result.status == 1)
        #expect(
            result.stderr.contains(
                "\(site.root.path)/content/cases/abenov-test/env.txt:1:1: error: this is a symbolic link "
                    + "(to /proc/self/environ), and Memorial follows no link, so that nothing from outside the site "
                    + "can be published: copy the file or folder itself here instead\n"))
        #expect(!result.stdout.contains(secret) && !result.stderr.contains(secret))
        let written =
            filesUnder(site.output).values.map { $0 }
            + filesUnder(site.root.appending(path: ".memorial")).values.map { $0 }
        #expect(!written.contains { String(decoding: $0, as: UTF8.self).contains(secret) })
        let checked = try CommandLineTests().run(
            ["check", "--site", site.root.path], environment: ["MEMORIAL_TEST_TOKEN": secret])
        #expect(checked.status == 1)
        #expect(checked.stderr.contains("content/cases/abenov-test/env.txt:1:1: error: this is a symbolic link"))
    }

    @Test(arguments: [
        // An argument may not be longer than 128 KiB on Linux, so this stands for the 8 MB one.
        (
            "https://example.org/" + String(repeating: "a", count: 100_000),
            "--base-url is 100020 bytes long; an address may have at most 2,000, e.g. https://example.org/exhibition/"
        ),
        (
            "https://example.org/<script>",
            "--base-url contains '<'; an address may not contain spaces, quotes, '<', '>', '\\', '`' or control "
                + "characters (percent-encode them), e.g. https://example.org/exhibition/"
        ),
        (
            "example.org",
            "--base-url must be the absolute http(s) address the site is published at, e.g. https://example.org/exhibition/"
        ),
    ])
    func aBaseURLFlagThatIsNotAPlainAddressIsMisuse(url: String, message: String) throws {
        let site = try TemporarySite(fixture: "Sites/minimal")
        defer { site.remove() }
        let result = try CommandLineTests().run(["build", "--site", site.root.path, "--base-url", url])
        #expect(result.status == 2)
        #expect(result.stderr.contains("Error: \(message)\n"))
        #expect(!FileManager.default.fileExists(atPath: site.output.path))
    }
}

import Foundation
import TestSupport
import Testing

@testable import MemorialBuild
@testable import MemorialContent

/// The `Sites/small` fixture built and compared byte for byte with `Tests/Fixtures/Golden/small`:
/// every page in all three languages, the sitemap, robots.txt and the stylesheet. Re-record on
/// purpose with `RECORD_SNAPSHOTS=1 swift test --filter GoldenTests`, then read the diff.
@Suite struct GoldenTests {
    static let goldenURL = fixturesURL.appending(path: "Golden/small")
    static let recording = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1"

    @Test func theSmallSiteMatchesItsGoldenFiles() throws {
        let site = try TemporarySite()
        defer { site.remove() }
        let report = SiteBuilder.build(BuildOptions(siteRoot: site.root))
        #expect(report.succeeded)
        let built = filesUnder(site.output)

        if Self.recording {
            try? FileManager.default.removeItem(at: Self.goldenURL)
            for (path, data) in built {
                let url = Self.goldenURL.appending(path: path)
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try data.write(to: url)
            }
        }
        let golden = filesUnder(Self.goldenURL)
        #expect(golden.count > 30, "no golden files: record them with RECORD_SNAPSHOTS=1")
        #expect(built.keys.sorted() == golden.keys.sorted())
        for (path, data) in built.sorted(by: { $0.key < $1.key }) {
            guard let expected = golden[path] else { continue }
            if data != expected {
                let lines = String(decoding: data, as: UTF8.self).split(
                    separator: "\n", omittingEmptySubsequences: false)
                let wanted = String(decoding: expected, as: UTF8.self).split(
                    separator: "\n", omittingEmptySubsequences: false)
                let first = zip(lines, wanted).enumerated().first { $0.element.0 != $0.element.1 }
                let detail =
                    first.map { "line \($0.offset + 1):\n  got:      \($0.element.0)\n  expected: \($0.element.1)" }
                    ?? "length differs"
                Issue.record("\(path) differs from its golden file at \(detail)")
            }
        }
    }
}

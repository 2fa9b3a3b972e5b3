import Foundation
import MemorialCore
import TestSupport
import Testing

@testable import MemorialBuild
@testable import MemorialContent

/// The build's state (`.memorial/` at the site root) is untrusted input: damaged, foreign or
/// about another output, it costs a full build and a note, never a wrong site or a file removed
/// that is not memorial's.
@Suite struct BuildStateTests {
    func build(_ site: TemporarySite, into output: URL? = nil, state: URL? = nil) -> BuildReport {
        var options = BuildOptions(siteRoot: site.root, output: output)
        options.cacheFolder = state
        return SiteBuilder.build(options)
    }

    func cleanBuild(_ site: TemporarySite) -> [String: Data] {
        let scratch = site.root.appending(path: "clean-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        #expect(build(site, into: scratch.appending(path: "out"), state: scratch.appending(path: "state")).succeeded)
        return filesUnder(scratch.appending(path: "out"))
    }

    var stateFiles: [String] { ["build", "manifest", "cache"] }

    @Test func aDamagedStateMeansAFullBuildAndANote() throws {
        let site = try TemporarySite()
        defer { site.remove() }
        #expect(build(site).succeeded)
        let state = site.root.appending(path: ".memorial")
        let prefix = StateFolder(BuildOptions(siteRoot: site.root)).prefix(.build)
        let damages: [(String, [UInt8])] = [
            ("garbage", Array("not a state at all".utf8)), ("empty", []),
            ("other version", Array("memorial-state 3\n".utf8)),
            ("truncated", Array(prefix.dropLast(3))), ("bad phase", prefix + [7]),
            ("finished, truncated", prefix + [1, 0, 0]),
            ("huge count", prefix + [1] + [UInt8](repeating: 255, count: 64)),
        ]
        for (name, bytes) in damages {
            try Data(bytes).write(to: state.appending(path: "build"))
            try site.write("content/pages/about/en.md", "---\ntitle: About\n---\n\n\(name)\n")
            let report = build(site)
            #expect(report.succeeded, "\(name)")
            #expect(report.notes.count == 1, "\(name): \(report.notes)")
            #expect(filesUnder(site.output) == cleanBuild(site), "\(name)")
        }
        // A damaged manifest under a good state: the same.
        for bytes in [[UInt8](), StateFolder.header, [UInt8](repeating: 0, count: 100)] {
            try Data(bytes).write(to: state.appending(path: "manifest"))
            try site.write("content/pages/about/en.md", "---\ntitle: About\n---\n\n\(bytes.count)\n")
            #expect(build(site).succeeded)
            #expect(filesUnder(site.output) == cleanBuild(site))
        }
    }

    /// The state is not trusted over the disk: what else removed from or put into the output's
    /// folders is seen, and what memorial wrote is repaired, though the inputs did not change.
    /// A file put there by hand stays.
    @Test func anOutputChangedByHandIsRepairedByTheNextBuild() throws {
        let site = try TemporarySite()
        defer { site.remove() }
        #expect(build(site).succeeded)
        var clean = filesUnder(site.output)
        let manager = FileManager.default
        let damages: [(() throws -> Void, String)] = [
            ({ try manager.removeItem(at: site.output.appending(path: "en")) }, "(en/)"),
            ({ try manager.removeItem(at: site.output.appending(path: "kk/cases/aliev-test")) }, "(kk/cases/)"),
            ({ try manager.removeItem(at: site.output.appending(path: "index.html")) }, "(at its top)"),
            (
                {
                    try Data("by hand".utf8).write(to: site.output.appending(path: "ru/verification.txt"))
                    try manager.removeItem(at: site.output.appending(path: "ru/peoples/index.html"))
                    clean["ru/verification.txt"] = Data("by hand".utf8)
                }, "(ru/)"
            ),
        ]
        for (damage, expected) in damages {
            try damage()
            let repaired = build(site)
            #expect(repaired.succeeded)
            #expect(
                repaired.notes == [
                    "the output folder was changed since the last build \(expected); comparing every file with the disk"
                ])
            #expect(filesUnder(site.output) == clean, "\(expected)")
            // Trusted again: nothing to do.
            let next = build(site)
            #expect(next.written == 0 && next.removed == 0 && next.notes.isEmpty, "\(expected)")
        }
    }

    @Test func aManifestThatNamesAPathOutsideTheOutputIsNotUsed() throws {
        let site = try TemporarySite(files: ["outside.txt": "precious"])
        defer { site.remove() }
        #expect(build(site).succeeded)
        let options = BuildOptions(siteRoot: site.root)
        let folder = StateFolder(options)
        for path in ["../outside.txt", "/etc/hostname", "en/../../outside.txt", "a\0b", "", "en//x", ".hidden"] {
            var manifest = BuildManifest()
            let bytes = Array(path.utf8)
            manifest.files = FileTable(
                paths: bytes, ends: [Int32(bytes.count)],
                entries: [BuildManifest.FileEntry(input: Fingerprint(), output: Fingerprint())])
            let written = manifest.serialized(prefix: folder.prefix(.manifest))
            #expect(BuildManifest.parse(written, offset: folder.prefix(.manifest).count) == nil, "\(path)")
            try Data(written).write(to: URL(fileURLWithPath: folder.path(.manifest)))
            try site.write("content/pages/about/en.md", "---\ntitle: About\n---\n\n\(path.count)\n")
            #expect(build(site).succeeded)
            #expect(FileManager.default.fileExists(atPath: site.root.appending(path: "outside.txt").path))
        }
        #expect(filesUnder(site.output) == cleanBuild(site))
    }

    @Test func twoOutputsWithOneStateFolderNeverGiveAWrongSite() throws {
        let site = try TemporarySite()
        defer { site.remove() }
        let other = site.root.appending(path: "other")
        #expect(build(site).succeeded)
        #expect(build(site, into: other).succeeded)
        try site.write("content/cases/aliev-test/kk.md", "---\ntitle: Тест Әлиев\n---\n\nЖаңа.\n")
        let report = build(site)
        #expect(report.succeeded)
        #expect(report.notes.first?.contains("another output folder") == true)
        #expect(filesUnder(site.output) == cleanBuild(site))
        #expect(build(site, into: other).succeeded)
        #expect(filesUnder(other) == cleanBuild(site))
    }

    @Test func withoutStateOnlyMemorialsPagesAreRemoved() throws {
        let site = try TemporarySite()
        defer { site.remove() }
        #expect(build(site).succeeded)
        try FileManager.default.removeItem(at: site.root.appending(path: ".memorial"))
        try site.write("public/notes.txt", "someone else's")
        try site.write("public/theirs.html", "<p>someone else's page</p>")
        // A page memorial made that the next build no longer makes.
        try Data(contentsOf: site.output.appending(path: "en/about/index.html")).write(
            to: site.output.appending(path: "en/stale.html"))
        let report = build(site)
        #expect(report.succeeded)
        #expect(report.written == 0)
        var expected = cleanBuild(site)
        expected["notes.txt"] = Data("someone else's".utf8)
        expected["theirs.html"] = Data("<p>someone else's page</p>".utf8)
        #expect(filesUnder(site.output) == expected)
    }

    @Test func aFolderMemorialDidNotMakeIsRefusedAndLeftAsItIs() throws {
        let site = try TemporarySite(files: ["public/index.html": "<p>mine</p>", "public/.git/HEAD": "ref"])
        defer { site.remove() }
        let report = build(site)
        #expect(!report.succeeded)
        #expect(report.failure?.contains("was not written by memorial") == true)
        #expect(filesUnder(site.output).keys.sorted() == [".git/HEAD", "index.html"])
        #expect(!FileManager.default.fileExists(atPath: site.root.appending(path: ".memorial").path))
    }

    @Test func aMediaFileReplacedByOneOfTheSameSizeAndAnOlderTimeIsCopiedAgain() throws {
        let site = try TemporarySite(files: [
            "content/cases/aliev-test/scan.png": "PNG-BYTES-1",
            "content/cases/aliev-test/kk.md": "---\ntitle: Тест\n---\n\n[Скан](scan.png)\n",
        ])
        defer { site.remove() }
        let scan = site.root.appending(path: "content/cases/aliev-test/scan.png")
        let old = Date(timeIntervalSinceNow: -7200)
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: scan.path)
        #expect(build(site).succeeded)
        let copy = site.output.appending(path: "media/aliev-test/scan.png")
        #expect(try Data(contentsOf: copy) == Data("PNG-BYTES-1".utf8))
        try Data("PNG-BYTES-2".utf8).write(to: scan)
        try FileManager.default.setAttributes(
            [.modificationDate: old.addingTimeInterval(-3600)], ofItemAtPath: scan.path)
        #expect(build(site).succeeded)
        #expect(try Data(contentsOf: copy) == Data("PNG-BYTES-2".utf8))
    }

    @Test func aStateFolderInsideTheOutputIsRefused() throws {
        let site = try TemporarySite()
        defer { site.remove() }
        for state in [site.output.appending(path: "state"), site.output, site.root] {
            let report = build(site, state: state)
            #expect(report.failure?.contains("must not contain each other") == true, "\(state.path)")
            #expect(!FileManager.default.fileExists(atPath: site.output.path))
        }
    }

    @Test func aRemovedOrReplacedOutputFolderIsBuiltWhole() throws {
        let site = try TemporarySite()
        defer { site.remove() }
        #expect(build(site).succeeded)
        let expected = cleanBuild(site)
        try FileManager.default.removeItem(at: site.output)
        let report = build(site)
        #expect(report.succeeded && report.written == expected.count)
        #expect(report.notes.first?.contains("removed or replaced") == true)
        #expect(filesUnder(site.output) == expected)
        // Replaced by a copy that lacks a page: the copy is not what the state describes.
        let copy = site.root.appending(path: "copy")
        try FileManager.default.copyItem(at: site.output, to: copy)
        try FileManager.default.removeItem(at: copy.appending(path: "en/about/index.html"))
        try FileManager.default.removeItem(at: site.output)
        try FileManager.default.moveItem(at: copy, to: site.output)
        try site.write("content/pages/about/ru.md", "---\ntitle: О проекте\n---\n\nТекст.\n")
        #expect(build(site).succeeded)
        #expect(filesUnder(site.output) == cleanBuild(site))
    }

    @Test func anOutputFolderThatIsALinkToAFolderIsBuiltIntoAndKept() throws {
        let site = try TemporarySite()
        defer { site.remove() }
        let served = site.root.appending(path: "www")
        try FileManager.default.createDirectory(at: served, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: site.output, withDestinationURL: served)
        #expect(build(site).succeeded)
        #expect(filesUnder(served) == cleanBuild(site))
        try site.write("content/cases/aliev-test/kk.md", "---\ntitle: Тест Әлиев\n---\n\nЖаңа.\n")
        #expect(build(site).succeeded)
        #expect(filesUnder(served) == cleanBuild(site))
        let link = try FileManager.default.destinationOfSymbolicLink(atPath: site.output.path)
        #expect(link == served.path)
    }
}

import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Builds killed at every moment of their writing (`MEMORIAL_TEST_KILL_AFTER_WRITES=N` ends the
/// process right after its Nth file, state files included, is in place): the output
/// never holds a partial file, and the next build gives what a clean build gives, byte for byte.
@Suite struct InterruptionTests {
    struct Scenario: CustomTestStringConvertible, Sendable {
        var name: String
        /// Before the killed build: a finished build of the fixture, or none.
        var builtBefore: Bool
        /// The edits made before the killed build: each file's new text from its old one.
        var edit: [String: @Sendable (String) -> String]
        var killedWithDrafts: Bool
        /// Whether the edited files are put back before the next build (an undo).
        var undone: Bool

        var testDescription: String { name }
    }

    static let edited = "---\ntitle: Тест Әлиев\n---\n\nӘлиев Тест ОЙДАН. Жаңа мәтін.\n"

    /// A narrative rewritten and a person renamed: enough changed pages (the case, names, peoples,
    /// years and search pages in three languages) for twenty distinct moments to kill at.
    static let edits: [String: @Sendable (String) -> String] = [
        "content/cases/aliev-test/kk.md": { _ in edited },
        "content/records/people.csv": { $0.replacingOccurrences(of: "Petrov Sample", with: "Petrov Renamed") },
    ]

    static let scenarios = [
        Scenario(name: "full build", builtBefore: false, edit: [:], killedWithDrafts: false, undone: false),
        Scenario(name: "edited", builtBefore: true, edit: edits, killedWithDrafts: false, undone: false),
        Scenario(name: "--drafts, then normal", builtBefore: true, edit: edits, killedWithDrafts: true, undone: false),
        Scenario(name: "edit, then undo", builtBefore: true, edit: edits, killedWithDrafts: false, undone: true),
    ]

    let cli = CommandLineTests()

    func build(_ site: URL, out: URL? = nil, state: URL? = nil, drafts: Bool = false, killAfter: Int? = nil) throws
        -> CommandLineTests.Result
    {
        var arguments = ["build", "--quiet", "--site", site.path]
        if let out { arguments += ["--out", out.path] }
        if let state { arguments += ["--cache-dir", state.path] }
        if drafts { arguments.append("--drafts") }
        return try cli.run(
            arguments, environment: killAfter.map { ["MEMORIAL_TEST_KILL_AFTER_WRITES": String($0)] } ?? [:])
    }

    /// A clean build of the site as it is now, into a fresh folder with its own state.
    func cleanBuild(_ site: TemporarySite, drafts: Bool = false) throws -> [String: Data] {
        let scratch = site.root.deletingLastPathComponent().appending(path: "clean-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appending(path: "public")
        let result = try build(site.root, out: out, state: scratch.appending(path: "state"), drafts: drafts)
        #expect(result.status == 0, "\(result.stderr)")
        return filesUnder(out)
    }

    func apply(_ scenario: Scenario, to site: TemporarySite, originals: [String: String]) throws {
        for (path, edit) in scenario.edit { try site.write(path, edit(originals[path]!)) }
    }

    func undo(_ scenario: Scenario, on site: TemporarySite, originals: [String: String]) throws {
        guard scenario.undone else { return }
        for path in scenario.edit.keys { try site.write(path, originals[path]) }
    }

    @Test(arguments: scenarios)
    func aKilledBuildLeavesWholeFilesAndTheNextBuildRepairsTheOutput(_ scenario: Scenario) throws {
        let fixture = try TemporarySite()
        defer { fixture.remove() }
        var originals: [String: String] = [:]
        for path in scenario.edit.keys {
            originals[path] = try String(contentsOf: fixture.root.appending(path: path), encoding: .utf8)
        }
        let old = scenario.builtBefore ? try cleanBuild(fixture) : [:]
        try apply(scenario, to: fixture, originals: originals)
        let new = try cleanBuild(fixture, drafts: scenario.killedWithDrafts)
        try undo(scenario, on: fixture, originals: originals)
        let expected = try cleanBuild(fixture)
        #expect(!expected.values.contains { String(decoding: $0, as: UTF8.self).contains("DRAFT-BODY") })

        // How many files the killed build renames when not killed: its changed files and up to
        // four of the state (in progress, cache, manifest, finished).
        let renames = new.filter { old[$0.key] != $0.value }.count + 4
        let moments = Set((0..<20).map { 1 + $0 * (renames - 1) / 19 }).sorted()
        #expect(moments.count == 20, "\(scenario.name): only \(renames) files are written")
        for moment in moments {
            let site = try TemporarySite()
            defer { site.remove() }
            if scenario.builtBefore { #expect(try build(site.root).status == 0) }
            try apply(scenario, to: site, originals: originals)
            _ = try build(site.root, drafts: scenario.killedWithDrafts, killAfter: moment)
            // A first build writes into a staging folder beside the output, renamed to it when
            // every file is written: there is no output folder, or a whole one.
            let stagingFolders = {
                ((try? FileManager.default.contentsOfDirectory(atPath: site.root.path)) ?? [])
                    .filter { $0.hasPrefix(".public.memorial-partial-") }
            }
            if !scenario.builtBefore {
                let files = filesUnder(site.output)
                #expect(
                    files.isEmpty || files.keys.sorted() == new.keys.sorted(),
                    "\(scenario.name), killed after \(moment): a part of the first build is in the output")
            }
            for (path, data) in filesUnder(site.output) {
                let name = path.split(separator: "/").last.map(String.init) ?? path
                if name.hasPrefix(".memorial-tmp-") { continue }
                #expect(
                    data == old[path] || data == new[path],
                    "\(scenario.name), killed after \(moment) files: \(path) is neither the old nor the new file")
            }
            try undo(scenario, on: site, originals: originals)
            let next = try build(site.root)
            #expect(next.status == 0, "\(scenario.name), killed after \(moment): \(next.stderr)")
            let repaired = filesUnder(site.output)
            #expect(stagingFolders().isEmpty, "\(scenario.name), killed after \(moment): a staging folder is left")
            #expect(
                !repaired.keys.contains { $0.hasPrefix(".") || $0.contains("/.") },
                "\(scenario.name), killed after \(moment): hidden or temporary files left")
            #expect(
                !repaired.values.contains { String(decoding: $0, as: UTF8.self).contains("DRAFT-BODY") },
                "\(scenario.name), killed after \(moment): draft text left")
            #expect(repaired.keys.sorted() == expected.keys.sorted(), "\(scenario.name), killed after \(moment)")
            let differing = expected.keys.sorted().filter { repaired[$0] != expected[$0] }
            #expect(differing.isEmpty, "\(scenario.name), killed after \(moment): \(differing.prefix(5)) differ")
        }
    }

    /// A staging folder that is locked belongs to a build still writing into it, and one
    /// without memorial's marker is not memorial's: a build leaves both alone. A marked one
    /// whose lock is free is a killed build's, and goes.
    @Test func onlyStagingFoldersOfKilledBuildsAreRemoved() throws {
        let site = try TemporarySite()
        defer { site.remove() }
        func staging(_ suffix: String, marked: Bool) throws -> URL {
            let folder = site.root.appending(path: ".public.memorial-partial-\(suffix)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data("half a page".utf8).write(to: folder.appending(path: "page.html"))
            if marked { try Data().write(to: folder.appending(path: ".memorial-tmp-staging")) }
            return folder
        }
        let running = try staging("inUse1", marked: true)
        let lock = open(running.path, O_RDONLY | O_DIRECTORY)
        #expect(lock >= 0 && flock(lock, LOCK_EX) == 0)
        defer { close(lock) }
        let unmarked = try staging("other1", marked: false)
        let killed = try staging("killed", marked: true)
        #expect(try build(site.root).status == 0)
        #expect(filesUnder(site.output) == (try cleanBuild(site)))
        #expect(filesUnder(running).keys.sorted() == [".memorial-tmp-staging", "page.html"])
        #expect(filesUnder(unmarked).keys.sorted() == ["page.html"])
        #expect(!FileManager.default.fileExists(atPath: killed.path))
    }

    /// A first build stopped by Ctrl-C leaves neither an output folder nor its staging folder.
    @Test func aFirstBuildStoppedBySIGINTLeavesNothing() throws {
        let site = try TemporarySite()
        defer { site.remove() }
        let result = try cli.run(
            ["build", "--quiet", "--site", site.root.path], environment: ["MEMORIAL_TEST_KILL_AFTER_WRITES": "5:INT"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("error: interrupted"))
        #expect(!FileManager.default.fileExists(atPath: site.output.path))
        let left = try FileManager.default.contentsOfDirectory(atPath: site.root.path)
        #expect(!left.contains { $0.hasPrefix(".public.memorial-partial-") }, "\(left)")
    }

    @Test func aBuildStoppedBySIGINTFailsCleanlyAndTheNextBuildRepairsIt() throws {
        let site = try TemporarySite()
        defer { site.remove() }
        #expect(try build(site.root).status == 0)
        try site.write("content/cases/aliev-test/kk.md", Self.edited)
        // SIGINT right after the first page is written (after the state's "in progress"): the
        // build stops before its next write.
        let result = try cli.run(
            ["build", "--quiet", "--site", site.root.path, "--drafts"],
            environment: ["MEMORIAL_TEST_KILL_AFTER_WRITES": "2:INT"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("error: interrupted"))
        #expect(!filesUnder(site.output).keys.contains { $0.contains(".memorial-tmp-") })
        let next = try build(site.root)
        #expect(next.status == 0)
        #expect(next.stderr.contains("note: the last build into this folder did not finish"))
        #expect(filesUnder(site.output) == (try cleanBuild(site)))
    }
}

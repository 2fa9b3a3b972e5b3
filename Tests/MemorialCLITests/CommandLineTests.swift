import Foundation
import TestSupport
import Testing

/// The `memorial` executable end to end: arguments in; standard output, standard error and
/// exit status out.
@Suite struct CommandLineTests {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static let executable: URL = {
        // swift test builds the executable beside the test bundle.
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [
            beside.appending(path: "memorial"),
            beside.deletingLastPathComponent().appending(path: "memorial"),
            repositoryURL.appending(path: ".build/debug/memorial"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[2]
    }()

    func run(
        _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:],
        executable: URL = CommandLineTests.executable
    ) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var variables = ProcessInfo.processInfo.environment
        variables["GITHUB_ACTIONS"] = nil
        process.environment = variables.merging(environment) { $1 }
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    @Test func buildPublishesAValidSiteAndExitsZero() throws {
        let site = try TemporarySite()
        defer { site.remove() }
        let result = try run(["build", "--site", site.root.path])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("built 53 pages into "))
        #expect(result.stdout.hasSuffix(": 53 rendered, 91 files written, 0 unchanged, 0 removed\n"))
        // The fixture's raw HTML and unsafe links are reported as warnings, with positions.
        #expect(
            result.stderr.contains(
                "\(site.root.path)/content/cases/aliev-test/en.md:9:1: warning: raw HTML is not published"))
        #expect(FileManager.default.fileExists(atPath: site.output.appending(path: "en/index.html").path))
    }

    /// Guarantee 4 across processes: Swift seeds its hashing per process, so dictionary order
    /// differs from run to run; two runs must still give the same bytes.
    @Test func twoRunsGiveByteIdenticalOutput() throws {
        let site = try TemporarySite(files: ["content/pages/about/ru.md": "---\ntitle: О выставке\n---\n\nТекст.\n"])
        defer { site.remove() }
        let first = site.root.appending(path: "first")
        let second = site.root.appending(path: "second")
        #expect(try run(["build", "--site", site.root.path, "--out", first.path, "--quiet"]).status == 0)
        #expect(try run(["build", "--site", site.root.path, "--out", second.path, "--quiet"]).status == 0)
        let a = filesUnder(first)
        #expect(a.count > 30)
        #expect(a == filesUnder(second))
    }

    @Test func quietBuildPrintsOnlyDiagnostics() throws {
        let site = try TemporarySite(fixture: "Sites/minimal")
        defer { site.remove() }
        let result = try run(["build", "--quiet"], in: site.root)
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("built 41 pages into ./public in "))
        #expect(result.stdout.hasSuffix(" s: 41 rendered, 73 files written, 0 unchanged, 0 removed\n"))
        #expect(result.stdout.split(separator: "\n").count == 1)
        #expect(result.stderr == "")
    }

    /// At a terminal (here a pseudo-terminal from util-linux's script), a build draws a progress
    /// bar on standard error; with --quiet, or into a pipe as above, it does not.
    @Test func aTerminalGetsAProgressBar() throws {
        let site = try TemporarySite(fixture: "Sites/minimal")
        defer { site.remove() }
        let command = "\(Self.executable.path) build --site \(site.root.path) --out \(site.root.path)/out"
        let result = try run(["-qec", command, "/dev/null"], executable: URL(fileURLWithPath: "/usr/bin/script"))
        #expect(result.status == 0)
        #expect(result.stdout.contains("] rendering 41/41 pages, "))
        #expect(result.stdout.contains("built 41 pages into "))
        let quiet = try run(
            ["-qec", command.replacingOccurrences(of: "/out", with: "/quiet") + " --quiet", "/dev/null"],
            executable: URL(fileURLWithPath: "/usr/bin/script"))
        #expect(quiet.status == 0)
        #expect(!quiet.stdout.contains("rendering"))
    }

    @Test func invalidContentPrintsEveryErrorAndExitsOne() throws {
        let site = try TemporarySite(
            fixture: "Sites/minimal",
            files: [
                "content/records/people.csv":
                    "id,name_en,people,arrest_date\nabenov-test,Abenov,martian,1937-13-45\nBad_Id,Kim,korean,1937\n"
            ])
        defer { site.remove() }
        let result = try run(["build", "--site", "."], in: site.root)
        #expect(result.status == 1)
        #expect(
            result.stderr == """
                content/records/people.csv:2:20: error: unknown people code 'martian' (known: greek, kazakh, korean); \
                add it to content/vocabularies/peoples.yml or correct the cell
                content/records/people.csv:2:28: error: impossible date '1937-13-45' in arrest_date: month 13 does not exist
                content/records/people.csv:3:1: error: invalid id 'Bad_Id': use 1 to 64 lower-case Latin letters, digits \
                and '-', starting with a letter or digit
                3 errors; nothing was written, the previous output is unchanged

                """)
        #expect(result.stdout == "")
        #expect(!FileManager.default.fileExists(atPath: site.output.path))
    }

    @Test func inGitHubActionsDiagnosticsAreAlsoAnnotations() throws {
        let site = try TemporarySite(fixture: "Sites/minimal", files: ["content/cases/nobody/en.md": "Text.\n"])
        defer { site.remove() }
        let result = try run(["check", "--site", "."], in: site.root, environment: ["GITHUB_ACTIONS": "true"])
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("content/cases/nobody/en.md:1:1: error: no record has id 'nobody'") == true)
        #expect(
            lines.dropFirst().first?.hasPrefix(
                "::error file=content/cases/nobody/en.md,line=1,col=1::no record has id 'nobody'") == true)
        let plain = try run(["check", "--site", "."], in: site.root)
        #expect(!plain.stderr.contains("::error"))
    }

    @Test func diagnosticsNameFilesAsTheSiteWasGiven() throws {
        let site = try TemporarySite(fixture: "Sites/minimal", files: ["content/cases/nobody/en.md": "Text.\n"])
        defer { site.remove() }
        let result = try run(
            ["check", "--site", site.root.lastPathComponent], in: site.root.deletingLastPathComponent())
        #expect(result.status == 1)
        #expect(
            result.stderr.hasPrefix(
                "\(site.root.lastPathComponent)/content/cases/nobody/en.md:1:1: error: no record has id 'nobody'"))
    }

    @Test func checkFlagsBrokenLinksUnusedFilesDatesOutOfOrderAndMissingTranslations() throws {
        let site = try TemporarySite(
            fixture: "Sites/minimal",
            files: [
                "content/records/people.csv": """
                id,name_kk,name_ru,name_en,people,birth_year,arrest_date,sentence_date,death_date,rehabilitation_date
                abenov-test,Әбенов Тест,Абенов Тест,Abenov Test,kazakh,1940,1937-08-01,1937-09-27,1937-09,1930
                kim-sample,Ким Үлгі,Ким Образец,Kim Sample,korean,,1938,1937-05,,

                """,
                "content/cases/abenov-test/en.md": """
                ---
                title: Test Abenov
                ---

                See [Kim](../kim-sample/), [nobody](../nobody-here/), [a year](/en/years/1999/),
                [a scan](scan.jpg), [the web](https://example.org/), [a note](#note) and [Kim's page](/ru/cases/kim-sample/index.html).
                And [a photo](Photo.JPG).

                """,
                "content/cases/abenov-test/extra.jpg": "JPEG",
                "content/cases/abenov-test/photo.jpg": "JPEG",
            ])
        defer { site.remove() }
        let result = try run(["check", "--site", "."], in: site.root)
        #expect(result.status == 0)
        #expect(
            result.stderr == """
                content/cases/abenov-test/en.md:5:28: warning: link to '../nobody-here/': there is no published case 'nobody-here' (in en)
                content/cases/abenov-test/en.md:5:55: warning: link to '/en/years/1999/': there is no such page or file in the site
                content/cases/abenov-test/en.md:6:1: warning: link to 'scan.jpg': there is no file of that name in this case's folder
                content/cases/abenov-test/en.md:7:5: warning: link to 'Photo.JPG': there is no file of that name in this case's folder, but there is 'photo.jpg'; write its name with the same capitals
                content/cases/abenov-test/extra.jpg:1:1: warning: nothing describes 'extra.jpg' and no narrative of this case refers to it, so it is not published; describe it in documents.yml or remove it
                content/cases/abenov-test/photo.jpg:1:1: warning: nothing describes 'photo.jpg' and no narrative of this case refers to it, so it is not published; describe it in documents.yml or remove it
                content/records/people.csv:2:61: warning: arrest_date 1937-08-01 is before birth_year 1940; check both cells
                content/records/people.csv:2:91: warning: rehabilitation_date 1930 is before sentence_date 1937-09-27; check both cells
                content/records/people.csv:3:57: warning: sentence_date 1937-05 is before arrest_date 1938; check both cells

                """)
        #expect(
            result.stdout == """
                missing translations          kk    ru    en
                narratives (of 1)              1     1     0
                vocabulary labels (of 14)      0     0     0
                interface strings (of 130)     0     0     0
                no errors, 9 warnings

                """)
        let strict = try run(["check", "--strict", "--site", "."], in: site.root)
        #expect(strict.status == 1)
        #expect(strict.stderr == result.stderr)
    }

    @Test func checkValidatesAndWritesNothing() throws {
        let site = try TemporarySite(fixture: "Sites/minimal")
        defer { site.remove() }
        let result = try run(["check", "--site", site.root.path])
        #expect(result.status == 0)
        #expect(result.stdout.hasSuffix("interface strings (of 130)     0     0     0\nno problems found\n"))
        #expect(!FileManager.default.fileExists(atPath: site.output.path))
    }

    @Test func baseURLAndOutputFolderCanBeChosen() throws {
        let site = try TemporarySite(fixture: "Sites/minimal")
        defer { site.remove() }
        let out = site.root.appending(path: "elsewhere")
        let result = try run([
            "build", "--site", site.root.path, "--out", out.path, "--base-url", "https://memorial.example/x", "--quiet",
        ])
        #expect(result.status == 0)
        let home = try String(contentsOf: out.appending(path: "en/index.html"), encoding: .utf8)
        #expect(home.contains("<link rel=\"canonical\" href=\"https://memorial.example/x/en/\">"))
        #expect(home.contains("href=\"/x/en/peoples/\""))
    }

    @Test func newCaseScaffoldsDraftsForMissingLanguagesAndNeverOverwrites() throws {
        let site = try TemporarySite(fixture: "Sites/minimal")
        defer { site.remove() }
        let english = try Data(contentsOf: site.root.appending(path: "content/cases/abenov-test/en.md"))
        let result = try run(["new", "case", "abenov-test", "--site", site.root.path])
        #expect(result.status == 0)
        #expect(
            result.stdout == """
                created content/cases/abenov-test/kk.md
                created content/cases/abenov-test/ru.md
                kept content/cases/abenov-test/en.md (it exists already and is not overwritten)

                """)
        let kazakh = try String(
            contentsOf: site.root.appending(path: "content/cases/abenov-test/kk.md"), encoding: .utf8)
        #expect(kazakh.hasPrefix("---\ntitle: \"Әбенов Тест\"\nsummary: \"\"\nstatus: draft\n---\n\n"))
        #expect(try Data(contentsOf: site.root.appending(path: "content/cases/abenov-test/en.md")) == english)
        // The drafts are valid content and are not published.
        #expect(try run(["check", "--site", site.root.path]).status == 0)
        #expect(try run(["build", "--site", site.root.path, "--quiet"]).status == 0)
        let page = try String(
            contentsOf: site.output.appending(path: "kk/cases/abenov-test/index.html"), encoding: .utf8)
        #expect(!page.contains("status: published"))

        let again = try run(["new", "case", "abenov-test", "--site", site.root.path])
        #expect(again.status == 1)
        #expect(again.stderr.contains("every language already has a narrative; memorial new never overwrites one"))
        #expect(
            try String(contentsOf: site.root.appending(path: "content/cases/abenov-test/kk.md"), encoding: .utf8)
                == kazakh)

        let missing = try run(["new", "case", "nobody-here", "--site", site.root.path])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no record has id 'nobody-here'"))
    }

    @Test(arguments: [
        ["frobnicate"], ["build", "--no-such-flag"], ["build", "--base-url", "example.org"], ["serve", "--port", "0"],
        ["new", "page", "about"], ["new", "case"],
    ])
    func misuseExitsTwo(arguments: [String]) throws {
        let site = try TemporarySite(fixture: "Sites/minimal")
        defer { site.remove() }
        let result = try run(arguments, in: site.root)
        #expect(result.status == 2)
        #expect(!result.stderr.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: site.output.path))
    }
}

import ArgumentParser
import Foundation
import MemorialBuild
import MemorialCore
import MemorialServe

@main
struct Memorial: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "memorial",
        abstract: "Publish the exhibition of archival cases of victims of political repression as a static site.",
        subcommands: [Build.self, Check.self, Serve.self, New.self],
        defaultSubcommand: Build.self
    )

    /// The exit statuses README.md documents: 0 success, 1 invalid content, 2 misuse.
    /// ArgumentParser reports misuse as EX_USAGE (64), so its usage errors are mapped to 2 here.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var command = command as? AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

/// Calls `handler` with the signal's number on SIGINT and SIGTERM instead of ending the process,
/// until the returned sources are cancelled.
func onInterruption(_ handler: @escaping @Sendable (Int32) -> Void) -> [any DispatchSourceSignal] {
    [SIGINT, SIGTERM].map { number in
        signal(number, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: number)
        source.setEventHandler { handler(number) }
        source.resume()
        return source
    }
}

/// Options shared by the commands that read a site.
struct SiteOptions: ParsableArguments {
    @Option(name: .long, help: "The site root: the folder with content/ (and optionally templates/).")
    var site: String = "."

    var siteURL: URL { URL(fileURLWithPath: site, isDirectory: true) }
}

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Build the site into the output folder.")

    @OptionGroup var siteOptions: SiteOptions

    @Option(name: .long, help: "The output folder (default: <site>/public).")
    var out: String?

    @Option(
        name: .customLong("cache-dir"),
        help: "Where the build keeps what the next build needs (default: <site>/.memorial); never served.")
    var cacheDir: String?

    @Option(
        name: .customLong("base-url"), help: "The address the site is published at, instead of site.yml's base_url.")
    var baseURL: String?

    @Flag(name: .long, help: "Also publish narratives and pages whose status is draft.")
    var drafts = false

    @Flag(
        name: .long, help: "A staging copy: every page asks search engines not to index it; robots.txt disallows all.")
    var noindex = false

    @Flag(name: .long, help: "No progress bar: print only diagnostics and the one-line summary.")
    var quiet = false

    func validate() throws {
        if let baseURL, let problem = Identifier.baseURLProblem(baseURL) {
            throw ValidationError("--base-url \(problem)")
        }
    }

    func run() throws {
        let start = Date()
        var options = BuildOptions(
            siteRoot: siteOptions.siteURL, output: out.map { URL(fileURLWithPath: $0, isDirectory: true) },
            baseURL: baseURL, includeDrafts: drafts)
        options.cacheFolder = cacheDir.map { URL(fileURLWithPath: $0, isDirectory: true) }
        options.noindex = noindex
        // Ctrl-C or SIGTERM stops the build before its next write, as a failed build; a second
        // one ends the process at once (the next build repairs the output either way).
        let signals = onInterruption { number in
            if BuildInterruption.isRequested { _exit(128 + number) }
            BuildInterruption.request()
        }
        defer { for source in signals { source.cancel() } }
        // A progress bar only for a person at a terminal; logs get diagnostics and one line.
        let bar = !quiet && isatty(STDERR_FILENO) == 1 ? ProgressBar(start: start) : nil
        if let bar { options.progress = { bar.show($0) } }
        let report = SiteBuilder.build(options)
        bar?.clear()
        for note in report.notes { Console.err("note: \(note)") }
        Console.print(report, site: siteOptions.site)
        guard report.succeeded else { throw ExitCode(1) }
        let seconds = String(format: "%.2f", Date().timeIntervalSince(start))
        Console.out(
            "built \(report.pages) pages into \(options.outputFolder.relativePath) in \(seconds) s: "
                + "\(report.rendered) rendered, \(report.written) files written, \(report.unchanged) unchanged, \(report.removed) removed"
                + (report.derivatives > 0 ? ", images of \(report.derivatives) document pages made" : "")
        )
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate the content and templates, and flag what a careful editor would; write nothing.")

    @OptionGroup var siteOptions: SiteOptions

    @Flag(name: .long, help: "Fail (exit 1) on warnings too.")
    var strict = false

    func run() throws {
        let report = SiteBuilder.check(BuildOptions(siteRoot: siteOptions.siteURL))
        Console.print(report, site: siteOptions.site)
        guard report.succeeded else { throw ExitCode(1) }
        Console.printTranslations(report.translations)
        let warnings = report.diagnostics.count
        Console.out(
            warnings == 0
                ? "no problems found" : "no errors, \(Diagnostic.grouped(warnings)) warning\(warnings == 1 ? "" : "s")")
        if strict && warnings > 0 { throw ExitCode(1) }
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Preview the site on 127.0.0.1, drafts included; rebuild and reload pages on every change.")

    @OptionGroup var siteOptions: SiteOptions

    @Option(name: .long, help: "The port to listen on.")
    var port: Int = 8000

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be between 1 and 65535") }
    }

    func run() async throws {
        let site = siteOptions.site
        let server = PreviewServer(siteRoot: siteOptions.siteURL, port: UInt16(port)) { report in
            Console.print(report, site: site)
            if report.succeeded {
                Console.out("built \(report.pages) pages: \(report.written) files written, \(report.removed) removed")
            }
        }
        let port = port
        let serving = Task {
            try await server.run { Console.out("serving http://127.0.0.1:\(port)/ (drafts included; Ctrl-C stops)") }
        }
        // Ctrl-C (or a terminal closing) stops the server cleanly and removes its build folder.
        let signals = onInterruption { _ in serving.cancel() }
        do {
            try await serving.value
        } catch let failure as PreviewServer.Failure {
            Console.err("error: \(failure.description)")
            throw ExitCode(1)
        }
        for source in signals { source.cancel() }
        Console.out("stopped")
    }
}

struct New: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Scaffold a narrative for every site language, as drafts, from a record.",
        discussion: "Writes content/cases/<record-id>/<lang>.md for each language that has none; never overwrites.")

    @Argument(help: "What to create: 'case'.")
    var kind: String

    @Argument(help: "The record id.")
    var recordID: String

    @OptionGroup var siteOptions: SiteOptions

    func validate() throws {
        guard kind == "case" else { throw ValidationError("memorial new can create 'case' only, not '\(kind)'") }
    }

    func run() throws {
        let report = NarrativeScaffold.create(recordID: recordID, siteRoot: siteOptions.siteURL)
        for diagnostic in report.diagnostics { Console.err(diagnostic.formatted(relativeTo: siteOptions.site)) }
        for path in report.created { Console.out("created \(path)") }
        for path in report.kept { Console.out("kept \(path) (it exists already and is not overwritten)") }
        guard report.succeeded else { throw ExitCode(1) }
    }
}

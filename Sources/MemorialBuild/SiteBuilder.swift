import Dispatch
import Foundation
import MemorialCore
import Synchronization

/// What a build or check is asked to do.
public struct BuildOptions: Sendable {
    public var siteRoot: URL
    /// Defaults to `<siteRoot>/public`.
    public var output: URL?
    public var baseURL: String?
    public var includeDrafts: Bool

    public init(siteRoot: URL, output: URL? = nil, baseURL: String? = nil, includeDrafts: Bool = false) {
        self.siteRoot = siteRoot
        self.output = output
        self.baseURL = baseURL
        self.includeDrafts = includeDrafts
    }

    public var outputFolder: URL { output ?? siteRoot.appending(path: "public") }
}

/// What a build or check found and did.
public struct BuildReport: Sendable {
    public var diagnostics: [Diagnostic]
    public var pages: Int = 0
    public var files: Int = 0
    /// A failure that is not the content's fault (file system), printed as `error: …`.
    public var failure: String?

    public var succeeded: Bool { failure == nil && !diagnostics.contains { $0.severity == .error } }
}

/// The pipeline: load → parse → resolve → render → write. `check` stops before rendering.
public enum SiteBuilder {
    public static func check(_ options: BuildOptions) -> BuildReport {
        var diagnostics = Diagnostics()
        let content = ContentLoader(siteRoot: options.siteRoot, baseURLOverride: options.baseURL).load(
            diagnostics: &diagnostics)
        _ = TemplateLibrary.load(siteRoot: options.siteRoot, diagnostics: &diagnostics)
        if let content { _ = SiteResolver(includeDrafts: options.includeDrafts).resolve(content) }
        return BuildReport(diagnostics: diagnostics.sorted)
    }

    public static func build(_ options: BuildOptions) -> BuildReport {
        OutputWriter.recoverInterruptedBuild(output: options.outputFolder)
        var diagnostics = Diagnostics()
        let content = ContentLoader(siteRoot: options.siteRoot, baseURLOverride: options.baseURL).load(
            diagnostics: &diagnostics)
        let templates = TemplateLibrary.load(siteRoot: options.siteRoot, diagnostics: &diagnostics)
        guard let content, let templates, !diagnostics.hasErrors else {
            return BuildReport(diagnostics: diagnostics.sorted)
        }
        let site = SiteResolver(includeDrafts: options.includeDrafts).resolve(content)
        var report = BuildReport(diagnostics: diagnostics.sorted)

        let writer: OutputWriter
        do {
            writer = try OutputWriter(output: options.outputFolder)
        } catch {
            report.failure = error.description
            return report
        }
        do {
            let renderer = PageRenderer(site: site, templates: templates)
            let jobs = renderer.jobs()
            try renderAll(jobs, renderer: renderer, writer: writer)
            for file in SitemapRenderer(renderer: renderer).render(jobs) { try writer.write(file) }
            for (name, bytes) in templates.assets.sorted(by: { $0.key < $1.key }) {
                try writer.write("assets/\(name)", bytes: bytes)
            }
            for (source, destination) in site.media {
                try writer.copy(from: options.siteRoot.appending(path: source), to: destination)
            }
            report.pages = jobs.count
            report.files = try writer.commit()
        } catch {
            writer.abandon()
            report.failure = error.description
        }
        return report
    }

    /// Renders and writes pages on every core. Each page is written as soon as it is rendered,
    /// so memory holds a handful of pages, not the site.
    private static func renderAll(_ jobs: [PageJob], renderer: PageRenderer, writer: OutputWriter) throws(OutputWriter
        .WriteError)
    {
        let firstError = Mutex<OutputWriter.WriteError?>(nil)
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let chunk = max(1, (jobs.count + workers * 8 - 1) / (workers * 8))
        DispatchQueue.concurrentPerform(iterations: (jobs.count + chunk - 1) / chunk) { part in
            for index in (part * chunk)..<min(jobs.count, (part + 1) * chunk) {
                if firstError.withLock({ $0 != nil }) { return }
                do throws(OutputWriter.WriteError) {
                    try writer.write(renderer.render(jobs[index]))
                } catch {
                    firstError.withLock { $0 = $0 ?? error }
                }
            }
        }
        if let error = firstError.withLock({ $0 }) { throw error }
    }
}

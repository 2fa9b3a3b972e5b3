import Dispatch
import Foundation
import MemorialContent
import MemorialCore
import MemorialTemplates
import Synchronization

/// What a build or check is asked to do.
public struct BuildOptions: Sendable {
    public var siteRoot: URL
    /// Defaults to `<siteRoot>/public`.
    public var output: URL?
    public var baseURL: String?
    public var includeDrafts: Bool
    /// Where the build keeps what the next build needs (`StateFolder`); defaults to
    /// `<siteRoot>/.memorial`.
    public var cacheFolder: URL?
    /// Told how far a build is, from several threads, every few hundred pages.
    public var progress: (@Sendable (BuildProgress) -> Void)?

    public init(siteRoot: URL, output: URL? = nil, baseURL: String? = nil, includeDrafts: Bool = false) {
        self.siteRoot = siteRoot
        self.output = output
        self.baseURL = baseURL
        self.includeDrafts = includeDrafts
    }

    public var outputFolder: URL { output ?? siteRoot.appending(path: "public") }

    public var stateFolder: URL { cacheFolder ?? siteRoot.appending(path: StateFolder.defaultName) }
}

/// How far a build is: a stage and, while rendering, pages done out of all.
public struct BuildProgress: Sendable {
    public var stage: String
    public var done: Int
    public var total: Int
}

/// What a build or check found and did.
public struct BuildReport: Sendable {
    public var diagnostics: [Diagnostic]
    public var pages: Int = 0
    /// Pages rendered: those whose fingerprint differed from the last build's.
    public var rendered: Int = 0
    /// Their output paths, in the order of the pages (for tests).
    var renderedPaths: [String] = []
    /// Files written, left as they were, and removed.
    public var written: Int = 0
    public var unchanged: Int = 0
    public var removed: Int = 0
    /// A failure that is not the content's fault (file system), printed as `error: …`.
    public var failure: String?
    /// What the user may want to know that is neither a failure nor about the content (the
    /// build state could not be used), printed as `note: …`.
    public var notes: [String] = []
    /// From `check`: what is not yet translated, per kind and language.
    public var translations: [MissingTranslations] = []
    /// Whether the build looked only at edited narratives (`SiteBuilder+NarrativeEdits`).
    var narrativeEditsOnly = false

    public var succeeded: Bool { failure == nil && !diagnostics.contains { $0.severity == .error } }

    /// Takes the files written, kept and removed from what the writer did.
    mutating func count(_ summary: OutputWriter.Summary) {
        written = summary.written
        unchanged = summary.unchanged
        removed = summary.removed
    }
}

/// How many of one kind of translatable thing lack a language (for `check`'s summary table).
public struct MissingTranslations: Sendable {
    public var label: String
    public var total: Int
    public var missing: [(language: String, count: Int)]
}

/// The pipeline: load → parse → resolve → render → write. `check` stops before rendering.
public enum SiteBuilder {
    /// Everything `build` would report, and the Markdown warnings of every narrative, drafts and
    /// restricted ones included; writes nothing.
    public static func check(_ options: BuildOptions) -> BuildReport {
        var diagnostics = Diagnostics()
        let content = ContentLoader(siteRoot: options.siteRoot, baseURLOverride: options.baseURL).load(
            diagnostics: &diagnostics)
        let templates = TemplateLibrary.load(siteRoot: options.siteRoot, diagnostics: &diagnostics)
        guard let content else { return BuildReport(diagnostics: diagnostics.sorted) }
        let site = SiteResolver(includeDrafts: options.includeDrafts).resolve(content)
        let narratives = content.narratives
        let root = site.config.rootPath
        let caseFiles = content.caseFiles
        let rootPath = rootPath(of: options.siteRoot)
        let rendered = narratives.concurrentMap { narrative -> RenderedMarkdown? in
            guard let text = readNarrative(narrative, rootPath: rootPath) else { return nil }
            return MarkdownRenderer.renderBody(
                of: narrative, text: text, localFiles: caseFiles[narrative.recordID] ?? [],
                mediaPrefix: root + "media/\(narrative.recordID)/")
        }
        diagnostics.append(contentsOf: rendered.compactMap { $0?.diagnostics }.joined())
        var pageFolders = Set<String>()
        if let templates {
            let renderer = PageRenderer(site: site, templates: templates) { _ in nil }
            pageFolders = Set(renderer.jobs().map { renderer.folder(of: $0) })
        }
        let checker = ContentChecker(content: content, site: site, pageFolders: pageFolders)
        diagnostics.append(contentsOf: checker.check(rendered: rendered))
        var report = BuildReport(diagnostics: diagnostics.sorted)
        report.translations = checker.translationSummary().map { row in
            MissingTranslations(
                label: row.label, total: row.total,
                missing: zip(site.languages, row.missing).map { ($0, $1) })
        }
        return report
    }

    public static func build(_ options: BuildOptions) -> BuildReport {
        let inputs = InputSnapshot.takeInputs(options)
        let state = StateFolder(options)
        let previous = PreviousBuild.read(state, output: options.outputFolder)
        let saved = previous.saved
        // The walk and the saved state (tens of thousands of paths) are freed on another thread.
        let kept = UncheckedBox()
        kept.keep((inputs, saved))
        defer { DispatchQueue.global(qos: .utility).async { kept.release() } }
        if let saved, saved.snapshot == inputs.withOutput(of: options) {
            // Nothing changed since the last successful build into this output.
            return BuildReport(diagnostics: saved.warnings, pages: saved.pages, unchanged: saved.files)
        }
        if let saved, let report = buildNarrativeEdits(options, inputs: inputs, saved: saved, keeping: kept) {
            return report
        }
        var read: [String: Fingerprint] = [:]
        var report = buildChanges(options, inputs: inputs.tree, previous: previous, read: &read)
        if let note = previous.note { report.notes.append(note) }
        if report.succeeded {
            var newState = SavedBuild(after: report, inputs: inputs, options: options)
            for (path, fingerprint) in read {
                guard let status = inputs.tree?.files[path] else { continue }
                newState.known[path] = SavedBuild.KnownFile(status: status, fingerprint: fingerprint)
            }
            do throws(OutputWriter.WriteError) {
                try newState.write(to: state)
            } catch {
                report.failure = error.description
            }
        }
        return report
    }

    /// A build that reads every input, and renders and writes what changed.
    /// - Parameters:
    ///   - inputs: what the walk before the build saw, when it walked.
    ///   - previous: what the state folder says of the last build into the same output.
    ///   - read: receives the fingerprints of the files whose fingerprints `saved` may keep.
    static func buildChanges(
        _ options: BuildOptions, inputs: InputTree? = nil, previous: PreviousBuild,
        read: inout [String: Fingerprint]
    ) -> BuildReport {
        // The archive's values (100,000 records and their indexes) are freed on another
        // thread: freeing them took a tenth of a rebuild, and the command exits before it
        // needs the memory. `kept` holds the last reference once the build's locals are gone.
        let kept = UncheckedBox()
        let report = buildChanges(options, inputs: inputs, previous: previous, read: &read, keeping: kept)
        DispatchQueue.global(qos: .utility).async { kept.release() }
        return report
    }

    private static func buildChanges(
        _ options: BuildOptions, inputs: InputTree?, previous: PreviousBuild, read: inout [String: Fingerprint],
        keeping kept: UncheckedBox
    ) -> BuildReport {
        var diagnostics = Diagnostics()
        var stages = StageClock()
        defer { stages.report() }
        let state = StateFolder(options)
        let saved = previous.saved
        var loader = ContentLoader(siteRoot: options.siteRoot, baseURLOverride: options.baseURL)
        // Only a finished build's cache is used: it is a cache, and the build must not depend on it.
        let previousCache = saved == nil ? nil : LoadCache.read(from: state)
        loader.memory = StateMemory(cache: previousCache, inputs: inputs, saved: saved)
        stages.lap("load cache read")
        let content = loader.load(diagnostics: &diagnostics)
        stages.lap("load")
        let templates = TemplateLibrary.load(siteRoot: options.siteRoot, diagnostics: &diagnostics)
        guard let content, let templates, !diagnostics.hasErrors else {
            return BuildReport(diagnostics: diagnostics.sorted)
        }
        stages.lap("templates")
        for narrative in content.narratives { read[narrative.location.file] = narrative.fingerprint }
        let cachedOrders = previousCache?.orders
        let resolved = SiteResolver(includeDrafts: options.includeDrafts).resolve(content, cached: cachedOrders)
        let site = resolved.site
        var orders = resolved.orders
        stages.lap("resolve")
        // What the search takes from the records is known when they are the last build's.
        if let cachedOrders, cachedOrders.key == orders?.key {
            orders?.searchRecords = cachedOrders.searchRecords
        } else {
            orders?.searchRecords = SearchIndex.recordsFingerprint(site)
        }
        let searchRecords = orders?.searchRecords ?? SearchIndex.recordsFingerprint(site)
        var report = BuildReport(diagnostics: [])

        let writer: OutputWriter
        do {
            writer = try OutputWriter(output: options.outputFolder, state: state, previous: previous)
            try writer.begin()
        } catch {
            report.diagnostics = diagnostics.sorted
            report.failure = error.description
            return report
        }
        let rootPath = rootPath(of: options.siteRoot)
        var renderer = PageRenderer(site: site, templates: templates) { readNarrative($0, rootPath: rootPath) }
        let siteFingerprint = renderer.siteFingerprint()
        // The search files and pages are made again only when what they are made from changed.
        stages.lap("previous manifest read, site fingerprint")
        renderer.searchInput = SearchIndex.inputFingerprint(renderer: renderer, records: searchRecords)
        let searchInput = renderer.searchInput
        stages.lap("search input")
        let previousSearchFiles = writer.previous.files.paths { bytes in
            bytes.count > 12 && bytes.last == UInt8(ascii: "n") && bytes[bytes.count - 5] == UInt8(ascii: ".")
        }.filter { SearchIndex.isDataFile($0, languages: site.languages) }
        let searchUnchanged =
            !previousSearchFiles.isEmpty
            && previousSearchFiles.allSatisfy { writer.isUnchanged($0, input: searchInput) }
            && site.languages.map { PageJob.search(language: $0) }.allSatisfy {
                writer.isUnchanged(
                    renderer.outputPath(of: $0), input: renderer.fingerprint(of: $0, site: siteFingerprint))
            }
        stages.lap(searchUnchanged ? "search unchanged" : "search changed")
        // Made on another thread while the other pages are checked and rendered: it used one
        // core of two for most of a second. Only the search pages wait for it (`renderAll`).
        let search: Background<SearchIndex>?
        if searchUnchanged {
            for path in previousSearchFiles { writer.keep(path) }
            search = nil
        } else {
            let indexed = renderer
            search = Background { SearchIndex(renderer: indexed) }
        }
        do {
            let jobs = renderer.jobs()
            // What this build published, for the next one to load without parsing it again:
            // made beside the rendering (it needs only the site), which leaves a core idle
            // while it waits on Markdown's lock.
            let (finishedOrders, finishedRenderer) = (orders, renderer)
            let (rendered, cache) = both(
                { () -> Result<(paths: [String], rendered: [Int], linked: Set<MediaFile>), OutputWriter.WriteError> in
                    Result { () throws(OutputWriter.WriteError) in
                        try renderAll(
                            jobs, renderer: finishedRenderer, siteFingerprint: siteFingerprint, writer: writer,
                            searchConfigs: { search?.value.configs ?? [:] }, progress: options.progress)
                    }
                },
                {
                    loadCache(
                        of: site, warnings: content.narrativeWarnings, orders: finishedOrders,
                        prefix: state.prefix(.cache))
                })
            let (paths, renderedPages, linkedMedia) = try rendered.get()
            report.renderedPaths = renderedPages.map { paths[$0] }
            report.rendered = renderedPages.count
            stages.lap("render pages, load cache made")
            options.progress?(BuildProgress(stage: "writing", done: jobs.count, total: jobs.count))
            try writeSitemap(
                jobs, paths: paths, renderer: renderer, siteFingerprint: siteFingerprint, writer: writer)
            stages.lap("sitemap")
            for (name, bytes) in templates.assets.sorted(by: { $0.key < $1.key }) where name != "search.js" {
                try writer.write("assets/\(name)", bytes: bytes, input: Fingerprint.of(bytes))
            }
            for file in search?.value.files ?? [] {
                try writer.write(file.path, bytes: file.bytes, input: searchInput)
            }
            let script = SearchIndex.script(templates: templates)
            try writer.write(script.path, bytes: script.bytes, input: Fingerprint.of(script.bytes))
            for media in site.media.union(linkedMedia).sorted() {
                read[media.source] = try writer.copy(
                    from: options.siteRoot.appending(path: media.source), to: media.destination,
                    known: saved?.fingerprint(of: media.source, now: inputs?.files[media.source]))
            }
            stages.lap("assets, search files, media")
            diagnostics.append(contentsOf: writer.narrativeWarnings())
            let summary = try writer.finish(cache: (cache, unchanged: cache == previousCache?.bytes))
            stages.lap("finish")
            report.pages = jobs.count
            report.count(summary)
        } catch {
            report.failure = error.description
        }
        report.diagnostics = diagnostics.sorted
        kept.keep((content, site, renderer, loader, writer))
        return report
    }

    /// - Parameter rootPath: the site's folder ending in `/` (`rootPath(of:)`): rendering reads
    ///   every narrative again, and making a URL per file cost more than reading it.
    static func readNarrative(_ narrative: Narrative, rootPath: String) -> String? {
        SourceText.readBytes(atPath: rootPath + narrative.location.file).flatMap(SourceText.decode)
    }

    static func rootPath(of siteRoot: URL) -> String {
        let path = siteRoot.standardizedFileURL.path
        return path.hasSuffix("/") ? path : path + "/"
    }

    /// The bytes of the state's `cache`: what this build published (see `LoadCache`).
    private static func loadCache(
        of site: Site, warnings: [String: [Diagnostic]], orders: LoadCache.Orders?, prefix: [UInt8]
    ) -> [UInt8] {
        var published: [(path: String, index: Int32, language: String)] = []
        for index in site.cases.indices where !site.cases[index].narratives.isEmpty {
            for (language, narrative) in site.cases[index].narratives {
                published.append((narrative.location.file, Int32(index), language))
            }
        }
        published.sort { String.utf8Precedes($0.path, $1.path) }
        let entries = published.lazy.map { path, index, language in
            let narrative = site.cases[Int(index)].narratives[language]!
            return LoadCache.NarrativeEntry(
                fingerprint: narrative.fingerprint, narrative: narrative, warnings: warnings[path] ?? [])
        }
        return LoadCache.serialized(entries, count: published.count, orders: orders, prefix: prefix)
    }

    /// Renders and writes pages on every core, each as soon as it is rendered, so memory holds
    /// a handful of pages, not the site. A page whose fingerprint is the last build's is not
    /// rendered at all. Returns each page's output path, in the order of `jobs`, and the
    /// case-folder files that narrative bodies link to.
    /// - Parameter searchConfigs: `PageRenderer.searchConfigs`, asked for only when a search
    ///   page is to be rendered, after all other pages (it may still be in the making).
    private static func renderAll(
        _ jobs: [PageJob], renderer: PageRenderer, siteFingerprint: Fingerprint, writer: OutputWriter,
        searchConfigs: @Sendable () -> [String: String], progress: (@Sendable (BuildProgress) -> Void)?
    ) throws(OutputWriter.WriteError) -> (paths: [String], rendered: [Int], linked: Set<MediaFile>) {
        // First every page's path and input, keeping those made from the same input as last time.
        let checked = jobs.concurrentChunks {
            range -> (paths: [String], render: [(Int, Fingerprint)], linked: Set<MediaFile>) in
            var paths: [String] = []
            var render: [(Int, Fingerprint)] = []
            var linked = Set<MediaFile>()
            var keptCount = 0
            defer { writer.countUnchanged(keptCount) }
            paths.reserveCapacity(range.count)
            for index in range {
                let job = jobs[index]
                let (path, input) = renderer.pathAndFingerprint(of: job, site: siteFingerprint)
                paths.append(path)
                let narrative = renderer.narrative(of: job)
                // A kept page reuses what rendering its narrative found last time.
                let previous = narrative.flatMap { writer.previous.narratives[$0.location.file] }
                guard let kept = writer.previousIndex(of: path), writer.previous.files.entries[kept].input == input,
                    narrative?.fingerprint == previous?.fingerprint
                else {
                    render.append((index, input))
                    continue
                }
                writer.keep(at: kept, counted: false)
                keptCount += 1
                if let narrative, let previous {
                    writer.record(narrative: narrative.location.file, previous)
                    linked.formUnion(previous.linkedFiles.map { MediaFile(id: narrative.recordID, file: $0) })
                }
            }
            return (paths, render, linked)
        }
        let paths = checked.flatMap(\.paths)
        let changed = checked.flatMap(\.render)
        func isSearch(_ page: (index: Int, input: Fingerprint)) -> Bool {
            if case .search = jobs[page.index] { true } else { false }
        }
        let searchPages = changed.filter(isSearch)
        let toRender = searchPages.isEmpty ? changed : changed.filter { !isSearch($0) }
        let linked = Mutex(checked.reduce(into: Set<MediaFile>()) { $0.formUnion($1.linked) })
        let done = Mutex(jobs.count - changed.count)
        progress?(BuildProgress(stage: "rendering", done: jobs.count - changed.count, total: jobs.count))

        let firstError = Mutex<OutputWriter.WriteError?>(nil)
        // Chunks of at most 500 pages: enough work each, and progress every few hundred pages.
        // One worker per core takes chunk after chunk, each with its own copy of the templates
        // and shared context (see `PrivateCopies.swift`).
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let chunk = min(500, max(1, (toRender.count + workers * 8 - 1) / (workers * 8)))
        let chunks = (toRender.count + chunk - 1) / chunk
        let nextChunk = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: min(workers, chunks)) { _ in
            let renderer = renderer.privateCopy()
            while true {
                let part = nextChunk.add(1, ordering: .relaxed).oldValue
                guard part < chunks else { return }
                renderChunk(part, renderer: renderer)
            }
        }
        if !searchPages.isEmpty {
            var withSearch = renderer
            withSearch.searchConfigs = searchConfigs()
            render(searchPages[...], renderer: withSearch)
        }
        @Sendable func renderChunk(_ part: Int, renderer: PageRenderer) {
            render(toRender[(part * chunk)..<min(toRender.count, (part + 1) * chunk)], renderer: renderer)
        }
        @Sendable func render(_ pages: ArraySlice<(Int, Fingerprint)>, renderer: PageRenderer) {
            var found = Set<MediaFile>()
            for (index, input) in pages {
                if firstError.withLock({ $0 != nil }) { return }
                let job = jobs[index]
                let page = renderer.render(job)
                do throws(OutputWriter.WriteError) {
                    try writer.write(paths[index], bytes: page.file.bytes, input: input)
                } catch {
                    firstError.withLock { $0 = $0 ?? error }
                }
                if let narrative = renderer.narrative(of: job) {
                    let entry = BuildManifest.NarrativeEntry(
                        fingerprint: narrative.fingerprint, linkedFiles: page.linkedFiles, warnings: page.diagnostics)
                    writer.record(narrative: narrative.location.file, entry)
                    found.formUnion(entry.linkedFiles.map { MediaFile(id: narrative.recordID, file: $0) })
                }
            }
            linked.withLock { $0.formUnion(found) }
            if let progress {
                let count = done.withLock { count in
                    count += pages.count
                    return count
                }
                progress(BuildProgress(stage: "rendering", done: count, total: jobs.count))
            }
        }
        if let error = firstError.withLock({ $0 }) { throw error }
        return (paths, changed.map(\.0), linked.withLock { $0 })
    }

    /// The sitemap changes only when the set of pages does (or anything site-wide).
    private static func writeSitemap(
        _ jobs: [PageJob], paths: [String], renderer: PageRenderer, siteFingerprint: Fingerprint,
        writer: OutputWriter
    ) throws(OutputWriter.WriteError) {
        var input = siteFingerprint
        input.combine("sitemap")
        for path in paths { input.combine(path) }
        let previous = writer.previous.files.paths { bytes in
            (bytes.first == UInt8(ascii: "s") || bytes.first == UInt8(ascii: "r")) && !bytes.contains(UInt8(ascii: "/"))
        }.filter(SitemapRenderer.isSitemapFile)
        if !previous.isEmpty, previous.allSatisfy({ writer.isUnchanged($0, input: input) }) {
            for path in previous { writer.keep(path) }
            return
        }
        var failure: OutputWriter.WriteError?
        SitemapRenderer(renderer: renderer).render(jobs) { file in
            guard failure == nil else { return }
            do throws(OutputWriter.WriteError) {
                try writer.write(file.path, bytes: file.bytes, input: input)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
    }
}

/// Holds a build's values until another thread releases them; nothing ever reads them.
final class UncheckedBox: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Any] = []

    func keep(_ value: Any) { lock.withLock { values.append(value) } }

    func release() {
        let values = lock.withLock { () -> [Any] in
            defer { self.values = [] }
            return self.values
        }
        withExtendedLifetime(values) {}
    }
}

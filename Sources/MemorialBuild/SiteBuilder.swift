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
    /// Staging copies: every page asks not to be indexed, robots.txt disallows everything (as
    /// site.yml's `robots: noindex`).
    public var noindex = false
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
    var renderedPaths: [String] { renderedPages.map { pagePaths[Int($0)] } }
    /// Every page's output path, and the positions of those rendered.
    var pagePaths = PathList()
    var renderedPages: [Int32] = []
    /// Pages of documents whose images (derivatives and tiles) this build made: 0 when the
    /// state folder had them all.
    public var derivatives: Int = 0
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
    /// What the build read and rendered (`BuildScope`).
    var scope = BuildScope.everything
    /// Whether the build looked only at edited narratives.
    var narrativeEditsOnly: Bool { scope != .everything }

    public var succeeded: Bool { failure == nil && !diagnostics.contains { $0.severity == .error } }
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
        let withheld = content.documents.mapValues(\.withheldFiles)
        let rootPath = rootPath(of: options.siteRoot)
        let rendered = narratives.concurrentMap { narrative -> RenderedMarkdown? in
            guard let text = readNarrative(narrative, rootPath: rootPath) else { return nil }
            return MarkdownRenderer.renderBody(
                of: narrative, text: text, localFiles: caseFiles[narrative.recordID] ?? [],
                withheldFiles: withheld[narrative.recordID] ?? [], mediaPrefix: root + "media/\(narrative.recordID)/")
        }
        diagnostics.append(contentsOf: rendered.compactMap { $0?.diagnostics }.joined())
        var pageFolders = Set<String>()
        if let templates {
            let renderer = PageRenderer(site: site, templates: templates) { _ in nil }
            pageFolders = Set(renderer.jobs().map { renderer.folder(of: $0) })
        }
        let checker = ContentChecker(content: content, site: site, pageFolders: pageFolders)
        diagnostics.append(contentsOf: checker.check(rendered: rendered))
        diagnostics.append(contentsOf: DocumentChecker.check(content, siteRoot: options.siteRoot))
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
        // The walk, the saved state and the archive's values (100,000 records and their
        // indexes) are freed on another thread: freeing them took a tenth of a rebuild, and the
        // command exits before it needs the memory. `kept` holds the last reference to them.
        let kept = UncheckedBox()
        kept.keep((inputs, saved))
        defer { DispatchQueue.global(qos: .utility).async { kept.release() } }
        if let saved, saved.snapshot == inputs.withOutput(of: options) {
            // Nothing changed since the last successful build into this output.
            return BuildReport(diagnostics: saved.warnings, pages: saved.pages, unchanged: saved.files)
        }
        let scope = BuildScope.of(inputs, saved: saved, options: options)
        // The narrow scope gives way, before it writes anything, when it cannot vouch for its result.
        guard
            let (built, read) = build(scope, options, inputs: inputs, previous: previous, keeping: kept)
                ?? build(.everything, options, inputs: inputs, previous: previous, keeping: kept)
        else { preconditionFailure("the whole scope always builds") }
        var report = built
        if let note = previous.note { report.notes.append(note) }
        guard report.succeeded else { return report }
        var newState = SavedBuild(after: report, inputs: inputs, options: options)
        // The statuses of the files a narrow scope did not read are still the last build's.
        if report.scope != .everything, let saved, let tree = inputs.tree {
            for (path, file) in saved.known where tree.files[path] != nil { newState.known[path] = file }
        }
        for (path, fingerprint) in read {
            guard let status = inputs.tree?.files[path] else { continue }
            newState.known[path] = SavedBuild.KnownFile(status: status, fingerprint: fingerprint)
        }
        do throws(OutputWriter.WriteError) {
            try newState.write(to: state)
        } catch {
            report.failure = error.description
        }
        kept.keep(newState)
        return report
    }

    /// The pipeline, once, in a scope: load, resolve, fingerprint and render, write.
    /// - Parameters:
    ///   - inputs: what the walk before the build saw.
    ///   - previous: what the state folder says of the last build into the same output.
    ///   - kept: receives the large values, to be freed on another thread.
    /// - Returns: the report and the fingerprints of the files read whose statuses the saved
    ///   state keeps; nil when the narrow scope finds, before writing anything, that only the
    ///   whole scope can build these inputs (see `BuildScope.edits`).
    private static func build(
        _ scope: BuildScope, _ options: BuildOptions, inputs: InputSnapshot, previous: PreviousBuild,
        keeping kept: UncheckedBox
    ) -> (report: BuildReport, read: [String: Fingerprint])? {
        var stages = StageClock(prefix: scope == .everything ? "" : "narrative edits: ")
        defer { stages.report() }
        let state = StateFolder(options)
        let saved = previous.saved
        let rootPath = rootPath(of: options.siteRoot)
        var read: [String: Fingerprint] = [:]
        var loader = ContentLoader(siteRoot: options.siteRoot, baseURLOverride: options.baseURL)
        // Only a finished build's cache is used: it is a cache, and the build must not depend on it.
        let cache = saved == nil ? nil : LoadCache.read(from: state)
        loader.memory = StateMemory(cache: cache, inputs: inputs.tree, saved: saved)
        var edits: BuildScope.Edits?
        if case .narratives(let paths) = scope {
            guard let saved, let cache, let tree = inputs.tree,
                let found = BuildScope.edits(paths, cache: cache, saved: saved, tree: tree, rootPath: rootPath)
            else { return nil }
            loader.memory = StateMemory(cache: found.cache, inputs: tree, saved: found.saved)
            loader.onlyCases = found.cases
            read = found.read
            edits = found
        }
        kept.keep((cache, edits))
        stages.lap("load cache read")

        // The content on every core, the last build's manifest read beside it.
        let frozenLoader = loader
        let (loaded, opened) = both(
            { () -> Loaded in
                var diagnostics = Diagnostics()
                let content = frozenLoader.load(diagnostics: &diagnostics)
                let templates = TemplateLibrary.load(siteRoot: options.siteRoot, diagnostics: &diagnostics)
                return Loaded(content: content, templates: templates, diagnostics: diagnostics)
            },
            {
                Result { () throws(OutputWriter.WriteError) in
                    try OutputWriter(output: options.outputFolder, state: state, previous: previous)
                }
            })
        var diagnostics = loaded.diagnostics
        guard var content = loaded.content.take(), let templates = loaded.templates, !diagnostics.hasErrors else {
            // Errors are the whole scope's to report.
            return edits == nil ? (BuildReport(diagnostics: diagnostics.sorted), read) : nil
        }
        if options.noindex { content.config.noindex = true }
        kept.keep(loader)
        stages.lap("load, templates, manifest read")
        for narrative in content.narratives { read[narrative.location.file] = narrative.fingerprint }
        let resolved = SiteResolver(includeDrafts: options.includeDrafts).resolve(
            content, cached: edits == nil ? cache?.orders : nil)
        let site = resolved.site
        var orders = resolved.orders
        // The cases hold copies of the published records: the loaded ones go now (about 350
        // bytes a record, a third of a GiB at a million records).
        content.records = []
        kept.keep((site, content))
        if let edits {
            // Each edited narrative's case is published, with the narrative's new text.
            guard site.cases.count == edits.cases.count,
                edits.narratives.allSatisfy({ narrative in
                    site.cases.contains {
                        $0.id == narrative.recordID
                            && $0.narratives[narrative.language]?.fingerprint == narrative.fingerprint
                    }
                })
            else { return nil }
        }
        stages.lap("resolve")
        let images = documentImages(
            site, options: options, inputs: inputs, saved: saved, wholeSite: edits == nil, diagnostics: &diagnostics,
            read: &read)
        if diagnostics.hasErrors { return edits == nil ? (BuildReport(diagnostics: diagnostics.sorted), read) : nil }
        stages.lap("document images")

        var report = BuildReport(diagnostics: [])
        report.scope = scope
        report.derivatives = images?.made ?? 0
        let writer: OutputWriter
        switch opened {
        case .success(let opened): writer = opened
        case .failure(let error):
            guard edits == nil else { return nil }
            report.diagnostics = diagnostics.sorted
            report.failure = error.description
            return (report, read)
        }
        kept.keep(writer)
        // The narrow scope keeps what it does not look at: only a trusted manifest says what that is.
        if edits != nil, writer.verifies { return nil }
        var renderer = PageRenderer(site: site, templates: templates) { readNarrative($0, rootPath: rootPath) }
        renderer.images = images
        let siteFingerprint = renderer.siteFingerprint()
        var jobs = renderer.jobs()
        // The search files in the making (nil when the last build's are kept, or in the narrow scope).
        var search: Background<SearchIndex.Written>?
        if edits != nil {
            // The narrow site's lists would list its few cases: only its case pages, each of
            // which the last build published (the set of pages, and so the sitemap, is the same).
            jobs = jobs.filter { if case .caseEntry = $0 { true } else { false } }
            guard jobs.allSatisfy({ writer.previousIndex(of: renderer.outputPath(of: $0)) != nil }) else {
                return nil
            }
        }

        do throws(OutputWriter.WriteError) {
            try writer.begin()
            if edits == nil {
                // What the search takes from the records is known when they are the last build's.
                let records =
                    cache?.orders.flatMap { $0.key == orders?.key ? $0.searchRecords : nil }
                    ?? SearchIndex.recordsFingerprint(site)
                orders?.searchRecords = records
                // Started once the output is begun: the search files are written as they are made.
                search = startSearch(
                    &renderer, records: records, writer: writer, siteFingerprint: siteFingerprint, stages: &stages)
            }
            kept.keep(renderer)
            // The narrow scope's narratives replace their entries among the last build's.
            if edits != nil { writer.record(narratives: writer.previous.narratives) }
            // What this build published, for the next one to load without parsing it again:
            // made beside the rendering (it needs only the site), which leaves a core idle
            // while it waits on Markdown's lock.
            let (finishedOrders, finishedRenderer, searchIndex) = (orders, renderer, search)
            let warnings = content.narrativeWarnings
            let narrowCache = edits?.cache
            let (rendered, cacheBytes) = both(
                { () -> Result<(paths: PathList, rendered: [Int32], linked: Set<MediaFile>), OutputWriter.WriteError> in
                    Result { () throws(OutputWriter.WriteError) in
                        try renderAll(
                            jobs, renderer: finishedRenderer, siteFingerprint: siteFingerprint, writer: writer,
                            searchConfigs: { searchIndex?.value.configs ?? [:] }, progress: options.progress)
                    }
                },
                {
                    narrowCache?.serialized(prefix: state.prefix(.cache))
                        ?? loadCache(
                            of: site, warnings: warnings, orders: finishedOrders,
                            prefix: state.prefix(.cache))
                })
            let (paths, renderedPages, media) = try rendered.get()
            report.pagePaths = paths
            report.renderedPages = renderedPages
            report.rendered = renderedPages.count
            stages.lap("render pages, load cache made")
            options.progress?(BuildProgress(stage: "writing", done: jobs.count, total: jobs.count))
            if edits == nil {
                // The sitemap beside the feeds and the dataset: the dataset's two passes (CSV and
                // JSON) are of unequal length, and each of the three is a pass of its own over
                // every page or record (at 100,000 records, 0.75 s of sitemap after 1.6 s of dataset).
                let sitemap = Background { [jobs, renderer] in
                    Result { () throws(OutputWriter.WriteError) in
                        try writeSitemap(
                            jobs, paths: paths, renderer: renderer, siteFingerprint: siteFingerprint, writer: writer)
                    }
                }
                let reuse = Result { () throws(OutputWriter.WriteError) in
                    try writeReuseFiles(renderer: renderer, siteFingerprint: siteFingerprint, writer: writer)
                }
                try sitemap.value.get()
                try reuse.get()
                stages.lap("sitemap, feeds, dataset, citations")
                for (name, bytes) in templates.assets.sorted(by: { $0.key < $1.key }) where name != "search.js" {
                    try writer.write("assets/\(name)", bytes: bytes, input: Fingerprint.of(bytes))
                }
                if let failure = search?.value.failure { throw failure }
                let script = SearchIndex.script(templates: templates)
                try writer.write(script.path, bytes: script.bytes, input: Fingerprint.of(script.bytes))
            }
            for file in media.sorted() {
                read[file.source] = try writer.copy(
                    from: options.siteRoot.appending(path: file.source), to: file.destination,
                    known: saved?.fingerprint(of: file.source, now: inputs.tree?.files[file.source]))
            }
            try DocumentPublisher.publish(renderer: renderer, siteFingerprint: siteFingerprint, writer: writer)
            if edits != nil {
                // What the scope's narratives linked before and none links now goes, as in
                // the whole scope; every other file of the last build stays.
                let linkedBefore = site.cases.flatMap(\.narratives.values).flatMap { narrative in
                    (writer.previous.narratives[narrative.location.file]?.linkedFiles ?? []).map {
                        MediaFile(id: narrative.recordID, file: $0)
                    }
                }
                writer.keepTheRest(except: Set(linkedBefore.filter { !media.contains($0) }.map(\.destination)))
            }
            stages.lap("assets, search files, media")
            diagnostics.append(contentsOf: writer.narrativeWarnings())
            (report.written, report.unchanged, report.removed) = try writer.finish(
                cache: (cacheBytes, unchanged: cacheBytes == cache?.bytes))
            stages.lap("finish")
            report.pages = edits == nil ? jobs.count : saved?.pages ?? jobs.count
        } catch {
            report.failure = error.description
        }
        // A failed build still waits for the search files, so that nothing writes after it.
        _ = search?.value
        if report.failure != nil { writer.abandon() }
        // A narrow scope reports what it read; the last build's other warnings still hold.
        if let edits {
            let files = Set(edits.narratives.map(\.location.file))
            var all = Diagnostics()
            all.append(contentsOf: (saved?.warnings ?? []).filter { !files.contains($0.location.file) })
            all.append(contentsOf: diagnostics.all.filter { files.contains($0.location.file) })
            diagnostics = all
        }
        report.diagnostics = diagnostics.sorted
        return (report, read)
    }

    /// Sets `renderer.searchInput` and starts making the search files, unless the last build
    /// made them from the same input (they are kept).
    /// - Returns: the search index in the making (nil when kept).
    private static func startSearch(
        _ renderer: inout PageRenderer, records: Fingerprint, writer: OutputWriter, siteFingerprint: Fingerprint,
        stages: inout StageClock
    ) -> Background<SearchIndex.Written>? {
        let site = renderer.site
        renderer.searchInput = SearchIndex.inputFingerprint(renderer: renderer, records: records)
        let searchInput = renderer.searchInput
        stages.lap("search input")
        let previousSearchFiles = writer.previous.files.paths { bytes in
            bytes.count > 12 && bytes.last == UInt8(ascii: "n") && bytes[bytes.count - 5] == UInt8(ascii: ".")
        }.filter { SearchIndex.isDataFile($0, languages: site.languages) }
        let searchUnchanged =
            site.languages.allSatisfy { language in
                let (path, input) = renderer.pathAndFingerprint(of: .search(language: language), site: siteFingerprint)
                return writer.isUnchanged(path, input: input)
            } && writer.keepIfUnchanged(previousSearchFiles, input: searchInput)
        stages.lap(searchUnchanged ? "search unchanged" : "search changed")
        if searchUnchanged { return nil }
        // Made, and written, on another thread while the other pages are checked and rendered:
        // it used one core of two for most of a second. Only the search pages wait for it
        // (`renderAll`); the build waits for it before it finishes (`Written.failure`).
        let indexed = renderer
        return Background {
            let failure = Mutex<OutputWriter.WriteError?>(nil)
            let index = SearchIndex(renderer: indexed) { file in
                guard failure.withLock({ $0 == nil }) else { return }
                do throws(OutputWriter.WriteError) {
                    try writer.write(file.path, bytes: file.bytes, input: searchInput)
                } catch {
                    failure.withLock { $0 = error }
                }
            }
            return SearchIndex.Written(configs: index.configs, failure: failure.withLock { $0 })
        }
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
        of site: Site, warnings: [String: [Diagnostic]], orders: AlphabeticalOrders?, prefix: [UInt8]
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
    /// rendered at all. Returns each page's output path, in the order of `jobs`, the positions
    /// of the pages rendered, and the case-folder files that narrative bodies link to.
    /// - Parameter searchConfigs: `PageRenderer.searchConfigs`, asked for only when a search
    ///   page is to be rendered, after all other pages (it may still be in the making).
    private static func renderAll(
        _ jobs: [PageJob], renderer: PageRenderer, siteFingerprint: Fingerprint, writer: OutputWriter,
        searchConfigs: @Sendable () -> [String: String], progress: (@Sendable (BuildProgress) -> Void)?
    ) throws(OutputWriter.WriteError) -> (paths: PathList, rendered: [Int32], linked: Set<MediaFile>) {
        // First every page's path and input, keeping those made from the same input as last
        // time. Paths, positions and inputs each in a table of their own: three million pages.
        let checked = concurrentChunks(count: jobs.count) {
            range -> (paths: PathList, inputs: [Fingerprint], render: [Int32], linked: Set<MediaFile>) in
            var paths = PathList(capacity: range.count)
            var inputs: [Fingerprint] = []
            var render: [Int32] = []
            var linked = Set<MediaFile>()
            var keptCount = 0
            defer { writer.countUnchanged(keptCount) }
            inputs.reserveCapacity(range.count)
            for index in range {
                let job = jobs[index]
                let (path, input) = renderer.pathAndFingerprint(of: job, site: siteFingerprint)
                paths.append(path)
                inputs.append(input)
                let narrative = renderer.narrative(of: job)
                // A kept page reuses what rendering its narrative found last time.
                let previous = narrative.flatMap { writer.previous.narratives[$0.location.file] }
                guard let kept = writer.previousIndex(of: path), writer.previous.files.entries[kept].input == input,
                    narrative?.fingerprint == previous?.fingerprint
                else {
                    render.append(Int32(index))
                    continue
                }
                writer.keep(at: kept, counted: false)
                keptCount += 1
                if let narrative, let previous {
                    writer.record(narrative: narrative.location.file, previous)
                    linked.formUnion(previous.linkedFiles.map { MediaFile(id: narrative.recordID, file: $0) })
                }
            }
            return (paths, inputs, render, linked)
        }
        let paths = PathList(joining: checked.map(\.paths))
        if writer.previous.files.count == 0 {
            writer.reserveAdded(count: paths.count + 4096, pathBytes: paths.byteCount + 262_144)
        }
        let inputs = checked.flatMap(\.inputs)
        let changed = checked.flatMap(\.render)
        func isSearch(_ index: Int32) -> Bool {
            if case .search = jobs[Int(index)] { true } else { false }
        }
        let searchPages = changed.filter(isSearch)
        let toRender = searchPages.isEmpty ? changed : changed.filter { !isSearch($0) }
        let linked = Mutex(checked.reduce(into: Set<MediaFile>()) { $0.formUnion($1.linked) })
        let done = Atomic(jobs.count - changed.count)
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
                render(toRender[(part * chunk)..<min(toRender.count, (part + 1) * chunk)], renderer: renderer)
            }
        }
        if !searchPages.isEmpty {
            var withSearch = renderer
            withSearch.searchConfigs = searchConfigs()
            render(searchPages[...], renderer: withSearch)
        }
        @Sendable func render(_ pages: ArraySlice<Int32>, renderer: PageRenderer) {
            var found = Set<MediaFile>()
            for index in pages.lazy.map(Int.init) {
                if firstError.withLock({ $0 != nil }) { return }
                let job = jobs[index]
                let page = renderer.render(job)
                do throws(OutputWriter.WriteError) {
                    try writer.write(paths[index], bytes: page.file.bytes, input: inputs[index])
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
                let count = done.add(pages.count, ordering: .relaxed).newValue
                progress(BuildProgress(stage: "rendering", done: count, total: jobs.count))
            }
        }
        if let error = firstError.withLock({ $0 }) { throw error }
        return (paths, changed, linked.withLock { $0 })
    }

    /// The sitemap changes only when the set of pages does (or anything site-wide).
    private static func writeSitemap(
        _ jobs: [PageJob], paths: PathList, renderer: PageRenderer, siteFingerprint: Fingerprint,
        writer: OutputWriter
    ) throws(OutputWriter.WriteError) {
        var input = siteFingerprint
        input.combine("sitemap")
        input.combine(FeedRenderer.inputFingerprint(renderer.site))
        for index in 0..<paths.count { paths.withPath(at: index) { input.combine($0) } }
        let previous = writer.previous.files.paths { bytes in
            (bytes.first == UInt8(ascii: "s") || bytes.first == UInt8(ascii: "r")) && !bytes.contains(UInt8(ascii: "/"))
        }.filter(SitemapRenderer.isSitemapFile)
        if writer.keepIfUnchanged(previous, input: input) { return }
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

    /// Frees the values outside the lock: they are swapped out under it into a local that ends after it.
    func release() {
        var values: [Any] = []
        lock.withLock { swap(&values, &self.values) }
    }
}

/// What the load gives, in a box that the build takes the content out of, so that nothing
/// else holds the loaded records once the site is resolved.
private final class Loaded: @unchecked Sendable {
    var content: SiteContent?
    let templates: TemplateLibrary?
    let diagnostics: Diagnostics

    init(content: SiteContent?, templates: TemplateLibrary?, diagnostics: Diagnostics) {
        self.content = content
        self.templates = templates
        self.diagnostics = diagnostics
    }
}

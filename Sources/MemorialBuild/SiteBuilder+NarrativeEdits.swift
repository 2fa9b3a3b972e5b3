import Foundation
import MemorialContent
import MemorialCore
import MemorialTemplates

/// The rebuild after curators edited the text of a few narratives, and nothing else: the most
/// common change to an archive, and one that changes one page per narrative.
///
/// A build that reads everything spends seconds at 100,000 records on work whose result it
/// already has: parsing every record, resolving the indexes, fingerprinting 300,000 pages to
/// find that the one edited page is the only one whose inputs changed. Here, when the inputs
/// differ from the last successful build's only in the statuses of published narratives whose
/// front matter is as it was, only their cases' records and folders are read, their pages
/// rendered, and the manifest, load cache and saved state carried over with those entries
/// replaced. A page's fingerprint has its own narrative's text and only the front matter of
/// the others (`SiteResolver.fingerprint`), so no other page's entry can differ from what a
/// full build would give: the random-edit test compares this path's output with full builds
/// byte for byte.
///
/// Anything else (a new, removed or unpublished narrative, changed front matter or warnings
/// from it, a changed set of linked case files, an error, a records file that `parseValid`
/// would not read) returns nil before anything is written, and the build reads everything.
extension SiteBuilder {
    /// More edited narratives than this are rebuilt by the full path (it reads in parallel).
    static let narrativeEditLimit = 64

    /// - Parameter kept: receives the large values, to be freed on another thread.
    static func buildNarrativeEdits(
        _ options: BuildOptions, inputs: InputSnapshot, saved: SavedBuild, keeping kept: UncheckedBox
    ) -> BuildReport? {
        var stages = StageClock(prefix: "narrative edits: ")
        defer { stages.report() }
        let output = options.outputFolder
        let stateFolder = StateFolder(options)
        guard let tree = inputs.tree,
            saved.snapshot.withoutNarratives == inputs.withOutput(of: options).withoutNarratives
        else { return nil }
        // The narratives whose status the last build cannot vouch for.
        var touched: [String] = []
        for (path, status) in tree.files where InputSnapshot.isNarrativePath(path) {
            guard saved.fingerprint(of: path, now: status) == nil else { continue }
            guard saved.known[path] != nil else { return nil }
            touched.append(path)
            if touched.count > narrativeEditLimit { return nil }
        }
        guard !touched.isEmpty, let cache = LoadCache.read(from: stateFolder) else { return nil }
        kept.keep(cache)
        let rootPath = rootPath(of: options.siteRoot)
        var known = saved.known
        var edited: [(path: String, narrative: Narrative, warnings: [Diagnostic])] = []
        for path in touched.sorted() {
            guard let bytes = SourceText.readBytes(atPath: rootPath + path) else { return nil }
            let fingerprint = Fingerprint.of(bytes)
            known[path]?.status = tree.files[path]!
            if fingerprint == saved.known[path]?.fingerprint { continue }
            known[path]?.fingerprint = fingerprint
            // Only a published narrative is in the cache; another one's edit may publish it.
            guard let before = cache.narratives[path], let text = SourceText.decode(bytes) else { return nil }
            let parts = path.split(separator: "/")
            let folder = String(parts[2])
            let files = Set((tree.folders["content/cases/" + folder] ?? []).filter { !$0.isFolder }.map(\.name))
            var found = Diagnostics()
            guard
                let narrative = NarrativeParser().parseNarrative(
                    text, recordID: folder, language: String(parts[3].dropLast(3)), file: path,
                    folderFiles: files.filter { !$0.hasSuffix(".md") }, fingerprint: fingerprint,
                    diagnostics: &found),
                !found.hasErrors, found.all == before.warnings,
                SiteResolver.frontMatterFingerprint(narrative)
                    == SiteResolver.frontMatterFingerprint(before.narrative)
            else { return nil }
            edited.append((path, narrative, found.all))
        }
        stages.lap("narratives read")

        var newCache = cache
        for (path, narrative, warnings) in edited {
            newCache.narratives[path] = LoadCache.NarrativeEntry(
                fingerprint: narrative.fingerprint, narrative: narrative, warnings: warnings)
        }

        // The edited cases alone, loaded and resolved as a full build would.
        let cases = Set(edited.map(\.narrative.recordID))
        var loader = ContentLoader(siteRoot: options.siteRoot, baseURLOverride: options.baseURL)
        loader.memory = StateMemory(
            cache: newCache, inputs: tree,
            saved: SavedBuild(
                snapshot: saved.snapshot, pages: saved.pages, files: saved.files, warnings: [], known: known,
                takenAt: saved.takenAt))
        loader.onlyCases = cases
        // The cases on one core, the last build's manifest on the other.
        let options = options
        let frozenLoader = loader
        let (loaded, opened) = both(
            { () -> (SiteContent?, TemplateLibrary?, Bool) in
                var diagnostics = Diagnostics()
                let content = frozenLoader.load(diagnostics: &diagnostics)
                let templates = TemplateLibrary.load(siteRoot: options.siteRoot, diagnostics: &diagnostics)
                return (content, templates, diagnostics.hasErrors)
            }, { try? OutputWriter(output: output, state: stateFolder, previous: .finished(saved)) })
        guard case (let content?, let templates?, false) = loaded, let writer = opened, !writer.verifies else {
            return nil
        }
        kept.keep((newCache, writer, content))
        let site = SiteResolver(includeDrafts: options.includeDrafts).resolve(content)
        guard site.cases.count == cases.count else { return nil }
        kept.keep(site)
        stages.lap("cases loaded, manifest read")

        let renderer = PageRenderer(site: site, templates: templates) { readNarrative($0, rootPath: rootPath) }
        let siteFingerprint = renderer.siteFingerprint()
        var pages:
            [(path: String, bytes: [UInt8], input: Fingerprint, file: String, entry: BuildManifest.NarrativeEntry)] =
                []
        for (path, narrative, _) in edited {
            guard let index = site.cases.firstIndex(where: { $0.id == narrative.recordID }),
                site.cases[index].narratives[narrative.language]?.fingerprint == narrative.fingerprint
            else { return nil }
            let job = PageJob.caseEntry(language: narrative.language, index: index)
            let (page, input) = renderer.pathAndFingerprint(of: job, site: siteFingerprint)
            let rendered = renderer.render(job)
            // Linking another file of the case folder publishes it: the full build copies it.
            guard writer.previousIndex(of: page) != nil,
                let previous = writer.previous.narratives[path], previous.linkedFiles == rendered.linkedFiles
            else { return nil }
            pages.append(
                (
                    page, rendered.file.bytes, input, path,
                    BuildManifest.NarrativeEntry(
                        fingerprint: narrative.fingerprint, linkedFiles: rendered.linkedFiles,
                        warnings: rendered.diagnostics)
                ))
        }
        stages.lap("pages rendered")

        // From here on the output changes: `begin` marks the state as in progress first.
        var report = BuildReport(diagnostics: [])
        let cacheBytes = newCache.serialized(prefix: stateFolder.prefix(.cache))
        do {
            try writer.begin()
            for page in pages { try writer.write(page.path, bytes: page.bytes, input: page.input) }
            writer.keepTheRest()
            var entries = writer.previous.narratives
            for page in pages { entries[page.file] = page.entry }
            writer.record(narratives: entries)
            kept.keep(entries)
            let summary = try writer.finish(cache: (cacheBytes, unchanged: cacheBytes == cache.bytes))
            report.count(summary)
        } catch {
            report.failure = error.description
            report.diagnostics = saved.warnings
            return report
        }
        stages.lap("written")
        let editedFiles = Set(edited.map(\.path))
        var warnings = Diagnostics()
        warnings.append(contentsOf: saved.warnings.filter { !editedFiles.contains($0.location.file) })
        for (_, _, found) in edited { warnings.append(contentsOf: found) }
        for page in pages { warnings.append(contentsOf: page.entry.warnings) }
        report.diagnostics = warnings.sorted
        report.pages = saved.pages
        report.rendered = pages.count
        report.renderedPaths = pages.map(\.path)
        report.narrativeEditsOnly = true

        var state = SavedBuild(after: report, inputs: inputs, options: options)
        for (path, file) in known where tree.files[path] != nil { state.known[path] = file }
        do throws(OutputWriter.WriteError) {
            try state.write(to: stateFolder)
        } catch {
            report.failure = error.description
        }
        kept.keep((known, state))
        return report
    }
}

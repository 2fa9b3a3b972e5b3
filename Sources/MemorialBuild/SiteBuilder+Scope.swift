import Foundation
import MemorialContent
import MemorialCore

/// What one build reads, renders and writes: the whole site, or the case pages of narratives
/// whose text alone changed since the last successful build (what each stage then takes, and
/// when the narrow scope gives way: ARCHITECTURE.md, "The pipeline").
///
/// Editing a few narratives' text is the most common change to an archive, and it changes one
/// page per narrative; reading everything would spend seconds at 100,000 records (parsing every
/// record, resolving the indexes, fingerprinting 300,000 pages) on work whose result the last
/// build has. A page's fingerprint has its own narrative's text and only the others' front
/// matter (`SiteResolver.fingerprint`), so no other page can differ from the whole scope's: the
/// random-edit test (`IncrementalBuildTests`) compares both byte for byte.
enum BuildScope: Equatable, Sendable {
    case everything
    /// The narratives (paths, sorted) whose status the last build cannot vouch for.
    case narratives([String])

    /// More edited narratives than this are rebuilt in the whole scope (it reads in parallel).
    static let narrativeLimit = 64

    /// The narrow scope when the inputs differ from the last successful build's only in the
    /// statuses of narratives that build knew, at most `narrativeLimit` of them; else everything.
    static func of(_ inputs: InputSnapshot, saved: SavedBuild?, options: BuildOptions) -> BuildScope {
        guard let saved, let tree = inputs.tree,
            saved.snapshot.withoutNarratives == inputs.withOutput(of: options).withoutNarratives
        else { return .everything }
        var touched: [String] = []
        for (path, status) in tree.files where InputSnapshot.isNarrativePath(path) {
            guard saved.fingerprint(of: path, now: status) == nil else { continue }
            guard saved.known[path] != nil else { return .everything }
            touched.append(path)
            if touched.count > narrativeLimit { return .everything }
        }
        return touched.isEmpty ? .everything : .narratives(touched.sorted())
    }

    /// The narrow scope's narratives, read and parsed before anything else is loaded.
    struct Edits: Sendable {
        /// The load cache with the edited narratives' entries replaced.
        var cache: LoadCache
        /// The saved state with the edited narratives' statuses and fingerprints.
        var saved: SavedBuild
        /// The cases whose narratives changed.
        var cases: Set<String>
        /// The changed narratives.
        var narratives: [Narrative]
        /// The fingerprints of every narrative read (saved again unchanged too).
        var read: [String: Fingerprint]
    }

    /// Reads the narrow scope's narratives. Nil when the whole scope must run: a narrative that
    /// cannot be read, was not published, now has errors, other warnings or other front matter
    /// (its title, summary, status and files show on other pages).
    static func edits(
        _ paths: [String], cache: LoadCache, saved: SavedBuild, tree: InputTree, rootPath: String
    ) -> Edits? {
        var edits = Edits(cache: cache, saved: saved, cases: [], narratives: [], read: [:])
        for path in paths {
            guard let bytes = SourceText.readBytes(atPath: rootPath + path), let status = tree.files[path] else {
                return nil
            }
            let fingerprint = Fingerprint.of(bytes)
            edits.saved.known[path] = SavedBuild.KnownFile(status: status, fingerprint: fingerprint)
            edits.read[path] = fingerprint
            if fingerprint == saved.known[path]?.fingerprint { continue }
            // Only a published narrative is in the cache; another one's edit may publish it.
            guard let before = cache.narratives[path], let text = SourceText.decode(bytes) else { return nil }
            let parts = path.split(separator: "/")
            let folder = String(parts[2])
            let entries = tree.folders["content/cases/" + folder] ?? []
            let files = Set(entries.filter { !$0.isFolder && !$0.name.hasSuffix(".md") }.map(\.name))
            var found = Diagnostics()
            guard
                let narrative = NarrativeParser().parseNarrative(
                    text, recordID: folder, language: String(parts[3].dropLast(3)), file: path,
                    folderFiles: files, fingerprint: fingerprint,
                    diagnostics: &found),
                !found.hasErrors, found.all == before.warnings,
                SiteResolver.frontMatterFingerprint(narrative)
                    == SiteResolver.frontMatterFingerprint(before.narrative)
            else { return nil }
            edits.cache.narratives[path] = LoadCache.NarrativeEntry(
                fingerprint: fingerprint, narrative: narrative, warnings: found.all)
            edits.cases.insert(folder)
            edits.narratives.append(narrative)
        }
        return edits
    }
}

import Foundation
import MemorialContent
import MemorialCore

extension SiteBuilder {
    /// The derivatives of the site's published documents, found in or made into the state
    /// folder before any page is rendered (pages show their sizes); nil when the site has none.
    static func documentImages(
        _ site: Site, options: BuildOptions, inputs: InputSnapshot, saved: SavedBuild?, wholeSite: Bool,
        diagnostics: inout Diagnostics, read: inout [String: Fingerprint]
    ) -> DocumentImages? {
        let stateFolder = options.stateFolder.standardizedFileURL
        guard site.cases.contains(where: { !$0.documents.isEmpty }) else {
            // The last document gone: its images go too (the folder exists only if some were made).
            if wholeSite, FileManager.default.fileExists(atPath: stateFolder.appending(path: "images").path) {
                DocumentImages(stateFolder: stateFolder).removeUnused()
            }
            return nil
        }
        return DocumentImages.make(
            site: site, siteRoot: options.siteRoot, stateFolder: stateFolder,
            known: { saved?.fingerprint(of: $0, now: inputs.tree?.files[$0]) }, progress: options.progress,
            prune: wholeSite, diagnostics: &diagnostics, read: &read)
    }
}

import Foundation
import MemorialContent
import MemorialCore

extension SiteBuilder {
    /// The derivatives of the site's published documents, found in or made into the state
    /// folder before any page is rendered (pages show their sizes); nil when the site has none.
    static func documentImages(
        _ site: Site, options: BuildOptions, inputs: InputSnapshot, saved: SavedBuild?,
        diagnostics: inout Diagnostics, read: inout [String: Fingerprint]
    ) -> DocumentImages? {
        guard site.cases.contains(where: { !$0.documents.isEmpty }) else { return nil }
        return DocumentImages.make(
            site: site, siteRoot: options.siteRoot, stateFolder: options.stateFolder.standardizedFileURL,
            known: { saved?.fingerprint(of: $0, now: inputs.tree?.files[$0]) }, progress: options.progress,
            diagnostics: &diagnostics, read: &read)
    }
}

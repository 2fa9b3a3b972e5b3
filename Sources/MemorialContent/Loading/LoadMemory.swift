import MemorialCore

/// What an earlier build knew, offered to the loader by the build, so that a rebuild neither
/// lists folders the walk before it listed nor parses narratives it parsed before. Loading
/// keeps no state of its own and knows nothing of where the build keeps it.
package protocol LoadMemory: Sendable {
    /// The folder's visible entries (as `DirectoryListing` gives them), when already listed.
    func entries(of folder: String) -> [(name: String, isFolder: Bool)]?
    /// The entries under `content/` that the walk which listed the folders refused (links,
    /// FIFOs: `DirectoryListing`), by path, with what is wrong with each.
    func refusedEntries() -> [String: String]?
    /// The narrative at `path` as an earlier build parsed it, with its warnings, if the file is
    /// unchanged since: told by its status when `fingerprint` is nil, else by the fingerprint
    /// of its bytes. Nil also when a file its front matter names is no longer in `folderFiles`.
    func narrative(
        at path: String, fingerprint: Fingerprint?, folderFiles: Set<String>
    ) -> (narrative: Narrative, warnings: [Diagnostic])?
}

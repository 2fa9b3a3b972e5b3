import MemorialCore

/// Everything read from a site's `content/`, parsed and validated, before resolving.
package struct SiteContent: Sendable {
    package var config: SiteConfig
    package var vocabularies: [String: Vocabulary]
    /// Overrides of the interface strings per language (`content/i18n/<lang>.yml`).
    package var strings: [String: [String: String]]
    /// Every record, restricted ones included.
    package var records: [Record]
    /// Every narrative, drafts and restricted ones included.
    package var narratives: [Narrative]
    /// The files other than narratives in each case folder (portraits, scans), by record id.
    package var caseFiles: [String: Set<String>]
    package var pages: [FreePage]
    /// What parsing each narrative (by path) reported, for the load cache.
    package var narrativeWarnings: [String: [Diagnostic]] = [:]
    /// Each case folder's `documents.yml` (restricted documents included), by record id.
    package var documents: [String: [CaseDocument]] = [:]
}

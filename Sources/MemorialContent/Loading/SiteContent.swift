import MemorialCore

/// Everything read from a site's `content/`, parsed and validated, before resolving.
public struct SiteContent: Sendable {
    public var config: SiteConfig
    public var vocabularies: [String: Vocabulary]
    /// Overrides of the interface strings per language (`content/i18n/<lang>.yml`).
    public var strings: [String: [String: String]]
    /// Every record, restricted ones included.
    public var records: [Record]
    /// Every narrative, drafts and restricted ones included.
    public var narratives: [Narrative]
    /// The files other than narratives in each case folder (portraits, scans), by record id.
    public var caseFiles: [String: Set<String>]
    public var pages: [FreePage]
    /// What parsing each narrative (by path) reported, for the load cache.
    package var narrativeWarnings: [String: [Diagnostic]] = [:]
    /// Each case folder's `documents.yml` (restricted documents included), by record id.
    public var documents: [String: [CaseDocument]] = [:]
}

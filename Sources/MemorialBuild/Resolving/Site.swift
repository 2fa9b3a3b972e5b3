import MemorialCore

/// One published person: the record and the narratives that may be shown.
struct Case: Sendable {
    var record: Record
    /// Publishable narratives by language.
    var narratives: [String: Narrative]

    var id: String { record.id }
}

/// The resolved site: only what may be published, with indexes and translations worked out,
/// ready to render. Nothing restricted or (without `--drafts`) draft is in it.
struct Site: Sendable {
    var config: SiteConfig
    var vocabularies: [String: Vocabulary]
    /// Interface strings per site language: built-in, then the site's overrides.
    var strings: [String: [String: String]]
    /// Published cases, ordered by id.
    var cases: [Case]
    /// Case positions in `cases` in each language's alphabetical order of names.
    var alphabetical: [String: [Int]]
    /// Case positions per people code and per year, each in `cases` order.
    var peoples: [String: [Int]]
    var years: [Int: [Int]]
    /// Publishable free pages by slug and language.
    var pages: [String: [String: FreePage]]
    /// Media files to publish: (source path relative to the site root, output path).
    var media: [(source: String, destination: String)]

    var languages: [String] { config.languages }
}

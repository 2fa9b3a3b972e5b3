/// Where a document is kept in the archive: fond, inventory (opis), file (delo) and sheets.
public struct ArchivalReference: Sendable, Hashable {
    public var fond: String?
    public var inventory: String?
    public var file: String?
    public var sheets: String?
}

/// One document of a case (a scan of the file, a photograph), described once for every
/// language in `content/cases/<id>/documents.yml`.
public struct CaseDocument: Sendable, Hashable {
    /// The file's name in the case folder.
    public var file: String
    /// A code of the `document-kinds` vocabulary.
    public var kind: String?
    public var date: PartialDate?
    public var reference = ArchivalReference()
    public var caption = LocalizedText()
    /// `published` or `restricted` (a document may be restricted while its case is published).
    public var status = PublicationStatus.published
    /// Whether visitors may download the full-size pages.
    public var download = false
    /// Whether this is the case's portrait.
    public var portrait = false
    public var location: SourceLocation

    public init(file: String, location: SourceLocation) {
        self.file = file
        self.location = location
    }

    /// Everything a page shows of the document (not where it was described).
    public func combine(into fingerprint: inout Fingerprint) {
        fingerprint.combine(file)
        fingerprint.combine(kind ?? "\u{0}")
        fingerprint.combine(date?.description ?? "\u{0}")
        for part in [reference.fond, reference.inventory, reference.file, reference.sheets] {
            fingerprint.combine(part ?? "\u{0}")
        }
        fingerprint.combine(caption.common ?? "\u{0}")
        for (language, text) in caption.byLanguage.sorted(by: { $0.key < $1.key }) {
            fingerprint.combine(language)
            fingerprint.combine(text)
        }
        fingerprint.combine(download ? 1 : 0)
        fingerprint.combine(portrait ? 1 : 0)
    }
}

extension Sequence<CaseDocument> {
    /// The files these documents describe that are not published (restricted or draft): a
    /// narrative's link to one is left out of its page.
    public var withheldFiles: Set<String> { Set(filter { $0.status != .published }.map(\.file)) }
}

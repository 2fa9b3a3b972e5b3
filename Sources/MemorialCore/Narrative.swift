/// Whether a narrative or page may be published.
public enum PublicationStatus: String, Sendable, CaseIterable {
    case published
    case draft
    case restricted
}

/// A scan shown on a case page.
public struct Document: Sendable, Hashable {
    public var file: String
    public var caption: String?
    public var location: SourceLocation

    public init(file: String, caption: String?, location: SourceLocation) {
        self.file = file
        self.caption = caption
        self.location = location
    }
}

/// A curator's text for one record in one language (`cases/<id>/<lang>.md`): its front matter
/// and where its body starts. The body is read and rendered only when its page is, so that
/// memory holds no page text however large the archive.
public struct Narrative: Sendable {
    public var recordID: String
    public var language: String
    public var location: SourceLocation
    public var title: String?
    public var summary: String?
    public var portrait: String?
    public var portraitLocation: SourceLocation?
    public var documents: [Document]
    public var status: PublicationStatus
    /// The last change that matters to readers (`updated`), for feeds, citations and sitemaps.
    public var updated: PartialDate?
    /// Lines of the file before the Markdown body (the front matter).
    public var bodyLineOffset: Int
    /// Of the whole file: a narrative whose fingerprint is unchanged renders the same.
    public var fingerprint: Fingerprint

    public init(
        recordID: String, language: String, location: SourceLocation, title: String? = nil,
        summary: String? = nil, portrait: String? = nil, portraitLocation: SourceLocation? = nil,
        documents: [Document] = [], status: PublicationStatus = .published, bodyLineOffset: Int = 0,
        fingerprint: Fingerprint = Fingerprint()
    ) {
        self.recordID = recordID
        self.language = language
        self.location = location
        self.title = title
        self.summary = summary
        self.portrait = portrait
        self.portraitLocation = portraitLocation
        self.documents = documents
        self.status = status
        self.bodyLineOffset = bodyLineOffset
        self.fingerprint = fingerprint
    }
}

/// A free page (`pages/<slug>/<lang>.md`), already rendered.
public struct FreePage: Sendable {
    public var slug: String
    public var language: String
    public var location: SourceLocation
    public var title: String
    public var summary: String?
    public var status: PublicationStatus
    /// The last change that matters to readers (`updated`).
    public var updated: PartialDate?
    public var html: String

    public init(
        slug: String, language: String, location: SourceLocation, title: String,
        summary: String? = nil, status: PublicationStatus = .published, html: String
    ) {
        self.slug = slug
        self.language = language
        self.location = location
        self.title = title
        self.summary = summary
        self.status = status
        self.html = html
    }
}

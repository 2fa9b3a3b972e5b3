/// `content/site.yml`.
public struct SiteConfig: Sendable {
    /// Absolute, ending in `/`.
    public var baseURL: String
    /// Site languages; the first is the default.
    public var languages: [String]
    public var title: LocalizedText
    public var description: LocalizedText
    public var notice: LocalizedText
    /// Sentence codes counted as "shot" in the statistics (`shot_sentences`, by default
    /// `execution`).
    public var shotSentences: Set<String>
    /// Where site.yml names each of `shotSentences` (empty for the default), to check them
    /// against the sentences vocabulary once it is read.
    public var shotSentenceLocations: [String: SourceLocation] = [:]
    /// The archive that holds the case files (`archive`), named in citations and structured data.
    public var archive = LocalizedText()
    /// Who publishes the exhibition (`publisher`), named in citations; the title when empty.
    public var publisher = LocalizedText()
    /// Where visitors send corrections and information about relatives (`contact`, an e-mail address).
    public var contact: String?
    /// The licence of the open dataset (`license`).
    public var license: DataLicense?
    /// Pages ask search engines not to index them and robots.txt disallows everything
    /// (`robots: noindex`, or `memorial build --noindex`), for staging copies.
    public var noindex = false

    public init(
        baseURL: String, languages: [String], title: LocalizedText,
        description: LocalizedText = LocalizedText(), notice: LocalizedText = LocalizedText(),
        shotSentences: Set<String> = SiteConfig.defaultShotSentences
    ) {
        self.baseURL = baseURL
        self.languages = languages
        self.title = title
        self.description = description
        self.notice = notice
        self.shotSentences = shotSentences
    }

    public static let defaultShotSentences: Set<String> = ["execution"]

    public var defaultLanguage: String { languages.first ?? "en" }

    /// The path part of the base URL, e.g. `/exhibition/` for `https://example.org/exhibition/`.
    public var rootPath: String {
        guard let schemeEnd = baseURL.firstRange(of: "://") else { return "/" }
        let afterHost = baseURL[schemeEnd.upperBound...]
        guard let slash = afterHost.firstIndex(of: "/") else { return "/" }
        let path = String(afterHost[slash...])
        return path.hasSuffix("/") ? path : path + "/"
    }
}

/// The licence a site publishes its open dataset under (site.yml `license`).
public struct DataLicense: Sendable, Hashable {
    /// An SPDX or Open Definition identifier, e.g. `CC-BY-4.0`.
    public var name: String
    /// The licence's text on the web.
    public var url: String
    /// Its full title, per language.
    public var title: LocalizedText

    public init(name: String, url: String, title: LocalizedText = LocalizedText()) {
        self.name = name
        self.url = url
        self.title = title
    }
}

/// `content/vocabularies/<name>.yml`: code → label per language.
public struct Vocabulary: Sendable {
    public var name: String
    public var labels: [String: LocalizedText]
    /// Codes in the file's order.
    public var codes: [String]
    /// Where each code is defined (for `check` to point at a label that lacks a language).
    public var locations: [String: SourceLocation] = [:]
    /// False when its file is not valid YAML (an error said so): no code is checked against
    /// it, so that every record does not repeat that one error.
    public var wasRead = true

    public init(name: String, labels: [String: LocalizedText] = [:], codes: [String] = []) {
        self.name = name
        self.labels = labels
        self.codes = codes
    }
}

import MemorialCore

/// One published person: the record and the narratives that may be shown.
///
/// A class, and immutable: pages and lists read cases by position from `Site.cases`, and a
/// struct this size (a record's dozen strings, arrays and dictionaries) was copied, each part
/// retained and released, on every read (5 % of a 100,000-record build's time).
package final class Case: Sendable {
    package let record: Record
    /// Publishable narratives by language.
    package let narratives: [String: Narrative]
    /// The files of the case folder other than narratives and described documents, which a
    /// narrative may link to and which are then published as they are.
    package let files: Set<String>
    /// The published documents of `documents.yml`, in its order.
    package let documents: [CaseDocument]
    /// The files `documents.yml` describes that are not published (restricted or draft): a
    /// narrative's link to one is left out of its page, its text kept.
    package let withheldFiles: Set<String>
    /// Of everything the case's own pages are made from: record, narratives, folder files.
    package let fingerprint: Fingerprint

    package var id: String { record.id }

    init(
        record: Record, narratives: [String: Narrative], files: Set<String>, documents: [CaseDocument] = [],
        withheldFiles: Set<String> = [], fingerprint: Fingerprint
    ) {
        self.record = record
        self.narratives = narratives
        self.files = files
        self.documents = documents
        self.withheldFiles = withheldFiles
        self.fingerprint = fingerprint
    }
}

/// The resolved site: only what may be published, with indexes and translations worked out,
/// ready to render. Nothing restricted or (without `--drafts`) draft is in it.
package struct Site: Sendable {
    package var config: SiteConfig
    package var vocabularies: [String: Vocabulary]
    /// Interface strings per site language: built-in, then the site's overrides.
    package var strings: [String: [String: String]]
    /// Published cases, ordered by id.
    package var cases: [Case]
    /// Case positions in `cases` in each language's alphabetical order of names.
    package var alphabetical: [String: [Int]]
    /// Case positions per people code and per year, each in `cases` order.
    package var peoples: [String: [Int]]
    package var years: [Int: [Int]]
    /// The same groups per language, ordered for their pages: a people's cases by year, then
    /// by name; a year's cases by people (in that language's order of labels), then by name.
    package var orderedPeoples: [String: [String: [Int]]]
    package var orderedYears: [String: [Int: [Int]]]
    /// Per language, its alphabet's letters in order, each with the cases whose name (in that
    /// language) starts with it, by name; last, if any, names that start with no letter of it.
    package var letters: [String: [NameLetter]]
    /// Per language, the facets of each group page: a people's years, a year's peoples, as
    /// runs of its ordered members.
    package var peopleFacets: [String: [String: [FacetRun]]]
    /// Per language, each people code's place in the order of their labels.
    package var peopleRanks: [String: [String: Int]]
    package var yearFacets: [String: [Int: [FacetRun]]]
    /// Publishable free pages by slug and language.
    package var pages: [String: [String: FreePage]]

    package var languages: [String] { config.languages }
}

/// A run of a group's ordered members that share a year (on a people's page) or a people (on
/// a year's page); `nil` when the record gives none.
package struct FacetRun: Sendable, Equatable {
    package var year: Int?
    package var people: String?
    package var start: Int
    package var count: Int

    /// The anchor of its heading on the page.
    package var id: String {
        if let year { return "y\(year)" }
        if let people { return "p-" + Self.anchorSafe(people) }
        return "unknown"
    }

    /// A code as an id and URL fragment: letters, digits, `-` and `_` as they are, anything
    /// else (a code may hold spaces) as `_` and its hexadecimal scalar value.
    static func anchorSafe(_ code: String) -> String {
        var result = ""
        for scalar in code.unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "-" {
                result.unicodeScalars.append(scalar)
            } else {
                result += "_" + String(scalar.value, radix: 16) + "_"
            }
        }
        return result
    }
}

/// One letter of a language's alphabetical index of names.
package struct NameLetter: Sendable {
    /// Lowercase; nil for the names that start with no letter of the alphabet.
    package var letter: Character?
    package var members: [Int]

    package init(letter: Character?, members: [Int]) {
        self.letter = letter
        self.members = members
    }

    /// The letter's folder below `names/`.
    package var slug: String { letter.map { String($0) } ?? "other" }
}

/// A file of a case folder that is published, at `media/<id>/<file>`.
package struct MediaFile: Hashable, Sendable, Comparable {
    package var id: String
    package var file: String

    package init(id: String, file: String) {
        self.id = id
        self.file = file
    }

    /// Relative to the site root.
    package var source: String { "content/cases/\(id)/\(file)" }
    /// Relative to the output folder.
    package var destination: String { "media/\(id)/\(file)" }

    package static func < (lhs: MediaFile, rhs: MediaFile) -> Bool { (lhs.id, lhs.file) < (rhs.id, rhs.file) }
}

import MemorialContent
import MemorialCore
import MemorialTemplates

// A page is made of the site-wide inputs (`siteFingerprint`), its address (the job, whose
// path is in its fingerprint) and its own inputs, which `source(of:)` states once per page
// kind. The page's builder receives those inputs and reads the page's cases and counts from
// them alone (from `site`, only site-wide values); its fingerprint combines every part of
// them (`PageInputs2.combine` and the like, written once for any parts). A part added to a
// page kind's inputs is therefore in its fingerprint without being listed a second time.

/// One part of what a page is made of: it hands the page's builder what the page shows and
/// puts the same into the page's fingerprint.
protocol PageInput {
    func combine(into fingerprint: inout Fingerprint)
}

/// What one page is made of beyond the site-wide inputs and its address: its parts, in order,
/// each fingerprinted by `combine`. More parts are held by nesting (`PageInputs2(PageInputs2(a,
/// b), c)`), which combines them in the same order with nothing in between (variadic generics
/// were not specialized: they asked the runtime for type metadata on every page).
struct PageInputs2<A: PageInput, B: PageInput>: PageInput {
    let parts: (A, B)

    init(_ a: A, _ b: B) { parts = (a, b) }

    func combine(into fingerprint: inout Fingerprint) {
        let (a, b) = parts
        a.combine(into: &fingerprint)
        b.combine(into: &fingerprint)
    }
}

extension Int: PageInput {
    func combine(into fingerprint: inout Fingerprint) { fingerprint.combine(self) }
}

extension String: PageInput {
    func combine(into fingerprint: inout Fingerprint) { fingerprint.combine(self) }
}

extension Fingerprint: PageInput {
    func combine(into fingerprint: inout Fingerprint) { fingerprint.combine(self) }
}

extension Optional: PageInput where Wrapped: PageInput {
    func combine(into fingerprint: inout Fingerprint) {
        switch self {
        case .none: fingerprint.combine(0)
        case .some(let value):
            fingerprint.combine(1)
            value.combine(into: &fingerprint)
        }
    }
}

extension Array: PageInput where Element: PageInput {
    func combine(into fingerprint: inout Fingerprint) {
        fingerprint.combine(count)
        for element in self { element.combine(into: &fingerprint) }
    }
}

/// A run of a facet: its heading, anchor and link are made from its year or people, start and
/// size.
extension FacetRun: PageInput {
    func combine(into fingerprint: inout Fingerprint) {
        fingerprint.combine(year ?? Int.min)
        fingerprint.combine(people ?? "\u{0}")
        fingerprint.combine(start)
        fingerprint.combine(count)
    }
}

/// A letter of the names index as the index shows it: the letter (its label and folder) and
/// how many names start with it.
extension NameLetter: PageInput {
    func combine(into fingerprint: inout Fingerprint) {
        fingerprint.combine(letter.map { String($0) } ?? "\u{0}")
        fingerprint.combine(members.count)
    }
}

/// A case as its page in one language shows it: the case, whose fingerprint holds its record,
/// its folder's files and its narratives' front matter (`SiteResolver`), and the narrative in
/// the page's language, text and all. (One part, not two: the case is held once per page.)
struct ShownCase: PageInput {
    let item: Case
    private let language: String

    /// The fingerprint of the case's documents' images (`DocumentImages`), when it has any.
    private let documents: Fingerprint?

    init(_ item: Case, _ language: String, images: DocumentImages? = nil) {
        self.item = item
        self.language = language
        documents = item.documents.isEmpty ? nil : images?.fingerprint(of: item.id) ?? Fingerprint()
    }

    var narrative: Narrative? { item.narratives[language] }

    func combine(into fingerprint: inout Fingerprint) {
        fingerprint.combine(item.fingerprint)
        fingerprint.combine(item.narratives[language]?.fingerprint ?? Fingerprint())
        if let documents { fingerprint.combine(documents) }
    }
}

/// One page of a list of cases: how many the whole list has, and this page's cases.
struct ListedCases: PageInput {
    /// The size of the whole list.
    let total: Int
    /// This page's part of the list: positions in `site.cases`, indexed by place in the list.
    let positions: ArraySlice<Int>
    private let cases: [Case]
    private let fingerprints: [Fingerprint]

    init(total: Int, positions: ArraySlice<Int>, from common: PageRenderer.CommonInputs) {
        self.total = total
        self.positions = positions
        cases = common.cases
        fingerprints = common.caseFingerprints
    }

    /// The case at a position of `positions`.
    subscript(position: Int) -> Case { cases[position] }

    func combine(into fingerprint: inout Fingerprint) {
        fingerprint.combine(total)
        for position in positions { fingerprint.combine(fingerprints[position]) }
    }
}

/// A row of the peoples or years index: a group's code or year, its size and how many of it
/// were shot.
struct GroupCount<Key: PageInput & Sendable>: PageInput, Sendable {
    let key: Key
    var count: Int
    var shot: Int

    func combine(into fingerprint: inout Fingerprint) {
        key.combine(into: &fingerprint)
        fingerprint.combine(count)
        fingerprint.combine(shot)
    }
}

/// The search page's data: `SearchIndex.inputFingerprint`, and the configuration made from
/// it (known only once the index is made, after every other page is fingerprinted).
struct SearchData: PageInput {
    let input: Fingerprint
    let config: String?

    func combine(into fingerprint: inout Fingerprint) { fingerprint.combine(input) }
}

/// The home page's inputs: cases and narrated cases, peoples and years, and the featured cases.
typealias HomeInputs = PageInputs2<PageInputs2<PageInputs2<Int, Int>, PageInputs2<Int, Int>>, ListedCases>
/// A people or year index's inputs: the groups and all cases, and those shot and the cases
/// without a people (a year).
typealias GroupsInputs<Key: PageInput & Sendable> = PageInputs2<
    PageInputs2<[GroupCount<Key>], Int>, PageInputs2<Int, GroupCount<Int>>
>
/// One people's or year's page: the page's cases and the group's facets (a people's years, a
/// year's peoples).
typealias FacetedInputs = PageInputs2<ListedCases, [FacetRun]?>

/// A page with what it is made of: the address of its job, and its inputs.
enum PageSource {
    case chooser
    case notFound
    case home(language: String, HomeInputs)
    case caseEntry(language: String, ShownCase)
    case peoples(language: String, GroupsInputs<String>)
    case years(language: String, GroupsInputs<Int>)
    case people(language: String, code: String, page: Int, FacetedInputs)
    case year(language: String, year: Int, page: Int, FacetedInputs)
    /// All cases, and every letter of the language's alphabet.
    case names(language: String, PageInputs2<Int, [NameLetter]>)
    /// The letter and the page's cases.
    case nameLetter(language: String, page: Int, PageInputs2<NameLetter, ListedCases>)
    /// The search data, and the script's address.
    case search(language: String, PageInputs2<SearchData, String>)
    case freePage(language: String, slug: String)
    /// The case (as its page shows it) and its documents' images.
    case document(language: String, document: Int, PageInputs2<ShownCase, Fingerprint>)
    /// The dataset's page: site-wide inputs only (languages, strings, licence).
    case data(language: String)

    /// Every input of the page but the site-wide ones and its address.
    func combine(into fingerprint: inout Fingerprint) {
        switch self {
        case .chooser, .notFound, .freePage, .data: break
        case .home(_, let inputs): inputs.combine(into: &fingerprint)
        case .caseEntry(_, let inputs): inputs.combine(into: &fingerprint)
        case .peoples(_, let inputs): inputs.combine(into: &fingerprint)
        case .years(_, let inputs): inputs.combine(into: &fingerprint)
        case .people(_, _, _, let inputs): inputs.combine(into: &fingerprint)
        case .year(_, _, _, let inputs): inputs.combine(into: &fingerprint)
        case .names(_, let inputs): inputs.combine(into: &fingerprint)
        case .nameLetter(_, _, let inputs): inputs.combine(into: &fingerprint)
        case .search(_, let inputs): inputs.combine(into: &fingerprint)
        case .document(_, _, let inputs): inputs.combine(into: &fingerprint)
        }
    }
}

extension PageRenderer {
    /// What each kind of page is made of, stated once: `render(_:)` builds the page from it
    /// and `pathAndFingerprint(of:site:)` fingerprints it. Chooser, 404 and free pages are made
    /// of site-wide inputs only.
    func source(of job: PageJob) -> PageSource {
        switch job {
        case .chooser: return .chooser
        case .notFound: return .notFound
        case .home(let language):
            let featured = featured(language)
            return .home(
                language: language,
                PageInputs2(
                    PageInputs2(
                        PageInputs2(site.cases.count, common.narrated),
                        PageInputs2(site.peoples.count, site.years.count)),
                    ListedCases(total: featured.count, positions: featured[...], from: common)))
        case .caseEntry(let language, let index):
            let item = site.cases[index]
            return .caseEntry(language: language, ShownCase(item, language, images: images))
        case .peoples(let language):
            return .peoples(
                language: language,
                PageInputs2(
                    PageInputs2(common.peoples, site.cases.count), PageInputs2(common.shot, common.withoutPeople)))
        case .years(let language):
            return .years(
                language: language,
                PageInputs2(PageInputs2(common.years, site.cases.count), PageInputs2(common.shot, common.withoutYear)))
        case .people(let language, let code, let page):
            return .people(
                language: language, code: code, page: page,
                PageInputs2(
                    listed(site.orderedPeoples[language]?[code] ?? [], page: page),
                    site.peopleFacets[language]?[code]))
        case .year(let language, let year, let page):
            return .year(
                language: language, year: year, page: page,
                PageInputs2(
                    listed(site.orderedYears[language]?[year] ?? [], page: page), site.yearFacets[language]?[year]))
        case .names(let language):
            return .names(language: language, PageInputs2(site.cases.count, site.letters[language] ?? []))
        case .nameLetter(let language, let letter, let page):
            let entry = letterEntry(language, letter)
            return .nameLetter(
                language: language, page: page, PageInputs2(entry, listed(entry.members, page: page)))
        case .search(let language):
            return .search(
                language: language,
                PageInputs2(
                    SearchData(input: searchInput, config: searchConfigs[language]),
                    SearchIndex.scriptHref(templates: templates, urls: urls)))
        case .freePage(let language, let slug):
            return .freePage(language: language, slug: slug)
        case .document(let language, let index, let document):
            let item = site.cases[index]
            return .document(
                language: language, document: document,
                PageInputs2(ShownCase(item, language), images?.fingerprint(of: item.id) ?? Fingerprint()))
        case .data(let language):
            return .data(language: language)
        }
    }

    private func listed(_ members: [Int], page: Int) -> ListedCases {
        ListedCases(total: members.count, positions: Self.slice(members, page: page), from: common)
    }

    /// Everything every page depends on: templates and assets, site.yml, interface strings,
    /// vocabularies and the free pages (they are in every page's navigation). When it changes,
    /// every page is rendered again (and still written only when its bytes change).
    func siteFingerprint() -> Fingerprint {
        var fingerprint = Fingerprint()
        fingerprint.combine(templates.stylesheetVersion)
        let config = site.config
        fingerprint.combine(config.baseURL)
        fingerprint.combine(config.languages.joined(separator: ","))
        for text in [config.title, config.description, config.notice] {
            for language in config.languages {
                fingerprint.combine(text.resolved(in: language, fallback: config.languages)?.text ?? "")
            }
        }
        for language in config.languages {
            for (key, value) in (site.strings[language] ?? [:]).sorted(by: { $0.key < $1.key }) {
                fingerprint.combine(key)
                fingerprint.combine(value)
            }
        }
        for (name, vocabulary) in site.vocabularies.sorted(by: { $0.key < $1.key }) {
            fingerprint.combine(name)
            for code in vocabulary.codes {
                fingerprint.combine(code)
                for language in config.languages {
                    fingerprint.combine(vocabulary.labels[code]?.byLanguage[language] ?? "\u{0}")
                }
                fingerprint.combine(vocabulary.labels[code]?.common ?? "\u{0}")
            }
        }
        combineReuseSettings(into: &fingerprint)
        for (slug, versions) in site.pages.sorted(by: { $0.key < $1.key }) {
            fingerprint.combine(slug)
            for (language, page) in versions.sorted(by: { $0.key < $1.key }) {
                fingerprint.combine(language)
                fingerprint.combine(page.title)
                fingerprint.combine(page.summary ?? "")
                fingerprint.combine(page.html)
            }
        }
        return fingerprint
    }

    /// What the inputs of many pages share: counts over every case, worked out once per
    /// build rather than once per page.
    struct CommonInputs: Sendable {
        /// `site.cases`, and every case's fingerprint by position: a list page reads a hundred
        /// of them, which from an array of 16-byte values costs a fraction of reading each out
        /// of its case.
        var cases: [Case] = []
        var caseFingerprints: [Fingerprint] = []
        var narrated = 0
        /// How many cases the statistics count as shot.
        var shot = 0
        /// Per people code and per year, in order of code and year.
        var peoples: [GroupCount<String>] = []
        var years: [GroupCount<Int>] = []
        /// The cases without a people, and without a year (`key` 0).
        var withoutPeople = GroupCount(key: 0, count: 0, shot: 0)
        var withoutYear = GroupCount(key: 0, count: 0, shot: 0)
    }

    /// The one place that counts the cases shot: those with any `sentence` code in site.yml's
    /// `shot_sentences`.
    static func commonInputs(of site: Site) -> CommonInputs {
        let codes = site.config.shotSentences
        let shot = site.cases.map { $0.record.sentences.contains(where: codes.contains) }
        var common = CommonInputs()
        common.cases = site.cases
        common.caseFingerprints.reserveCapacity(site.cases.count)
        for (index, item) in site.cases.enumerated() {
            common.caseFingerprints.append(item.fingerprint)
            let isShot = shot[index] ? 1 : 0
            common.shot += isShot
            if !item.narratives.isEmpty { common.narrated += 1 }
            if item.record.people == nil {
                common.withoutPeople.count += 1
                common.withoutPeople.shot += isShot
            }
            if item.record.indexYear == nil {
                common.withoutYear.count += 1
                common.withoutYear.shot += isShot
            }
        }
        func shotCount(_ members: [Int]) -> Int { members.reduce(0) { $0 + (shot[$1] ? 1 : 0) } }
        common.peoples = site.peoples.sorted { $0.key < $1.key }.map {
            GroupCount(key: $0.key, count: $0.value.count, shot: shotCount($0.value))
        }
        common.years = site.years.sorted { $0.key < $1.key }.map {
            GroupCount(key: $0.key, count: $0.value.count, shot: shotCount($0.value))
        }
        return common
    }

    /// The page's output path and what it is made of, computed without rendering it: the
    /// site's fingerprint, the page's own address (its path), and its inputs (`source(of:)`).
    /// Two builds that give a page the same fingerprint give it the same bytes, so the second
    /// need not render it.
    func pathAndFingerprint(of job: PageJob, site siteFingerprint: Fingerprint) -> (path: String, input: Fingerprint) {
        let path = outputPath(of: job)
        var fingerprint = siteFingerprint
        fingerprint.combine(path)
        source(of: job).combine(into: &fingerprint)
        return (path, fingerprint)
    }

    /// The cases of one page of a paginated list.
    static func slice(_ members: [Int], page: Int) -> ArraySlice<Int> {
        members.dropFirst((page - 1) * pageSize).prefix(pageSize)
    }
}

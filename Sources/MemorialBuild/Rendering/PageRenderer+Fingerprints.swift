import MemorialCore

extension PageRenderer {
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

    /// What the fingerprints of the home, peoples and years pages share in every language:
    /// counts over every case, worked out once per build rather than once per page.
    struct SharedInputs: Sendable {
        var home: Fingerprint
        var peoples: Fingerprint
        var years: Fingerprint
        /// Every case's fingerprint, by position: a list page reads a hundred of them, which
        /// from an array of 16-byte values costs a fraction of reading each out of its case.
        var cases: [Fingerprint]
    }

    func sharedInputs() -> SharedInputs {
        var withoutPeople = 0
        var withoutYear = 0
        var narrated = 0
        var cases: [Fingerprint] = []
        cases.reserveCapacity(site.cases.count)
        for index in site.cases.indices {
            if site.cases[index].record.people == nil { withoutPeople += 1 }
            if site.cases[index].record.indexYear == nil { withoutYear += 1 }
            if !site.cases[index].narratives.isEmpty { narrated += 1 }
            cases.append(site.cases[index].fingerprint)
        }
        var statistics = Fingerprint()
        statistics.combine(shotCount(site.cases.indices))
        statistics.combine(withoutPeople)
        statistics.combine(withoutYear)
        var home = Fingerprint()
        home.combine(site.cases.count)
        home.combine(site.peoples.count)
        home.combine(site.years.count)
        home.combine(narrated)
        var peoples = Fingerprint()
        peoples.combine(site.cases.count)
        for (code, members) in site.peoples.sorted(by: { $0.key < $1.key }) {
            peoples.combine(code)
            peoples.combine(members.count)
            peoples.combine(shotCount(members))
        }
        peoples.combine(statistics)
        var years = Fingerprint()
        years.combine(site.cases.count)
        for (year, members) in site.years.sorted(by: { $0.key < $1.key }) {
            years.combine(year)
            years.combine(members.count)
            years.combine(shotCount(members))
        }
        years.combine(statistics)
        return SharedInputs(home: home, peoples: peoples, years: years, cases: cases)
    }

    /// What one page is made of, computed without rendering it: the site's fingerprint, the
    /// page's own address, and the fingerprints of the cases it shows. Two builds that give a
    /// page the same fingerprint give it the same bytes, so the second need not render it.
    func fingerprint(of job: PageJob, site siteFingerprint: Fingerprint) -> Fingerprint {
        pathAndFingerprint(of: job, site: siteFingerprint).input
    }

    /// The page's output path and its fingerprint (which includes the path: the page's address).
    /// - Parameter shared: `sharedInputs()`, when many pages are fingerprinted.
    func pathAndFingerprint(of job: PageJob, site siteFingerprint: Fingerprint, shared: SharedInputs? = nil) -> (
        path: String, input: Fingerprint
    ) {
        let path = outputPath(of: job)
        var fingerprint = siteFingerprint
        fingerprint.combine(path)
        func combineGroup(_ members: [Int], page: Int, into fingerprint: inout Fingerprint) {
            let cases = (shared ?? sharedInputs()).cases
            fingerprint.combine(members.count)
            for index in Self.slice(members, page: page) { fingerprint.combine(cases[index]) }
        }
        switch job {
        case .chooser, .notFound, .freePage:
            break
        case .home(let language):
            fingerprint.combine((shared ?? sharedInputs()).home)
            for index in featured(language) { fingerprint.combine(site.cases[index].fingerprint) }
        case .caseEntry(let language, let index):
            // The case's fingerprint has its narratives' front matter; this page alone shows
            // the text of one of them.
            fingerprint.combine(site.cases[index].fingerprint)
            fingerprint.combine(site.cases[index].narratives[language]?.fingerprint ?? Fingerprint())
        case .peoples:
            fingerprint.combine((shared ?? sharedInputs()).peoples)
        case .years:
            fingerprint.combine((shared ?? sharedInputs()).years)
        case .people(let language, let code, let page):
            combineGroup(site.orderedPeoples[language]?[code] ?? [], page: page, into: &fingerprint)
            combineFacets(site.peopleFacets[language]?[code] ?? [], into: &fingerprint)
        case .year(let language, let year, let page):
            combineGroup(site.orderedYears[language]?[year] ?? [], page: page, into: &fingerprint)
            combineFacets(site.yearFacets[language]?[year] ?? [], into: &fingerprint)
        case .names(let language):
            fingerprint.combine(site.cases.count)
            for entry in site.letters[language] ?? [] { fingerprint.combine(entry.members.count) }
        case .nameLetter(let language, let letter, let page):
            combineGroup(letterEntry(language, letter).members, page: page, into: &fingerprint)
        case .search(let language):
            fingerprint.combine(language)
            fingerprint.combine(searchInput)
            fingerprint.combine(SearchIndex.scriptHref(templates: templates, urls: urls))
        }
        return (path, fingerprint)
    }

    /// Each run's year or people (what its heading and anchor are made from) and size.
    private func combineFacets(_ runs: [FacetRun], into fingerprint: inout Fingerprint) {
        for run in runs {
            fingerprint.combine(run.year ?? Int.min)
            fingerprint.combine(run.people ?? "\u{0}")
            fingerprint.combine(run.count)
        }
    }

    /// The cases of one page of a paginated list.
    static func slice(_ members: [Int], page: Int) -> ArraySlice<Int> {
        members.dropFirst((page - 1) * pageSize).prefix(pageSize)
    }
}

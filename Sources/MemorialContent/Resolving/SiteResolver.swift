import Foundation
import MemorialCore

/// Keeps only what may be published and builds the indexes: restricted records and narratives,
/// and drafts unless asked for, are dropped here, so no later stage can leak them.
package struct SiteResolver {
    var includeDrafts: Bool

    package init(includeDrafts: Bool) { self.includeDrafts = includeDrafts }

    package func resolve(_ content: SiteContent) -> Site {
        resolve(content, cached: nil).site
    }

    /// - Parameter cached: the last build's alphabetical orders (see `AlphabeticalOrders`), used
    ///   when made from the same records.
    /// - Returns: also this build's orders under their key, when every case has a
    ///   `contentFingerprint` to make the key from.
    package func resolve(_ content: SiteContent, cached: AlphabeticalOrders?) -> (
        site: Site, orders: AlphabeticalOrders?
    ) {
        let config = content.config
        let languages = config.languages

        var narrativesByRecord: [String: [String: Narrative]] = [:]
        for narrative in content.narratives where isPublishable(narrative.status) {
            narrativesByRecord[narrative.recordID, default: [:]][narrative.language] = narrative
        }
        // Published records by id: the records files are usually in id order already.
        var published = content.records.indices.filter { content.records[$0].status == .published }
        if !zip(published, published.dropFirst()).allSatisfy({ content.records[$0].id < content.records[$1].id }) {
            published.sort { content.records[$0].id < content.records[$1].id }
        }
        var stages = StageClock(prefix: "resolve: ")
        defer { stages.report() }
        let byRecord = narrativesByRecord
        let cases = published.concurrentMap { position in
            let record = content.records[position]
            let narratives = byRecord[record.id] ?? [:]
            var files = content.caseFiles[record.id] ?? []
            let described = content.documents[record.id] ?? []
            // A described document is published only as its derivatives, and only when published.
            files.subtract(described.map(\.file))
            let documents = described.filter { $0.status == .published }
            let withheld = described.withheldFiles
            var fingerprint = Self.fingerprint(record, narratives, files, languages: languages)
            for document in documents { document.combine(into: &fingerprint) }
            // A narrative's link to a withheld file is left out of its page.
            for file in withheld.sorted() { fingerprint.combine("withheld:" + file) }
            return Case(
                record: record, narratives: narratives, files: files, documents: documents, withheldFiles: withheld,
                fingerprint: fingerprint)
        }

        stages.lap("cases")
        var peoples: [String: [Int]] = [:]
        var years: [Int: [Int]] = [:]
        for index in cases.indices {
            if let people = cases[index].record.people { peoples[people, default: []].append(index) }
            if let year = cases[index].record.indexYear { years[year, default: []].append(index) }
        }

        // Each language's orders on a core of its own, from the few facts they need gathered in
        // arrays: a Case is 300 bytes, and reading one at random for every comparison waited
        // on memory more than it compared.
        stages.lap("peoples, years")
        let facts = CaseFacts(cases)
        let key = Self.ordersKey(cases, languages: languages)
        let reused = key != nil && cached?.key == key ? cached : nil
        let resolved = languages.concurrentMap { language in
            let alphabet = NameCollator.alphabets[language] ?? NameCollator.alphabets["en"]!
            let sorted = reused?.sorted[language].flatMap { alphabetical in
                Self.isValid(alphabetical, count: cases.count, letters: alphabet.count)
                    ? (alphabetical.order.map(Int.init), alphabetical.initials.map { $0 < 0 ? nil : Int($0) }) : nil
            }
            return Self.orders(
                of: facts, in: language, languages: languages, peoples: content.vocabularies["peoples"], sorted: sorted)
        }
        stages.lap("orders")
        var made: AlphabeticalOrders?
        if let key {
            made = AlphabeticalOrders(key: key, sorted: [:])
            for (language, orders) in zip(languages, resolved) {
                made?.sorted[language] = .init(
                    order: orders.alphabetical.map { Int32($0) },
                    initials: orders.initials.map { Int16($0 ?? -1) })
            }
        }
        // One part of each language's orders, by language; a language listed twice keeps the
        // orders of its later place.
        func byLanguage<Value>(_ part: (LanguageOrders) -> Value) -> [String: Value] {
            Dictionary(zip(languages, resolved.map(part)), uniquingKeysWith: { $1 })
        }

        stages.lap("orders kept")
        var pages: [String: [String: FreePage]] = [:]
        for page in content.pages where isPublishable(page.status) {
            pages[page.slug, default: [:]][page.language] = page
        }

        var strings: [String: [String: String]] = [:]
        for language in languages {
            var merged = InterfaceStrings.builtIn[language] ?? InterfaceStrings.builtIn["en"] ?? [:]
            if InterfaceStrings.builtIn[language] == nil {
                // English texts stand in for a language without built-in strings, but its name
                // is not "English": show its code until content/i18n/<lang>.yml names it.
                merged["languageName"] = language
            }
            merged.merge(content.strings[language] ?? [:]) { _, override in override }
            strings[language] = merged
        }

        stages.lap("pages, strings")
        let site = Site(
            config: config, vocabularies: content.vocabularies, strings: strings, cases: cases,
            alphabetical: byLanguage(\.alphabetical), peoples: peoples, years: years,
            orderedPeoples: byLanguage(\.peoples), orderedYears: byLanguage(\.years), letters: byLanguage(\.letters),
            peopleFacets: byLanguage(\.peopleFacets), peopleRanks: byLanguage(\.peopleRanks),
            yearFacets: byLanguage(\.yearFacets), pages: pages)
        return (site, made)
    }

    /// Whether a cached order can be one of `count` cases: every position once, every initial
    /// a letter of the alphabet (a damaged cache must not crash or mislead the build).
    static func isValid(_ sorted: AlphabeticalOrders.Sorted, count: Int, letters: Int) -> Bool {
        guard sorted.order.count == count, sorted.initials.count == count else { return false }
        var seen = [Bool](repeating: false, count: count)
        for position in sorted.order {
            guard position >= 0, Int(position) < count, !seen[Int(position)] else { return false }
            seen[Int(position)] = true
        }
        return sorted.initials.allSatisfy { $0 >= -1 && Int($0) < letters }
    }

    /// Changed whenever `sorted` or `NameCollator` orders names otherwise than before, so that
    /// no build reuses orders an older memorial made (the collator's tables are in the key too).
    static let orderingVersion = "orders 1"

    /// Of everything the alphabetical orders are made from: the published records, each by the
    /// fingerprint of its row (id, names, people, dates), in id order, and the languages (a
    /// name's fallback). Nil when a record has no such fingerprint.
    static func ordersKey(_ cases: [Case], languages: [String]) -> Fingerprint? {
        var key = Fingerprint()
        key.combine(orderingVersion)
        key.combine(NameCollator.tablesFingerprint)
        key.combine(languages.joined(separator: ","))
        for index in cases.indices {
            guard let content = cases[index].record.contentFingerprint else { return nil }
            key.combine(content)
        }
        return key
    }

    /// One language's alphabetical order, letters and ordered groups with their facets.
    struct LanguageOrders: Sendable {
        var alphabetical: [Int]
        var initials: [Int?]
        var letters: [NameLetter]
        var peoples: [String: [Int]]
        var years: [Int: [Int]]
        var peopleFacets: [String: [FacetRun]]
        var peopleRanks: [String: Int]
        var yearFacets: [Int: [FacetRun]]
    }

    /// What the orders are made from, per case, in arrays of their own; people codes as
    /// numbers, so that grouping hashes no text.
    struct CaseFacts: Sendable {
        /// The cases themselves, for their names and ids (read in each language where sorted).
        var cases: [Case]
        /// The codes used, and each case's position in them (-1 for none).
        var peopleCodes: [String]
        var peoples: [Int]
        var years: [Int?]

        init(_ cases: [Case]) {
            self.cases = cases
            peoples = []
            years = []
            var codes: [String: Int] = [:]
            for index in cases.indices {
                years.append(cases[index].record.indexYear)
                if let people = cases[index].record.people {
                    if let known = codes[people] {
                        peoples.append(known)
                    } else {
                        peoples.append(codes.count)
                        codes[people] = codes.count
                    }
                } else {
                    peoples.append(-1)
                }
            }
            peopleCodes = Array(repeating: "", count: codes.count)
            for (code, number) in codes { peopleCodes[number] = code }
        }
    }

    /// The cases in a language's alphabetical order, and each case's initial (its letter's
    /// place in the alphabet, nil for none).
    /// - Parameter facts: of cases in id order (equal names are ordered by position).
    static func sorted(_ facts: CaseFacts, in language: String, languages: [String]) -> (order: [Int], initials: [Int?])
    {
        let collator = NameCollator(language: language)
        var keys = SortKeys()
        var initials: [Int?] = []
        initials.reserveCapacity(facts.cases.count)
        for item in facts.cases {
            let name = item.record.fields.resolved("name", in: language, fallback: languages)?.text
            let key = collator.sortKey(name ?? item.record.id)
            keys.append(key)
            initials.append(NameCollator.initial(of: key))
        }
        return (keys.sortedIndices(), initials)
    }

    /// - Parameter sorted: `sorted(facts, in: language)`, when known already.
    static func orders(
        of facts: CaseFacts, in language: String, languages: [String], peoples vocabulary: Vocabulary?,
        sorted known: (order: [Int], initials: [Int?])? = nil
    ) -> LanguageOrders {
        let (order, initials) = known ?? sorted(facts, in: language, languages: languages)

        let alphabet = NameCollator.alphabets[language] ?? NameCollator.alphabets["en"]!
        var byLetter = Array(repeating: [Int](), count: alphabet.count + 1)
        for index in order { byLetter[initials[index] ?? alphabet.count].append(index) }
        var letters = alphabet.enumerated().map { NameLetter(letter: $1, members: byLetter[$0]) }
        if let others = byLetter.last, !others.isEmpty {
            letters.append(NameLetter(letter: nil, members: others))
        }

        // Facets: a people's cases grouped by year, a year's by people, each group by name.
        let peopleRank = peopleRanks(
            vocabulary, codes: Set(facts.peopleCodes), language: language, languages: languages)
        let rankOfCode = facts.peopleCodes.map { peopleRank[$0] ?? Int.max }
        var peoplesInOrder = Array(repeating: [Int](), count: facts.peopleCodes.count)
        var yearsInOrder: [Int: [Int]] = [:]
        for index in order {
            if facts.peoples[index] >= 0 { peoplesInOrder[facts.peoples[index]].append(index) }
            if let year = facts.years[index] { yearsInOrder[year, default: []].append(index) }
        }
        for (code, members) in peoplesInOrder.enumerated() {
            peoplesInOrder[code] = stableSorted(members) { facts.years[$0] ?? Int.max }
        }
        for (year, members) in yearsInOrder {
            yearsInOrder[year] = stableSorted(members) { index in
                facts.peoples[index] >= 0 ? rankOfCode[facts.peoples[index]] : Int.max
            }
        }
        var peoples: [String: [Int]] = [:]
        for (code, members) in zip(facts.peopleCodes, peoplesInOrder) { peoples[code] = members }
        return LanguageOrders(
            alphabetical: order, initials: initials, letters: letters, peoples: peoples, years: yearsInOrder,
            peopleFacets: peoples.mapValues { members in
                runs(members.map { FacetRun(year: facts.years[$0], start: 0, count: 0) })
            },
            peopleRanks: peopleRank,
            yearFacets: yearsInOrder.mapValues { members in
                runs(
                    members.map {
                        FacetRun(
                            people: facts.peoples[$0] >= 0 ? facts.peopleCodes[facts.peoples[$0]] : nil, start: 0,
                            count: 0)
                    })
            })
    }

    /// People codes in the order of their labels in a language.
    static func peopleRanks(_ vocabulary: Vocabulary?, codes: Set<String>, language: String, languages: [String])
        -> [String: Int]
    {
        let collator = NameCollator(language: language)
        let keyed = codes.map { code in
            let label = vocabulary?.labels[code]?.resolved(in: language, fallback: languages)?.text ?? code
            return (code: code, key: collator.sortKey(label))
        }.sorted { $0.key == $1.key ? $0.code < $1.code : $0.key.lexicographicallyPrecedes($1.key) }
        var ranks: [String: Int] = [:]
        for (rank, entry) in keyed.enumerated() { ranks[entry.code] = rank }
        return ranks
    }

    /// Consecutive members with the same facet value, as runs.
    static func runs(_ facets: [FacetRun]) -> [FacetRun] {
        var runs: [FacetRun] = []
        for (position, facet) in facets.enumerated() {
            if let last = runs.last, last.year == facet.year, last.people == facet.people {
                runs[runs.count - 1].count += 1
            } else {
                runs.append(FacetRun(year: facet.year, people: facet.people, start: position, count: 1))
            }
        }
        return runs
    }

    /// Sorted by `key`, keeping the given order among equal keys. Keys are few (years,
    /// peoples), so members are dealt into one bucket per key: no comparisons at all.
    /// Keys are years and ranks, mostly a small range: then the buckets are an array (a
    /// dictionary hashed every member), with unknown (`Int.max`) last.
    static func stableSorted(_ members: [Int], by key: (Int) -> Int) -> [Int] {
        let keys = members.map(key)
        guard let first = keys.first, keys.contains(where: { $0 != first }) else { return members }
        let known = keys.filter { $0 != Int.max }
        if let low = known.min(), let high = known.max(), low >= 0, high - low < 4096 {
            // Counting: how many per key, where each key's run starts, then each member in place.
            var starts = [Int](repeating: 0, count: high - low + 3)
            for key in keys { starts[(key == Int.max ? high - low + 1 : key - low) + 1] += 1 }
            for index in starts.indices.dropFirst() { starts[index] += starts[index - 1] }
            var sorted = [Int](repeating: 0, count: members.count)
            for (member, key) in zip(members, keys) {
                let bucket = key == Int.max ? high - low + 1 : key - low
                sorted[starts[bucket]] = member
                starts[bucket] += 1
            }
            return sorted
        }
        var buckets: [Int: [Int]] = [:]
        for (member, key) in zip(members, keys) { buckets[key, default: []].append(member) }
        return buckets.keys.sorted().flatMap { buckets[$0]! }
    }

    static func fingerprint(
        _ record: Record, _ narratives: [String: Narrative], _ files: Set<String>, languages: [String]
    ) -> Fingerprint {
        var fingerprint = Fingerprint()
        if let content = record.contentFingerprint {
            fingerprint.combine(content)
        } else {
            for column in record.fields.bases.sorted() {
                let value = record.fields[column]!
                fingerprint.combine(column)
                fingerprint.combine(value.common ?? "\u{0}")
                for (language, text) in value.byLanguage.sorted(by: { $0.key < $1.key }) {
                    fingerprint.combine(language)
                    fingerprint.combine(text)
                }
            }
        }
        // Front matter only: a narrative's text is on its own page alone, whose fingerprint
        // adds it (`PageRenderer.pathAndFingerprint`), so editing the text leaves every other
        // page's fingerprint as it was.
        for language in languages {
            guard let narrative = narratives[language] else { continue }
            fingerprint.combine(language)
            fingerprint.combine(frontMatterFingerprint(narrative))
        }
        for file in files.sorted() { fingerprint.combine(file) }
        return fingerprint
    }

    /// Of everything parsing a narrative's file gave but its text.
    package static func frontMatterFingerprint(_ narrative: Narrative) -> Fingerprint {
        var fingerprint = Fingerprint()
        func combine(_ location: SourceLocation?) {
            fingerprint.combine(location?.file ?? "\u{0}")
            fingerprint.combine(location?.line ?? -1)
            fingerprint.combine(location?.column ?? -1)
        }
        fingerprint.combine(narrative.recordID)
        fingerprint.combine(narrative.language)
        combine(narrative.location)
        for text in [narrative.title, narrative.summary, narrative.portrait, narrative.updated?.description] {
            fingerprint.combine(text ?? "\u{0}")
        }
        combine(narrative.portraitLocation)
        fingerprint.combine(narrative.documents.count)
        for document in narrative.documents {
            fingerprint.combine(document.file)
            fingerprint.combine(document.caption ?? "\u{0}")
            combine(document.location)
        }
        fingerprint.combine(narrative.status.rawValue)
        fingerprint.combine(narrative.bodyLineOffset)
        return fingerprint
    }

    private func isPublishable(_ status: PublicationStatus) -> Bool {
        switch status {
        case .published: true
        case .draft: includeDrafts
        case .restricted: false
        }
    }
}

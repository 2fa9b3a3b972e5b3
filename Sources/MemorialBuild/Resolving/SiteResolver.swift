import Foundation
import MemorialCore

/// Keeps only what may be published and builds the indexes: restricted records and narratives,
/// and drafts unless asked for, are dropped here, so no later stage can leak them.
struct SiteResolver {
    var includeDrafts: Bool

    func resolve(_ content: SiteContent) -> Site {
        let config = content.config
        let languages = config.languages

        var narrativesByRecord: [String: [String: Narrative]] = [:]
        for narrative in content.narratives where isPublishable(narrative.status) {
            narrativesByRecord[narrative.recordID, default: [:]][narrative.language] = narrative
        }
        let cases = content.records
            .filter { $0.status == .published }
            .sorted { $0.id < $1.id }
            .map { record in
                let narratives = narrativesByRecord[record.id] ?? [:]
                let files = content.caseFiles[record.id] ?? []
                return Case(
                    record: record, narratives: narratives, files: files,
                    fingerprint: Self.fingerprint(record, narratives, files, languages: languages))
            }

        var peoples: [String: [Int]] = [:]
        var years: [Int: [Int]] = [:]
        for (index, item) in cases.enumerated() {
            if let people = item.record.people { peoples[people, default: []].append(index) }
            if let year = item.record.indexYear { years[year, default: []].append(index) }
        }

        var alphabetical: [String: [Int]] = [:]
        for language in languages {
            let collator = NameCollator(language: language)
            let keyed = cases.indices.map { index in
                let name = cases[index].record.name.resolved(in: language, fallback: languages)?.text
                return (index, collator.sortKey(name ?? cases[index].id))
            }
            alphabetical[language] = keyed.sorted { lhs, rhs in
                lhs.1 == rhs.1 ? cases[lhs.0].id < cases[rhs.0].id : lhs.1.lexicographicallyPrecedes(rhs.1)
            }.map(\.0)
        }

        var orderedPeoples: [String: [String: [Int]]] = [:]
        var orderedYears: [String: [Int: [Int]]] = [:]
        for language in languages {
            var peoplesInOrder: [String: [Int]] = [:]
            var yearsInOrder: [Int: [Int]] = [:]
            for index in alphabetical[language] ?? [] {
                if let people = cases[index].record.people { peoplesInOrder[people, default: []].append(index) }
                if let year = cases[index].record.indexYear { yearsInOrder[year, default: []].append(index) }
            }
            orderedPeoples[language] = peoplesInOrder
            orderedYears[language] = yearsInOrder
        }

        var pages: [String: [String: FreePage]] = [:]
        for page in content.pages where isPublishable(page.status) {
            pages[page.slug, default: [:]][page.language] = page
        }

        var media = Set<MediaFile>()
        for item in cases {
            var files = Set<String>()
            for narrative in item.narratives.values {
                if let portrait = narrative.portrait { files.insert(portrait) }
                files.formUnion(narrative.documents.map(\.file))
            }
            for file in files.sorted() {
                media.insert(MediaFile(id: item.id, file: file))
            }
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

        return Site(
            config: config, vocabularies: content.vocabularies, strings: strings, cases: cases,
            alphabetical: alphabetical, peoples: peoples, years: years, orderedPeoples: orderedPeoples,
            orderedYears: orderedYears, pages: pages, media: media)
    }

    static func fingerprint(
        _ record: Record, _ narratives: [String: Narrative], _ files: Set<String>, languages: [String]
    ) -> Fingerprint {
        var fingerprint = Fingerprint()
        for (column, value) in record.fields.sorted(by: { $0.key < $1.key }) {
            fingerprint.combine(column)
            fingerprint.combine(value.common ?? "\u{0}")
            for (language, text) in value.byLanguage.sorted(by: { $0.key < $1.key }) {
                fingerprint.combine(language)
                fingerprint.combine(text)
            }
        }
        for language in languages {
            guard let narrative = narratives[language] else { continue }
            fingerprint.combine(language)
            fingerprint.combine(narrative.fingerprint)
        }
        for file in files.sorted() { fingerprint.combine(file) }
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

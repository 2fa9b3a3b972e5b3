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
            .map { Case(record: $0, narratives: narrativesByRecord[$0.id] ?? [:]) }

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
                (index, cases[index].record.name.resolved(in: language, fallback: languages)?.text ?? cases[index].id)
            }
            alphabetical[language] = keyed.sorted { lhs, rhs in
                switch collator.compare(lhs.1, rhs.1) {
                case .orderedAscending: true
                case .orderedDescending: false
                case .orderedSame: cases[lhs.0].id < cases[rhs.0].id
                }
            }.map(\.0)
        }

        var pages: [String: [String: FreePage]] = [:]
        for page in content.pages where isPublishable(page.status) {
            pages[page.slug, default: [:]][page.language] = page
        }

        var media: [(String, String)] = []
        for item in cases {
            var files = Set<String>()
            for narrative in item.narratives.values {
                if let portrait = narrative.portrait { files.insert(portrait) }
                files.formUnion(narrative.documents.map(\.file))
                files.formUnion(narrative.localFiles)
            }
            for file in files.sorted() {
                media.append(("content/cases/\(item.id)/\(file)", "media/\(item.id)/\(file)"))
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
            alphabetical: alphabetical, peoples: peoples, years: years, pages: pages, media: media)
    }

    private func isPublishable(_ status: PublicationStatus) -> Bool {
        switch status {
        case .published: true
        case .draft: includeDrafts
        case .restricted: false
        }
    }
}

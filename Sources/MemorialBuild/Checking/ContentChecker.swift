import Foundation
import MemorialContent
import MemorialCore

/// What `memorial check` adds to a build's validation: what a careful editor would flag.
/// Links in narratives to cases, pages or files that do not exist; files of a case folder no
/// narrative refers to; dates that contradict each other; and what is not yet translated.
struct ContentChecker {
    let content: SiteContent
    let site: Site
    /// Every page folder the site has, root-relative without the root (`en/cases/x/`).
    let pageFolders: Set<String>

    /// - Parameter rendered: each narrative of `content.narratives` rendered, same order.
    func check(rendered: [RenderedMarkdown?]) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for record in content.records {
            for (column, message) in record.datesOutOfOrder {
                diagnostics.append(.warning(message, at: record.dateCells[column] ?? record.location))
            }
        }
        var referenced: [String: Set<String>] = [:]
        for (narrative, result) in zip(content.narratives, rendered) {
            guard let result else { continue }
            var files = Set(result.localFiles)
            if let portrait = narrative.portrait { files.insert(portrait) }
            files.formUnion(narrative.documents.map(\.file))
            files.formUnion(content.documents[narrative.recordID]?.map(\.file) ?? [])
            referenced[narrative.recordID, default: []].formUnion(files)
            for link in result.links {
                if let problem = problem(with: link.url, in: narrative) {
                    diagnostics.append(.warning(problem, at: link.location))
                }
            }
        }
        for vocabulary in content.vocabularies.values {
            for code in vocabulary.codes {
                let text = vocabulary.labels[code] ?? LocalizedText()
                guard text.common == nil else { continue }
                let missing = site.languages.filter { text.byLanguage[$0] == nil }
                guard !missing.isEmpty else { continue }
                diagnostics.append(
                    .warning(
                        "the label of '\(Diagnostic.excerpt(code))' has no \(missing.joined(separator: ", ")) "
                            + "translation; add \(missing.map { "\($0): …" }.joined(separator: ", ")) to it",
                        at: vocabulary.locations[code]
                            ?? SourceLocation(file: "content/vocabularies/\(vocabulary.name).yml")))
            }
        }
        for (id, files) in content.caseFiles.sorted(by: { $0.key < $1.key }) {
            let described = Set(content.documents[id]?.map(\.file) ?? [])
            for file in files.sorted() where !(referenced[id]?.contains(file) ?? false) && !described.contains(file) {
                // `en.markdown`, `EN.MD`: a narrative under a name that is not read as one.
                let stem = file.split(separator: ".", omittingEmptySubsequences: false).dropLast().joined(
                    separator: ".")
                let suffix = file.dropFirst(stem.count).lowercased()
                if [".md", ".markdown", ".mdown", ".txt"].contains(suffix),
                    let language = ContentLoader.meantLanguage(stem, of: site.languages)
                {
                    diagnostics.append(
                        .warning(
                            "'\(file)' is not read as a narrative: a narrative is named after its language with "
                                + "'.md', so rename it to \(language).md",
                            at: SourceLocation(file: "content/cases/\(id)/\(file)")))
                    continue
                }
                diagnostics.append(
                    .warning(
                        "nothing describes '\(file)' and no narrative of this case refers to it, so it is not published; "
                            + "describe it in documents.yml or remove it",
                        at: SourceLocation(file: "content/cases/\(id)/\(file)")))
            }
        }
        return diagnostics
    }

    /// Why a link of a narrative leads nowhere, or nil when it leads somewhere.
    func problem(with url: String, in narrative: Narrative) -> String? {
        if url.isEmpty || url.hasPrefix("#") || MarkdownRenderer.scheme(of: url) != nil || url.hasPrefix("//") {
            return nil
        }
        var path = url
        if let cut = path.firstIndex(where: { $0 == "#" || $0 == "?" }) { path = String(path[..<cut]) }
        path = path.removingPercentEncoding ?? path
        if !path.contains("/") {
            // Web servers tell capitals apart: `Фото.JPG` does not find `фото.jpg`.
            let lower = path.lowercased()
            let files = content.caseFiles[narrative.recordID] ?? []
            if let named = files.sorted().first(where: { $0.lowercased() == lower }) {
                return "link to '\(Diagnostic.excerpt(url))': there is no file of that name in this case's folder, "
                    + "but there is '\(named)'; write its name with the same capitals"
            }
            return "link to '\(Diagnostic.excerpt(url))': there is no file of that name in this case's folder"
        }
        // Resolve against the page the narrative is shown on.
        let root = site.config.rootPath
        var segments: [Substring]
        if path.hasPrefix("/") {
            guard path.hasPrefix(root) else {
                return "link to '\(Diagnostic.excerpt(url))': it is outside the site (\(root))"
            }
            segments = path.dropFirst(root.count).split(separator: "/", omittingEmptySubsequences: true)
        } else {
            segments = SiteURLs.caseFolder(narrative.language, narrative.recordID).split(separator: "/")
            for part in path.split(separator: "/", omittingEmptySubsequences: true) {
                if part == ".." {
                    guard !segments.isEmpty else {
                        return "link to '\(Diagnostic.excerpt(url))': it goes above the site's root"
                    }
                    segments.removeLast()
                } else if part != "." {
                    segments.append(part)
                }
            }
        }
        var target = segments.joined(separator: "/")
        if target.hasSuffix("index.html") { target = String(target.dropLast("index.html".count)) }
        let folder = target.isEmpty || target.hasSuffix("/") ? target : target + "/"
        let isCaseFile =
            segments.count == 3 && segments[0] == "media"
            && content.caseFiles[String(segments[1])]?.contains(String(segments[2])) == true
            && pageFolders.contains(SiteURLs.caseFolder(site.config.defaultLanguage, String(segments[1])))
        if pageFolders.contains(folder) || isCaseFile || target.hasPrefix("assets/") {
            return nil
        }
        if segments.count >= 3, segments[1] == "cases" {
            return
                "link to '\(Diagnostic.excerpt(url))': there is no published case '\(segments[2])' (in \(segments[0]))"
        }
        return "link to '\(Diagnostic.excerpt(url))': there is no such page or file in the site"
    }

    // MARK: - Missing translations

    struct TranslationRow: Sendable {
        var label: String
        var total: Int
        /// Missing per language, in site order.
        var missing: [Int]
    }

    func translationSummary() -> [TranslationRow] {
        let languages = site.languages
        let narrated = Dictionary(grouping: content.narratives.filter { $0.status != .restricted }, by: \.recordID)
        let narrativesMissing = languages.map { language in
            narrated.values.filter { versions in !versions.contains { $0.language == language } }.count
        }
        var labels = 0
        var labelsMissing = [Int](repeating: 0, count: languages.count)
        for vocabulary in content.vocabularies.values {
            for code in vocabulary.codes {
                labels += 1
                let text = vocabulary.labels[code] ?? LocalizedText()
                for (index, language) in languages.enumerated()
                where text.common == nil && text.byLanguage[language] == nil {
                    labelsMissing[index] += 1
                }
            }
        }
        let keys = InterfaceStrings.keys
        let stringsMissing = languages.map { language in
            InterfaceStrings.builtIn[language] != nil
                ? 0 : keys.filter { content.strings[language]?[$0] == nil }.count
        }
        return [
            TranslationRow(label: "narratives", total: narrated.count, missing: narrativesMissing),
            TranslationRow(label: "vocabulary labels", total: labels, missing: labelsMissing),
            TranslationRow(label: "interface strings", total: keys.count, missing: stringsMissing),
        ]
    }
}

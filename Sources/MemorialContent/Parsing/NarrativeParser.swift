import MemorialCore
import Yams

/// Parses `cases/<id>/<lang>.md` and `pages/<slug>/<lang>.md`: front matter checked key by key,
/// body rendered to safe HTML.
package struct NarrativeParser {
    package init() {}

    static let narrativeKeys = ["title", "summary", "portrait", "documents", "status", "updated"]
    static let pageKeys = ["title", "summary", "status", "updated"]

    /// The common front-matter fields of narratives and pages.
    struct Fields {
        var title: String?
        var summary: String?
        var status: PublicationStatus = .published
        var portrait: (String, SourceLocation)?
        var documents: [Document] = []
        var updated: PartialDate?
    }

    /// Reads the front matter; the body is rendered later, with its page (`NarrativeBody`).
    /// - Parameter folderFiles: the other files in the narrative's folder (media).
    package func parseNarrative(
        _ text: String, recordID: String, language: String, file: String, folderFiles: Set<String>,
        fingerprint: Fingerprint, diagnostics: inout Diagnostics
    ) -> Narrative? {
        guard let matter = FrontMatter.split(text, file: file, diagnostics: &diagnostics) else { return nil }
        if let deep = MarkdownNesting.problem(in: matter.body, file: file, lineOffset: matter.bodyLineOffset) {
            diagnostics.append(deep)
            return nil
        }
        let fields = readFields(
            matter, known: Self.narrativeKeys, file: file, folderFiles: folderFiles, diagnostics: &diagnostics)
        guard let fields else { return nil }
        var narrative = Narrative(
            recordID: recordID, language: language, location: SourceLocation(file: file), title: fields.title,
            summary: fields.summary, portrait: fields.portrait?.0, portraitLocation: fields.portrait?.1,
            documents: fields.documents, status: fields.status, bodyLineOffset: matter.bodyLineOffset,
            fingerprint: fingerprint)
        narrative.updated = fields.updated
        return narrative
    }

    func parsePage(_ text: String, slug: String, language: String, file: String, diagnostics: inout Diagnostics)
        -> FreePage?
    {
        guard let matter = FrontMatter.split(text, file: file, diagnostics: &diagnostics) else { return nil }
        guard
            let fields = readFields(
                matter, known: Self.pageKeys, file: file, folderFiles: [], diagnostics: &diagnostics)
        else { return nil }
        guard let title = fields.title else {
            diagnostics.error(
                "a page needs a title: add 'title: …' to its front matter", at: SourceLocation(file: file))
            return nil
        }
        if let deep = MarkdownNesting.problem(in: matter.body, file: file, lineOffset: matter.bodyLineOffset) {
            diagnostics.append(deep)
            return nil
        }
        let rendered = MarkdownRenderer.render(matter.body, file: file, lineOffset: matter.bodyLineOffset)
        diagnostics.append(contentsOf: rendered.diagnostics)
        var page = FreePage(
            slug: slug, language: language, location: SourceLocation(file: file), title: title, summary: fields.summary,
            status: fields.status, html: rendered.html)
        page.updated = fields.updated
        return page
    }

    private func readFields(
        _ matter: FrontMatter, known: [String], file: String, folderFiles: Set<String>, diagnostics: inout Diagnostics
    ) -> Fields? {
        var fields = Fields()
        var valid = true
        func location(_ node: Node) -> SourceLocation { YAMLReader.location(of: node, file: file, lineOffset: 1) }
        func fail(_ message: String, at node: Node) {
            diagnostics.error(message, at: location(node))
            valid = false
        }
        func text(_ node: Node, _ key: String) -> String? {
            guard let value = YAMLReader.text(node) else {
                fail("'\(Diagnostic.excerpt(key))' must be a text, not \(YAMLReader.kind(node))", at: node)
                return nil
            }
            return value.isEmpty ? nil : value
        }
        func folderFile(_ node: Node, _ key: String) -> String? {
            guard let name = text(node, key) else { return nil }
            guard !name.contains("/"), folderFiles.contains(name) else {
                fail(
                    "\(key) '\(Diagnostic.excerpt(name))' is not a file in this case's folder; put the file beside this narrative or correct the name",
                    at: node)
                return nil
            }
            return name
        }
        for (key, keyNode, value) in matter.entries {
            guard known.contains(key) else {
                diagnostics.warning(
                    "unknown front-matter key '\(Diagnostic.excerpt(key))' (known: \(known.joined(separator: ", "))); it is ignored",
                    at: location(keyNode))
                continue
            }
            switch key {
            case "title": fields.title = text(value, key)
            case "summary": fields.summary = text(value, key)
            case "status":
                guard let raw = text(value, key) else { continue }
                if let status = PublicationStatus(rawValue: raw) {
                    fields.status = status
                } else {
                    fail("status must be published, draft or restricted, not '\(Diagnostic.excerpt(raw))'", at: value)
                }
            case "updated":
                guard let raw = text(value, key) else { continue }
                do {
                    fields.updated = try PartialDate.parse(raw)
                } catch {
                    let reason = if case .impossible(let why) = error { "impossible (\(why))" } else { "malformed" }
                    fail(
                        "updated '\(raw)' is \(reason); write the date of the last change as YYYY-MM-DD (or YYYY-MM, YYYY), e.g. 2026-11-20",
                        at: value)
                }
            case "portrait":
                if let name = folderFile(value, key) { fields.portrait = (name, location(value)) }
            case "documents":
                guard case .sequence(let items) = value else {
                    fail("'documents' must be a list of {file: …, caption: …}", at: value)
                    continue
                }
                for item in items {
                    guard case .mapping(let mapping) = item, let fileNode = mapping["file"] else {
                        fail("each document needs 'file:' (and may have 'caption:')", at: item)
                        continue
                    }
                    for (documentKey, _) in mapping {
                        let name = YAMLReader.text(documentKey) ?? ""
                        if name != "file" && name != "caption" {
                            diagnostics.warning(
                                "unknown document key '\(Diagnostic.excerpt(name))' (known: file, caption); it is ignored",
                                at: location(documentKey))
                        }
                    }
                    guard let name = folderFile(fileNode, "document") else { continue }
                    let caption = mapping["caption"].flatMap { text($0, "caption") }
                    fields.documents.append(Document(file: name, caption: caption, location: location(fileNode)))
                }
            default: break
            }
        }
        return valid ? fields : nil
    }
}

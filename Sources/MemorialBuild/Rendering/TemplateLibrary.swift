import Foundation
import MemorialContent
import MemorialCore
import MemorialTemplates

/// The templates and assets a build renders with: the built-in set, overridden file by file by
/// the site's `templates/` folder.
struct TemplateLibrary: Sendable {
    static let pageTemplates = [
        "base", "chooser", "home", "case", "groups", "group", "names", "search", "page", "notfound", "document", "data",
    ]

    var compiled: CompiledTemplates
    /// Output path below `assets/` → bytes; `style.css` always among them.
    var assets: [String: [UInt8]]
    /// A short hash of everything above, so changed templates change the stylesheet URL too.
    var stylesheetVersion: String
    /// Whether a template reads a case page's `record` (no default one does).
    var mentionsRecord: Bool

    /// The templates, or nil when one cannot be read or compiled (each such template is reported
    /// in the site's file when the site overrides it, else in the built-in's).
    static func load(siteRoot: URL, diagnostics: inout Diagnostics) -> TemplateLibrary? {
        var sources = DefaultTemplates.templates
        var sourceFiles: [String: String] = [:]
        var assets = DefaultTemplates.assets.mapValues { Array($0.utf8) }
        var root = siteRoot.standardizedFileURL.path
        if root.hasSuffix("/") { root.removeLast() }
        let walk = SiteWalk<Never>(siteRoot: root, folders: ["templates"], status: nil)
        if let problem = walk.refused["templates"] {
            diagnostics.error(problem, at: SourceLocation(file: "templates"))
            return nil
        }
        // Links and FIFOs are errors, as under content/ (`DirectoryListing`).
        for (path, problem) in walk.refused.sorted(by: { $0.key < $1.key }) {
            diagnostics.error(problem, at: SourceLocation(file: path))
        }
        let files = walk.folders.flatMap { folder, entries in
            entries.filter { !$0.isFolder }.map { folder + "/" + $0.name }
        }
        for file in files.sorted() {
            let path = String(file.dropFirst("templates/".count))
            guard let data = SourceText.readBytes(atPath: root + "/" + file) else {
                diagnostics.error("cannot read the file", at: SourceLocation(file: file))
                continue
            }
            if path.hasPrefix("assets/") {
                assets[String(path.dropFirst("assets/".count))] = data
            } else if path.hasSuffix(".mustache") {
                let name = String(path.dropLast(".mustache".count))
                guard let text = String(validating: data, as: UTF8.self) else {
                    diagnostics.error(
                        "the template is not valid UTF-8; save it as UTF-8", at: SourceLocation(file: file))
                    continue
                }
                sources[name] = text
                sourceFiles[name] = file
            }
        }
        let compiled: CompiledTemplates
        do {
            compiled = try CompiledTemplates(sources: sources)
        } catch {
            for failure in error.errors {
                diagnostics.error(
                    "template error: \(failure.message)",
                    at: SourceLocation(
                        file: sourceFiles[failure.template] ?? "templates/\(failure.template).mustache",
                        line: failure.line, column: failure.column))
            }
            return nil
        }
        var digest = Fingerprint()
        for (name, text) in sources.sorted(by: { $0.key < $1.key }) {
            digest.combine(name)
            digest.combine(text)
        }
        for (name, bytes) in assets.sorted(by: { $0.key < $1.key }) {
            digest.combine(name)
            digest.combine(bytes)
        }
        return TemplateLibrary(
            compiled: compiled, assets: assets,
            stylesheetVersion: String(digest.description.prefix(10)), mentionsRecord: compiled.mentions("record"))
    }

    /// The page's bytes (empty when there is no such template).
    func render(_ context: TemplateObject, template: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16_384)
        compiled.render(.object(context), template: template, into: &bytes)
        return bytes
    }
}

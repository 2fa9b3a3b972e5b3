import Foundation
import MemorialCore
import Mustache

/// The templates and assets a build renders with: the built-in set, overridden file by file by
/// the site's `templates/` folder.
struct TemplateLibrary: Sendable {
    static let pageTemplates = [
        "base", "chooser", "home", "case", "groups", "group", "names", "search", "page", "notfound",
    ]

    var mustache: MustacheLibrary
    /// The same templates for the compiled renderer, which gives the same bytes about 15 times
    /// faster; nil when a template uses what only swift-mustache renders (then it renders all).
    var compiled: CompiledTemplates?
    /// Output path below `assets/` → bytes; `style.css` always among them.
    var assets: [String: [UInt8]]
    /// A short hash of everything above, so changed templates change the stylesheet URL too.
    var stylesheetVersion: String

    /// `MEMORIAL_TEMPLATE_ENGINE`: `mustache` renders with swift-mustache only (the reference the
    /// compiled renderer is tested against); `compiled` makes templates the compiled renderer
    /// cannot take an error instead of a silent fallback; unset or anything else: the compiled
    /// renderer when it can.
    enum Engine: String {
        case automatic, mustache, compiled

        static var fromEnvironment: Engine {
            ProcessInfo.processInfo.environment["MEMORIAL_TEMPLATE_ENGINE"].flatMap(Engine.init) ?? .automatic
        }
    }

    static func load(
        siteRoot: URL, engine: Engine = .fromEnvironment, diagnostics: inout Diagnostics
    ) -> TemplateLibrary? {
        var sources = DefaultTemplates.templates
        var sourceFiles: [String: String] = [:]
        var assets = DefaultTemplates.assets.mapValues { Array($0.utf8) }
        let folder = siteRoot.appending(path: "templates")
        let manager = FileManager.default
        if let enumerator = manager.enumerator(atPath: folder.path) {
            var files: [String] = []
            while let path = enumerator.nextObject() as? String { files.append(path) }
            for path in files.sorted() where !path.split(separator: "/").contains(where: { $0.hasPrefix(".") }) {
                let full = folder.appending(path: path)
                var isDirectory: ObjCBool = false
                guard manager.fileExists(atPath: full.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                    let data = manager.contents(atPath: full.path)
                else { continue }
                if path.hasPrefix("assets/") {
                    assets[String(path.dropFirst("assets/".count))] = [UInt8](data)
                } else if path.hasSuffix(".mustache") {
                    let name = String(path.dropLast(".mustache".count))
                    guard let text = String(data: data, encoding: .utf8) else {
                        diagnostics.error(
                            "the template is not valid UTF-8", at: SourceLocation(file: "templates/\(path)"))
                        continue
                    }
                    sources[name] = text
                    sourceFiles[name] = "templates/\(path)"
                }
            }
        }
        HTMLEscaping.register()
        var library = MustacheLibrary()
        var valid = true
        for (name, text) in sources.sorted(by: { $0.key < $1.key }) {
            do {
                try library.register(HTMLEscaping.pragma + text, named: name)
            } catch let error as MustacheTemplate.ParserError {
                valid = false
                diagnostics.error(
                    "template error: \(Self.describe(error.error))",
                    at: SourceLocation(
                        file: sourceFiles[name] ?? "templates/\(name).mustache", line: error.context.lineNumber,
                        column: error.context.columnNumber + 1
                            - (error.context.lineNumber == 1 ? HTMLEscaping.pragma.count : 0)))
            } catch {
                valid = false
                diagnostics.error("template error: \(error)", at: SourceLocation(file: sourceFiles[name] ?? name))
            }
        }
        guard valid else { return nil }
        let compiled = engine == .mustache ? nil : CompiledTemplates(sources: sources)
        if engine == .compiled, compiled == nil {
            diagnostics.error(
                "MEMORIAL_TEMPLATE_ENGINE=compiled: a template uses a feature only swift-mustache renders",
                at: SourceLocation(file: "templates"))
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
            mustache: library, compiled: compiled, assets: assets,
            stylesheetVersion: String(digest.description.prefix(10)))
    }

    /// swift-mustache's parser errors are enum cases; say what to fix instead.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? MustacheTemplate.Error else { return "\(error)" }
        switch error {
        case .sectionCloseNameIncorrect:
            return
                "a section is closed with another name than it was opened with; check that each {{#name}} ends with {{/name}}"
        case .expectedSectionEnd:
            return "a section is never closed; add the {{/name}} that ends it"
        case .unfinishedName:
            return "a tag is not finished; close it with }}"
        default:
            return "\(error)"
        }
    }

    /// The page's bytes (empty when there is no such template).
    func render(_ context: TemplateObject, template: String) -> [UInt8] {
        if let compiled {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(16_384)
            compiled.render(.object(context), template: template, into: &bytes)
            return bytes
        }
        return Array((mustache.render(TemplateValue.object(context).mustacheValue, withTemplate: template) ?? "").utf8)
    }
}

import FlyingFox
import FlyingSocks
import Foundation
import MemorialBuild
import MemorialContent
import MemorialCore
import MemorialTemplates

/// `memorial serve`: builds the site into a private folder, serves it on 127.0.0.1, watches
/// content/ and templates/, rebuilds what changed and reloads the open pages. A content error
/// is printed and shown as an overlay on every page, while the last good site is still served.
public actor PreviewServer {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    let siteRoot: URL
    let port: UInt16
    /// The private folder: the build (`site/`) and its state (`state/`).
    let folder: URL
    let output: URL
    let report: @Sendable (BuildReport) -> Void
    /// Counts finished builds, good or not; pages wait for it to change to reload.
    private(set) var version = 0
    private var errors: [Diagnostic] = []
    private var server: HTTPServer?
    private var inputs: InputFingerprint?

    public init(siteRoot: URL, port: UInt16, report: @escaping @Sendable (BuildReport) -> Void) {
        self.siteRoot = siteRoot
        self.port = port
        self.report = report
        self.folder = FileManager.default.temporaryDirectory.appending(
            path: "memorial-serve-\(ProcessInfo.processInfo.processIdentifier)-\(port)")
        self.output = folder.appending(path: "site")
    }

    var options: BuildOptions {
        var options = BuildOptions(
            siteRoot: siteRoot, output: output, baseURL: "http://127.0.0.1:\(port)/", includeDrafts: true)
        options.cacheFolder = folder.appending(path: "state")
        return options
    }

    /// Builds, starts listening (a taken port is an error), calls `listening`, and watches until
    /// cancelled.
    public func run(listening: @Sendable () -> Void = {}) async throws {
        try? FileManager.default.removeItem(at: folder)
        let server = HTTPServer(
            address: try .inet(ip4: "127.0.0.1", port: port), timeout: 30, logger: .disabled)
        self.server = server
        await server.appendRoute("GET /__memorial/events") { [weak self] (request: HTTPRequest) in
            guard let self else { return HTTPResponse(statusCode: .serviceUnavailable) }
            let since = Int(request.query.first { $0.name == "since" }?.value ?? "") ?? -1
            let version = await self.waitForVersion(after: since)
            return HTTPResponse(
                statusCode: .ok, headers: [.contentType: "application/json", .init("Cache-Control"): "no-store"],
                body: Data("{\"version\":\(version)}".utf8))
        }
        await server.appendRoute("GET *") { [weak self] (request: HTTPRequest) in
            guard let self else { return HTTPResponse(statusCode: .serviceUnavailable) }
            return await self.file(for: request.path)
        }
        rebuild()
        let running = Task { try await server.run() }
        do {
            try await server.waitUntilListening(timeout: 5)
        } catch {
            running.cancel()
            if case .failure(let failure) = await running.result {
                throw Failure(
                    description:
                        "cannot listen on 127.0.0.1:\(port) (\(failure)); the port may be taken: choose another with --port"
                )
            }
            throw Failure(
                description: "cannot listen on 127.0.0.1:\(port); the port may be taken: choose another with --port")
        }
        listening()
        defer {
            try? FileManager.default.removeItem(at: folder)
        }
        await withTaskCancellationHandler {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(250))
                if InputFingerprint.take(options) != inputs { rebuild() }
            }
        } onCancel: {
            running.cancel()
        }
        await server.stop(timeout: 1)
    }

    private func rebuild() {
        inputs = InputFingerprint.take(options)
        let result = SiteBuilder.build(options)
        errors = result.diagnostics.filter { $0.severity == .error }
        if let failure = result.failure {
            errors.append(.error(failure, at: SourceLocation(file: "", line: 0, column: 0)))
        }
        version += 1
        report(result)
    }

    private func waitForVersion(after since: Int) async -> Int {
        let deadline = ContinuousClock.now + .seconds(25)
        while version <= since, ContinuousClock.now < deadline, !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(100))
        }
        return version
    }

    // MARK: - Files

    private func file(for path: String) -> HTTPResponse {
        var relative = path.removingPercentEncoding ?? path
        if relative.split(separator: "/").contains("..") { return HTTPResponse(statusCode: .forbidden) }
        if relative.hasSuffix("/") || relative.isEmpty { relative += "index.html" }
        var url = output.appending(path: String(relative.drop { $0 == "/" }))
        var isDirectory: ObjCBool = false
        // FlyingFox hands over paths without their final slash: a folder means its index.html.
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            url = url.appending(path: "index.html")
        }
        var status = HTTPStatusCode.ok
        if !FileManager.default.fileExists(atPath: url.path) {
            url = output.appending(path: "404.html")
            status = .notFound
        }
        guard var data = FileManager.default.contents(atPath: url.path) else {
            return HTTPResponse(statusCode: .notFound, body: Data(overlay(standalone: true).utf8))
        }
        let type = Self.contentTypes[url.pathExtension.lowercased()] ?? "application/octet-stream"
        if type.hasPrefix("text/html") {
            // Only served pages get the reload script and the error overlay; the built files
            // stay exactly what `memorial build` writes.
            let addition = Data((overlay(standalone: false) + reloadScript()).utf8)
            if let end = data.range(of: Data("</body>".utf8), options: .backwards) {
                data.replaceSubrange(end.lowerBound..<end.lowerBound, with: addition)
            } else {
                data.append(addition)
            }
        }
        return HTTPResponse(
            statusCode: status, headers: [.contentType: type, .init("Cache-Control"): "no-store"], body: data)
    }

    static let contentTypes = [
        "html": "text/html; charset=utf-8", "css": "text/css; charset=utf-8", "xml": "application/xml",
        "txt": "text/plain; charset=utf-8", "js": "text/javascript", "json": "application/json", "jpg": "image/jpeg",
        "jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif", "svg": "image/svg+xml", "webp": "image/webp",
        "pdf": "application/pdf",
    ]

    private func reloadScript() -> String {
        """
        <script>(function(){var v=\(version);function poll(){fetch('/__memorial/events?since='+v,{cache:'no-store'})\
        .then(function(r){return r.json()}).then(function(d){if(d.version>v){location.reload()}else{poll()}})\
        .catch(function(){setTimeout(poll,1000)})}poll()})();</script>
        """
    }

    private func overlay(standalone: Bool) -> String {
        guard !errors.isEmpty else { return standalone ? "<!DOCTYPE html><title>Memorial</title><p>Building…</p>" : "" }
        let items = errors.map { "<li>\(HTMLEscaping.escape($0.formatted()))</li>" }.joined()
        return """
            <div id="memorial-errors" role="alert" style="position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;\
            background:#fff4f2;color:#5c0a00;border-top:4px solid #a11;padding:1rem 1.25rem;font:14px/1.5 monospace;\
            z-index:2147483647"><strong>The site was not rebuilt: \(errors.count) error\(errors.count == 1 ? "" : "s"). \
            The last good version is shown.</strong><ul style="margin:.5rem 0 0;padding-left:1.25rem">\(items)</ul></div>
            """
    }
}

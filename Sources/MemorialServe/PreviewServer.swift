import FlyingFox
import FlyingSocks
import Foundation
import Glibc
import MemorialBuild
import MemorialCore
import MemorialTemplates
import Synchronization

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
    /// The requests for `/__memorial/events` waiting for the next build.
    private var waiters: [Int: CheckedContinuation<Int, Never>] = [:]
    private var nextWaiter = 0

    public init(siteRoot: URL, port: UInt16, report: @escaping @Sendable (BuildReport) -> Void) {
        self.siteRoot = siteRoot
        self.port = port
        self.report = report
        self.folder = FileManager.default.temporaryDirectory.appending(
            path: "memorial-serve-\(ProcessInfo.processInfo.processIdentifier)-\(port)")
        self.output = folder.appending(path: "site")
    }

    /// Starts listening (a taken port is an error, before anything is built), calls
    /// `listening`, builds, and rebuilds on every change under content/ and templates/ until
    /// cancelled. Then it removes its build folder and returns; a build still running is held
    /// at its next progress report, for the process to end.
    public func run(listening: @Sendable () -> Void = {}) async throws {
        let server = HTTPServer(
            address: try .inet(ip4: "127.0.0.1", port: port), timeout: 30, logger: .disabled)
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
        let failure = Mutex<(any Error)?>(nil)
        let running = Task {
            do { try await server.run() } catch { failure.withLock { $0 = error } }
        }
        // Binding takes a moment; a taken port fails it at once, and waitUntilListening would
        // only notice at its timeout.
        while !(await server.isListening) {
            if let error = failure.withLock({ $0 }) { throw Failure(description: listenFailure(error)) }
            if Task.isCancelled {
                running.cancel()
                return
            }
            try? await Task.sleep(for: .milliseconds(5))
        }
        listening()

        try? FileManager.default.removeItem(at: folder)
        let stop = StopSignal()
        var options = BuildOptions(
            siteRoot: siteRoot, output: output, baseURL: "http://127.0.0.1:\(port)/", includeDrafts: true)
        options.cacheFolder = folder.appending(path: "state")
        // Stopping holds a build at its next progress report (every few hundred pages, and
        // before it writes the sitemap and assets), so that its folder can be removed.
        options.progress = { _ in
            while stop.isSet { sleep(60) }
        }
        let builds = AsyncStream<BuildReport> { continuation in
            let watching = options
            let thread = Thread {
                // The watches are set before the first build: no change is missed between them.
                let watcher = InputWatcher(options: watching, stop: stop) { note in
                    FileHandle.standardError.write(Data((note + "\n").utf8))
                }
                repeat {
                    let report = SiteBuilder.build(watching)
                    if stop.isSet { break }
                    continuation.yield(report)
                } while watcher.waitForChange()
                continuation.finish()
            }
            thread.name = "memorial serve: watch and build"
            thread.start()
        }
        await withTaskCancellationHandler {
            for await report in builds { published(report) }
        } onCancel: {
            stop.set()
        }
        stop.set()
        for waiter in waiters.values { waiter.resume(returning: version) }
        waiters = [:]
        await server.stop(timeout: 1)
        running.cancel()
        removeBuildFolder()
    }

    private func listenFailure(_ error: any Error) -> String {
        switch error as? SocketError {
        case .failed(_, EADDRINUSE, _):
            "port \(port) of 127.0.0.1 is taken by another program: stop that program, or choose another port with --port (for example --port \(port == 65535 ? 8000 : port + 1))"
        case .failed(_, EACCES, _):
            "port \(port) is reserved to the administrator: choose a port above 1023 with --port"
        default:
            "cannot listen on 127.0.0.1:\(port) (\(error.localizedDescription)): choose another port with --port"
        }
    }

    private func published(_ result: BuildReport) {
        errors = result.diagnostics.filter { $0.severity == .error }
        if let failure = result.failure {
            errors.append(.error(failure, at: SourceLocation(file: "", line: 0, column: 0)))
        }
        version += 1
        report(result)
        for waiter in waiters.values { waiter.resume(returning: version) }
        waiters = [:]
    }

    /// Removes the private folder, the build and its state. A build held while writing
    /// may finish the file it was writing, so removing is tried again for a moment.
    private func removeBuildFolder() {
        for _ in 0..<40 {
            try? FileManager.default.removeItem(at: folder)
            if !FileManager.default.fileExists(atPath: folder.path) { break }
            usleep(50_000)
        }
    }

    /// Returns the version once it is above `since`, or after 25 s (the page asks again).
    private func waitForVersion(after since: Int) async -> Int {
        guard version <= since else { return version }
        // Woken by the build's publication rather than by polling: an open page costs nothing
        // while nobody edits, and reloads as soon as the build is done.
        let id = nextWaiter
        nextWaiter += 1
        let timeout = Task { [weak self] in
            try? await Task.sleep(for: .seconds(25))
            await self?.wake(id)
        }
        let version = await withCheckedContinuation { waiters[id] = $0 }
        timeout.cancel()
        return version
    }

    private func wake(_ id: Int) {
        waiters.removeValue(forKey: id)?.resume(returning: version)
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
            // Before the first build has written its pages: they load once it has.
            return HTTPResponse(
                statusCode: .notFound, headers: [.contentType: "text/html; charset=utf-8"],
                body: Data((overlay(standalone: true) + reloadScript()).utf8))
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

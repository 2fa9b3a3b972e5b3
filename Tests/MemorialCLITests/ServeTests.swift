import Foundation
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `memorial serve` end to end: a real process on a free port of 127.0.0.1, asked over HTTP.
@Suite(.serialized) struct ServeTests {
    func get(_ url: String) async -> (status: Int, body: String) {
        var request = URLRequest(url: URL(string: url)!)
        request.timeoutInterval = 30
        guard let (data, response) = try? await URLSession.shared.data(for: request) else { return (0, "") }
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    /// Polls until `condition` holds, up to `seconds`; returns how long it took, or nil.
    func waitUntil(seconds: Double, _ condition: () async -> Bool) async -> Double? {
        let start = Date()
        while Date().timeIntervalSince(start) < seconds {
            if await condition() { return Date().timeIntervalSince(start) }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }

    /// Starts `memorial serve`; with `temporary`, as its temporary folder (TMPDIR), to see what
    /// it leaves there.
    func start(_ site: TemporarySite, port: Int, temporary: URL? = nil) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = CommandLineTests.executable
        process.arguments = ["serve", "--site", site.root.path, "--port", String(port)]
        if let temporary {
            var environment = ProcessInfo.processInfo.environment
            environment["TMPDIR"] = temporary.path
            process.environment = environment
        }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return (process, out, err)
    }

    @Test func servesRebuildsReloadsSurvivesErrorsAndStopsCleanly() async throws {
        let site = try TemporarySite(fixture: "Sites/minimal")
        defer { site.remove() }
        // A random port; should another program hold it, the server exits and another is tried.
        var port = 0
        var started: (Process, Pipe, Pipe)?
        for _ in 0..<3 where started == nil {
            port = Int.random(in: 20_000..<60_000)
            let candidate = try start(site, port: port)
            let page = "http://127.0.0.1:\(port)/en/cases/abenov-test/"
            _ = await waitUntil(seconds: 30) { await get(page).status == 200 || !candidate.0.isRunning }
            if candidate.0.isRunning { started = candidate }
        }
        let (process, out, _) = try #require(started)
        defer { if process.isRunning { process.terminate() } }
        let base = "http://127.0.0.1:\(port)"
        let page = "\(base)/en/cases/abenov-test/"
        #expect(await get(page).status == 200)
        let first = await get(page)
        #expect(first.body.contains("Abenov Test is invented."))
        #expect(first.body.contains("/__memorial/events?since="))
        let version = await get("\(base)/__memorial/events?since=-1").body

        // An edited narrative is picked up and pushed within two seconds.
        try site.write(
            "content/cases/abenov-test/en.md",
            "---\ntitle: Test Abenov\nsummary: An invented person.\n---\n\nEDITED text.\n")
        let picked = await waitUntil(seconds: 2) { await get(page).body.contains("EDITED text.") }
        #expect(picked != nil, "the edit was not served within 2 s")
        let versionNumber = Int(version.filter(\.isNumber)) ?? 0
        let event = await get("\(base)/__memorial/events?since=\(versionNumber)").body
        #expect((Int(event.filter(\.isNumber)) ?? 0) > versionNumber)

        // A content error: the last good site is still served, with the error over it.
        try site.write("content/records/broken.csv", "id,name_en,arrest_date\nbroken,B,1937-13-01\n")
        #expect(await waitUntil(seconds: 5) { await get(page).body.contains("memorial-errors") } != nil)
        let failing = await get(page).body
        #expect(failing.contains("EDITED text."))
        #expect(failing.contains("content/records/broken.csv:2:10: error: impossible date"))
        try site.write("content/records/broken.csv", nil)
        #expect(await waitUntil(seconds: 5) { await !get(page).body.contains("memorial-errors") } != nil)
        #expect(await get("\(base)/no/such/page/").status == 404)

        // The port is taken now: a second server says so.
        let (second, _, secondErr) = try start(site, port: port)
        second.waitUntilExit()
        #expect(second.terminationStatus == 1)
        let message = String(decoding: secondErr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(message.contains("port \(port) of 127.0.0.1 is taken by another program"))

        // Ctrl-C stops it cleanly.
        kill(process.processIdentifier, SIGINT)
        #expect(await waitUntil(seconds: 5) { !process.isRunning } != nil)
        #expect(process.terminationStatus == 0)
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        // The port is taken before the site is built: serving is said first.
        #expect(output.hasPrefix("serving http://127.0.0.1:\(port)/ (drafts included; Ctrl-C stops)\n"))
        #expect(output.hasSuffix("stopped\n"))
    }

    /// The number of builds the server has finished.
    func version(_ base: String) async -> Int {
        Int(await get("\(base)/__memorial/events?since=-1").body.filter(\.isNumber)) ?? -1
    }

    /// A listening socket on a free port of 127.0.0.1, and that port.
    func listener() throws -> (socket: Int32, port: Int) {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                bind(socket, address, length) == 0 && listen(socket, 1) == 0
                    && getsockname(socket, address, &length) == 0
            }
        }
        try #require(bound)
        return (socket, Int(UInt16(bigEndian: address.sin_port)))
    }

    func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appending(path: "memorial-tmp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// A link to a folder outside the site is refused by the build, so nothing behind it is
    /// watched either: a change there builds nothing (a link to / would otherwise make serve
    /// watch the whole disk).
    @Test func aLinkToOutsideTheSiteIsNotWatched() async throws {
        let site = try TemporarySite(fixture: "Sites/minimal")
        defer { site.remove() }
        let temporary = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: temporary) }
        let outside = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: outside) }
        try FileManager.default.createSymbolicLink(
            at: site.root.appending(path: "content/cases/outside"), withDestinationURL: outside)
        let (free, port) = try listener()
        close(free)
        let (process, _, _) = try start(site, port: port, temporary: temporary)
        defer { if process.isRunning { process.terminate() } }
        let base = "http://127.0.0.1:\(port)"
        #expect(await waitUntil(seconds: 30) { await version(base) >= 1 } != nil)
        try await Task.sleep(for: .milliseconds(500))
        let built = await version(base)
        try FileManager.default.createDirectory(at: outside.appending(path: "new"), withIntermediateDirectories: true)
        try Data("---\ntitle: Outside\n---\n".utf8).write(to: outside.appending(path: "en.md"))
        try await Task.sleep(for: .milliseconds(1500))
        #expect(await version(base) == built, "a change behind a link to outside the site was built")
        // What changes inside the site is still seen.
        try site.write("templates/assets/extra.txt", "inside")
        #expect(await waitUntil(seconds: 5) { await version(base) > built } != nil)
    }

    @Test func watchesFoldersMadeAfterStartAndRebuildsOnceForABurstOfChanges() async throws {
        let site = try TemporarySite(fixture: "Sites/minimal")
        defer { site.remove() }
        let temporary = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: temporary) }
        let (free, port) = try listener()
        close(free)
        let (process, _, _) = try start(site, port: port, temporary: temporary)
        defer { if process.isRunning { process.terminate() } }
        let base = "http://127.0.0.1:\(port)"
        let kim = "\(base)/en/cases/kim-sample/"
        // Pages are served while the first build writes them: it is done once the version is 1.
        #expect(await waitUntil(seconds: 30) { await version(base) >= 1 } != nil)

        // A case folder made after the start: a narrative written into it afterwards is seen.
        let before = await version(base)
        try FileManager.default.createDirectory(
            at: site.root.appending(path: "content/cases/kim-sample"), withIntermediateDirectories: false)
        #expect(await waitUntil(seconds: 5) { await version(base) > before } != nil)
        try site.write(
            "content/cases/kim-sample/en.md", "---\ntitle: Kim\nsummary: S.\n---\n\nWritten after the start.\n")
        #expect(await waitUntil(seconds: 5) { await get(kim).body.contains("Written after the start.") } != nil)

        // templates/ and a folder in it, made together after the start.
        try site.write("templates/assets/extra.txt", "first")
        #expect(await waitUntil(seconds: 5) { await get("\(base)/assets/extra.txt").body == "first" } != nil)
        try site.write("templates/assets/extra.txt", "second")
        #expect(await waitUntil(seconds: 5) { await get("\(base)/assets/extra.txt").body == "second" } != nil)

        // Thirty files changed at once (as a checkout does): one build.
        try await Task.sleep(for: .milliseconds(500))
        let quiet = await version(base)
        let staging = site.root.appending(path: ".staging")
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        var moves: [(String, String)] = []
        for index in 0..<30 {
            let name = "burst-\(index).txt"
            try Data("burst \(index)".utf8).write(to: staging.appending(path: name))
            moves.append(
                (staging.appending(path: name).path, site.root.appending(path: "templates/assets/\(name)").path))
        }
        // A page waiting for the next build is answered when it is done.
        async let woken = get("\(base)/__memorial/events?since=\(quiet)").body
        try await Task.sleep(for: .milliseconds(200))
        for (from, to) in moves {
            rename(from, to)
            usleep(5000)
        }
        #expect(await waitUntil(seconds: 5) { await get("\(base)/assets/burst-29.txt").body == "burst 29" } != nil)
        try await Task.sleep(for: .milliseconds(1500))
        #expect(await version(base) == quiet + 1, "a burst of changes was built more than once")
        #expect(await woken == "{\"version\":\(quiet + 1)}")

        // A removed folder: its pages go, and nothing else is built while nobody edits.
        try FileManager.default.removeItem(at: site.root.appending(path: "content/cases/kim-sample"))
        #expect(await waitUntil(seconds: 5) { await !get(kim).body.contains("Written after the start.") } != nil)
        try await Task.sleep(for: .milliseconds(500))
        let settled = await version(base)
        try await Task.sleep(for: .milliseconds(1000))
        #expect(await version(base) == settled)

        // SIGTERM stops it, and its temporary folder goes with it.
        kill(process.processIdentifier, SIGTERM)
        #expect(await waitUntil(seconds: 5) { !process.isRunning } != nil)
        #expect(process.terminationStatus == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.path) == [])
    }

    @Test func aTakenPortIsSaidBeforeBuildingAndLeavesNothingBehind() async throws {
        let site = try TemporarySite(fixture: "Sites/minimal")
        defer { site.remove() }
        let temporary = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: temporary) }
        let (taken, port) = try listener()
        defer { close(taken) }
        let (process, out, err) = try start(site, port: port, temporary: temporary)
        #expect(await waitUntil(seconds: 30) { !process.isRunning } != nil)
        if process.isRunning { process.terminate() }
        #expect(process.terminationStatus == 1)
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(
            message
                == "error: port \(port) of 127.0.0.1 is taken by another program: stop that program, or choose another port with --port (for example --port \(port + 1))\n"
        )
        #expect(String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) == "")
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.path) == [])
    }
}

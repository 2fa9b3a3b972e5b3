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

    func start(_ site: TemporarySite, port: Int) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = CommandLineTests.executable
        process.arguments = ["serve", "--site", site.root.path, "--port", String(port)]
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
        #expect(message.contains("the port may be taken: choose another with --port"))

        // Ctrl-C stops it cleanly.
        kill(process.processIdentifier, SIGINT)
        #expect(await waitUntil(seconds: 5) { !process.isRunning } != nil)
        #expect(process.terminationStatus == 0)
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(output.contains("\nserving http://127.0.0.1:\(port)/ (drafts included; Ctrl-C stops)\n"))
        #expect(output.hasSuffix("stopped\n"))
    }
}

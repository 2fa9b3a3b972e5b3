import Foundation
import TestSupport
import Testing
import Yams

/// The copy-ready CI workflow in docs/ stays valid and keeps doing what the README says.
@Suite struct DocumentationTests {
    @Test func theContentRepositoryWorkflowChecksBuildsAndPublishes() throws {
        let text = try String(
            contentsOf: repositoryURL.appending(path: "docs/publish-exhibition.yml"), encoding: .utf8)
        let workflow = try #require(try Yams.load(yaml: text) as? [String: Any])
        let jobs = try #require(workflow["jobs"] as? [String: Any])
        let build = try #require(jobs["build"] as? [String: Any])
        let steps = try #require(build["steps"] as? [[String: Any]])
        let commands = steps.compactMap { $0["run"] as? String }
        // Both C libraries the package links (the VipsShim target includes vips/vips.h).
        #expect(
            commands.contains {
                $0.contains("apt-get install") && $0.contains("libcmark-gfm-extensions-dev")
                    && $0.contains("libvips-dev")
            })
        // One build at the content's root: each diagnostic once, with the repository's own paths.
        #expect(commands.filter { $0.contains("memorial build --site . ") }.count == 1)
        #expect(!commands.contains { $0.contains("memorial check") })
        let cached = steps.compactMap { ($0["with"] as? [String: Any])?["path"] as? String }
        #expect(cached.contains(".memorial") && cached.contains("public") && !cached.contains { $0.hasPrefix("site/") })
        #expect(jobs["publish"] != nil)
        let triggers = try #require(workflow["on"] as? [String: Any])
        let push = try #require(triggers["push"] as? [String: Any])
        #expect((push["paths"] as? [String])?.contains("content/**") == true)
    }
}

import Dispatch
import Foundation

/// With `MEMORIAL_TIMINGS=1` in the environment, a build prints how long each stage took to
/// standard error: the figures `make bench` notes are broken down with it.
package struct StageClock {
    private let enabled = ProcessInfo.processInfo.environment["MEMORIAL_TIMINGS"] == "1"
    private var last = DispatchTime.now()
    private var laps: [(String, Double, String)] = []
    /// Before each stage's name (a stage within a stage).
    private let prefix: String

    package init(prefix: String = "") { self.prefix = prefix }

    package mutating func lap(_ stage: String) {
        guard enabled else { return }
        let now = DispatchTime.now()
        laps.append((stage, Double(now.uptimeNanoseconds - last.uptimeNanoseconds) / 1e9, Self.memory()))
        last = now
    }

    /// The process's resident memory now and at most so far (`VmRSS`, `VmHWM`), in MiB.
    private static func memory() -> String {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return "" }
        func mebibytes(_ field: String) -> String {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }),
                let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
            else { return "?" }
            return String(kilobytes / 1024)
        }
        return ", memory \(mebibytes("VmRSS")) MiB, peak \(mebibytes("VmHWM")) MiB"
    }

    /// A stage measured elsewhere (over several threads, say).
    package mutating func add(_ stage: String, seconds: Double) {
        guard enabled else { return }
        laps.append((stage, seconds, Self.memory()))
    }

    package func report() {
        guard enabled else { return }
        let lines = laps.map { stage, seconds, memory in
            "timing: \(prefix)\(stage) " + String(format: "%.3f s", seconds) + memory
        }
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }
}

import Foundation
import MemorialBuild

/// A one-line progress bar on standard error: stage, pages done and rate, redrawn at most ten
/// times a second and cleared before the summary.
final class ProgressBar: @unchecked Sendable {
    private let start: Date
    private let lock = NSLock()
    private var lastDrawn = Date.distantPast

    init(start: Date) {
        self.start = start
    }

    func show(_ progress: BuildProgress) {
        lock.withLock {
            let now = Date()
            guard now.timeIntervalSince(lastDrawn) >= 0.1 || progress.done == progress.total else { return }
            lastDrawn = now
            let width = 30
            let fraction = progress.total == 0 ? 1 : Double(progress.done) / Double(progress.total)
            let filled = Int(fraction * Double(width))
            let unit = progress.stage == "images" ? "images" : "pages"
            let rate = Double(progress.done) / max(now.timeIntervalSince(start), 0.001)
            let line =
                "\r[" + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled) + "] "
                + "\(progress.stage) \(progress.done)/\(progress.total) \(unit), \(Int(rate)) \(unit)/s  "
            FileHandle.standardError.write(Data(line.utf8))
        }
    }

    func clear() {
        lock.withLock { FileHandle.standardError.write(Data(("\r" + String(repeating: " ", count: 90) + "\r").utf8)) }
    }
}

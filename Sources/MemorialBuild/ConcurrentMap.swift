import Dispatch
import Foundation
import Synchronization

extension Array where Element: Sendable {
    /// `map(transform)` on every core, in the same order: the array is cut into a few parts per
    /// core, so a cheap transform over 100,000 elements does not pay for 100,000 dispatches.
    func concurrentMap<Result: Sendable>(_ transform: @Sendable (Element) -> Result) -> [Result] {
        let parts = Swift.min(count, Swift.max(1, ProcessInfo.processInfo.activeProcessorCount) * 4)
        guard parts > 1 else { return map(transform) }
        let results = Mutex([[Result]](repeating: [], count: parts))
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let mapped = self[(count * part / parts)..<(count * (part + 1) / parts)].map(transform)
            results.withLock { $0[part] = mapped }
        }
        return results.withLock { $0.flatMap { $0 } }
    }
}

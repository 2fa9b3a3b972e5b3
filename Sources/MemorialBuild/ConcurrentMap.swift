import Dispatch
import Foundation
import Synchronization

extension Array where Element: Sendable {
    /// `map(transform)` on every core, in the same order: the array is cut into a few parts per
    /// core, so a cheap transform over 100,000 elements does not pay for 100,000 dispatches.
    func concurrentMap<Result: Sendable>(_ transform: @Sendable (Element) -> Result) -> [Result] {
        concurrentChunks { range in self[range].map(transform) }.flatMap { $0 }
    }

    /// `transform` of a few ranges of indices per core that together cover the array, on every
    /// core; the results in the order of their ranges.
    func concurrentChunks<Result: Sendable>(_ transform: @Sendable (Range<Int>) -> Result) -> [Result] {
        MemorialBuild.concurrentChunks(count: count, transform)
    }
}

/// `transform` of a few ranges per core that together cover `0..<count`, on every core; the
/// results in the order of their ranges.
func concurrentChunks<Result: Sendable>(count: Int, _ transform: @Sendable (Range<Int>) -> Result) -> [Result] {
    let parts = min(count, max(1, ProcessInfo.processInfo.activeProcessorCount) * 4)
    guard parts > 1 else { return [transform(0..<count)] }
    let results = Mutex([Result?](repeating: nil, count: parts))
    DispatchQueue.concurrentPerform(iterations: parts) { part in
        let result = transform((count * part / parts)..<(count * (part + 1) / parts))
        results.withLock { $0[part] = result }
    }
    return results.withLock { $0.map { $0! } }
}

/// `first()` and `second()` at the same time, on two cores.
func both<A: Sendable, B: Sendable>(_ first: @Sendable () -> A, _ second: @Sendable () -> B) -> (A, B) {
    let firstResult = Mutex<A?>(nil)
    let secondResult = Mutex<B?>(nil)
    DispatchQueue.concurrentPerform(iterations: 2) { index in
        if index == 0 {
            let result = first()
            firstResult.withLock { $0 = result }
        } else {
            let result = second()
            secondResult.withLock { $0 = result }
        }
    }
    return (firstResult.withLock { $0! }, secondResult.withLock { $0! })
}

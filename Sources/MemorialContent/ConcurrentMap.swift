import Dispatch
import Foundation
import Synchronization

extension Array where Element: Sendable {
    /// `map(transform)` on every core, in the same order: the array is cut into a few parts per
    /// core, so a cheap transform over 100,000 elements does not pay for 100,000 dispatches.
    package func concurrentMap<Result: Sendable>(_ transform: @Sendable (Element) -> Result) -> [Result] {
        concurrentChunks { range in self[range].map(transform) }.flatMap { $0 }
    }

    /// `transform` of a few ranges of indices per core that together cover the array, on every
    /// core; the results in the order of their ranges.
    package func concurrentChunks<Result: Sendable>(_ transform: @Sendable (Range<Int>) -> Result) -> [Result] {
        MemorialContent.concurrentChunks(count: count, transform)
    }
}

/// `transform` of a few ranges per core that together cover `0..<count`, on every core; the
/// results in the order of their ranges.
package func concurrentChunks<Result: Sendable>(count: Int, _ transform: @Sendable (Range<Int>) -> Result) -> [Result] {
    let parts = min(count, max(1, ProcessInfo.processInfo.activeProcessorCount) * 4)
    guard parts > 1 else { return [transform(0..<count)] }
    let results = Mutex([Result?](repeating: nil, count: parts))
    DispatchQueue.concurrentPerform(iterations: parts) { part in
        let result = transform((count * part / parts)..<(count * (part + 1) / parts))
        results.withLock { $0[part] = result }
    }
    return results.withLock { $0.map { $0! } }
}

/// `first()` and `second()` at the same time: `second` on another thread, `first` on this one.
/// Not two iterations of `concurrentPerform`: a `concurrentPerform` inside one of those (as in
/// rendering and loading) runs its iterations one after another, and rendering used one core.
package func both<A: Sendable, B: Sendable>(_ first: () -> A, _ second: @escaping @Sendable () -> B) -> (A, B) {
    let secondResult = Background(second)
    let firstResult = first()
    return (firstResult, secondResult.value)
}

/// A value worked out on another thread from the moment it is made; `value` waits for it.
package final class Background<Value: Sendable>: Sendable {
    private let result = Mutex<Value?>(nil)
    private let done = DispatchSemaphore(value: 0)

    package init(_ work: @escaping @Sendable () -> Value) {
        DispatchQueue.global().async {
            let value = work()
            self.result.withLock { $0 = value }
            self.done.signal()
        }
    }

    /// Waits for the value the first time; after that, it is at hand.
    package var value: Value {
        if let value = result.withLock({ $0 }) { return value }
        done.wait()
        done.signal()
        return result.withLock { $0! }
    }
}

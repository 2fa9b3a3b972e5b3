import Dispatch
import Foundation
import Synchronization

extension Array where Element: Sendable {
    /// `map(transform)` on every core, in the same order: the array is cut into a few parts per
    /// core, so a cheap transform over 100,000 elements does not pay for 100,000 dispatches.
    /// - Parameter eachAlone: whether each element is a part of its own, taken by the next free
    ///   thread (for few elements of much and uneven work, such as scans), rather than a few
    ///   ranges per thread.
    package func concurrentMap<Result: Sendable>(
        waiting: Int? = nil, eachAlone: Bool = false, _ transform: @Sendable (Element) -> Result
    ) -> [Result] {
        MemorialContent.concurrentChunks(count: count, waiting: waiting, eachAlone: eachAlone) { range in
            self[range].map(transform)
        }
        .flatMap { $0 }
    }
}

/// `transform` of a few ranges per core that together cover `0..<count`, on every core; the
/// results in the order of their ranges.
///
/// With `waiting` (work whose threads wait as well as compute: listing and reading folders that
/// are not in memory, or libvips' hand-offs between its own threads), on that many threads of
/// its own, each taking the next part when it is done with one: GCD runs no more than one thread
/// per core however long each waits, and more requests in flight let a disk serve them together
/// (a no-change build of 5,000 case folders not in memory: 1.1-1.6 s on two threads, 0.6-0.8 s
/// on 32).
package func concurrentChunks<Result: Sendable>(
    count: Int, waiting: Int? = nil, eachAlone: Bool = false, _ transform: @Sendable (Range<Int>) -> Result
) -> [Result] {
    let threads = max(1, waiting ?? ProcessInfo.processInfo.activeProcessorCount)
    let parts = eachAlone ? count : min(count, threads * 4)
    guard parts > 1 else { return [transform(0..<count)] }
    let results = Mutex([Result?](repeating: nil, count: parts))
    let run = { @Sendable (part: Int) in
        let result = transform((count * part / parts)..<(count * (part + 1) / parts))
        results.withLock { $0[part] = result }
    }
    if waiting == nil {
        DispatchQueue.concurrentPerform(iterations: parts, execute: run)
    } else {
        withoutActuallyEscaping(run) { run in
            // The threads hold the box, not `run`, which must not outlive this call: a thread
            // can still be ending after it has said it is done.
            let box = Shared<(@Sendable (Int) -> Void)?>(run)
            let next = Shared(0)
            let group = DispatchGroup()
            for _ in 0..<min(threads, parts) {
                group.enter()
                Thread {
                    do {
                        let run = box.value.withLock { $0 }!
                        while true {
                            let part = next.value.withLock { next in
                                defer { next += 1 }
                                return next
                            }
                            guard part < parts else { break }
                            run(part)
                        }
                    }
                    group.leave()
                }.start()
            }
            group.wait()
            box.value.withLock { $0 = nil }
        }
    }
    return results.withLock { $0.map { $0! } }
}

/// A value behind a lock that closures can share.
private final class Shared<Value: Sendable>: Sendable {
    let value: Mutex<Value>
    init(_ value: Value) { self.value = Mutex(value) }
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

/// Output paths in one buffer of bytes, each found by where it ends: a build's pages are three
/// million at a million records, and a String each (with the array of them, and the report's
/// copy) took a quarter of a GiB until the build finished.
struct PathList: Sendable {
    private var bytes: [UInt8] = []
    /// Where each path ends in `bytes` (it starts where the one before ends).
    private var ends: [Int32] = []

    init(capacity: Int = 0) {
        ends.reserveCapacity(capacity)
        bytes.reserveCapacity(capacity * 40)
    }

    var count: Int { ends.count }
    /// Of all the paths' UTF-8.
    var byteCount: Int { bytes.count }

    mutating func append(_ path: String) {
        bytes.append(contentsOf: path.utf8)
        ends.append(Int32(bytes.count))
    }

    /// These lists one after another.
    init(joining lists: [PathList]) {
        bytes.reserveCapacity(lists.reduce(0) { $0 + $1.bytes.count })
        ends.reserveCapacity(lists.reduce(0) { $0 + $1.count })
        for list in lists {
            let base = Int32(bytes.count)
            bytes.append(contentsOf: list.bytes)
            ends.append(contentsOf: list.ends.lazy.map { $0 + base })
        }
    }

    private func range(at index: Int) -> Range<Int> { (index == 0 ? 0 : Int(ends[index - 1]))..<Int(ends[index]) }

    subscript(index: Int) -> String { withPath(at: index) { String(decoding: $0, as: UTF8.self) } }

    func withPath<Result>(at index: Int, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        bytes.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[range(at: index)])) }
    }
}

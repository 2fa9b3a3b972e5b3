import Glibc

extension String {
    /// The byte offset in the string's UTF-8 where `needle` first occurs at or after byte
    /// `start`, found with memchr(3) and memcmp(3). Rendered HTML is searched for markup this way on every
    /// narrated case page: Foundation's `range(of:)` folds characters by locale, and the standard
    /// library's generic `firstRange(of:)` is not specialized for UTF-8 views; either took more
    /// instructions than rendering the page.
    package func utf8Offset(of needle: String, from start: Int = 0) -> Int? {
        var haystack = self
        var needle = needle
        return haystack.withUTF8 { bytes in
            needle.withUTF8 { pattern -> Int? in
                guard start <= bytes.count else { return nil }
                guard !pattern.isEmpty else { return start }
                guard let base = bytes.baseAddress, let wanted = pattern.baseAddress else { return nil }
                var from = start
                while bytes.count - from >= pattern.count,
                    let hit = memchr(base + from, Int32(wanted.pointee), bytes.count - from - pattern.count + 1)
                {
                    let offset = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    if memcmp(base + offset, wanted, pattern.count) == 0 { return offset }
                    from = offset + 1
                }
                return nil
            }
        }
    }

    /// The string with every occurrence of `target` replaced by `replacement`, found as bytes
    /// (see `utf8Offset(of:from:)`).
    package func replacingUTF8Occurrences(of target: String, with replacement: String) -> String {
        guard !target.isEmpty, var found = utf8Offset(of: target) else { return self }
        let bytes = Array(utf8)
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var copied = 0
        while true {
            result += bytes[copied..<found]
            result += replacement.utf8
            copied = found + target.utf8.count
            guard let next = utf8Offset(of: target, from: copied) else { break }
            found = next
        }
        result += bytes[copied...]
        return String(decoding: result, as: UTF8.self)
    }
}

import Testing

@testable import MemorialCore

@Suite struct FingerprintTests {
    /// The overloads give one value: concrete for speed, the generic one for other sequences.
    @Test func everyOverloadFingerprintsTheSameBytes() {
        let bytes = Array("Әлихан Бөкейханов, 1866–1937".utf8)
        let reference = Fingerprint.of(bytes)
        #expect(bytes.withUnsafeBytes { Fingerprint.of($0) } == reference)
        #expect(Fingerprint.of(bytes[...]) == reference)
        var fromText = Fingerprint()
        fromText.combine("Әлихан Бөкейханов, 1866–1937")
        #expect(fromText == reference)
    }

    /// Content fingerprints tell files apart whatever their length and wherever they differ.
    @Test func contentFingerprintsOfDifferentBytesDiffer() {
        var seen: [Fingerprint: [UInt8]] = [:]
        var inputs: [[UInt8]] = [[], [0], [0, 0], Array("a".utf8), Array("a\u{0}".utf8)]
        for length in 0..<40 {
            let base = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37) }
            inputs.append(base)
            for position in 0..<length {
                var changed = base
                changed[position] ^= 1
                inputs.append(changed)
            }
        }
        for input in inputs {
            let fingerprint = Fingerprint.ofContent(input)
            if let other = seen[fingerprint] { #expect(other == input) }
            seen[fingerprint] = input
        }
        #expect(Set(inputs).count == seen.count)
    }
}

/// A 128-bit FNV-1a fingerprint of bytes: stable across runs and machines (Swift's `Hasher` is
/// seeded per process), so build manifests can compare inputs and outputs between builds.
/// Not cryptographic; 128 bits keep accidental collisions out of reach at millions of files.
public struct Fingerprint: Sendable, Hashable, CustomStringConvertible {
    public private(set) var value: UInt128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d
    private static let prime: UInt128 = 0x0000_0000_0100_0000_0000_0000_0000_013B

    public init() {}

    public init(hex: some StringProtocol) {
        value = UInt128(hex, radix: 16) ?? 0
    }

    public mutating func combine(_ bytes: some Sequence<UInt8>) {
        var value = self.value
        for byte in bytes {
            value ^= UInt128(byte)
            value &*= Self.prime
        }
        // A separator, so that ("ab", "c") and ("a", "bc") differ.
        value ^= 0xFF
        value &*= Self.prime
        self.value = value
    }

    public mutating func combine(_ text: String) {
        var text = text
        text.withUTF8 { combine($0) }
    }

    public mutating func combine(_ number: Int) { combine(String(number)) }

    public mutating func combine(_ other: Fingerprint) { combine(other.description) }

    public static func of(_ bytes: some Sequence<UInt8>) -> Fingerprint {
        var fingerprint = Fingerprint()
        fingerprint.combine(bytes)
        return fingerprint
    }

    /// 32 hexadecimal digits.
    public var description: String {
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 32 - hex.count) + hex
    }
}

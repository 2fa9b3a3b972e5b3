/// A 128-bit FNV-1a fingerprint of bytes: stable across runs and machines (Swift's `Hasher` is
/// seeded per process), so build manifests can compare inputs and outputs between builds.
/// Not cryptographic; 128 bits keep accidental collisions out of reach at millions of files.
public struct Fingerprint: Sendable, Hashable, CustomStringConvertible {
    public private(set) var value: UInt128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d
    private static let prime: UInt128 = 0x0000_0000_0100_0000_0000_0000_0000_013B

    public init() {}

    /// A fingerprint as `value` gave it (for reading one back from a build's binary files).
    public init(value: UInt128) { self.value = value }

    /// The loop every other `combine` ends in. The overloads below are concrete, not generic,
    /// because a generic call from another module is not specialized: it walked a Sequence
    /// through witness tables at 60 ns a byte, where this loop takes under 2.
    public mutating func combine(_ bytes: UnsafeRawBufferPointer) {
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

    public mutating func combine(_ bytes: UnsafeBufferPointer<UInt8>) {
        combine(UnsafeRawBufferPointer(bytes))
    }

    public mutating func combine(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { combine($0) }
    }

    public mutating func combine(_ bytes: some Sequence<UInt8>) {
        if bytes.withContiguousStorageIfAvailable({ combine(UnsafeRawBufferPointer($0)) }) == nil {
            combine(Array(bytes))
        }
    }

    public mutating func combine(_ text: String) {
        var text = text
        text.withUTF8 { combine(UnsafeRawBufferPointer($0)) }
    }

    public mutating func combine(_ number: Int) {
        withUnsafeBytes(of: number.littleEndian) { combine($0) }
    }

    public mutating func combine(_ other: Fingerprint) {
        withUnsafeBytes(of: other.value.littleEndian) { combine($0) }
    }

    /// A fingerprint of a whole file's bytes for telling whether it changed: FNV-1a's offset
    /// and prime, but eight bytes a step (a page of the site took 17 µs a byte at a time, and
    /// every page written is fingerprinted), in four lanes that take every fourth word, so that
    /// the processor overlaps their multiplications (1.6 times as fast as one lane). Each step
    /// is a bijection of its lane for a given word, and the lanes are folded in order, each
    /// folding a bijection too: two files differing in one word never collide. Not the same
    /// value as `of`.
    public static func ofContent(_ bytes: UnsafeRawBufferPointer) -> Fingerprint {
        let basis = Fingerprint().value
        // Lanes start apart, so that words swapped between lanes give another fingerprint.
        var lanes = (basis, basis ^ 1, basis ^ 2, basis ^ 3)
        let count = bytes.count
        @inline(__always) func word(_ offset: Int) -> UInt128 {
            UInt128(UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
        }
        var offset = 0
        while offset + 32 <= count {
            lanes.0 = (lanes.0 ^ word(offset)) &* prime
            lanes.1 = (lanes.1 ^ word(offset + 8)) &* prime
            lanes.2 = (lanes.2 ^ word(offset + 16)) &* prime
            lanes.3 = (lanes.3 ^ word(offset + 24)) &* prime
            offset += 32
        }
        while offset + 8 <= count {
            lanes.0 = (lanes.0 ^ word(offset)) &* prime
            offset += 8
        }
        var value = (basis ^ lanes.0) &* prime
        value = (value ^ lanes.1) &* prime
        value = (value ^ lanes.2) &* prime
        value = (value ^ lanes.3) &* prime
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while offset < count {
            tail |= UInt64(bytes[offset]) << shift
            shift += 8
            offset += 1
        }
        // The tail, then the length: "a" and "a\0" differ.
        value ^= UInt128(tail)
        value &*= prime
        value ^= UInt128(count)
        value &*= prime
        return Fingerprint(value: value)
    }

    public static func ofContent(_ bytes: [UInt8]) -> Fingerprint {
        bytes.withUnsafeBytes { ofContent($0) }
    }

    public static func of(_ bytes: UnsafeRawBufferPointer) -> Fingerprint {
        var fingerprint = Fingerprint()
        fingerprint.combine(bytes)
        return fingerprint
    }

    public static func of(_ bytes: [UInt8]) -> Fingerprint {
        bytes.withUnsafeBytes { of($0) }
    }

    public static func of(_ bytes: some Sequence<UInt8>) -> Fingerprint {
        var fingerprint = Fingerprint()
        fingerprint.combine(bytes)
        return fingerprint
    }

    /// 32 hexadecimal digits.
    public var description: String {
        let digits = Array("0123456789abcdef".utf8)
        var bytes = [UInt8](repeating: 0, count: 32)
        var value = self.value
        for index in (0..<32).reversed() {
            bytes[index] = digits[Int(value & 0xF)]
            value >>= 4
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

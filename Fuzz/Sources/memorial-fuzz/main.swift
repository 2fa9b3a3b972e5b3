import MemorialContent

#if canImport(Glibc)
    import Glibc
#endif

// libFuzzer calls this once per input; the target is named by MEMORIAL_FUZZ_TARGET (csv,
// front-matter, yaml, load). FuzzTarget.run traps when an invariant breaks.
let target: FuzzTarget = {
    let name = getenv("MEMORIAL_FUZZ_TARGET").map { String(cString: $0) } ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        print("set MEMORIAL_FUZZ_TARGET to one of: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))")
        exit(2)
    }
    return target
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: start, count: count))
    target.run(bytes)
    return 0
}

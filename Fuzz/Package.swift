// swift-tools-version:6.0
import PackageDescription

// The fuzzer, a package of its own so that the main package's builds never compile it: built by
// `make fuzz` with `swift build --sanitize=fuzzer` (libFuzzer), which instruments the main
// package's code too.
let package = Package(
    name: "MemorialFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "Memorial", path: "..")],
    targets: [
        .executableTarget(
            name: "memorial-fuzz",
            dependencies: [.product(name: "MemorialContent", package: "Memorial")]
        )
    ],
    swiftLanguageModes: [.v6]
)

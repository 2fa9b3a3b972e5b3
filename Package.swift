// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Memorial",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "memorial", targets: ["memorial"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        // Tests only: the reference the template engine is compared with byte for byte.
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
        // The preview server: small (no SwiftNIO), so CI's fresh builds stay short.
        .package(url: "https://github.com/swhitty/FlyingFox", exact: "0.27.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CCMark",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
        ),
        .target(name: "MemorialCore"),
        .target(
            name: "MemorialBuild",
            dependencies: [
                "MemorialCore",
                "CCMark",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(
            name: "MemorialServe",
            dependencies: ["MemorialBuild", "MemorialCore", .product(name: "FlyingFox", package: "FlyingFox")]
        ),
        .executableTarget(
            name: "memorial",
            dependencies: [
                "MemorialBuild",
                "MemorialCore",
                "MemorialServe",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "MemorialCoreTests", dependencies: ["MemorialCore"]),
        .testTarget(
            name: "MemorialBuildTests",
            dependencies: [
                "MemorialBuild", "MemorialCore", "CCMark", "TestSupport", .product(name: "Yams", package: "Yams"),
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        .testTarget(
            name: "MemorialCLITests",
            dependencies: ["memorial", "TestSupport"]
        ),
    ],
    swiftLanguageModes: [.v6]
)

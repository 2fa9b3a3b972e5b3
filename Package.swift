// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Memorial",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "memorial", targets: ["memorial"]),
        // For the fuzzer's package in Fuzz/, which calls MemorialContent's `FuzzTarget`.
        .library(name: "MemorialContent", targets: ["MemorialContent"]),
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
        // C wrappers of libvips' variadic calls (the documents' images). The shim opens libvips
        // (Debian's libvips-dev) with dlopen at the first image rather than linking it: linked, it
        // and the 120 libraries it needs were loaded at every start, a third of a second of a
        // no-change rebuild not in memory. So its headers are found here, not through pkg-config,
        // which would link it: vips.h needs GLib's, whose configuration header is per architecture.
        .target(
            name: "CVipsShim",
            cSettings: [
                .unsafeFlags([
                    "-I/usr/include/glib-2.0", "-I/usr/lib/x86_64-linux-gnu/glib-2.0/include",
                    "-I/usr/lib/aarch64-linux-gnu/glib-2.0/include",
                ])
            ]
        ),
        // A bump allocator per thread for cmark-gfm's parses (see arena.c for why).
        .target(name: "CMarkArena"),
        // Values shared by every stage; no I/O.
        .target(name: "MemorialCore"),
        // The Mustache engine; knows nothing of sites.
        .target(name: "MemorialTemplates"),
        // Loading, parsing and resolving content into a `Site`; writes nothing.
        .target(
            name: "MemorialContent",
            dependencies: ["MemorialCore", "CCMark", "CMarkArena", .product(name: "Yams", package: "Yams")],
            // The interface strings' source files, embedded by `make templates`.
            exclude: ["Strings"]
        ),
        // Rendering, writing, the build state in its folder, checking and scaffolding.
        .target(
            name: "MemorialBuild",
            dependencies: ["MemorialCore", "MemorialContent", "MemorialTemplates", "CCMark", "CVipsShim"]
        ),
        .target(
            name: "MemorialServe",
            dependencies: [
                "MemorialBuild", "MemorialContent", "MemorialCore", "MemorialTemplates",
                .product(name: "FlyingFox", package: "FlyingFox"),
            ]
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
        .testTarget(name: "MemorialCoreTests", dependencies: ["MemorialCore", "TestSupport"]),
        .testTarget(
            name: "MemorialTemplatesTests",
            dependencies: [
                "MemorialTemplates", "TestSupport", .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        .testTarget(
            name: "MemorialContentTests",
            dependencies: ["MemorialContent", "MemorialCore", "CCMark", "TestSupport"]
        ),
        .testTarget(
            name: "MemorialBuildTests",
            dependencies: [
                "MemorialBuild", "MemorialContent", "MemorialTemplates", "MemorialCore", "TestSupport", "CVipsShim",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .testTarget(
            name: "MemorialCLITests",
            dependencies: ["memorial", "TestSupport"]
        ),
    ],
    swiftLanguageModes: [.v6]
)

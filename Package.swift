// swift-tools-version:6.0
import Foundation
import PackageDescription

/// jemalloc in place of glibc's malloc, for the executables on Linux: a
/// build makes and drops millions of small strings and arrays, and glibc's
/// allocator was an eighth of a clean build's CPU time. Debian
/// `libjemalloc-dev` to build, `libjemalloc2` to run (as `libcmark-gfm`).
/// `GLOSS_SYSTEM_MALLOC=1 swift build` leaves it out (a system without it).
let jemalloc: [LinkerSetting] = ProcessInfo.processInfo.environment["GLOSS_SYSTEM_MALLOC"] == "1"
    ? [] : [.linkedLibrary("jemalloc", .when(platforms: [.linux]))]

let package = Package(
    name: "Gloss",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "Gloss", targets: ["Gloss"]),
        .executable(name: "gloss", targets: ["GlossCLI"]),
        .executable(name: "gloss-serve", targets: ["GlossServeCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
    ],
    targets: [
        // The only door to C: Debian's libcmark-gfm through a module map.
        .systemLibrary(
            name: "CCmarkGFM",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"]), .brew(["cmark-gfm"])]
        ),
        // epoll and eventfd, for the preview server's socket pool on Linux.
        .systemLibrary(name: "CEpoll"),
        // jemalloc's options (`malloc_conf`) for the executables, and gloss-serve's
        // switch back to small pages: see its one file.
        .target(name: "CJemallocOptions"),
        .target(
            name: "Gloss",
            dependencies: [
                "CCmarkGFM",
                // Its libyaml (`CYaml`), which front matter is composed with.
                .product(name: "Yams", package: "Yams"),
            ],
            resources: [.copy("Theme")]
        ),
        // The preview server (`gloss serve`): HTTP, file watching, live reload.
        // A target of its own so the core builds without an HTTP library.
        .target(
            name: "GlossServe",
            dependencies: [
                "Gloss",
                .target(name: "CEpoll", condition: .when(platforms: [.linux])),
                .product(name: "FlyingFox", package: "FlyingFox"),
                .product(name: "FlyingSocks", package: "FlyingFox"),
            ]
        ),
        // `gloss`: build, render, check; `gloss serve` runs `gloss-serve`. Without
        // the HTTP stack, it starts in a third of the time.
        .executableTarget(
            name: "GlossCLI",
            dependencies: [
                "Gloss",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .target(name: "CJemallocOptions", condition: .when(platforms: [.linux])),
            ],
            linkerSettings: jemalloc
        ),
        .executableTarget(
            name: "GlossServeCLI",
            dependencies: ["GlossServe", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                           .target(name: "CJemallocOptions", condition: .when(platforms: [.linux]))],
            linkerSettings: jemalloc
        ),
        .testTarget(
            name: "GlossTests",
            // The executables, so that `swift test` builds the binaries the CLI tests run.
            // Yams: the front matter composer is tested against Yams' own.
            dependencies: ["Gloss", "GlossCLI", "GlossServeCLI", .product(name: "Yams", package: "Yams")],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "GlossServeTests",
            dependencies: ["Gloss", "GlossServe"]
        ),
    ]
)

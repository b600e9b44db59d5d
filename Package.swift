// swift-tools-version: 6.0
// The dependency arrows point one way:
//   Engine ← Trace ← Lessons ← Storyboard ← Terminal ← CLI ← tatami
//   NPY (file format) is used by Lessons and CLI only.
import PackageDescription

// The engine, the trace and the storyboard are optimized in debug builds too: the tests draw
// tens of thousands of frames of every lesson and of random layers, which unoptimized code
// draws ten times slower. Everything else keeps the debug build's checks and speed of build.
let optimized: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "tatami",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "tatami", targets: ["tatami"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .target(name: "Engine", swiftSettings: optimized),
        .target(name: "Trace", dependencies: ["Engine"], swiftSettings: optimized),
        .target(name: "NPY", dependencies: ["Engine"]),
        .target(name: "Lessons", dependencies: ["Engine", "Trace", "NPY"]),
        .target(name: "Storyboard", dependencies: ["Engine", "Trace", "Lessons"], swiftSettings: optimized),
        .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw"),
        .target(name: "Terminal", dependencies: ["Lessons", "Storyboard", "CNcursesw"]),
        .target(name: "CLI", dependencies: [
            "Engine", "Trace", "NPY", "Lessons", "Storyboard", "Terminal",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "tatami", dependencies: ["CLI"]),

        // What several test targets share: a terminal screen that replays asciicast recordings.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "EngineTests", dependencies: ["Engine"], exclude: ["article-statements.txt"]),
        .testTarget(name: "TraceTests", dependencies: ["Engine", "Trace", "Lessons"]),
        .testTarget(name: "NPYTests", dependencies: ["Engine", "NPY"]),
        .testTarget(name: "LessonsTests", dependencies: ["Engine", "Trace", "Lessons"]),
        .testTarget(name: "StoryboardTests", dependencies: ["Engine", "Trace", "Lessons", "Storyboard", "TestSupport"],
                    exclude: ["__Snapshots__"]),
        .testTarget(name: "CLITests", dependencies: ["CLI", "NPY", "Engine", "Trace", "Lessons", "TestSupport"]),
        .testTarget(name: "TerminalTests", dependencies: ["Terminal", "Storyboard", "Lessons", "Trace"]),
    ],
    swiftLanguageModes: [.v6]
)

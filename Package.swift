// swift-tools-version: 6.0
// The dependency arrows point one way:
//   Engine ← Trace ← Lessons ← Storyboard ← Terminal ← CLI ← tatami
//   NPY (file format) is used by Lessons and CLI only.
import PackageDescription

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
        .target(name: "Engine"),
        .target(name: "Trace", dependencies: ["Engine"]),
        .target(name: "NPY", dependencies: ["Engine"]),
        .target(name: "Lessons", dependencies: ["Engine", "Trace", "NPY"]),
        .target(name: "Storyboard", dependencies: ["Engine", "Trace", "Lessons"]),
        .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw"),
        .target(name: "Terminal", dependencies: ["Lessons", "Storyboard", "CNcursesw"]),
        .target(name: "CLI", dependencies: [
            "Engine", "Trace", "NPY", "Lessons", "Storyboard", "Terminal",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "tatami", dependencies: ["CLI"]),

        // What several test targets share: a terminal screen that replays asciicast recordings.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "EngineTests", dependencies: ["Engine"]),
        .testTarget(name: "TraceTests", dependencies: ["Engine", "Trace", "Lessons"]),
        .testTarget(name: "NPYTests", dependencies: ["Engine", "NPY"]),
        .testTarget(name: "LessonsTests", dependencies: ["Engine", "Trace", "Lessons"]),
        .testTarget(name: "StoryboardTests", dependencies: ["Engine", "Trace", "Lessons", "Storyboard", "TestSupport"],
                    exclude: ["__Snapshots__"]),
        .testTarget(name: "CLITests", dependencies: ["CLI", "NPY", "Engine", "Trace", "Lessons", "TestSupport"]),
        .testTarget(name: "TerminalTests", dependencies: ["Terminal", "Storyboard", "Lessons"]),
    ],
    swiftLanguageModes: [.v6]
)

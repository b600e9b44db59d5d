import Foundation
import XCTest

/// What one run of the real `tatami` executable did.
struct ExecutableResult {
    var status: Int32
    var stdout: String
    var stderr: String
    /// True when the run was stopped because it exceeded its time limit.
    var timedOut: Bool
}

/// Runs the built `tatami` executable as a user would, for tests that must see the real
/// exit codes, streams and files rather than calling the command types in-process.
enum Executable {
    /// The directory holding the build products of this test run (`.build/debug` or a
    /// `--scratch-path` equivalent).
    ///
    /// On Linux the test bundle is a plain executable named `*.xctest` in that directory;
    /// on macOS it is a bundle directory there. Either way its parent is the one wanted.
    static var productsDirectory: URL {
        if let bundle = Bundle.allBundles.first(where: { $0.bundlePath.hasSuffix(".xctest") }) {
            return bundle.bundleURL.deletingLastPathComponent()
        }
        return Bundle.main.bundleURL
    }

    /// The `tatami` executable; the test target depends on the CLI, and `swift test`
    /// builds every product, so it is normally there. If it is not, one build is tried,
    /// and a missing executable after that is a clear failure rather than a confusing one.
    static func tatami(file: StaticString = #filePath, line: UInt = #line) throws -> URL {
        let url = productsDirectory.appendingPathComponent("tatami")
        if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        try build(file: file, line: line)
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            let message = "the tatami executable is missing at \(url.path) even after `swift build --product tatami`"
            XCTFail(message, file: file, line: line)
            throw ExecutableError(message: message)
        }
        return url
    }

    /// Runs `tatami` with `arguments`.
    ///
    /// - Parameters:
    ///   - stdin: fed to the process's standard input; `nil` gives it `/dev/null`.
    ///   - environment: variables added to (or replacing those of) the test's environment.
    ///   - removing: variables removed from the inherited environment (e.g. `TERM`).
    ///   - directory: the working directory; `nil` keeps the test's.
    ///   - timeout: seconds before the process is terminated and `timedOut` is set.
    static func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:],
                    removing: Set<String> = [], directory: String? = nil, timeout: TimeInterval = 60,
                    file: StaticString = #filePath, line: UInt = #line) throws -> ExecutableResult {
        try run(executable: tatami(file: file, line: line), arguments, stdin: stdin, environment: environment,
                removing: removing, directory: directory, timeout: timeout)
    }

    /// Runs any executable the same way; `run(_:)` is this with the `tatami` product.
    static func run(executable: URL, _ arguments: [String], stdin: String? = nil, environment: [String: String] = [:],
                    removing: Set<String> = [], directory: String? = nil,
                    timeout: TimeInterval = 60) throws -> ExecutableResult {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tatami-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        // Files rather than pipes: a chatty process can never block on a full pipe buffer
        // while the test waits for it to exit.
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)
        defer {
            try? outHandle.close()
            try? errHandle.close()
        }

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        // Output depends on the locale (UTF-8 or ASCII): give every run a UTF-8 one unless the
        // test environment or the test itself chooses.
        if ["LC_ALL", "LC_CTYPE", "LANG"].allSatisfy({ (env[$0] ?? "").isEmpty }) { env["LANG"] = "C.UTF-8" }
        for name in removing { env[name] = nil }
        env.merge(environment) { _, new in new }
        process.environment = env
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.standardOutput = outHandle
        process.standardError = errHandle
        if let stdin {
            let inURL = scratch.appendingPathComponent("stdin")
            try Data(stdin.utf8).write(to: inURL)
            process.standardInput = try FileHandle(forReadingFrom: inURL)
        } else {
            process.standardInput = FileHandle.nullDevice
        }

        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        var timedOut = false
        while process.isRunning {
            if Date() > deadline {
                timedOut = true
                process.terminate()
                break
            }
            usleep(5_000)
        }
        process.waitUntilExit()
        let stdout = String(decoding: (try? Data(contentsOf: outURL)) ?? Data(), as: UTF8.self)
        let stderr = String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self)
        return ExecutableResult(status: process.terminationStatus, stdout: stdout, stderr: stderr, timedOut: timedOut)
    }

    /// Builds the `tatami` product into the same scratch directory as this test run.
    private static func build(file: StaticString, line: UInt) throws {
        // products are <scratch>/debug or <scratch>/<triple>/debug; the scratch directory is
        // the nearest ancestor holding SwiftPM's build database.
        var scratch = productsDirectory.deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: scratch.appendingPathComponent("build.db").path), scratch.pathComponents.count > 1 {
            scratch = scratch.deletingLastPathComponent()
        }
        let packageRoot = URL(fileURLWithPath: "\(file)").deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let arguments = ["swift", "build", "--product", "tatami", "--scratch-path", scratch.path, "--package-path", packageRoot.path]
        let result = try run(executable: URL(fileURLWithPath: "/usr/bin/env"), arguments, timeout: 1200)
        guard result.status == 0 else {
            let message = "building tatami for the tests failed (exit \(result.status)):\n\(result.stderr)\(result.stdout)"
            XCTFail(message, file: file, line: line)
            throw ExecutableError(message: message)
        }
    }
}

struct ExecutableError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

import Foundation
import XCTest

/// The built `tatami` copied alone into an empty folder and run from `/`, as after copying it
/// onto `PATH`: it still has its course, and `--lessons DIR` gives it a teacher's own.
final class InstallTests: XCTestCase {
    private var home: URL!
    private var installed: URL!

    override func setUpWithError() throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("tatami-install-\(UUID().uuidString)")
        let bin = home.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        installed = bin.appendingPathComponent("tatami")
        try FileManager.default.copyItem(at: try Executable.tatami(), to: installed)
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/Lessons"),
                       "a /Lessons folder would be used instead of the built-in course; these tests need it absent")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: home)
    }

    private var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Runs the copied binary from `/`, with HOME in the temporary folder and a UTF-8 locale.
    private func installedTatami(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> ExecutableResult {
        let result = try Executable.run(executable: installed, arguments,
                                        environment: ["HOME": home.path, "LANG": "C.UTF-8"],
                                        removing: ["LC_ALL", "LC_CTYPE"], directory: "/")
        XCTAssertFalse(result.timedOut, "tatami \(arguments.joined(separator: " ")) timed out", file: file, line: line)
        return result
    }

    /// The English title in a lesson file's front matter.
    private func title(of lesson: URL) throws -> String {
        let text = try String(contentsOf: lesson, encoding: .utf8)
        let line = try XCTUnwrap(text.split(separator: "\n").first { $0.hasPrefix("title.en:") })
        return line.dropFirst("title.en:".count).trimmingCharacters(in: .whitespaces)
    }

    func testAlonePlacedBinaryListsTheShippedCourse() throws {
        let list = try installedTatami(["list", "--lang", "en"])
        XCTAssertEqual(list.status, 0, list.stderr)
        let lessons = packageRoot.appendingPathComponent("Lessons")
        let shipped = try FileManager.default.contentsOfDirectory(atPath: lessons.path)
            .filter { $0.hasSuffix(".md") && $0.lowercased() != "readme.md" }.sorted()
        XCTAssertFalse(shipped.isEmpty)
        XCTAssertTrue(list.stdout.contains(try title(of: lessons.appendingPathComponent("01-sliding-filter.md"))), list.stdout)
        for name in shipped {
            XCTAssertTrue(list.stdout.contains(name), "\(name) is in Lessons/ but not built into tatami (run scripts/embed-lessons.sh)")
        }
    }

    func testAlonePlacedBinaryRendersTheFirstFrameOfLessonOne() throws {
        let alone = try installedTatami(["render", "1", "--step", "1", "--color", "never", "--lang", "en"])
        XCTAssertEqual(alone.status, 0, alone.stderr)
        XCTAssertTrue(alone.stdout.contains(try title(of: packageRoot.appendingPathComponent("Lessons/01-sliding-filter.md"))))
        // The built-in copy draws the same frame as the lesson file in the project.
        let fromProject = try Executable.run(["render", "1", "--step", "1", "--color", "never", "--lang", "en"],
                                             environment: ["LANG": "C.UTF-8"], removing: ["LC_ALL", "LC_CTYPE"],
                                             directory: packageRoot.path)
        XCTAssertEqual(fromProject.status, 0, fromProject.stderr)
        XCTAssertEqual(alone.stdout, fromProject.stdout, "the built-in lesson 01 differs from Lessons/01-sliding-filter.md")
    }

    func testLessonsOptionShowsATeachersOwnFolder() throws {
        let own = home.appendingPathComponent("my lessons")
        try FileManager.default.createDirectory(at: own, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: packageRoot.appendingPathComponent("Lessons/01-sliding-filter.md"),
                                         to: own.appendingPathComponent("01-my-first-lesson.md"))
        let list = try installedTatami(["list", "--lessons", own.path, "--lang", "en"])
        XCTAssertEqual(list.status, 0, list.stderr)
        let lines = list.stdout.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        XCTAssertEqual(lines.count, 1, list.stdout)
        XCTAssertTrue(list.stdout.contains("01-my-first-lesson.md"), list.stdout)
        XCTAssertFalse(list.stdout.contains("02-im2col-matrix"), "only the given folder is listed")

        let render = try installedTatami(["render", "01-my-first-lesson", "--lessons", own.path, "--step", "1", "--color", "never"])
        XCTAssertEqual(render.status, 0, render.stderr)
        let missing = try installedTatami(["list", "--lessons", home.appendingPathComponent("nowhere").path])
        XCTAssertEqual(missing.status, 1)
        XCTAssertFalse(missing.stderr.isEmpty)
    }

    func testVersionHelpAndCompletionScripts() throws {
        let version = try installedTatami(["--version"])
        XCTAssertEqual(version.status, 0, version.stderr)
        XCTAssertNotNil(version.stdout.range(of: #"^\d+\.\d+\.\d+\s*$"#, options: .regularExpression), version.stdout)

        let help = try installedTatami(["help", "render"])
        XCTAssertEqual(help.status, 0, help.stderr)
        for option in ["--step", "--all", "--size", "--color", "--lang", "--lessons"] {
            XCTAssertTrue(help.stdout.contains(option), "help render lists \(option)")
        }
        let recordHelp = try installedTatami(["help", "record"])
        XCTAssertEqual(recordHelp.status, 0, recordHelp.stderr)
        for option in ["--output", "--size", "--step-seconds", "--lang", "--symbols", "--lessons"] {
            XCTAssertTrue(recordHelp.stdout.contains(option), "help record lists \(option)")
        }

        for shell in ["bash", "zsh", "fish"] {
            let script = try installedTatami(["--generate-completion-script", shell])
            XCTAssertEqual(script.status, 0, script.stderr)
            XCTAssertTrue(script.stdout.contains("render"), "the \(shell) script completes render")
            XCTAssertTrue(script.stdout.contains("record"), "the \(shell) script completes record")
        }
    }
}

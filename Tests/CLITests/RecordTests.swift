import Foundation
import XCTest
import TestSupport

/// `tatami record` through the real executable: the file it writes is a valid asciicast whose
/// replay ends on the frame `tatami render` prints for the last step.
final class RecordTests: XCTestCase {
    /// UTF-8 whatever the machine's locale, so that `render` draws the same characters as a
    /// recording (which always uses Unicode).
    private let environment = ["LANG": "C.UTF-8"]
    private let removing: Set<String> = ["LC_ALL", "LC_CTYPE"]
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("tatami-record-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private func tatami(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> ExecutableResult {
        let result = try Executable.run(arguments, environment: environment, removing: removing,
                                        directory: packageRoot.path, file: file, line: line)
        XCTAssertFalse(result.timedOut, "tatami \(arguments.joined(separator: " ")) timed out", file: file, line: line)
        return result
    }

    private var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The number of steps of a lesson, from the separator lines of `render --all`.
    private func stepCount(_ lesson: String, file: StaticString = #filePath, line: UInt = #line) throws -> Int {
        let all = try tatami(["render", lesson, "--all", "--color", "never"], file: file, line: line)
        XCTAssertEqual(all.status, 0, all.stderr, file: file, line: line)
        return all.stdout.components(separatedBy: "\n").filter { $0.hasPrefix("── step ") }.count
    }

    private func readCast(_ url: URL, file: StaticString = #filePath, line: UInt = #line) throws -> ParsedCast {
        let text = try String(contentsOf: url, encoding: .utf8)
        switch ParsedCast.parse(text) {
        case .success(let cast): return cast
        case .failure(let error):
            XCTFail(error.description, file: file, line: line)
            throw error
        }
    }

    /// Records `lesson` and compares the replayed end of the recording with `render --step LAST`.
    private func assertRecordingEndsOnRender(_ lesson: String, _ options: [String], stepSeconds: Double = 1,
                                             file: StaticString = #filePath, line: UInt = #line) throws -> ParsedCast {
        let out = folder.appendingPathComponent("\(lesson).cast")
        let record = try tatami(["record", lesson, "-o", out.path, "--size", "100x32",
                                 "--step-seconds", String(stepSeconds)] + options, file: file, line: line)
        XCTAssertEqual(record.status, 0, record.stderr, file: file, line: line)
        XCTAssertEqual(record.stdout, "", file: file, line: line)
        let cast = try readCast(out, file: file, line: line)
        XCTAssertEqual((cast.header["version"] as? NSNumber)?.intValue, 2, file: file, line: line)
        XCTAssertEqual((cast.header["width"] as? NSNumber)?.intValue, 100, file: file, line: line)
        XCTAssertEqual((cast.header["height"] as? NSNumber)?.intValue, 32, file: file, line: line)
        for (a, b) in zip(cast.events, cast.events.dropFirst()) {
            XCTAssertLessThanOrEqual(a.time, b.time, file: file, line: line)
        }

        let last = try stepCount(lesson, file: file, line: line)
        XCTAssertGreaterThan(last, 1, file: file, line: line)
        // Every step is held at least one step time, so the recording lasts at least that long.
        XCTAssertGreaterThanOrEqual(cast.events.last?.time ?? 0, Double(last) * stepSeconds, file: file, line: line)

        let render = try tatami(["render", lesson, "--step", String(last), "--size", "100x32", "--color", "never"] + options,
                                file: file, line: line)
        XCTAssertEqual(render.status, 0, render.stderr, file: file, line: line)
        var expected = render.stdout.components(separatedBy: "\n")
        if expected.last == "" { expected.removeLast() }
        let screen = cast.replay()
        XCTAssertEqual(screen.problems, [], file: file, line: line)
        XCTAssertEqual(screen.lines.count, expected.count, file: file, line: line)
        for (n, (got, want)) in zip(screen.lines, expected).enumerated() where got != want {
            XCTFail("row \(n + 1) of the replay:\n got: \(got)\nwant: \(want)", file: file, line: line)
            break
        }
        return cast
    }

    func testTheRecordingOfLessonOneEndsOnItsLastRenderedFrame() throws {
        let cast = try assertRecordingEndsOnRender("1", ["--lang", "en"])
        XCTAssertEqual(cast.header["title"] as? String, "The sliding filter")
        XCTAssertTrue(cast.events.contains { $0.text.contains("\u{1B}[30;42m") }, "the recording has colours")
        // Phase changes are held longer than ordinary steps.
        let gaps = zip(cast.events, cast.events.dropFirst()).map { $1.time - $0.time }
        XCTAssertTrue(gaps.contains(1))
        XCTAssertTrue(gaps.contains { $0 >= 3 })
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        XCTAssertEqual(files, ["1.cast"], "the temporary file is renamed, not left behind")
    }

    func testJapaneseSymbolsAndPoolingRecordingsEndOnTheirRenderedFrames() throws {
        let ja = try assertRecordingEndsOnRender("1", ["--lang", "ja", "--symbols"], stepSeconds: 0.25)
        XCTAssertEqual(ja.header["title"] as? String, "フィルタをずらしながら掛ける")
        _ = try assertRecordingEndsOnRender("10", ["--lang", "en"], stepSeconds: 0.5)
    }

    func testEveryShippedLessonInBothLanguagesEndsOnItsLastFrame() throws {
        let lessons = try FileManager.default.contentsOfDirectory(atPath: packageRoot.appendingPathComponent("Lessons").path)
            .filter { $0.hasSuffix(".md") && $0.lowercased() != "readme.md" }.sorted()
        XCTAssertFalse(lessons.isEmpty)
        let out = folder.appendingPathComponent("lesson.cast")
        for name in lessons {
            for lang in ["en", "ja"] {
                let what = "\(name) in \(lang)"
                let record = try tatami(["record", "Lessons/\(name)", "-o", out.path, "--lang", lang, "--step-seconds", "0.1"])
                XCTAssertEqual(record.status, 0, "\(what): \(record.stderr)")
                let all = try tatami(["render", "Lessons/\(name)", "--all", "--color", "never", "--lang", lang])
                XCTAssertEqual(all.status, 0, "\(what): \(all.stderr)")
                // The last frame is what follows the last separator line of `render --all`.
                var lines = all.stdout.components(separatedBy: "\n")
                if lines.last == "" { lines.removeLast() }
                guard let separator = lines.lastIndex(where: { $0.hasPrefix("── step ") }) else {
                    XCTFail("\(what): render --all printed no step")
                    continue
                }
                let expected = Array(lines[(separator + 1)...])
                let screen = try readCast(out).replay()
                XCTAssertEqual(screen.problems, [], what)
                XCTAssertEqual(screen.lines, expected, what)
            }
        }
    }

    func testRefusalsAreOneSentenceAndLeaveNoFile() throws {
        let existing = folder.appendingPathComponent("keep.cast")
        try Data("old".utf8).write(to: existing)
        let missing = folder.appendingPathComponent("no-such-folder/x.cast").path
        // 1 for what the command line names (a folder), 64 for the command line itself.
        let cases: [([String], String, Int32)] = [
            (["record", "1", "-o", missing], "does not exist", 1),
            (["record", "1", "-o", existing.path, "--size", "100by32"], "--size", 64),
            (["record", "1", "-o", existing.path, "--size", "5x5"], "--size", 64),
            (["record", "1", "-o", existing.path, "--size", "63x40"], "--size 63x40 is too small", 64),
            (["record", "1", "-o", existing.path, "--step-seconds", "fast"], "--step-seconds", 64),
            (["record", "1", "-o", existing.path, "--step-seconds", "-1"], "--step-seconds must be more than 0", 64),
            (["record", "1", "-o", existing.path, "--step-seconds", "nan"], "--step-seconds", 64),
            (["record", "1", "-o", folder.path], "is a folder", 1),
            (["record", "1", "-o", existing.path, "--lang", "fr"], "--lang", 64),
            (["record", "1", "-o", existing.path, "--symbols", "--numbers"], "--symbols", 64),
            (["record", "-o", existing.path], "name a lesson", 64),
            (["record", "1", "-o", ""], "-o needs a file name", 64),
        ]
        for (arguments, phrase, status) in cases {
            let result = try tatami(arguments)
            let what = arguments.joined(separator: " ")
            XCTAssertEqual(result.status, status, "\(what): \(result.stderr)")
            let lines = result.stderr.split(separator: "\n")
            XCTAssertEqual(lines.count, 1, "one sentence for \(what): \(result.stderr)")
            XCTAssertTrue(result.stderr.hasPrefix("tatami: "), what)
            XCTAssertTrue(result.stderr.contains(phrase), "\(what): \(result.stderr)")
            XCTAssertTrue(result.stderr.hasSuffix(".\n"), what)
            XCTAssertFalse(result.stderr.contains("Fatal error"), what)
        }
        XCTAssertEqual(try String(contentsOf: existing, encoding: .utf8), "old", "a refused recording leaves the file alone")
        XCTAssertFalse(FileManager.default.fileExists(atPath: missing))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["keep.cast"])
    }
}

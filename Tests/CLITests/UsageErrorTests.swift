import ArgumentParser
import Engine
import Foundation
import Storyboard
import XCTest
@testable import CLI

/// A command line tatami refuses is one sentence, `tatami: <sentence>.`, and exit code 64 in
/// every command, whether argument-parser or tatami's own checks refuse it.
final class UsageErrorTests: XCTestCase {
    private var folder = ""

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "tatami-usage-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Runs tatami and expects exit code 64 and exactly `line` (without `tatami: ` and the
    /// period added after it) as the whole of stderr, with nothing on stdout.
    private func refused(_ arguments: [String], _ line: String, file: StaticString = #filePath, line number: UInt = #line) throws {
        let r = try Executable.run(arguments, directory: folder, timeout: 30, file: file, line: number)
        XCTAssertEqual(r.status, 64, "\(arguments): \(r.stderr)", file: file, line: number)
        let sentence = line.hasSuffix("?") ? line : line + "."
        XCTAssertEqual(r.stderr, "tatami: \(sentence)\n", "\(arguments)", file: file, line: number)
        XCTAssertEqual(r.stdout, "", "\(arguments)", file: file, line: number)
    }

    /// `-1` is a value here, not an option: `--stride -1` says what the least stride is.
    func testNegativeAndZeroNumbersSayTheirLeastValueInEveryCommand() throws {
        let out = folder + "/out.cast"
        for command in [["play"], ["trace"], ["render"], ["record", "-o", out], ["export", "-o", folder + "/out.html"]] {
            try refused(command + ["--op", "conv", "--stride", "-1"], "--stride must be at least 1 (got -1)")
            try refused(command + ["--op", "conv", "--stride=-1"], "--stride must be at least 1 (got -1)")
            try refused(command + ["--op", "conv", "--pad", "-1"], "--pad must be at least 0 (got -1)")
            try refused(command + ["--op", "conv", "--pad", "1,-1"], "--pad must be at least 0 (got 1,-1)")
            try refused(command + ["--op", "conv", "--dilation", "0"], "--dilation must be at least 1 (got 0)")
            try refused(command + ["--op", "conv", "--filter", "0,1,3,3"],
                        "--filter 0,1,3,3 asks for 0 filters; every size must be at least 1")
            try refused(command + ["--op", "conv", "--shape", "1,1,-4,4"],
                        "--shape 1,1,-4,4 asks for -4 rows; every size must be at least 1")
            try refused(command + ["--op", "pool", "--pool", "-2"], "--pool must be at least 1 (got -2)")
            try refused(command + ["--op", "pool", "--stride", "0"], "--stride must be at least 1 (got 0)")
        }
        try refused(["play", "--speed", "-1"], "--speed must be more than 0 and at most 1000 steps per second (got -1)")
        try refused(["render", "1", "--step", "-3"], "--step must be at least 1 (got -3)")
        try refused(["record", "1", "-o", out, "--step-seconds", "0"], "--step-seconds must be more than 0 and at most 60 (got 0)")
        try refused(["bench", "--iters", "-5"], "--iters must be from 1 to 1000 (got -5)")
        let x = folder + "/x.npy", o = folder + "/o"
        try refused(["compute", "conv2d", "--x", x, "--w", x, "--out", o, "--stride", "-1"], "--stride must be at least 1 (got -1)")
        try refused(["compute", "maxpool", "--x", x, "--out", o, "--pool", "0"], "--pool must be at least 1 (got 0)")
        try refused(["compute", "im2col", "--x", x, "--out", o, "--filter", "-1,2"], "--filter must be at least 1 (got -1,2)")
        try refused(["compute", "col2im", "--cols", x, "--out", o, "--filter", "2", "--shape", "1,-1,4,4"],
                    "--shape 1,-1,4,4 asks for -1 channels; every size must be at least 1")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), [], "nothing is written")
    }

    /// argument-parser's own refusals take the same form and code as tatami's.
    func testArgumentParsersRefusalsAreOneLineToo() throws {
        try refused(["play", "--strid", "2"], "Unknown option '--strid'. Did you mean '--stride'?")
        try refused(["list", "--lang"], "Missing value for '--lang <lang>'")
        try refused(["check", "--nothing"], "Unknown option '--nothing'")
        try refused(["render", "1", "--step", "two"], "The value 'two' is invalid for '--step <step>'")
        try refused(["compute", "conv2d", "--x", "x.npy", "--out", "o"], "Missing expected argument '--w <w.npy>'")
    }

    /// `--lang` is one option shared by every command: refused alike, in any letter case.
    func testLanguageIsReadAlikeByEveryCommand() throws {
        for command in [["list"], ["render", "1"], ["play", "1"], ["record", "1", "-o", folder + "/a.cast"],
                        ["export", "1", "-o", folder + "/a.html"]] {
            try refused(command + ["--lang", "fr"], "--lang must be en or ja, not \"fr\"")
        }
        let list = try Executable.run(["list", "--lang", "JA"])
        XCTAssertEqual(list.status, 0, list.stderr)
        XCTAssertTrue(list.stdout.contains("ステップ"), list.stdout)
        let render = try Executable.run(["render", "1", "--lang", "Ja", "--color", "NEVER"])
        XCTAssertEqual(render.status, 0, render.stderr)
        XCTAssertTrue(render.stdout.contains("フィルタ"), render.stdout)
    }

    /// The typed values the options are read into, parsed in-process.
    func testOptionsAreReadIntoTypedValues() throws {
        let render = try Render.parseAsRoot(["1", "--size", "80X24", "--color", "Always", "--layout", "ROWS",
                                             "--lang", "ja", "--symbols"]) as? Render
        let r = try XCTUnwrap(render)
        XCTAssertEqual(try r.frame.size.value(), Size(width: 80, height: 24))
        XCTAssertEqual(try r.encoding.color?.value("--color"), .always)
        XCTAssertEqual(try r.source.layout?.value("--layout"), .rows)
        XCTAssertEqual(try r.view.language.language(), .ja)
        XCTAssertEqual(try PairArgument(argument: "2").value("--stride", atLeast: 1, example: ""), Pair(2))
        XCTAssertEqual(try PairArgument(argument: " 2, 1").value("--stride", atLeast: 1, example: ""), Pair(2, 1))
        XCTAssertEqual(try PaddingArgument(argument: "SAME").value(), .same)
        XCTAssertEqual(try PaddingArgument(argument: "0,1").value(), .pair(Pair(0, 1)))
        XCTAssertEqual(try ShapeArgument(argument: "2,3,5,5").value("--shape", axes: ShapeArgument.inputAxes), [2, 3, 5, 5])

        // Refused while parsing, by `validate()`, before any command runs.
        XCTAssertThrowsError(try Tatami.parseAsRoot(["play", "--op", "conv", "--stride", "-1"])) { error in
            XCTAssertEqual(Tatami.exitCode(for: error), .validationFailure)
            XCTAssertEqual(Tatami.message(for: error), "--stride must be at least 1 (got -1)")
        }
    }

    /// One definition of each option group: the free-play options and their refusals are the
    /// same in every command that takes a lesson.
    func testTheCommandsThatTakeALessonShareOneDefinitionOfTheirOptions() throws {
        let groups: [(String, [String])] = [("play", []), ("trace", []), ("render", []), ("record", ["-o", "x.cast"]),
                                              ("export", ["-o", "x.html"])]
        for (command, extra) in groups {
            XCTAssertThrowsError(try Tatami.parseAsRoot([command] + extra + ["--op", "pool", "--filter", "1,1,2,2"])) { error in
                XCTAssertEqual(Tatami.message(for: error),
                               "--filter does not apply to pooling: pooling has a window (--pool), not a filter", command)
            }
            let parsed = try Tatami.parseAsRoot([command] + extra + ["--op", "CONV", "--shape", "1,2,5,5", "--pad", "same"])
            let source = try XCTUnwrap(Self.source(of: parsed), command)
            XCTAssertEqual(try source.free.settings()?.operation, .conv, command)
            XCTAssertEqual(try source.free.settings()?.shape, [1, 2, 5, 5], command)
        }
    }

    private static func source(of command: any ParsableCommand) -> LessonSourceArguments? {
        switch command {
        case let c as Play: return c.source
        case let c as TraceCommand: return c.source
        case let c as Render: return c.source
        case let c as Record: return c.source
        case let c as Export: return c.source
        default: return nil
        }
    }
}

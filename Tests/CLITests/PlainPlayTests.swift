import Foundation
import XCTest

/// `play --plain`: the lesson in sentences, driven by lines on stdin through a pipe.
final class PlainPlayTests: XCTestCase {
    /// Lesson 01's step count, read from the lesson and its trace.
    private var steps: Int { (try? ShownSteps.of("01-sliding-filter.md").count) ?? 0 }

    /// The step numbers the output announces, in order.
    private func announced(_ output: String) -> [Int] {
        let count = steps
        return output.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("Step "), let n = Int(line.dropFirst(5).prefix { $0.isNumber }),
                  line.contains(" of \(count), phase ") else { return nil }
            return n
        }
    }

    private func hasBoxDrawing(_ s: String) -> Bool {
        s.unicodeScalars.contains { (0x2500...0x257F).contains($0.value) }
    }

    func testEnterStepsForwardBGoesBackAndQQuits() throws {
        // Lesson 01 starts in symbols; --numbers asks for the numbers.
        let r = try Executable.run(["play", "01", "--plain", "--numbers"], stdin: "\n\n\nb\n\nq\n\n\n", timeout: 30)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertFalse(r.timedOut)
        XCTAssertEqual(r.stderr, "")
        XCTAssertEqual(announced(r.stdout), [1, 2, 3, 4, 3, 4], r.stdout)
        XCTAssertTrue(r.stdout.hasPrefix("Lesson: The sliding filter\n"), r.stdout)
        XCTAssertEqual(r.stdout.components(separatedBy: "Lesson: ").count, 2, "the title is said once")
        XCTAssertFalse(hasBoxDrawing(r.stdout), r.stdout)
        XCTAssertFalse(r.stdout.contains("\u{1B}"), "no escape codes")
        // The arithmetic line of the frame, and the cell it wrote, in words.
        XCTAssertTrue(r.stdout.contains("out[0, 0, 0, 0] = 1·1 + 2·2 + 5·3 + 6·4 = 44\nout[0, 0, 0, 0] is now 44."), r.stdout)
    }

    func testEveryStepInOrderToTheEndAndTheEndOfInputQuits() throws {
        // The lesson asks two questions on the way; an empty line shows the answer and goes on.
        let count = steps
        let r = try Executable.run(["play", "01", "--plain"], stdin: String(repeating: "\n", count: count + 10), timeout: 60)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(announced(r.stdout), Array(1...count))
        XCTAssertEqual(r.stdout.components(separatedBy: "Question: ").count - 1, 2, r.stdout)
        XCTAssertEqual(r.stdout.components(separatedBy: "The answer is ").count - 1, 2, r.stdout)
        XCTAssertTrue(r.stdout.contains("The answer is (4, 9)."), r.stdout)
        XCTAssertTrue(r.stdout.contains("This is the last step, \(count) of \(count)."), r.stdout)
        XCTAssertFalse(hasBoxDrawing(r.stdout))
    }

    /// A question is said before its step; the next lines are the student's tries: one that is
    /// not a shape is explained, a wrong one gets the hint, a right one shows the step. The
    /// lesson's answer to a question on the whole phase waits for the phase's last step.
    func testAQuestionTakesTheNextLinesAsTriesUntilRight() throws {
        let r = try Executable.run(["play", "01", "--plain"], stdin: "12\nmy guess\n(4, 8)\n(4, 9)\n11\n12\nq\n", timeout: 30)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(announced(r.stdout), [1, 12, 11, 12], r.stdout)
        let question = try XCTUnwrap(r.stdout.range(of: "Question: Before it is built"))
        let unreadable = try XCTUnwrap(r.stdout.range(of: "Type a shape, such as (4, 9)."))
        let wrong = try XCTUnwrap(r.stdout.range(of: "Not yet: 2 tries left. Hint: "))
        let right = try XCTUnwrap(r.stdout.range(of: "Right.\n\nStep 12 of \(steps)"))
        XCTAssertTrue(question.upperBound < unreadable.lowerBound && unreadable.upperBound < wrong.lowerBound
                      && wrong.upperBound < right.lowerBound, r.stdout)
        XCTAssertEqual(r.stdout.components(separatedBy: "Question: ").count - 1, 1, "an answered question is not asked again")
        XCTAssertFalse(r.stdout.contains("The lesson's answer: (4, 9)"), "the im2col matrix is not built yet at its first step")
    }

    func testANumberGoesToThatStepAndJapaneseSaysItInJapanese() throws {
        let r = try Executable.run(["play", "01", "--plain"], stdin: "7\n99\nx\n2\nq\n", timeout: 30)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(announced(r.stdout), [1, 7, 2])
        XCTAssertTrue(r.stdout.contains("There is no step 99; the steps go from 1 to \(steps)."), r.stdout)
        let ja = try Executable.run(["play", "01", "--plain", "--lang", "ja"], stdin: "\nq\n", timeout: 30)
        XCTAssertEqual(ja.status, 0, ja.stderr)
        XCTAssertTrue(ja.stdout.contains("ステップ 1 / \(steps)、フェーズ 1 / 10「入力」。"), ja.stdout)
        XCTAssertTrue(ja.stdout.contains("ステップ 2 / \(steps)"), ja.stdout)
        XCTAssertTrue(ja.stdout.contains("は 1 になりました。"), ja.stdout)
        XCTAssertFalse(hasBoxDrawing(ja.stdout))
    }

    /// Without --plain, a pipe still gets today's frames as plain text.
    func testWithoutPlainAPipeStillGetsTheFrames() throws {
        let r = try Executable.run(["play", "01"], stdin: "\n", timeout: 60)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("── step 1/\(steps)"), String(r.stdout.prefix(300)))
        XCTAssertTrue(announced(r.stdout).isEmpty)
    }

    /// TERM=dumb on a real terminal plays in sentences instead of refusing; `script` gives the
    /// run a terminal, and its input is the typed lines.
    func testTermDumbOnATerminalPlaysPlain() throws {
        let script = URL(fileURLWithPath: "/usr/bin/script")
        guard FileManager.default.isExecutableFile(atPath: script.path) else { throw XCTSkip("no script(1) here") }
        let tatami = try Executable.tatami()
        let r = try Executable.run(executable: script, ["-qec", "'\(tatami.path)' play 01", "/dev/null"],
                                   stdin: "\n\nq\n", environment: ["TERM": "dumb"], timeout: 30)
        XCTAssertFalse(r.timedOut)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertEqual(announced(r.stdout.replacingOccurrences(of: "\r", with: "")), [1, 2, 3], r.stdout)
        XCTAssertFalse(r.stdout.contains("cannot run here"), r.stdout)
        XCTAssertFalse(hasBoxDrawing(r.stdout), r.stdout)
    }
}

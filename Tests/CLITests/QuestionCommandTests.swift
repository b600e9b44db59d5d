import Foundation
import XCTest

/// Questions from the outside: `practice` through a pipe, `--log`, `report`, `check` refusing an
/// answer the layer does not compute, and `render --all` asking before it answers.
final class QuestionCommandTests: XCTestCase {
    /// Lesson 01's output cell (i, j) by the definition: input 1…16 as 4×4, filter 1…4 as 2×2.
    private func out(_ i: Int, _ j: Int) -> (value: Int, sum: String) {
        var value = 0
        var terms: [String] = []
        for a in 0..<2 {
            for b in 0..<2 {
                let x = (i + a) * 4 + (j + b) + 1, w = a * 2 + b + 1
                value += x * w
                terms.append("\(x)·\(w)")
            }
        }
        return (value, terms.joined(separator: " + "))
    }

    private func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tatami-q-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    private func records(_ url: URL) throws -> [[String: Any]] {
        try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map {
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    func testPracticeThroughAPipeGradesEachStepAndLogsIt() throws {
        let log = try scratch().appendingPathComponent("a.jsonl")
        let c = out(0, 2), d = out(1, 0)
        // Steps 1-4 (input, pad, and the two worked steps of slide), then c wrong and right,
        // then d right at once, then quit.
        let stdin = "\n\n\n\n\(c.value - 1)\n\(c.value)\n\n\(d.value)\nq\n"
        let r = try Executable.run(["practice", "01", "--log", log.path], stdin: stdin, timeout: 30)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("Question: What does out[0,0,0,2] hold after this step?"), r.stdout)
        XCTAssertTrue(r.stdout.contains("Not yet: 2 tries left. Hint: out[0, 0, 0, 2] = \(c.sum) = ?"), r.stdout)
        XCTAssertTrue(r.stdout.contains("Right.\n\nStep 5 of"), r.stdout)
        XCTAssertTrue(r.stdout.contains("out[0, 0, 0, 2] is now \(c.value)."), r.stdout)
        XCTAssertTrue(r.stdout.contains("Question: What does out[0,0,1,0] hold after this step?"), r.stdout)
        XCTAssertTrue(r.stdout.contains("Score: 1 of "), r.stdout)
        XCTAssertTrue(r.stdout.contains("steps right at the first try. Steps missed: 5."), r.stdout)
        let logged = try records(log)
        XCTAssertEqual(logged.count, 2)
        XCTAssertEqual(logged[0]["lesson"] as? String, "01")
        XCTAssertEqual(logged[0]["step"] as? Int, 5)
        XCTAssertEqual(logged[0]["phase"] as? String, "slide")
        XCTAssertEqual(logged[0]["answer"] as? String, String(c.value))
        XCTAssertEqual(logged[0]["correct"] as? Bool, true)
        XCTAssertEqual(logged[0]["tries"] as? Int, 2)
        XCTAssertEqual(logged[1]["step"] as? Int, 6)
        XCTAssertEqual(logged[1]["tries"] as? Int, 1)
        XCTAssertNotNil(logged[1]["seconds"] as? Double)
        // A second run appends.
        _ = try Executable.run(["practice", "01", "--log", log.path], stdin: "\n\n\n\n\(c.value)\nq\n", timeout: 30)
        XCTAssertEqual(try records(log).count, 3)
    }

    func testPracticeOfAnIm2colPhaseAsksForTheCellsCopied() throws {
        // Column 2 of the im2col matrix is the window of c: input cells (0,2) (0,3) (1,2) (1,3).
        let window = "x_pad[0,0,1,3] x_pad[0,0,0,2] x_pad[0,0,1,2] x_pad[0,0,0,3]"
        let r = try Executable.run(["practice", "01", "--phase", "im2col", "--plain"], stdin: "\n\n\(window)\nq\n", timeout: 30)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("Which 4 cells of x_pad land in cols[0,2] … cols[3,2]?"), r.stdout)
        XCTAssertTrue(r.stdout.contains("Right."), r.stdout)
    }

    func testAnUnwritableLogIsRefusedBeforePlay() throws {
        let r = try Executable.run(["play", "01", "--plain", "--log", "/nonexistent-folder/a.jsonl"], stdin: "q\n", timeout: 30)
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stdout, "", "nothing is played")
        XCTAssertTrue(r.stderr.hasPrefix("tatami: cannot write the answer log /nonexistent-folder/a.jsonl:"), r.stderr)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1)
    }

    func testReportCountsRightFirstTriesWorstFirst() throws {
        let dir = try scratch()
        func line(_ lesson: String, _ step: Int, _ correct: Bool, _ tries: Int) -> String {
            "{\"lesson\": \"\(lesson)\", \"step\": \(step), \"phase\": \"slide\", \"question\": \"q\(step)\", \"answer\": \"1\", \"correct\": \(correct), \"tries\": \(tries), \"seconds\": 1.5}"
        }
        // 01/5: 3 answers, 1 right first; 01/6: 2 answers, both right first; 02/3: 1 answer, 0.
        try [line("01", 5, true, 1), line("01", 5, true, 2), line("01", 6, true, 1)].joined(separator: "\n")
            .write(to: dir.appendingPathComponent("a.jsonl"), atomically: true, encoding: .utf8)
        try [line("01", 5, false, 3), line("02", 3, false, 1), line("01", 6, true, 1), ""].joined(separator: "\n")
            .write(to: dir.appendingPathComponent("b.jsonl"), atomically: true, encoding: .utf8)
        let files = ["a.jsonl", "b.jsonl"].map { dir.appendingPathComponent($0).path }
        let table = try Executable.run(["report"] + files)
        XCTAssertEqual(table.status, 0, table.stderr)
        let rows = table.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        XCTAssertEqual(rows.count, 4, table.stdout)
        XCTAssertEqual(rows[0].prefix(4), ["lesson", "step", "phase", "right"])
        XCTAssertEqual(rows.dropFirst().map { Array($0.prefix(4)) },
                       [["02", "3", "slide", "0/1"], ["01", "5", "slide", "1/3"], ["01", "6", "slide", "2/2"]])
        let json = try Executable.run(["report", "--json"] + files)
        XCTAssertEqual(json.status, 0, json.stderr)
        let value = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let jsonRows = try XCTUnwrap(value["rows"] as? [[String: Any]])
        XCTAssertEqual(jsonRows.map { "\($0["lesson"]!)/\($0["step"]!) \($0["right_first_try"]!)/\($0["answers"]!)" },
                       ["02/3 0/1", "01/5 1/3", "01/6 2/2"])
        try "\(line("01", 5, true, 1))\nnot json\n".write(to: dir.appendingPathComponent("c.jsonl"), atomically: true, encoding: .utf8)
        let bad = try Executable.run(["report", dir.appendingPathComponent("c.jsonl").path])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("c.jsonl:2: this line is not an answer record"), bad.stderr)
    }

    func testCheckRefusesAnAnswerTheLayerDoesNotCompute() throws {
        let dir = try scratch()
        let c = out(0, 2).value
        let text = try String(contentsOfFile: "Lessons/01-sliding-filter.md", encoding: .utf8)
            .replacingOccurrences(of: "answer: (4, 9)", with: "answer: out[0,0,0,2] = \(c + 1)")
        let file = dir.appendingPathComponent("01-bad.md")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let line = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("answer: out[0,0,0,2]") }! + 1
        let r = try Executable.run(["check", file.path])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("\(file.path):\(line):9: the layer computes out[0,0,0,2] = \(c) by the end of this phase, not \(c + 1)"), r.stderr)
    }

    func testRenderAllAsksEachQuestionBeforeItsAnswer() throws {
        for lesson in ["01", "05", "10"] {
            let r = try Executable.run(["render", lesson, "--all", "--size", "100x32"], timeout: 60)
            XCTAssertEqual(r.status, 0, r.stderr)
            let questions = r.stdout.components(separatedBy: "\nQuestion: ").count - 1
            XCTAssertGreaterThan(questions, 0, lesson)
            XCTAssertEqual(r.stdout.components(separatedBy: "\nAnswer: ").count - 1, questions, lesson)
            // The answer's frame recalls the question it answers.
            XCTAssertEqual(r.stdout.components(separatedBy: "\nAsked: ").count - 1, questions, lesson)
            // Each question's frame comes before its answer's, and no answer comes before its question.
            var rest = Substring(r.stdout)
            for _ in 0..<questions {
                let q = try XCTUnwrap(rest.range(of: "\nQuestion: "), lesson)
                let a = try XCTUnwrap(rest.range(of: "\nAnswer: "), lesson)
                XCTAssertLessThan(q.lowerBound, a.lowerBound, lesson)
                rest = rest[a.upperBound...]
            }
        }
    }

    func testRecordHoldsEachQuestionBeforeItsAnswer() throws {
        let file = try scratch().appendingPathComponent("01.cast")
        let r = try Executable.run(["record", "01", "-o", file.path, "--step-seconds", "0.2"], timeout: 60)
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n").dropFirst()
        let events = try lines.map { try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [Any]) }
        let times = events.map { ($0[0] as? Double) ?? 0 }
        let texts = events.map { ($0[2] as? String) ?? "" }
        let asked = texts.indices.filter { texts[$0].contains("Question: Before it is built") }
        let answered = texts.indices.filter { texts[$0].contains("Answer: (4, 9)") }
        let q = try XCTUnwrap(asked.first), a = try XCTUnwrap(answered.first)
        XCTAssertLessThan(q, a, "the question is recorded before its answer")
        XCTAssertGreaterThanOrEqual(times[q + 1] - times[q], 4, "held long enough to read")
    }

    /// Lesson 02 asks for the im2col matrix's shape, (4, 9) in the article's layout. With
    /// `--layout rows` the matrix is (9, 4): the lesson still plays (its question is only
    /// discussed there), and `check` still holds the lesson to its own layout.
    func testAnotherLayoutKeepsTheLessonButNotItsShapeAnswer() throws {
        let rows = try Executable.run(["render", "02", "--all", "--layout", "rows", "--color", "never"])
        XCTAssertEqual(rows.status, 0, rows.stderr)
        XCTAssertTrue(rows.stdout.contains("cols  (9, 4)"), "the rows layout's matrix")
        let check = try Executable.run(["check", "Lessons/02-im2col-matrix.md"])
        XCTAssertEqual(check.status, 0, check.stderr)
    }
}

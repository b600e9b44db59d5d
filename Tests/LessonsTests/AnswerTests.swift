import XCTest
import Engine
import Trace
@testable import Lessons

/// `answer:` lines: every kind read, every mistake reported where it is, answers checked against
/// the trace, and typed answers graded.
final class AnswerTests: XCTestCase {
    /// `minimal` with a question on step `step` of `slide` (lines 12-17; `answer:` on line 15).
    private func asking(_ answer: String, extra: String = "", step: String = "### step 1") -> String {
        minimal + "\n" + step + "\n? en: What now?\n? ja: どうなるでしょう？\n" + answer + "\n" + extra + "> en: See.\n> ja: 見てみましょう。\n"
    }

    private func expected(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> AnswerSpec? {
        lesson(text, file: file, line: line)?.questions.first?.expected
    }

    private func only(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> LessonProblem? {
        let p = problems(text, file: file, line: line)
        XCTAssertEqual(p.count, 1, "\(p)", file: file, line: line)
        return p.first
    }

    // MARK: reading

    func testEveryKindOfAnswerIsRead() throws {
        XCTAssertEqual(expected(asking("answer: 64")), .number(64))
        XCTAssertEqual(expected(asking("answer: -0.25")), .number(-0.25))
        XCTAssertEqual(expected(asking("answer: out[0,0,0,2]")), .cellValue(CellName(tensor: "out", index: [0, 0, 0, 2]), stated: nil))
        XCTAssertEqual(expected(asking("answer: out[0, 0, 0, 2] = 64")), .cellValue(CellName(tensor: "out", index: [0, 0, 0, 2]), stated: 64))
        XCTAssertEqual(expected(asking("answer: (4, 9)")), .shape([4, 9]))
        XCTAssertEqual(expected(asking("answer: cells x_pad[0,0,1,1] x_pad[0,0,1,2]")),
                       .cells([CellName(tensor: "x_pad", index: [0, 0, 1, 1]), CellName(tensor: "x_pad", index: [0, 0, 1, 2])]))
        let q = try XCTUnwrap(lesson(asking("answer: choice 2", extra: "choices.en: adds | overwrites\nchoices.ja: 足す | 上書きする\n"))?.questions.first)
        XCTAssertEqual(q.expected, .choice(2))
        XCTAssertEqual(q.choices, [Localized(en: "adds", ja: "足す"), Localized(en: "overwrites", ja: "上書きする")])
        XCTAssertEqual([q.answerLine, q.answerColumn], [15, 9])
        XCTAssertEqual(q.answer, Localized(en: "See.", ja: "見てみましょう。"), "the `>` answer still follows")
        XCTAssertNil(lesson(asking(""))?.questions.first?.expected, "a question without `answer:` is only discussed")
    }

    func testEveryMistakeInAnAnswerLineIsReportedWhereItIs() throws {
        let cases: [(String, Int, String)] = [
            ("answer:", 8, "write the answer after `answer:`"),
            ("answer: (4, 9", 14, "close the shape"),
            ("answer: (4, x)", 10, "a shape is whole numbers"),
            ("answer: cells", 14, "name the cells after `cells`"),
            ("answer: cells x", 16, "needs its index in brackets"),
            ("answer: cells x[0,a]", 17, "an index is whole numbers"),
            ("answer: cells x[0,0", 16, "close the index"),
            ("answer: choice two", 15, "as a number from 1"),
            ("answer: sixty-four", 9, "is not an answer"),
            ("answer: out[0,0] = lots", 20, "after `=` write the value"),
            ("answer: x[0,0] x[0,1]", 9, "for several cells write `cells` first"),
        ]
        for (line, column, words) in cases {
            let p = try XCTUnwrap(only(asking(line)), line)
            XCTAssertEqual([p.line, p.column], [15, column], "\(line): \(p)")
            XCTAssertTrue(p.message.contains(words), "\(line): \(p.message)")
        }
    }

    func testAnswerLinesOutOfPlaceAndChoicesThatDoNotFitAreReported() throws {
        // Before any question, and after the question's `>` answer.
        var p = try XCTUnwrap(only(minimal + "\nanswer: 3\n"))
        XCTAssertEqual(p.line, 12)
        XCTAssertTrue(p.message.contains("right after the question's `? ja:` line"), p.message)
        p = try XCTUnwrap(only(asking("", extra: "") + "answer: 3\n"))
        XCTAssertTrue(p.message.contains("before its `> en:` answer"), p.message)
        p = try XCTUnwrap(only(asking("answer: 3\nanswer: 4")))
        XCTAssertEqual(p.line, 16)
        XCTAssertTrue(p.message.contains("already has an `answer:` line on line 15"), p.message)
        p = try XCTUnwrap(only(asking("answer: choice 2")))
        XCTAssertEqual([p.line, p.column], [15, 9])
        XCTAssertTrue(p.message.contains("add `choices.en: … | …`"), p.message)
        p = try XCTUnwrap(only(asking("answer: choice 3", extra: "choices.en: a | b\nchoices.ja: あ | い\n")))
        XCTAssertTrue(p.message.contains("there is no choice 3"), p.message)
        p = try XCTUnwrap(only(asking("answer: choice 1", extra: "choices.en: a | b\nchoices.ja: あ | い | う\n")))
        XCTAssertEqual(p.line, 17)
        XCTAssertTrue(p.message.contains("the same choices in both languages"), p.message)
        p = try XCTUnwrap(only(asking("answer: 2", extra: "choices.en: a | b\nchoices.ja: あ | い\n")))
        XCTAssertEqual(p.line, 16)
        XCTAssertTrue(p.message.contains("choices go with `answer: choice N`"), p.message)
        p = try XCTUnwrap(only(asking("answer: choice 1", extra: "choices.en: only one\nchoices.ja: あ | い\n")))
        XCTAssertEqual([p.line, p.column], [16, 12])
        XCTAssertTrue(p.message.contains("two or more choices"), p.message)
    }

    // MARK: against the trace

    /// out of `minimal` by the definition: x is 1…9 as a 3×3 image, w is 1…4 as 2×2, stride 1.
    private func out(_ i: Int, _ j: Int) -> Double {
        var sum = 0.0
        for a in 0..<2 { for b in 0..<2 { sum += Double((i + a) * 3 + (j + b) + 1) * Double(a * 2 + b + 1) } }
        return sum
    }

    private func checked(_ text: String) throws -> [LessonProblem] {
        let l = try XCTUnwrap(lesson(text))
        switch LessonReader.check(l) {
        case .success: return []
        case .failure(let p): return Array(p)
        }
    }

    func testCheckAcceptsAnswersTheLayerComputesAndRefusesOthersAtTheirLine() throws {
        let first = AnswerKey.format(out(0, 0)), third = AnswerKey.format(out(1, 0))
        XCTAssertEqual(try checked(asking("answer: out[0,0,0,0] = \(first)")), [])
        XCTAssertEqual(try checked(asking("answer: out[0,0,1,0] = \(third)", step: "### step 3")), [])
        let wrong = try checked(asking("answer: out[0,0,0,0] = \(AnswerKey.format(out(0, 0) + 1))"))
        XCTAssertEqual(wrong.count, 1)
        XCTAssertEqual([wrong[0].line, wrong[0].column], [15, 9])
        XCTAssertTrue(wrong[0].message.contains("the layer computes out[0,0,0,0] = \(first)"), wrong[0].message)
        // A cell the step has not reached yet still holds 0.
        XCTAssertTrue(try checked(asking("answer: out[0,0,1,1] = \(AnswerKey.format(out(1, 1)))"))[0].message.contains("= 0 at this step"))
        // The window of step 2: input cells (0,1) (0,2) (1,1) (1,2).
        let window = "x_pad[0,0,0,1] x_pad[0,0,0,2] x_pad[0,0,1,1] x_pad[0,0,1,2]"
        XCTAssertEqual(try checked(asking("answer: cells " + window, step: "### step 2")), [])
        let missing = try checked(asking("answer: cells x_pad[0,0,0,1] x_pad[0,0,0,2]", step: "### step 2"))
        XCTAssertTrue(missing.first?.message.contains("also touches x_pad[0,0,1,1]") == true, "\(missing)")
        let stray = try checked(asking("answer: cells " + window + " x_pad[0,0,2,2]", step: "### step 2"))
        XCTAssertTrue(stray.first?.message.contains("x_pad[0,0,2,2] is not read or written in this step") == true, "\(stray)")
        let unknown = try checked(asking("answer: outt[0,0,0,0]"))
        XCTAssertTrue(unknown.first?.message.contains("there is no tensor `outt`") == true, "\(unknown)")
        let outside = try checked(asking("answer: out[0,0,2,0]"))
        XCTAssertTrue(outside.first?.message.contains("is outside `out`, whose shape is (1, 1, 2, 2)") == true, "\(outside)")
    }

    func testShapesAreThoseOfThePhasesTensors() throws {
        // im2col of a 3×3 image and a 2×2 filter: (C·FH·FW, B·OH·OW) = (4, 4).
        let text = minimal + "\n## im2col\n\n? en: Shape?\n? ja: 形状は？\nanswer: (4, 4)\n> en: (4, 4).\n> ja: (4, 4) です。\n"
        XCTAssertEqual(try checked(text), [])
        let wrong = try checked(text.replacingOccurrences(of: "answer: (4, 4)", with: "answer: (4, 9)"))
        XCTAssertEqual(wrong.count, 1)
        XCTAssertTrue(wrong[0].message.contains("no tensor of this phase has the shape (4, 9)"), wrong[0].message)
        XCTAssertTrue(wrong[0].message.contains("(4, 4)"), wrong[0].message)
    }

    func testAPhaseQuestionIsAnsweredWithThePhasesResult() throws {
        // On the whole phase, a cell is read after its last step: the last output is computed.
        let text = minimal.replacingOccurrences(of: "ja: フィルタをずらします。", with: "ja: フィルタをずらします。\n\n? en: Last?\n? ja: 最後は？\nanswer: out[0,0,1,1] = \(AnswerKey.format(out(1, 1)))\n> en: See.\n> ja: 見ましょう。")
        XCTAssertEqual(try checked(text), [])
    }

    // MARK: grading

    func testTypedAnswersAreGradedByKind() {
        XCTAssertEqual(AnswerCheck.verdict("64", key: .number(64)), .right)
        XCTAssertEqual(AnswerCheck.verdict(" 64.0 ", key: .number(64)), .right)
        XCTAssertEqual(AnswerCheck.verdict("65", key: .number(64)), .wrong)
        XCTAssertEqual(AnswerCheck.verdict("64", key: .number(64.4)), .wrong, "a whole number is not rounded")
        XCTAssertEqual(AnswerCheck.verdict("0.33", key: .number(1.0 / 3)), .right, "the decimals typed are compared")
        XCTAssertEqual(AnswerCheck.verdict("0.34", key: .number(1.0 / 3)), .wrong)
        XCTAssertEqual(AnswerCheck.verdict("−0.2", key: .number(-0.2)), .right, "a typographic minus")
        guard case .unreadable = AnswerCheck.verdict("sixty", key: .number(64)) else { return XCTFail() }
        XCTAssertEqual(AnswerCheck.verdict("(4, 9)", key: .shape([4, 9])), .right)
        XCTAssertEqual(AnswerCheck.verdict("4x9", key: .shape([4, 9])), .right)
        XCTAssertEqual(AnswerCheck.verdict("(9, 4)", key: .shape([4, 9])), .wrong)
        let window: AnswerKey = .cells([CellName(tensor: "x", index: [0, 0, 1, 1]), CellName(tensor: "x", index: [0, 0, 1, 2])])
        XCTAssertEqual(AnswerCheck.verdict("x[0,0,1,2] x[0, 0, 1, 1]", key: window), .right, "in any order, spaces allowed")
        XCTAssertEqual(AnswerCheck.verdict("cells x[0,0,1,1], x[0,0,1,2]", key: window), .right)
        XCTAssertEqual(AnswerCheck.verdict("x[0,0,1,1]", key: window), .wrong, "every cell is needed")
        XCTAssertEqual(AnswerCheck.verdict("x[0,0,1,1] x[0,0,1,2] x[0,0,2,2]", key: window), .wrong, "and no other")
        XCTAssertEqual(AnswerCheck.verdict(cells: [CellName(tensor: "x", index: [0, 0, 1, 1]), CellName(tensor: "x", index: [0, 0, 1, 2])], key: window), .right,
                       "cells picked with a cursor are graded the same way")
        let choice: AnswerKey = .choice(2, choices: ["adds", "overwrites"])
        XCTAssertEqual(AnswerCheck.verdict("2", key: choice), .right)
        XCTAssertEqual(AnswerCheck.verdict("Overwrites", key: choice), .right)
        XCTAssertEqual(AnswerCheck.verdict("1", key: choice), .wrong)
        guard case .unreadable = AnswerCheck.verdict("3", key: choice) else { return XCTFail() }
        XCTAssertEqual(window.text, "x[0,0,1,1] x[0,0,1,2]")
        XCTAssertEqual(choice.text, "2. overwrites")
    }

    func testTriesRevealTheAnswerAfterThreeWrongOrOnRequest() {
        var a = AnswerAttempts(key: .number(64))
        XCTAssertEqual(a.submit("sixty"), .unreadable("type a number, such as 64 or -0.5"))
        XCTAssertEqual(a.tries, 0, "an unreadable answer is not a try")
        XCTAssertEqual(a.submit("60"), .wrong(left: 2))
        XCTAssertEqual(a.submit("61"), .wrong(left: 1))
        XCTAssertEqual(a.submit("62"), .revealed)
        XCTAssertEqual(a.state, .revealed)
        XCTAssertEqual(a.submit("64"), .closed, "a closed question takes no more answers")
        XCTAssertFalse(a.rightFirstTime)

        var b = AnswerAttempts(key: .number(64))
        XCTAssertEqual(b.submit("63"), .wrong(left: 2))
        XCTAssertEqual(b.submit("64"), .right)
        XCTAssertEqual(b.tries, 2)
        XCTAssertFalse(b.rightFirstTime)

        var c = AnswerAttempts(key: .shape([4, 9]))
        c.reveal()
        XCTAssertEqual(c.state, .revealed)
        XCTAssertEqual(c.tries, 0)

        var d = AnswerAttempts(key: .shape([4, 9]))
        XCTAssertEqual(d.submit("(4, 9)"), .right)
        XCTAssertTrue(d.rightFirstTime)
    }
}

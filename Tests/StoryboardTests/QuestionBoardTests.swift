import XCTest
import Engine
import Trace
import Lessons
import Storyboard

/// Questions on the board: keys evaluated from the trace, no answer before its step, the
/// question frame, and the steps a practice asks for.
final class QuestionBoardTests: XCTestCase {
    /// The seed's example with a question on slide step 3 and one on the whole im2col phase.
    private var board: Storyboard {
        let scenario = Scenario(operation: .conv, x: Fixtures.ramp([1, 1, 4, 4]), w: Fixtures.ramp([1, 1, 2, 2]))
        let questions = [
            Question(phase: PhaseRef(kind: .slide), step: 3, prompt: Localized(en: "c?", ja: "c は？"),
                     answer: Localized(en: "c is 64", ja: "c は 64"),
                     expected: .cellValue(CellName(tensor: "out", index: [0, 0, 0, 2]), stated: nil)),
            Question(phase: PhaseRef(kind: .im2col), step: nil, prompt: Localized(en: "shape?", ja: "形状は？"),
                     answer: Localized(en: "it is (4, 9)", ja: "(4, 9) です"), expected: .shape([4, 9])),
        ]
        let lesson = Lesson(path: "q.md", title: Localized(en: "Q", ja: "Q"), summary: Localized(en: "", ja: ""),
                            scenario: scenario, questions: questions)
        return Storyboard(lesson: lesson, trace: try! Trace.record(scenario))
    }

    /// out[0,0,i,j] of the seed's example by the definition.
    private func out(_ i: Int, _ j: Int) -> Double {
        var sum = 0.0
        for a in 0..<2 { for b in 0..<2 { sum += Double((i + a) * 4 + (j + b) + 1) * Double(a * 2 + b + 1) } }
        return sum
    }

    private let size = Size(width: 100, height: 32)

    private func said(_ b: Storyboard, _ step: Int) -> String {
        b.frame(at: step, size: size, options: ViewOptions()).text
    }

    func testKeysAreReadFromTheTraceAndHintsHideTheResult() throws {
        let b = board
        let c = Fixtures.step(b, "slide", 3)
        let asked = try XCTUnwrap(b.asked(before: c, language: .en))
        XCTAssertEqual(asked.key, .number(out(0, 2)))
        XCTAssertEqual(asked.phase, "slide")
        XCTAssertEqual(asked.hint, "out[0, 0, 0, 2] = 3·1 + 4·2 + 7·3 + 8·4 = ?")
        XCTAssertFalse(asked.hint.contains(AnswerKey.format(out(0, 2))))
        XCTAssertEqual(b.asked(before: Fixtures.step(b, "im2col"), language: .ja)?.key, .shape([4, 9]))
        XCTAssertNil(b.asked(before: c + 1, language: .en))
    }

    func testNoAnswerIsShownBeforeTheStepThatComputesIt() {
        let b = board
        let c = Fixtures.step(b, "slide", 3)
        XCTAssertFalse(said(b, c - 1).contains("c is 64"))
        XCTAssertTrue(said(b, c).contains("Answer: c is 64"))
        let first = Fixtures.step(b, "im2col"), last = Fixtures.step(b, "filter-reshape") - 1
        for s in first..<last { XCTAssertFalse(said(b, s).contains("it is (4, 9)"), "step \(s)") }
        XCTAssertTrue(said(b, last).contains("Answer: it is (4, 9)"), "a phase's question is answered at its end")
        XCTAssertEqual(b.account(ofStep: last, options: ViewOptions())?.answer, "it is (4, 9)")
        XCTAssertNil(b.account(ofStep: first, options: ViewOptions())?.answer)
    }

    func testTheQuestionFrameShowsTheStepBeforeWithTheQuestion() throws {
        let b = board
        let c = Fixtures.step(b, "slide", 3)
        let frame = try XCTUnwrap(b.questionFrame(before: c, size: size, options: ViewOptions())).text
        XCTAssertTrue(frame.contains("Question: c?"), frame)
        XCTAssertFalse(frame.contains("Answer:"), frame)
        XCTAssertTrue(frame.contains("= \(AnswerKey.format(out(0, 1)))"), "the frame is the step before: b computed")
        XCTAssertFalse(frame.contains("= \(AnswerKey.format(out(0, 2)))"), "c is not computed yet")
        XCTAssertNil(b.questionFrame(before: c + 1, size: size, options: ViewOptions()))
    }

    func testPracticeAsksForEveryComputedStepAfterTheWorkedOnes() throws {
        let practice = PracticeBoard(board: board)
        let slide = Fixtures.step(board, "slide")
        // 3×3 outputs: the first two shown worked, the other seven asked, each with its value.
        let asked = practice.practiceSteps.filter { (slide..<slide + 9).contains($0) }
        XCTAssertEqual(asked, Array(slide + 2..<slide + 9))
        for (k, step) in asked.enumerated() {
            let n = k + 2
            let q = try XCTUnwrap(practice.asked(before: step, language: .en))
            XCTAssertEqual(q.key, .number(out(n / 3, n % 3)), "output \(n)")
            XCTAssertEqual(q.prompt, "What does out[0,0,\(n / 3),\(n % 3)] hold after this step?")
        }
        XCTAssertNil(practice.asked(before: Fixtures.step(board, "input"), language: .en))
        XCTAssertTrue(practice.practiceSteps.allSatisfy { $0 >= slide }, "the input and padding are only shown")
        // im2col: the cells of the window column 2 copies.
        let im2col = Fixtures.step(board, "im2col", 3)
        let cells = Set([[0, 2], [0, 3], [1, 2], [1, 3]].map { CellName(tensor: "x_pad", index: [0, 0] + $0) })
        XCTAssertEqual(practice.asked(before: im2col, language: .en)?.key, .cells(cells))
        XCTAssertEqual(PracticeBoard(board: board, phase: "gemm").practiceSteps.first, Fixtures.step(board, "gemm", 3))
    }

    func testTheScoreCountsFirstTriesAndNamesTheStepsMissed() {
        let records = [
            AnswerRecord(lesson: "01", step: 3, phase: "slide", question: "", answer: "1", correct: true, tries: 1, seconds: 1),
            AnswerRecord(lesson: "01", step: 4, phase: "slide", question: "", answer: "1", correct: true, tries: 2, seconds: 1),
            AnswerRecord(lesson: "01", step: 5, phase: "slide", question: "", answer: "", correct: false, tries: 3, seconds: 1),
        ]
        let score = PracticeScore(practiceSteps: [2, 3, 4, 5], records: records)
        XCTAssertEqual(score.rightFirstTry, 1)
        XCTAssertEqual(score.missed, [4, 5])
        XCTAssertEqual(score.notAnswered, 1)
        XCTAssertEqual(score.text(.en), "Score: 1 of 4 steps right at the first try. Steps missed: 4, 5. Not answered: 1.")
    }
}

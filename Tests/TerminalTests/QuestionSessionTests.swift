import XCTest
import Lessons
import Storyboard
@testable import Terminal

/// The question box of the player: typing, checking, the hint after a wrong try, the answer
/// after three or on Tab, Esc for later, and the records `--log` writes.
final class QuestionSessionTests: XCTestCase {
    private func model(key: AnswerKey = .number(64), hint: String = "3·1 + 4·2 + 7·3 + 8·4 = ?") -> PlayerModel {
        var source = TestSource()
        source.questions = [2: "What is c?"]
        source.keys = [2: key]
        source.hints = [2: hint]
        var model = PlayerModel(source, start: 1)
        let ticker = Ticker()
        model.clock = { ticker.tick() }
        model.lessonName = "01"
        model.press(.right)
        return model
    }

    private var session: (PlayerModel) -> QuestionSession? = { m in
        if case .question(let s) = m.overlay { return s }
        return nil
    }

    func testAWrongAnswerGetsTheHintAndARightOneShowsTheStep() throws {
        var m = model()
        XCTAssertEqual(m.asking?.step, 2)
        m.type("65")
        XCTAssertEqual(session(m)?.typed, "65")
        m.press(.enter)
        XCTAssertEqual(session(m)?.feedback, .wrong(hint: "3·1 + 4·2 + 7·3 + 8·4 = ?", left: 2))
        XCTAssertEqual(m.step, 1, "a wrong answer does not show the step")
        XCTAssertEqual(session(m)?.typed, "", "the box is ready for the next try")
        let screen = Screen.compose(m, size: Size(width: 70, height: 20)).text
        XCTAssertTrue(screen.contains("Not yet (2 tries left)."), screen)
        XCTAssertTrue(screen.contains("Hint: 3·1 + 4·2 + 7·3 + 8·4 = ?"), screen)
        m.type("64")
        m.press(.enter)
        XCTAssertEqual(session(m)?.feedback, .right)
        XCTAssertTrue(Screen.compose(m, size: Size(width: 70, height: 20)).text.contains("Right."))
        m.press(.enter)
        XCTAssertEqual(m.step, 2)
        XCTAssertEqual(m.overlay, Overlay.none)
        let records = m.takeRecords()
        XCTAssertEqual(records, [AnswerRecord(lesson: "01", step: 3, phase: "slide", question: "What is c?", answer: "64",
                                              correct: true, tries: 2, seconds: 2.5)])
        XCTAssertEqual(m.takeRecords(), [], "each record is taken once")
    }

    func testThreeWrongTriesShowTheAnswer() {
        var m = model()
        for guess in ["1", "2", "3"] {
            m.type(guess)
            m.press(.enter)
        }
        XCTAssertEqual(session(m)?.feedback, .revealed("64"))
        XCTAssertTrue(Screen.compose(m, size: Size(width: 70, height: 20)).text.contains("The answer is 64."))
        m.type("x")
        XCTAssertEqual(m.step, 2, "any key then shows the step")
        XCTAssertEqual(m.records.first?.correct, false)
        XCTAssertEqual(m.records.first?.tries, 3)
    }

    func testTabShowsTheAnswerAndQOnlyQuitsBeforeTyping() {
        var m = model(key: .shape([4, 9]))
        m.type("(4, q")
        XCTAssertEqual(session(m)?.typed, "(4, q", "q is typed once an answer is begun")
        m.press(.backspace, .backspace, .backspace)
        XCTAssertEqual(session(m)?.typed, "(4")
        m.type("\t")
        XCTAssertEqual(session(m)?.feedback, .revealed("(4, 9)"))
        var fresh = model()
        XCTAssertEqual(fresh.type("q"), .quit)
    }

    func testEscLeavesTheQuestionForLaterAndItIsAskedAgainUntilAnswered() {
        var m = model()
        m.press(.escape)
        XCTAssertEqual(m.overlay, Overlay.none)
        XCTAssertEqual(m.step, 1)
        m.press(.left, .right, .right)
        XCTAssertEqual(m.asking?.step, 2, "the question returns when its step is reached again")
        m.type("64")
        m.press(.enter, .enter)
        XCTAssertEqual(m.step, 2)
        m.press(.left, .right)
        XCTAssertEqual(m.step, 2, "an answered question is not asked again")
        XCTAssertNil(m.asking)
    }

    func testUnreadableAnswersAreNotTries() {
        var m = model()
        m.type("sixty")
        m.press(.enter)
        XCTAssertEqual(session(m)?.attempts?.tries, 0)
        XCTAssertTrue(Screen.compose(m, size: Size(width: 70, height: 20)).text.contains("Type a number"))
    }

    func testAPracticeEndsWithItsScore() {
        var source = TestSource()
        source.stepCount = 4
        source.questions = [2: "a?", 3: "b?"]
        source.keys = [2: .number(1), 3: .number(2)]
        var m = PlayerModel(source, start: 1)
        m.practiceSteps = [2, 3]
        m.press(.right)
        m.type("1")
        m.press(.enter, .enter, .right)
        m.type("5")
        m.press(.enter)
        m.type("2")
        m.press(.enter, .enter)
        XCTAssertEqual(m.step, 3)
        guard case .score(let score) = m.overlay else { return XCTFail("\(m.overlay)") }
        XCTAssertEqual(score.total, 2)
        XCTAssertEqual(score.rightFirstTry, 1)
        XCTAssertEqual(score.missed, [4])
        XCTAssertTrue(Screen.compose(m, size: Size(width: 70, height: 20)).text.contains("Score: 1 of 2 steps right at the first try."))
    }
}

/// A clock that moves 2.5 seconds each time it is read.
private final class Ticker: @unchecked Sendable {
    private var now = 100.0
    func tick() -> Double {
        now += 2.5
        return now
    }
}

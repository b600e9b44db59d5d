import XCTest
import Storyboard
@testable import Terminal

final class PlayerModelTests: XCTestCase {
    func testStartsPausedAtTheRequestedStepClamped() {
        XCTAssertEqual(PlayerModel(start: 4).step, 4)
        XCTAssertEqual(PlayerModel(start: 99).step, 11)
        XCTAssertEqual(PlayerModel(start: -3).step, 0)
        XCTAssertFalse(PlayerModel().playing)
        XCTAssertTrue(PlayerModel(autoplay: true).playing)
    }

    func testNextAndPreviousStepWithArrowsAndLetters() {
        var model = PlayerModel()
        XCTAssertEqual(model.press(.right), .redraw)
        XCTAssertEqual(model.step, 1)
        model.type("l")
        XCTAssertEqual(model.step, 2)
        model.press(.left)
        XCTAssertEqual(model.step, 1)
        model.type("h")
        XCTAssertEqual(model.step, 0)
        XCTAssertEqual(model.type("h"), .bell, "nothing before the first step")
        XCTAssertEqual(model.step, 0)
        var end = PlayerModel(start: 11)
        XCTAssertEqual(end.press(.right), .bell, "nothing after the last step")
    }

    func testPhaseJumpsForwardAndBack() {
        var model = PlayerModel(start: 1)
        model.type("]")
        XCTAssertEqual(model.step, 3)
        model.type("]")
        XCTAssertEqual(model.step, 7)
        model.type("]")
        XCTAssertEqual(model.step, 11, "past the last phase start, ] goes to the last step")
        XCTAssertEqual(model.type("]"), .bell)
        model.type("[")
        XCTAssertEqual(model.step, 7, "from inside a phase, [ goes to its start")
        model.type("[")
        XCTAssertEqual(model.step, 3, "from a phase's start, [ goes to the previous phase")
        model.type("[")
        XCTAssertEqual(model.step, 0)
        XCTAssertEqual(model.type("["), .bell)
    }

    func testSpeedMovesAlongTheLadderAndStopsAtItsEnds() {
        var model = PlayerModel(speed: 2)
        model.type("+")
        XCTAssertEqual(model.stepsPerSecond, 4)
        model.type("++")
        XCTAssertEqual(model.stepsPerSecond, 16)
        XCTAssertEqual(model.type("+"), .bell)
        model.type("------")
        XCTAssertEqual(model.stepsPerSecond, 0.5)
        XCTAssertEqual(model.type("-"), .bell)
        XCTAssertEqual(model.stepInterval, 2)
        var odd = PlayerModel(speed: 3)
        odd.type("-")
        XCTAssertEqual(odd.stepsPerSecond, 2, "a speed between rungs steps to the next rung down")
    }

    func testPlaybackTicksStopAtTheEndAndPlayAgainStartsOver() {
        var model = PlayerModel(start: 9)
        XCTAssertEqual(model.tick(), .none, "no ticks while paused")
        model.type(" ")
        XCTAssertTrue(model.playing)
        XCTAssertEqual(model.tick(), .redraw)
        XCTAssertEqual(model.step, 10)
        model.tick()
        XCTAssertEqual(model.step, 11)
        XCTAssertFalse(model.playing, "playback stops on the last step")
        model.type(" ")
        XCTAssertEqual(model.step, 0)
        XCTAssertTrue(model.playing)
        model.type(" ")
        XCTAssertFalse(model.playing)
    }

    func testGoToPromptTakesDigitsBackspaceEnterAndEscape() {
        var model = PlayerModel()
        model.type("g")
        XCTAssertEqual(model.overlay, .goTo(""))
        model.type("19")
        XCTAssertEqual(model.overlay, .goTo("19"))
        XCTAssertEqual(model.type("5"), .bell, "no more digits than the step count has")
        model.press(.backspace)
        XCTAssertEqual(model.overlay, .goTo("1"))
        XCTAssertEqual(model.type("x"), .bell)
        model.press(.enter)
        XCTAssertEqual(model.overlay, Overlay.none)
        XCTAssertEqual(model.step, 0, "steps are typed 1-based")
        model.type("g9")
        model.press(.enter)
        XCTAssertEqual(model.step, 8)
        model.type("g99")
        XCTAssertEqual(model.press(.enter), .bell)
        XCTAssertEqual(model.step, 8, "a number past the end is refused, not taken for the last step")
        model.type("g2")
        model.press(.escape)
        XCTAssertEqual(model.overlay, Overlay.none)
        XCTAssertEqual(model.step, 8, "Esc cancels")
        model.type("g")
        model.press(.enter)
        XCTAssertEqual(model.step, 8, "Enter on nothing cancels")
        model.type("g")
        model.press(.backspace)
        XCTAssertEqual(model.overlay, Overlay.none, "Backspace on an empty prompt closes it")
    }

    func testGoToPausesPlayback() {
        var model = PlayerModel(autoplay: true)
        model.type("g")
        XCTAssertFalse(model.playing)
    }

    func testHomeAndEnd() {
        var model = PlayerModel(start: 5)
        model.press(.end)
        XCTAssertEqual(model.step, 11)
        model.press(.home)
        XCTAssertEqual(model.step, 0)
        XCTAssertEqual(model.press(.home), .bell)
    }

    func testViewTogglesSymbolsCodeAndLanguage() {
        var model = PlayerModel()
        let before = model.options
        model.type("v")
        XCTAssertEqual(model.options.symbols, !before.symbols)
        model.type("c")
        XCTAssertEqual(model.options.showCode, !before.showCode)
        model.type("L")
        XCTAssertEqual(model.options.language, .ja)
        model.type("L")
        XCTAssertEqual(model.options.language, .en)
        model.type("vc")
        XCTAssertEqual(model.options, before)
    }

    func testHelpOpensAndAnyKeyClosesItButQStillQuits() {
        var model = PlayerModel()
        model.type("?")
        XCTAssertEqual(model.overlay, .help)
        model.type("l")
        XCTAssertEqual(model.overlay, Overlay.none)
        XCTAssertEqual(model.step, 0, "the key that closes help does nothing else")
        model.type("?")
        XCTAssertEqual(model.type("q"), .quit)
    }

    func testQuitAndUnknownKeys() {
        var model = PlayerModel()
        XCTAssertEqual(model.type("q"), .quit)
        XCTAssertEqual(model.type("z"), .bell)
        XCTAssertEqual(model.press(.redraw), .repaint)
    }

    func testQuestionPausesOnTheWayForwardAndTheNextKeyRevealsTheStep() {
        var source = TestSource()
        source.questions = [2: "What is a?"]
        var model = PlayerModel(source, start: 1, autoplay: true)
        model.tick()
        XCTAssertEqual(model.step, 1, "the step behind the question is not shown yet")
        XCTAssertEqual(model.asking?.prompt, "What is a?")
        XCTAssertEqual(model.asking?.step, 2)
        XCTAssertFalse(model.playing, "a question pauses playback")
        XCTAssertEqual(model.tick(), .none)
        model.type("x")
        XCTAssertEqual(model.step, 2)
        XCTAssertEqual(model.overlay, Overlay.none)
        model.press(.left, .right)
        XCTAssertEqual(model.step, 2, "an answered question is not asked again")
        XCTAssertEqual(model.overlay, Overlay.none)
    }

    func testQuestionIsAskedOnJumpsOntoItsStepButNotWhenGoingBack() {
        var source = TestSource()
        source.questions = [7: "Which column?", 0: "never asked going back"]
        var model = PlayerModel(source, start: 3)
        model.type("]")
        XCTAssertEqual(model.asking?.prompt, "Which column?")
        XCTAssertEqual(model.asking?.step, 7)
        XCTAssertEqual(model.type("q"), .quit, "q quits even from a question")
        model.press(.end)
        XCTAssertEqual(model.step, 7, "the key after a question reveals its step and nothing else")
        model.press(.home)
        XCTAssertEqual(model.step, 0)
        XCTAssertEqual(model.overlay, Overlay.none)
    }

    func testQuestionFollowsTheLanguage() {
        var source = TestSource()
        source.questions = [1: "Why add?"]
        var model = PlayerModel(source)
        model.type("L")
        model.press(.right)
        XCTAssertEqual(model.asking?.prompt, "問: Why add?")
    }

    func testASingleStepSourceNeitherPlaysNorMoves() {
        var source = TestSource()
        source.stepCount = 1
        var model = PlayerModel(source, autoplay: true)
        XCTAssertFalse(model.playing)
        XCTAssertEqual(model.type(" "), .bell)
        XCTAssertEqual(model.press(.right), .bell)
        XCTAssertEqual(model.type("]"), .bell)
    }
}

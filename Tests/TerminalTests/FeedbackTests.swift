import XCTest
import Storyboard
@testable import Terminal

/// Every key gives an answer the user can see: keys that change nothing say why on the status
/// line until the next key, and PgDn/PgUp scroll a narration longer than its room.
final class FeedbackTests: XCTestCase {
    private func status(_ model: PlayerModel, width: Int = 80) -> String {
        let screen = Screen.compose(model, size: Size(width: width, height: 24))
        return screen.line(23)
    }

    // MARK: keys that change nothing

    func testStepKeysAtTheEndsSaySoUntilTheNextKey() {
        var model = PlayerModel()
        for key: Key in [.left, .character("h"), .character("["), .up, .home] {
            XCTAssertEqual(model.press(key), .bell, "\(key)")
            XCTAssertEqual(model.notice, .atFirstStep, "\(key)")
        }
        XCTAssertTrue(status(model).contains("already at the first step"), status(model))
        model.press(.right)
        XCTAssertNil(model.notice, "the next key takes the notice away")
        XCTAssertFalse(status(model).contains("already"), status(model))
        XCTAssertTrue(status(model).contains("step 2/12  input"), "the phase title is back: \(status(model))")

        var end = PlayerModel(start: 11)
        for key: Key in [.right, .character("l"), .character("]"), .down, .end] {
            XCTAssertEqual(end.press(key), .bell, "\(key)")
            XCTAssertEqual(end.notice, .atLastStep, "\(key)")
        }
        end.type("L")
        XCTAssertNil(end.notice)
        end.press(.end)
        XCTAssertTrue(status(end).contains("最後のステップです"), status(end))
    }

    func testSpeedKeysAtTheEndsOfTheLadderSaySo() {
        var model = PlayerModel(speed: 16)
        XCTAssertEqual(model.type("+"), .bell)
        XCTAssertEqual(model.notice, .fastest(16))
        XCTAssertTrue(status(model).contains("16 steps/s is the fastest"), status(model))
        model.type("-")
        XCTAssertNil(model.notice, "a speed that changed is shown by the speed itself")
        XCTAssertTrue(status(model).contains("8 steps/s"), status(model))
        var slow = PlayerModel(speed: 0.5)
        slow.type("L")
        XCTAssertEqual(slow.type("-"), .bell)
        XCTAssertEqual(slow.notice, .slowest(0.5))
        XCTAssertTrue(status(slow).contains("これ以上遅くできません"), status(slow))
    }

    func testSpaceOnASingleStepAndUnknownKeysSaySo() {
        var source = TestSource()
        source.stepCount = 1
        var one = PlayerModel(source)
        XCTAssertEqual(one.type(" "), .bell)
        XCTAssertEqual(one.notice, .onlyOneStep)
        XCTAssertTrue(status(one).contains("one step only: nothing to play"), status(one))

        var model = PlayerModel()
        XCTAssertEqual(model.type("z"), .bell)
        XCTAssertEqual(model.notice, .unknownKey("z"))
        XCTAssertTrue(status(model).contains("z is not a key here"), status(model))
        model.press(.escape)
        XCTAssertEqual(model.notice, .unknownKey("Esc"))
        model.type("L")
        model.press(.enter)
        XCTAssertTrue(status(model).contains("Enter キーは使いません"), status(model))
    }

    func testGoToTheStepOnScreenAndKeysThePromptCannotTakeSaySo() {
        var model = PlayerModel(start: 4)
        model.type("g5")
        model.press(.enter)
        XCTAssertEqual(model.step, 4)
        XCTAssertEqual(model.notice, .alreadyAtStep(5))
        XCTAssertTrue(status(model).contains("already at step 5"), status(model))
        model.type("gx")
        XCTAssertEqual(model.overlay, .goTo(""), "the prompt stays open")
        XCTAssertEqual(status(model), "go to step (1-12): _   type a step number from 1 to 12")
        model.type("123")
        XCTAssertEqual(model.overlay, .goTo("12"))
        XCTAssertEqual(model.notice, .stepNumbersOnly(12), "a digit past the step count's length")
        model.press(.backspace)
        XCTAssertEqual(status(model), "go to step (1-12): 1_   Enter go  Esc cancel", "the hint is back")
    }

    func testVWhereSymbolsDrawTheSameFrameStillTogglesAndSaysSo() {
        var source = TestSource()
        source.stepsWithoutSymbols = [0, 1]
        var model = PlayerModel(source)
        XCTAssertEqual(model.type("v"), .redraw)
        XCTAssertTrue(model.options.symbols, "the view changes even where it looks the same")
        XCTAssertEqual(model.notice, .sameInBothViews(symbols: true))
        var line = status(model)
        XCTAssertTrue(line.contains("symbols: nothing to name here"), line)
        XCTAssertTrue(line.hasSuffix("symbols · EN  ? help  q quit"), line)
        model.type("v")
        XCTAssertFalse(model.options.symbols)
        XCTAssertEqual(model.notice, .sameInBothViews(symbols: false))
        XCTAssertTrue(status(model).contains("numbers: same as symbols here"), status(model))
        model.type("L")
        model.type("v")
        line = status(model)
        XCTAssertTrue(line.contains("記号: ここでは数値と同じ"), line)
        XCTAssertTrue(line.contains("記号 · 日本語"), line)

        // At a step that has something to name, the view changes and nothing needs saying.
        model.press(.end)
        model.type("v")
        XCTAssertNil(model.notice)
        model.type("v")
        XCTAssertNil(model.notice)
        XCTAssertTrue(status(model).hasSuffix("記号 · 日本語  ? ヘルプ  q 終了"), status(model))
    }

    func testCodePaneThatChangesNothingSaysSo() {
        var source = TestSource()
        source.stepsWithoutCode = [0]
        var model = PlayerModel(source)
        XCTAssertEqual(model.type("c"), .redraw)
        XCTAssertFalse(model.options.showCode)
        XCTAssertEqual(model.notice, .codePaneChangesNothing(shown: false))
        XCTAssertTrue(status(model).contains("code pane: no change here"), status(model))
        model.press(.right)
        model.type("c")
        XCTAssertTrue(model.options.showCode)
        XCTAssertNil(model.notice)
    }

    func testNoComparisonWhileTheTerminalIsTooSmall() {
        var source = TestSource()
        source.stepsWithoutSymbols = [0]
        var model = PlayerModel(source)
        model.terminalSize = Size(width: 20, height: 5)
        model.type("v")
        XCTAssertTrue(model.options.symbols)
        XCTAssertNil(model.notice, "no frame is drawn, so none is compared")
    }

    /// Every notice, in both languages, whole on a status line at the lessons' minimum width,
    /// with the key hint after it; with thousands of steps, cut with `…` if at all.
    func testEveryNoticeFitsAt64ColumnsWithTheHint() {
        let notices: [Notice] = [
            .atFirstStep, .atLastStep, .alreadyAtStep(12), .fastest(16), .slowest(0.5), .onlyOneStep,
            .sameInBothViews(symbols: true), .sameInBothViews(symbols: false),
            .codePaneChangesNothing(shown: true), .narrationAllShown, .narrationAtEnd, .narrationAtTop, .everyBlockShown,
            .unknownKey("z"), .unknownKey("Backspace"),
        ]
        for language in Language.allCases {
            let texts = Texts.of(language, asciiOnly: false)
            for stepCount in [12, 2000] {
                var source = TestSource()
                source.stepCount = stepCount
                for notice in notices {
                    var model = PlayerModel(source, start: stepCount - 2)
                    if language == .ja { model.type("L") }
                    model.notice = notice
                    let line = status(model, width: 64)
                    let said = texts.say(notice)
                    XCTAssertTrue(line.hasSuffix(texts.hint), "\(language) \(notice): \(line)")
                    XCTAssertLessThanOrEqual(DisplayWidth.of(line), 64)
                    if stepCount == 12 {
                        XCTAssertTrue(line.contains(said), "\(language) \(notice): \(line)")
                    } else {
                        XCTAssertTrue(line.contains(said) || line.contains(String(said.prefix(8))) && line.contains("…"),
                                      "a notice is cut with …, never silently: \(line)")
                    }
                }
            }
        }
    }

    // MARK: narration scroll

    private func longNarration(_ count: Int = 10) -> TestSource {
        var source = TestSource()
        source.narration = [0: (1...count).map { "line \($0)" }, 1: ["short"], 5: (1...count).map { "line \($0)" }]
        return source
    }

    private func narrationNote(_ model: PlayerModel) -> String? {
        Screen.compose(model, size: model.terminalSize).text
            .split(separator: "\n").first { $0.hasPrefix("… narration lines") }.map(String.init)
    }

    func testPageDownAndPageUpScrollTheNarrationByThePageShown() {
        var model = PlayerModel(longNarration())
        XCTAssertEqual(narrationNote(model), "… narration lines 1–2 of 10")
        XCTAssertEqual(model.press(.pageDown), .redraw)
        XCTAssertEqual(model.options.narrationOffset, 2, "a page is the two lines shown above the note")
        XCTAssertEqual(narrationNote(model), "… narration lines 3–4 of 10")
        model.press(.pageDown, .pageDown, .pageDown)
        XCTAssertEqual(narrationNote(model), "… narration lines 9–10 of 10")
        XCTAssertEqual(model.options.narrationOffset, 8)
        XCTAssertEqual(model.press(.pageDown), .bell, "nothing more below")
        XCTAssertEqual(model.notice, .narrationAtEnd)
        XCTAssertEqual(model.options.narrationOffset, 8, "the offset does not run past the end")
        XCTAssertTrue(status(model).contains("narration: no more below"), status(model))
        model.press(.pageUp)
        XCTAssertNil(model.notice)
        XCTAssertEqual(narrationNote(model), "… narration lines 7–8 of 10")
        model.press(.pageUp, .pageUp, .pageUp)
        XCTAssertEqual(model.options.narrationOffset, 0)
        XCTAssertEqual(model.press(.pageUp), .bell)
        XCTAssertEqual(model.notice, .narrationAtTop)
        XCTAssertTrue(status(model).contains("narration: already at the top"), status(model))
    }

    func testAnOddLastPageIsClampedNotSkipped() {
        var model = PlayerModel(longNarration(7))
        model.press(.pageDown, .pageDown)
        XCTAssertEqual(narrationNote(model), "… narration lines 5–6 of 7")
        model.press(.pageDown)
        XCTAssertEqual(narrationNote(model), "… narration lines 6–7 of 7")
        XCTAssertEqual(model.options.narrationOffset, 5, "the offset stops where the frame clamps it")
        model.press(.pageUp)
        XCTAssertEqual(narrationNote(model), "… narration lines 4–5 of 7")
    }

    func testPagesFollowTheRoomAfterAResize() {
        var source = longNarration()
        source.narrationRoom = { $0.height >= 30 ? 6 : 3 }
        var model = PlayerModel(source)
        model.press(.pageDown, .pageDown, .pageDown, .pageDown)
        XCTAssertEqual(model.options.narrationOffset, 8)
        model.terminalSize = Size(width: 80, height: 40)
        XCTAssertEqual(narrationNote(model), "… narration lines 6–10 of 10", "the frame clamps the offset")
        XCTAssertEqual(model.press(.pageDown), .bell)
        XCTAssertEqual(model.notice, .narrationAtEnd)
        XCTAssertEqual(model.options.narrationOffset, 5, "the offset comes back to the one on screen")
        model.press(.pageUp)
        XCTAssertEqual(model.options.narrationOffset, 0, "a page of the five lines now shown")
        XCTAssertEqual(narrationNote(model), "… narration lines 1–5 of 10")
    }

    /// `b` pages through the blocks a frame cannot show at once, back to the first after the
    /// last; where every block is shown it says so; a new step starts at the first page.
    func testBPagesThroughBlocksAndSaysWhenEveryBlockIsShown() {
        var source = TestSource()
        source.blocks = [4: 8]
        var model = PlayerModel(source, start: 3)
        XCTAssertEqual(model.type("b"), .bell)
        XCTAssertEqual(model.notice, .everyBlockShown)
        XCTAssertTrue(status(model).contains("blocks: every block is on screen"), status(model))
        model.type("l")
        var pages: [String] = []
        for _ in 0..<4 {
            let text = Screen.compose(model, size: model.terminalSize).text
            pages.append(text.split(separator: "\n").first { $0.hasPrefix("blocks ") }.map(String.init) ?? "")
            XCTAssertEqual(model.type("b"), .redraw)
            XCTAssertNil(model.notice)
        }
        XCTAssertEqual(pages, ["blocks 1-3", "blocks 4-6", "blocks 7-8", "blocks 1-3"])
        model.type("b")
        XCTAssertEqual(model.options.blockPage, 2)
        model.type("l")
        XCTAssertEqual(model.options.blockPage, 0, "a new step shows its first blocks")
        model.type("L")
        model.type("h")
        model.type("b")
        model.type("h")
        model.type("b")
        XCTAssertTrue(status(model).contains("ブロック: すべて表示済み"), status(model))
    }

    /// `m` puts the legend on the frame and takes it off again.
    func testMShowsAndHidesTheLegend() {
        var model = PlayerModel()
        XCTAssertFalse(model.options.showLegend)
        XCTAssertEqual(model.type("m"), .redraw)
        XCTAssertTrue(model.options.showLegend)
        XCTAssertTrue(Screen.compose(model, size: model.terminalSize).text.contains("en legend"))
        model.type("m")
        XCTAssertFalse(model.options.showLegend)
    }

    func testNarrationThatFitsSaysAllOfItIsShown() {
        var model = PlayerModel(longNarration(), start: 1)
        XCTAssertEqual(model.press(.pageDown), .bell)
        XCTAssertEqual(model.notice, .narrationAllShown)
        XCTAssertEqual(model.options.narrationOffset, 0)
        XCTAssertEqual(model.press(.pageUp), .bell)
        XCTAssertEqual(model.notice, .narrationAllShown)
        model.type("L")
        model.press(.pageDown)
        XCTAssertTrue(status(model).contains("説明: すべて表示済み"), status(model))
        var none = PlayerModel(start: 3)
        none.press(.pageDown)
        XCTAssertEqual(none.notice, .narrationAllShown, "a step without narration hides nothing either")
    }

    func testTheNarrationOffsetGoesBackToTheTopWhenTheStepChanges() {
        var model = PlayerModel(longNarration())
        let moves: [(String, (inout PlayerModel) -> Void)] = [
            ("→", { $0.press(.right) }), ("l", { $0.type("l") }), ("]", { $0.type("]") }),
            ("End", { $0.press(.end) }), ("g 6 Enter", { $0.type("g6"); $0.press(.enter) }),
            ("a playback tick", { $0.type(" "); $0.tick(); $0.type(" ") }),
            ("L", { $0.type("L") }),
        ]
        for (name, move) in moves {
            model = PlayerModel(longNarration(), start: name == "End" ? 5 : 0)
            if name == "End" {
                model.press(.pageDown)
                XCTAssertEqual(model.options.narrationOffset, 2)
            } else {
                model.press(.pageDown, .pageDown)
                XCTAssertEqual(model.options.narrationOffset, 4)
            }
            move(&model)
            XCTAssertEqual(model.options.narrationOffset, 0, "after \(name)")
        }
        // Back onto the step: its narration starts from the top again.
        model = PlayerModel(longNarration(), start: 5)
        model.press(.pageDown)
        model.press(.left, .right)
        XCTAssertEqual(model.options.narrationOffset, 0)
        XCTAssertEqual(narrationNote(model), "… narration lines 1–2 of 10")
        // Keys that keep the step keep the place in the narration.
        model.press(.pageDown)
        model.type("v+c")
        XCTAssertEqual(model.options.narrationOffset, 2)
    }

    func testANarrationPageIsTheLinesTheFrameShows() {
        // The storyboard's frame says which narration lines it shows, clamped to the last page.
        var size = Size(width: 64, height: 20)
        let board = PlayerModel(longNarration(), start: 5).source
        let first = board.frame(at: 5, size: size, options: ViewOptions())
        XCTAssertEqual(first.narration, NarrationWindow(first: 0, shown: 2, total: 10))
        let past = board.frame(at: 5, size: size, options: ViewOptions(narrationOffset: 99))
        XCTAssertEqual(past.narration, NarrationWindow(first: 8, shown: 2, total: 10), "clamped to the last page")
        size.height = 30
        XCTAssertNil(board.frame(at: 2, size: size, options: ViewOptions()).narration, "no narration at this step")
    }
}

import XCTest
import Storyboard
@testable import Terminal

final class ScreenTests: XCTestCase {
    let terminal = Size(width: 80, height: 24)

    private func lastLine(_ frame: Frame) -> String { frame.line(frame.size.height - 1) }

    func testTheSourceGetsAllButTheLastRowAndTheStatusLineIsTheLastRow() {
        let screen = Screen.compose(PlayerModel(start: 4), size: terminal)
        XCTAssertEqual(screen.size, terminal)
        XCTAssertEqual(screen.line(0), "frame 4 size 80x23")
        XCTAssertEqual(screen.line(22), "bottom", "the source's last row is not covered")
        XCTAssertEqual(lastLine(screen),
                       "|| paused  2 steps/s  step 5/12  sliding window     numbers · EN  ? help  q quit")
    }

    func testStatusLineWhilePlayingShowsStateSpeedAndPhase() {
        var model = PlayerModel(speed: 0.5, autoplay: true)
        model.type("]]")
        let line = lastLine(Screen.compose(model, size: terminal))
        XCTAssertTrue(line.hasPrefix("> playing  0.5 steps/s  step 8/12  im2col"), line)
        XCTAssertTrue(line.hasSuffix("? help  q quit"), line)
    }

    func testStatusLineInJapanese() {
        var model = PlayerModel()
        model.type("L")
        let line = lastLine(Screen.compose(model, size: terminal))
        XCTAssertTrue(line.hasPrefix("|| 一時停止  2 ステップ/秒  ステップ 1/12  入力"), line)
        XCTAssertTrue(line.hasSuffix("数値 · 日本語  ? ヘルプ  q 終了"), line)
        XCTAssertEqual(DisplayWidth.of(line), 80, "the hint ends exactly at the right edge")
        XCTAssertEqual(Screen.compose(model, size: terminal).line(1), "symbols false code true ja")
    }

    func testJapaneseWithoutUTF8SaysWhatItNeeds() {
        var model = PlayerModel(source: TestSource(), settings: PlayerSettings(options: ViewOptions(asciiOnly: true)))
        model.type("L")
        let line = lastLine(Screen.compose(model, size: Size(width: 100, height: 24)))
        XCTAssertTrue(line.contains("step 1/12  Japanese needs a UTF-8 locale"), line)
        XCTAssertTrue(line.unicodeScalars.allSatisfy(\.isASCII), line)
    }

    func testLongPhaseTitleGivesWayToTheHint() {
        var source = TestSource()
        source.minimumSize = Size(width: 10, height: 3)
        source.phases = [PhaseMark(title: "the reshape and transpose chain back to (B, M, OH, OW)", firstStep: 0)]
        let line = lastLine(Screen.compose(PlayerModel(source), size: Size(width: 60, height: 5)))
        XCTAssertTrue(line.hasSuffix("? help  q quit"), line)
        XCTAssertTrue(line.contains("1/12  the resha"), line)
        XCTAssertTrue(line.contains("…"), "a cut title says so: \(line)")
        XCTAssertLessThanOrEqual(DisplayWidth.of(line), 60)
    }

    func testGoToPromptReplacesTheStatusLine() {
        var model = PlayerModel()
        model.type("g4")
        XCTAssertEqual(lastLine(Screen.compose(model, size: terminal)),
                       "go to step (1-12): 4_   Enter go  Esc cancel")
        model.type("L")
        XCTAssertEqual(model.overlay, .goTo("4"), "letters do not leave the prompt")
    }

    func testTooSmallScreenNamesTheWholeTerminalSizeNeededAndTheCurrentOne() {
        let model = PlayerModel()
        XCTAssertTrue(Screen.fits(model.source, in: Size(width: 40, height: 11)))
        XCTAssertFalse(Screen.fits(model.source, in: Size(width: 40, height: 10)),
                       "the status line takes a row of its own")
        XCTAssertFalse(Screen.fits(model.source, in: Size(width: 39, height: 11)))
        let screen = Screen.compose(model, size: Size(width: 39, height: 30))
        XCTAssertEqual(screen.size, Size(width: 39, height: 30))
        let text = screen.text
        XCTAssertTrue(text.contains("terminal too small: need 40×11"), text)
        XCTAssertTrue(text.contains("now 39×30"), text)
        XCTAssertFalse(text.contains("frame 0"), "no squeezed frame underneath")
    }

    func testTooSmallScreenInJapaneseAndAscii() {
        var ja = ViewOptions()
        ja.language = .ja
        let japanese = Screen.tooSmall(need: Size(width: 90, height: 30), have: Size(width: 60, height: 10), options: ja)
        XCTAssertTrue(japanese.text.contains("端末が小さすぎます: 必要な大きさ 90×30"), japanese.text)
        let ascii = Screen.tooSmall(need: Size(width: 90, height: 30), have: Size(width: 60, height: 10),
                                    options: ViewOptions(asciiOnly: true))
        XCTAssertTrue(ascii.text.contains("need 90x30"), ascii.text)
        XCTAssertTrue(ascii.text.unicodeScalars.allSatisfy(\.isASCII))
    }

    func testTinyAndEmptyTerminalsDoNotTrap() {
        let model = PlayerModel()
        for size in [Size(width: 0, height: 0), Size(width: 1, height: 1), Size(width: 3, height: 2),
                     Size(width: 200, height: 1)] {
            let screen = Screen.compose(model, size: size)
            XCTAssertLessThanOrEqual(screen.size.width, max(0, size.width))
        }
    }

    func testHelpListsEveryKeyInEnglish() {
        var model = PlayerModel()
        model.type("?")
        let text = Screen.compose(model, size: terminal).text
        for expected in ["Keys", "space", "play / pause", "→  l", "next step", "←  h", "previous step",
                         "]  [", "next / previous phase", "+  -", "faster / slower", "go to step",
                         "Home  End", "first / last step", "PgDn  PgUp", "scroll the narration", "b  m", "more blocks / legend on screen", "numbers / symbols", "code pane", "language",
                         "this help", "quit", "press any key to close"] {
            XCTAssertTrue(text.contains(expected), "help lacks \(expected):\n\(text)")
        }
        XCTAssertTrue(text.contains("frame 0"), "help is drawn over the frame, not instead of it")
    }

    func testHelpListsEveryKeyInJapanese() {
        var model = PlayerModel()
        model.type("L?")
        let text = Screen.compose(model, size: terminal).text
        for expected in ["キー操作", "再生 / 一時停止", "次のステップ", "前のステップ", "次 / 前のフェーズ",
                         "速く / 遅く", "ステップへ移動", "最初 / 最後のステップ", "PgDn  PgUp", "説明文のスクロール", "数値 / 記号", "コード表示",
                         "言語", "このヘルプ", "終了"] {
            XCTAssertTrue(text.contains(expected), "help lacks \(expected):\n\(text)")
        }
    }

    func testHelpFitsWholeOnTheSmallestLessonTerminal() {
        // The lessons' minimum frame is 64×20, so the terminal is 64×21 with the status line.
        for keys in ["?", "L?"] {
            var model = PlayerModel()
            model.type(keys)
            let text = Screen.compose(model, size: Size(width: 64, height: 21)).text
            for expected in keys == "?" ? ["PgDn  PgUp   scroll the narration", "press any key to close"]
                                        : ["PgDn  PgUp   説明文のスクロール", "何かキーを押すと閉じます"] {
                XCTAssertTrue(text.contains(expected), "help lacks \(expected):\n\(text)")
            }
        }
    }

    func testHelpInAsciiOnlyUsesNoOtherCharacters() {
        var source = TestSource()
        source.minimumSize = Size(width: 10, height: 3)
        var model = PlayerModel(source: source, settings: PlayerSettings(options: ViewOptions(asciiOnly: true)))
        model.type("?")
        let text = Screen.compose(model, size: terminal).text
        XCTAssertTrue(text.unicodeScalars.allSatisfy(\.isASCII), text)
        XCTAssertTrue(text.contains("Right  l"), text)
    }

    func testQuestionBoxShowsTheWrappedQuestionAndHowToGoOn() {
        var source = TestSource()
        source.questions = [1: "Why does col2im add the overlapping patches instead of overwriting them?"]
        var model = PlayerModel(source)
        model.press(.right)
        let screen = Screen.compose(model, size: Size(width: 50, height: 20))
        let text = screen.text
        XCTAssertTrue(text.contains("Question"), text)
        XCTAssertTrue(text.contains("│ Why does col2im add the overlapping patches │"), text)
        XCTAssertTrue(text.contains("│ instead of overwriting them?"), text)
        XCTAssertTrue(text.contains("press any key to see the step"), text)
        XCTAssertTrue(lastLine(screen).contains("1/12"), "the step is not revealed yet")
        XCTAssertFalse(lastLine(screen).contains("…"), "a phase title with no room is left out")
    }

    func testWrapBreaksAtSpacesAndInsideJapanese() {
        XCTAssertEqual(TextWrap.lines("aa bb cc", width: 5), ["aa bb", "cc"])
        XCTAssertEqual(TextWrap.lines("abcdefgh", width: 3), ["abc", "def", "gh"])
        XCTAssertEqual(TextWrap.lines("畳み込みの計算", width: 6), ["畳み込", "みの計", "算"])
        // Japanese never starts a line with closing punctuation: the character before it comes along.
        XCTAssertEqual(TextWrap.lines("あいう。", width: 6), ["あい", "う。"])
        XCTAssertEqual(TextWrap.lines("a b\nc", width: 10), ["a b", "c"])
        XCTAssertEqual(TextWrap.lines("", width: 4), [""])
    }

    func testAFrameOfTheWrongSizeIsClippedAndCutWideCharactersBecomeBlanks() {
        var big = Frame(size: Size(width: 10, height: 4))
        big.put("abcd畳ef", row: 0, column: 0)
        var screen = Frame(size: Size(width: 5, height: 3))
        Screen.blit(big, into: &screen, height: 2)
        XCTAssertEqual(screen.line(0), "abcd", "the wide character that would straddle the edge is dropped")
        XCTAssertFalse(screen[0, 4].isContinuation)
        XCTAssertEqual(screen.line(2), "")
    }
}

import XCTest
import Storyboard
@testable import Terminal

/// The status line in both languages, from the lessons' minimum width (64) to a projector's
/// (160): the phase in the lesson's language, the view and the language, the key hint never
/// cut, and what does not fit cut with `…`, lower parts first.
final class StatusLineTests: XCTestCase {
    private func source() -> TestSource {
        var source = TestSource()
        source.phases.append(PhaseMark(title: "transpose 2", firstStep: 9, japaneseTitle: "次元の入れ替え (transpose) 2"))
        return source
    }

    /// The status line alone; unless `alone`, checked against the last row of the whole screen.
    private func status(_ model: PlayerModel, width: Int, alone: Bool = false) -> String {
        var line = Frame(size: Size(width: width, height: 1))
        Screen.drawStatusLine(model, into: &line, row: 0)
        if !alone {
            XCTAssertEqual(Screen.compose(model, size: Size(width: width, height: 24)).line(23), line.line(0))
        }
        return line.line(0)
    }

    private func model(start: Int, language: Language = .en, symbols: Bool = false, playing: Bool = false) -> PlayerModel {
        var model = PlayerModel(source(), start: start, autoplay: playing)
        if language == .ja { model.type("L") }
        if symbols { model.type("v") }
        return model
    }

    func testEnglishAt160ColumnsSaysEverythingInFull() {
        let line = status(model(start: 4), width: 160)
        XCTAssertEqual(line, "|| paused  2 steps/s  step 5/12  sliding window" + String(repeating: " ", count: 85)
                       + "numbers · EN  ? help  q quit")
        XCTAssertEqual(DisplayWidth.of(line), 160)
        let playing = status(model(start: 9, symbols: true, playing: true), width: 160)
        XCTAssertTrue(playing.hasPrefix("> playing  2 steps/s  step 10/12  transpose 2  "), playing)
        XCTAssertTrue(playing.hasSuffix("  symbols · EN  ? help  q quit"), playing)
    }

    func testJapaneseAt160ColumnsHasTheJapanesePhaseNameViewAndLanguage() {
        let line = status(model(start: 9, language: .ja), width: 160)
        XCTAssertTrue(line.hasPrefix("|| 一時停止  2 ステップ/秒  ステップ 10/12  次元の入れ替え (transpose) 2  "), line)
        XCTAssertTrue(line.hasSuffix("  数値 · 日本語  ? ヘルプ  q 終了"), line)
        XCTAssertEqual(DisplayWidth.of(line), 160)
        XCTAssertFalse(line.contains("transpose 2  "), "not the English name: \(line)")
        let long = status(model(start: 7, language: .ja, symbols: true), width: 160)
        XCTAssertTrue(long.contains("ステップ 8/12  im2col関数: 1列が1か所のフィルタ位置  "), long)
        XCTAssertTrue(long.hasSuffix("  記号 · 日本語  ? ヘルプ  q 終了"), long)
    }

    func testEnglishAt64ColumnsShortensTheSpeedAndStateBeforeCuttingTheTitle() {
        XCTAssertEqual(status(model(start: 0), width: 64),
                       "|| paused  2/s  step 1/12  input    numbers · EN  ? help  q quit")
        XCTAssertEqual(status(model(start: 4), width: 64),
                       "||  2/s  step 5/12  sliding window  numbers · EN  ? help  q quit")
        XCTAssertEqual(status(model(start: 9, symbols: true, playing: true), width: 64),
                       ">  2/s  step 10/12  transpose 2     symbols · EN  ? help  q quit")
    }

    func testJapaneseAt64ColumnsCutsTheTitleWithAnEllipsisAndKeepsTheHint() {
        XCTAssertEqual(status(model(start: 0, language: .ja), width: 64),
                       "||  2/秒  ステップ 1/12  入力    数値 · 日本語  ? ヘルプ  q 終了")
        XCTAssertEqual(status(model(start: 9, language: .ja), width: 64),
                       "||  2/秒  10/12  次元の入れ替…   数値 · 日本語  ? ヘルプ  q 終了")
        XCTAssertEqual(status(model(start: 7, language: .ja, symbols: true), width: 64),
                       "||  2/秒  8/12  im2col関数: 1…   記号 · 日本語  ? ヘルプ  q 終了")
    }

    /// Every phase, both languages, both views, paused and playing, at every width from the
    /// minimum up: the hint whole at the right edge, the view and language shown, the title
    /// whole or cut with `…`.
    func testEveryStatusLineFromTheMinimumWidthUp() {
        for language in Language.allCases {
            let texts = Texts.of(language, asciiOnly: false)
            for start in [0, 4, 8, 10] {
                for symbols in [false, true] {
                    for playing in [false, true] {
                        let m = model(start: start, language: language, symbols: symbols, playing: playing)
                        let title = m.source.phases[m.source.phaseIndex(ofStep: start)].title(language)
                        for width in 64...170 {
                            let line = status(m, width: width, alone: true)
                            let context = "\(language) step \(start + 1) at \(width): \(line)"
                            XCTAssertTrue(line.hasSuffix("  " + texts.hint), context)
                            XCTAssertEqual(DisplayWidth.of(line), width, context)
                            XCTAssertTrue(line.contains((symbols ? texts.symbols : texts.numbers) + " · " + texts.languageName
                                                        + "  " + texts.hint), context)
                            XCTAssertTrue(line.contains(m.playing ? ">" : "||"), context)
                            XCTAssertTrue(line.contains("\(start + 1)/12  "), context)
                            if !line.contains("  " + title + "  ") {
                                let cut = line.components(separatedBy: "…")[0]
                                XCTAssertTrue(line.contains("…") && title.hasPrefix(cut.components(separatedBy: "  ").last!),
                                              "a title is whole or cut with …: \(context)")
                            }
                        }
                    }
                }
            }
        }
    }

    func testBelowTheMinimumTheLowerPartsGoFirstAndTheHintStays() {
        var small = source()
        small.minimumSize = Size(width: 10, height: 3)
        var model = PlayerModel(small, start: 4)
        XCTAssertEqual(status(model, width: 50), "||  2/s  5/12  slid…  numbers · EN  ? help  q quit")
        XCTAssertEqual(status(model, width: 40), "||  2/s  5/12    numbers  ? help  q quit",
                       "the language, then the title go before the view")
        XCTAssertEqual(status(model, width: 30), "||  2/s  5/12   ? help  q quit")
        XCTAssertEqual(status(model, width: 20), "5/12  ? help  q quit")
        model.type("L")
        XCTAssertEqual(status(model, width: 40), "||  2/秒  5/12    数値  ? ヘルプ  q 終了")
    }

    func testANoticeTakesTheTitlesPlaceAndStaysWholeBeforeTheViewAndLanguage() {
        var model = self.model(start: 4)
        model.notice = .sameInBothViews(symbols: true)
        XCTAssertEqual(status(model, width: 100),
                       "|| paused  2 steps/s  step 5/12  symbols: nothing to name here          numbers · EN  ? help  q quit")
        XCTAssertEqual(status(model, width: 64),
                       "||  2/s  5/12  symbols: nothing to name here      ? help  q quit")
        model.type("L")
        model.notice = .sameInBothViews(symbols: true)
        XCTAssertEqual(status(model, width: 64),
                       "||  2/秒  5/12  記号: ここでは数値と同じ  数値  ? ヘルプ  q 終了")
        XCTAssertEqual(status(model, width: 80),
                       "||  2/秒  5/12  記号: ここでは数値と同じ         数値 · 日本語  ? ヘルプ  q 終了")
    }

    func testWithoutUTF8EverythingIsASCIIAndCutsEndInThreeDots() {
        var model = PlayerModel(source(), start: 9)
        model = PlayerModel(source: model.source, settings: PlayerSettings(options: ViewOptions(asciiOnly: true), startStep: 9))
        XCTAssertEqual(status(model, width: 64),
                       "||  2/s  step 10/12  transpose 2    numbers - EN  ? help  q quit")
        model.type("L")
        let line = status(model, width: 64)
        XCTAssertTrue(line.unicodeScalars.allSatisfy(\.isASCII), line)
        XCTAssertTrue(line.contains("10/12  Japanese needs a UTF-8 locale...  ? help  q quit"), line)
        XCTAssertTrue(line.hasSuffix("? help  q quit"), line)
        let wide = status(model, width: 120)
        XCTAssertTrue(wide.contains("Japanese needs a UTF-8 locale (LANG=ja_JP.UTF-8)"), wide)
        XCTAssertTrue(wide.hasSuffix("numbers - JA  ? help  q quit"), "the language asked for, in ASCII: \(wide)")
    }
}

import XCTest
import Storyboard
@testable import Terminal

/// `--ascii` on a UTF-8 terminal: the player's own symbols of East Asian ambiguous width take
/// their ASCII look-alikes, and Japanese stays (it is two columns wide in every terminal).
final class ASCIISymbolsTests: XCTestCase {
    /// Characters of East Asian ambiguous width the player could draw.
    private let ambiguous: Set<Character> = ["─", "│", "┌", "┐", "└", "┘", "·", "×", "→", "←", "…"]

    private func screen(_ options: ViewOptions, keys: String = "") -> Frame {
        var model = PlayerModel(source: TestSource(), settings: PlayerSettings(options: options, startStep: 4))
        model.type(keys)
        return Screen.compose(model, size: Size(width: 80, height: 24))
    }

    func testJapaneseStaysAndTheSymbolsAreASCII() {
        let options = ViewOptions(language: .ja, asciiOnly: true, keepsJapanese: true)
        let status = screen(options).line(23)
        XCTAssertTrue(status.contains("ステップ 5/12"), status)
        XCTAssertTrue(status.contains("数値 - 日本語"), "ASCII separators, Japanese words: \(status)")
        let help = screen(options, keys: "?").text
        XCTAssertTrue(help.contains("次のステップ"), help)
        XCTAssertTrue(help.contains("Right  l"), help)
        XCTAssertEqual(help.filter { ambiguous.contains($0) }, "", help)
    }

    func testWithoutTheLocaleItIsEnglishAsBefore() {
        let status = screen(ViewOptions(language: .ja, asciiOnly: true)).line(23)
        XCTAssertTrue(status.contains("Japanese needs a UTF-8 locale"), status)
        XCTAssertTrue(status.allSatisfy(\.isASCII), status)
    }

    func testWithoutASCIITheSymbolsAreDrawn() {
        let help = screen(ViewOptions(language: .ja), keys: "?").text
        XCTAssertNotEqual(help.filter { ambiguous.contains($0) }, "", help)
    }
}

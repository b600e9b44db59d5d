import XCTest
import Storyboard

/// `Frame.asciiLookAlike`, the one transliteration table: frames under a locale without UTF-8
/// and the curses player both use it.
final class ASCIILookAlikeTests: XCTestCase {
    func testTypographyHasLookAlikesAndEverythingElseAQuestionMark() {
        let expected: [Character: Character] = [
            "·": ".", "•": ".", "…": ".", "。": ".", "、": ".", "×": "x",
            "─": "-", "━": "-", "═": "-", "−": "-", "–": "-", "—": "-", "ー": "-",
            "│": "|", "┃": "|", "║": "|", "┌": "+", "┼": "+", "┘": "+",
            "→": ">", "▶": ">", "▸": ">", "›": ">", "≥": ">", "←": "<", "◀": "<", "‹": "<", "≤": "<",
            "′": "'", "’": "'", "‘": "'", "“": "\"", "”": "\"", "″": "\"",
            "√": "v", "ε": "e", "Σ": "S", "m̂": "m", "畳": "?", "あ": "?", "a": "a", "*": "*",
            "±": "+", "¹": "1", "²": "2", "³": "3",
        ]
        for (character, alike) in expected {
            XCTAssertEqual(Frame.asciiLookAlike(character), alike, "\(character)")
        }
    }

    func testATransliteratedFrameIsASCIIInTheSameColumns() {
        var frame = Frame(size: Size(width: 12, height: 1))
        frame.put("畳 ─→ 1×2 •", row: 0, column: 0, role: .heading)
        frame.transliterateToASCII()
        XCTAssertEqual(frame.line(0), "?  -> 1x2 .")
        XCTAssertTrue(frame.cells.allSatisfy { $0.character.isASCII })
    }

    /// `--ascii` on a terminal that shows Japanese: the symbols of ambiguous width become ASCII,
    /// wide characters stay whole.
    func testKeepingWideCharactersReplacesOnlyTheSymbols() {
        var frame = Frame(size: Size(width: 14, height: 1))
        frame.put("畳 ─→ g²×2 …あ", row: 0, column: 0, role: .heading)
        frame.transliterateToASCII(keepingWide: true)
        XCTAssertEqual(frame.line(0), "畳 -> g2x2 .あ")
    }
}

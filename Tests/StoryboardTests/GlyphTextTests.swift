import XCTest
@testable import Storyboard
import Engine

/// Measuring, placing, cutting and wrapping read text glyph by glyph from its UTF-8. These tests
/// hold them to the same operations done the slow way, `Character` by `Character`, on random
/// text mixing what frames show: ASCII words, Japanese, closing marks, letters with combining
/// marks (m̂), wide and narrow symbols, emoji with selectors, newlines.
final class GlyphTextTests: XCTestCase {
    static let pieces: [String] = [
        "a", "b", "x", "1", "42", "-3.5", " ", " ", " ", "·", "×", "…", "─", "▶", "→",
        "行", "列", "の", "フィルタ", "を", "。", "、", "）", "」", "ー", ",", ".", ")", "（",
        "m\u{302}", "v\u{302}", "e\u{301}", "\u{301}", "☀\u{FE0F}", "😀", "👍\u{1F3FD}", "\n", "\t", "ｗ", "\u{200B}",
    ]

    static func randomText(_ r: inout SplitMix64) -> String {
        (0..<r.integer(0, 60 - 1)).map { _ in pieces[r.integer(0, pieces.count - 1)] }.joined()
    }

    /// A character's width as a terminal cell counts it: its first scalar's.
    static func width(_ ch: Character) -> Int { DisplayWidth.of(ch) }

    static func slowWidth(_ s: String) -> Int { s.reduce(0) { $0 + width($1) } }

    static func slowTruncate(_ s: String, to w: Int) -> String {
        if slowWidth(s) <= w { return s }
        guard w > 0 else { return "" }
        var out = "", used = 0
        for ch in s {
            if used + width(ch) > w - 1 { break }
            out.append(ch)
            used += width(ch)
        }
        return out + "…"
    }

    static func slowWrap(_ text: String, width: Int) -> [String] {
        guard width > 1 else { return [] }
        let closing: Set<Character> = ["。", "、", "，", "．", "）", "」", "』", "】", "！", "？", "：", "；", "ー", ")", ",", ".", ":", ";", "!", "?", "]", "}"]
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = "", w = 0
            for ch in paragraph {
                let cw = Self.width(ch)
                // A word starts at a space or where narrow characters follow Japanese.
                func startsWord(_ i: String.Index) -> Bool {
                    i > line.startIndex && Self.width(line[i]) == 1 && line[i] != " " && !closing.contains(line[i])
                        && Self.width(line[line.index(before: i)]) == 2
                }
                if w + cw > width {
                    if cw == 1, ch != " ", !closing.contains(ch), let previous = line.last, Self.width(previous) == 2 {
                        // The character that does not fit starts a word: the line ends before it.
                        lines.append(line)
                        line = ""
                        w = 0
                    } else if let cut = line.indices.last(where: { line[$0] == " " || startsWord($0) }), cw == 1, ch != " " {
                        let rest = String(line[(line[cut] == " " ? line.index(after: cut) : cut)...])
                        lines.append(String(line[..<cut]))
                        line = rest
                        w = slowWidth(rest)
                    } else if closing.contains(ch), let last = line.popLast() {
                        // The carried characters take with them the one before while they
                        // close too, leaving something on the line (four at the most).
                        var carried = [last]
                        while carried.count < 4, closing.contains(carried[0]), line.count >= 2, let previous = line.popLast() {
                            carried.insert(previous, at: 0)
                        }
                        lines.append(line)
                        line = String(carried)
                        w = slowWidth(line)
                    } else {
                        lines.append(line)
                        line = ""
                        w = 0
                    }
                    if ch == " " { continue }
                }
                line.append(ch)
                w += cw
            }
            lines.append(line)
        }
        return lines
    }

    /// A cell holds eight bytes of UTF-8: a longer character keeps its first scalars that fit.
    static func asACellKeepsIt(_ ch: Character) -> Character {
        var kept = String.UnicodeScalarView()
        var bytes = 0
        for scalar in ch.unicodeScalars {
            bytes += String(scalar).utf8.count
            if bytes > 8 { break }
            kept.append(scalar)
        }
        return Character(String(kept))
    }

    func testNoLineStartsWithAClosingMarkWhileItCanBeHelped() {
        // `)` fits at the end of the first line, `。` does not: both go down with the `ん` before them.
        let lines = TextWrap.lines("あいうえおん)。かき", width: 13)
        XCTAssertEqual(lines, ["あいうえお", "ん)。かき"])
        for line in lines.dropFirst() { XCTAssertFalse(")。".contains(line.first!), line) }
    }

    func testAWordAfterJapaneseGoesDownWholeWithoutEmptyingTheLine() {
        // `col2im` does not fit: the line ends before it, not at the space after `im2col`.
        let text = "im2col の逆で、各列を足し戻すのがcol2im関数です。"
        XCTAssertEqual(TextWrap.lines(text, width: 36), ["im2col の逆で、各列を足し戻すのが", "col2im関数です。"])
        XCTAssertEqual(TextWrap.lines("各列を足し戻すのがcol2im関数です。", width: 20), ["各列を足し戻すのが", "col2im関数です。"])
        // Closing punctuation after Japanese is not the start of a word.
        XCTAssertEqual(TextWrap.lines("足し戻す), and more", width: 9), ["足し戻", "す), and", "more"])
    }

    func testWidthCutAndWrapAgreeWithCharacterByCharacter() {
        var r = SplitMix64(seed: 2026)
        for _ in 0..<3000 {
            let s = Self.randomText(&r)
            XCTAssertEqual(DisplayWidth.of(s), Self.slowWidth(s), s.debugDescription)
            let w = r.integer(0, 30 - 1)
            XCTAssertEqual(DisplayWidth.truncate(s, to: w), Self.slowTruncate(s, to: w), "\(s.debugDescription) to \(w)")
            XCTAssertEqual(TextWrap.lines(s, width: w), Self.slowWrap(s, width: w), "\(s.debugDescription) at \(w)")
        }
    }

    func testPlacedCellsSpellTheTextAndKeepItsWidth() {
        var r = SplitMix64(seed: 7)
        for _ in 0..<2000 {
            let s = Self.randomText(&r).replacingOccurrences(of: "\n", with: "").replacingOccurrences(of: "\t", with: "")
            var frame = Frame(size: Size(width: 200, height: 1))
            let end = frame.put(s, row: 0, column: 0)
            XCTAssertEqual(end, Self.slowWidth(s), s.debugDescription)
            // Each drawn cell holds one character of the text, in order; zero-width ones are dropped.
            let expected = s.filter { Self.width($0) > 0 }.map(Self.asACellKeepsIt)
            XCTAssertEqual(frame.line(0), String(expected).replacingOccurrences(of: " +$", with: "", options: .regularExpression), s.debugDescription)
            var x = 0
            for ch in expected {
                XCTAssertEqual(frame[0, x].character, ch, "\(s.debugDescription) column \(x)")
                if Self.width(ch) == 2 { XCTAssertTrue(frame[0, x + 1].isContinuation) }
                x += Self.width(ch)
            }
        }
    }

    func testACellKeepsALetterWithItsMarkAndCutsOnlyWholeScalars() {
        XCTAssertEqual(Cell("m\u{302}").character, "m\u{302}")
        XCTAssertEqual(Cell("行").character, "行")
        XCTAssertEqual(Cell("👍\u{1F3FD}").character, "👍\u{1F3FD}")
        // A family emoji is 25 bytes: the cell keeps the scalars that fit in eight, whole.
        let family: Character = "👨\u{200D}👩\u{200D}👧"
        XCTAssertEqual(Cell(family).character, "👨\u{200D}")
        XCTAssertTrue(Cell.continuation.isContinuation)
        XCTAssertFalse(Cell(" ").isContinuation)
        XCTAssertEqual(Cell.continuation.character, "\u{0}")
    }
}

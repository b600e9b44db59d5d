import Foundation
import XCTest
import Lessons
import Trace
import Storyboard
@testable import Terminal

/// The exported page: self-contained, small, and holding exactly the storyboard's frames. The
/// page's data is read back here with `JSONSerialization` and decoded by this test's own reading
/// of the format (text, runs of looks, characters two columns wide), not by `FrameTable`.
final class HTMLPlayerTests: XCTestCase {
    private struct NoFiles: Error {}

    static func lesson(_ text: String, path: String) throws -> Lesson {
        try LessonReader.parse(text, path: path) { _ in throw NoFiles() }.get()
    }

    static func board(_ number: String) throws -> (Lesson, Storyboard) {
        let built = try XCTUnwrap(BuiltInLessons.all.first { $0.name.hasPrefix(number + "-") }, "no lesson \(number)")
        let lesson = try lesson(built.text, path: built.name)
        return (lesson, Storyboard(lesson: lesson, trace: try Trace.record(lesson.scenario)))
    }

    private static let size = Size(width: 100, height: 32)

    private static func page(_ board: Storyboard, language: Language = .en) throws -> String {
        try HTMLPlayer.page(board, size: size, options: ViewOptions(language: language, keepsJapanese: true))
    }

    /// The JSON inside `<script type="application/json" id="lesson">`, parsed.
    private static func data(_ page: String) throws -> [String: Any] {
        let open = #"<script type="application/json" id="lesson">"#
        let start = try XCTUnwrap(page.range(of: open)).upperBound
        let end = try XCTUnwrap(page.range(of: "</script>", range: start..<page.endIndex)).lowerBound
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(page[start..<end].utf8)) as? [String: Any])
    }

    private static func matches(_ pattern: String, in text: String) throws -> Int {
        try NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
            .numberOfMatches(in: text, range: NSRange(text.startIndex..., in: text))
    }

    func testThePageAsksForNothingOverTheNetwork() throws {
        let (_, board) = try Self.board("01")
        let page = try Self.page(board)
        XCTAssertTrue(page.hasPrefix("<!DOCTYPE html>"))
        // The markup, without the scripts' contents: no attribute that loads anything.
        let markup = try NSRegularExpression(pattern: "(<script[^>]*>).*?(</script>)", options: [.dotMatchesLineSeparators])
            .stringByReplacingMatches(in: page, range: NSRange(page.startIndex..., in: page), withTemplate: "$1$2")
        XCTAssertEqual(try Self.matches(#"\b(src|href|srcset|action|poster|data|background)\s*="#, in: markup), 0,
                       "an attribute that loads something")
        XCTAssertEqual(try Self.matches(#"https?:|//[a-z0-9.-]+\.[a-z]{2,}/"#, in: page), 0, "an address")
        XCTAssertEqual(try Self.matches(#"<link\b|<iframe\b|<img\b|@import|url\("#, in: page), 0)
        XCTAssertEqual(try Self.matches("<script", in: page), 2, "the data and the script, both inline")
        XCTAssertTrue(page.contains(#"<meta http-equiv="Content-Security-Policy" content="default-src 'none'; "#), "the policy")
    }

    func testLessonOneIsWellUnderAMegabyteInBothLanguages() throws {
        let (_, board) = try Self.board("01")
        let page = try Self.page(board)
        XCTAssertLessThan(page.utf8.count, 300_000, "lesson 01's page, with every frame in English and Japanese")
        let frames = try XCTUnwrap(Self.data(page)["frames"] as? [String: [String: [[[Int]]]]])
        XCTAssertEqual(Set(frames.keys), ["en", "ja"])
        for views in frames.values {
            XCTAssertEqual(Set(views.keys), ["numbers", "symbols"])
            for steps in views.values { XCTAssertEqual(steps.count, board.stepCount) }
        }
    }

    /// Each frame in the page, decoded here, is the storyboard's frame: every row's text, the
    /// column of every character, and the role and boldness of every cell.
    func testTheEmbeddedFramesAreTheStoryboardsFrames() throws {
        for number in ["01", "07", "11"] {
            let (_, board) = try Self.board(number)
            let data = try Self.data(try Self.page(board))
            let rows = try XCTUnwrap(data["rows"] as? [[Any]])
            let frames = try XCTUnwrap(data["frames"] as? [String: [String: [[[Int]]]]])
            let wide = Set(try XCTUnwrap(data["wide"] as? String))
            XCTAssertEqual(data["columns"] as? Int, Self.size.width)
            XCTAssertEqual(data["lines"] as? Int, Self.size.height)
            let last = board.stepCount - 1
            for language in Language.allCases {
                for symbols in [false, true] {
                    let options = ViewOptions(symbols: symbols, language: language, keepsJapanese: true)
                    let steps = try XCTUnwrap(frames[language.rawValue]?[symbols ? "symbols" : "numbers"])
                    for step in Set([0, 1, 4, last / 3, last / 2, last]) {
                        let frame = board.frame(at: step, size: Self.size, options: options)
                        XCTAssertEqual(steps[step].count, 1, "a narration that fits is one page")
                        try Self.check(steps[step][0], rows: rows, wide: wide, against: frame,
                                       "lesson \(number) \(language) \(symbols ? "symbols" : "numbers") step \(step + 1)")
                    }
                }
            }
        }
    }

    private static func check(_ ids: [Int], rows: [[Any]], wide: Set<Character>, against frame: Frame, _ place: String) throws {
        XCTAssertEqual(ids.count, frame.size.height, place)
        for (y, id) in ids.enumerated() {
            let text = try XCTUnwrap(rows[id][0] as? String)
            let runs = try XCTUnwrap(rows[id][1] as? [Int])
            XCTAssertEqual(text, frame.line(y), "\(place) row \(y)")
            checkColumns(text, wide: wide, against: frame, row: y, "\(place) row \(y)")
            checkLooks(runs, against: frame, row: y, "\(place) row \(y)")
        }
    }

    /// A narration longer than its room comes in pages, as PgDn shows them in the player: each
    /// page's lines follow the last page's, and the last page ends with the narration.
    func testANarrationLongerThanItsRoomComesInPages() throws {
        let (_, board) = try Self.board("09")
        let data = try Self.data(try Self.page(board))
        let rows = try XCTUnwrap(data["rows"] as? [[Any]])
        let wide = Set(try XCTUnwrap(data["wide"] as? String))
        let frames = try XCTUnwrap(data["frames"] as? [String: [String: [[[Int]]]]])
        var paged = 0
        for language in Language.allCases {
            let steps = try XCTUnwrap(frames[language.rawValue]?["numbers"])
            for (step, pages) in steps.enumerated() {
                var options = ViewOptions(language: language, keepsJapanese: true)
                let first = board.frame(at: step, size: Self.size, options: options)
                XCTAssertEqual(pages.count > 1, first.narration?.moreBelow ?? false, "\(language) step \(step + 1)")
                guard pages.count > 1 else { continue }
                paged += 1
                var line = 0
                for (k, page) in pages.enumerated() {
                    options.narrationOffset = line
                    let frame = board.frame(at: step, size: Self.size, options: options)
                    let window = try XCTUnwrap(frame.narration)
                    XCTAssertEqual(window.first, line, "page \(k + 1) starts where page \(k) ended")
                    XCTAssertEqual(window.moreBelow, k < pages.count - 1)
                    try Self.check(page, rows: rows, wide: wide, against: frame, "\(language) step \(step + 1) page \(k + 1)")
                    line += window.shown
                }
            }
        }
        XCTAssertGreaterThan(paged, 0, "lesson 09 at 100x32 has a narration longer than its room")
    }

    /// Characters laid out one column each, two for those in `wide`, land on their cells.
    private static func checkColumns(_ text: String, wide: Set<Character>, against frame: Frame, row: Int, _ place: String) {
        var column = 0
        for ch in text {
            XCTAssertEqual(frame[row, column].character, ch, "\(place) column \(column)")
            if wide.contains(ch) { XCTAssertTrue(frame[row, column + 1].isContinuation, "\(place) column \(column + 1)") }
            column += wide.contains(ch) ? 2 : 1
        }
    }

    /// Runs of (look, columns) from column 0; a look is the role's number times two, plus one
    /// where bold; plain past the runs; a wide character's right half looks like its left half.
    private static func checkLooks(_ runs: [Int], against frame: Frame, row: Int, _ place: String) {
        var looks: [Int] = []
        for i in stride(from: 0, to: runs.count, by: 2) { looks += Array(repeating: runs[i], count: runs[i + 1]) }
        XCTAssertLessThanOrEqual(looks.count, frame.size.width, place)
        var left = Cell()
        for x in 0..<frame.size.width {
            let cell = frame[row, x].isContinuation ? left : frame[row, x]
            left = cell
            let look = x < looks.count ? looks[x] : 0
            XCTAssertEqual(look / 2, Int(cell.role.rawValue), "\(place) column \(x): role")
            XCTAssertEqual(look % 2 == 1, cell.bold, "\(place) column \(x): bold")
        }
    }

    /// The questions come before the steps the lesson asks them at, with the lesson's words in
    /// both languages, and the key a typed answer is checked against: lesson 01's first asks for
    /// the four cells of c's window, its second for the shape of the im2col matrix.
    func testTheQuestionsComeBeforeTheirStepsInBothLanguages() throws {
        let (lesson, board) = try Self.board("01")
        let questions = try XCTUnwrap(Self.data(try Self.page(board))["questions"] as? [[String: Any]])
        XCTAssertEqual(questions.count, lesson.questions.count)
        XCTAssertEqual(lesson.questions.count, 2)
        for (q, asked) in zip(lesson.questions, questions) {
            let phase = try XCTUnwrap(board.phases.first { $0.title == q.phase.kind.rawValue }, "\(q.phase)")
            XCTAssertEqual(asked["step"] as? Int, phase.firstStep + (q.step ?? 1) - 1)
            XCTAssertEqual(asked["text"] as? [String: String], ["en": q.prompt.en, "ja": q.prompt.ja])
            XCTAssertEqual(asked["answer"] as? [String: String], ["en": q.answer.en, "ja": q.answer.ja])
        }
        let first = try XCTUnwrap(questions[0]["expected"] as? [String: Any])
        XCTAssertEqual(first["kind"] as? String, "cells")
        // c = out[0,0,0,2]: its window starts at row 0, column 2 of the 4×4 input, 2×2 wide.
        let window = [(0, 2), (0, 3), (1, 2), (1, 3)].map { "x_pad[0,0,\($0.0),\($0.1)]" }
        XCTAssertEqual(Set(first["cells"] as? [String] ?? []), Set(window))
        XCTAssertNotNil(questions[0]["hint"] as? [String: String])
        let second = try XCTUnwrap(questions[1]["expected"] as? [String: Any])
        XCTAssertEqual(second["kind"] as? String, "shape")
        // C·FH·FW = 1·2·2 rows and B·OH·OW = 1·3·3 columns.
        XCTAssertEqual(second["shape"] as? [Int], [4, 9])
    }

    /// A cell's class has the inline style the HTML fragment gives a cell of that look.
    func testEachLookHasTheColoursOfTheHTMLFragment() throws {
        let (_, board) = try Self.board("01")
        let page = try Self.page(board)
        for role in [Role.window, .source, .dest, .heading, .code] {
            for bold in [false, true] {
                var frame = Frame(size: Size(width: 3, height: 1))
                frame.put("x", row: 0, column: 1, role: role, bold: bold)
                let fragment = MarkupRenderer.html(frame)
                let style = try XCTUnwrap(fragment.range(of: #"<span style=""#).map { fragment[$0.upperBound...] }
                    .flatMap { $0.split(separator: "\"").first }, "\(role)")
                let number = Int(role.rawValue) * 2 + (bold ? 1 : 0)
                XCTAssertTrue(page.contains(".k\(number){\(style)}"), "\(role) bold \(bold): \(style)")
            }
        }
    }

    func testTheKeysAndWordsInBothLanguages() throws {
        let (_, board) = try Self.board("01")
        let words = try XCTUnwrap(Self.data(try Self.page(board))["words"] as? [String: [String: Any]])
        for language in ["en", "ja"] {
            let keys = try XCTUnwrap(words[language]?["keys"] as? [[String]])
            XCTAssertEqual(keys.map { $0[0] }, ["space", "→  l", "←  h", "]  [", "+  -", "Home  End", "PgDn  PgUp", "v", "L"],
                           language)
            XCTAssertTrue(keys.allSatisfy { $0.count == 2 && !$0[1].isEmpty })
        }
        XCTAssertEqual(words["ja"]?["paused"] as? String, "|| 一時停止")
        XCTAssertEqual(words["en"]?["yourAnswer"] as? String, "Your answer: %s")
    }

    /// No text of a lesson can end the data's script element or start a comment in it.
    func testALessonsWordsCannotBreakOutOfTheData() throws {
        let text = """
            ---
            title.en: </script><script>alert(1)</script><!--
            title.ja: 題
            operation: conv
            x.shape: 1,1,3,3
            x.values: 1..9
            w.shape: 1,1,2,2
            w.values: 1..4
            ---
            """
        let lesson = try Self.lesson(text, path: "t.md")
        let board = Storyboard(lesson: lesson, trace: try Trace.record(lesson.scenario))
        let page = try Self.page(board)
        XCTAssertEqual(page.components(separatedBy: "</script>").count - 1, 2, "only the page's own two scripts end")
        XCTAssertFalse(page.contains("<script>alert"))
        XCTAssertFalse(page.contains("<!--"))
        let title = try XCTUnwrap(Self.data(page)["title"] as? [String: String])
        XCTAssertEqual(title["en"], "</script><script>alert(1)</script><!--")
        XCTAssertTrue(page.contains("<title>&lt;/script&gt;"))
    }

    func testThePageOpensInTheLanguageAndViewAsked() throws {
        let (_, board) = try Self.board("01")
        let page = try HTMLPlayer.page(board, size: Self.size, options: ViewOptions(symbols: true, language: .ja, keepsJapanese: true))
        XCTAssertTrue(page.contains(#"<html lang="ja">"#))
        XCTAssertTrue(page.contains("<title>フィルタをずらしながら掛ける</title>"))
        let start = try XCTUnwrap(Self.data(page)["start"] as? [String: Any])
        XCTAssertEqual(start["language"] as? String, "ja")
        XCTAssertEqual(start["symbols"] as? Bool, true)
    }
}

import XCTest
import Lessons
import Storyboard
@testable import Terminal

/// A question whose answer is a set of cells: ↓ in its box puts the inspector's cursor on the
/// frame, Enter or a click picks the cell under it (or puts it back), Esc returns to the box
/// with the cells typed in, and Enter checks them as if typed.
final class PickCellsTests: XCTestCase {
    func testTheCellsOfLessonOnesFirstQuestionArePickedOnTheFrame() throws {
        let (_, board) = try HTMLPlayerTests.board("01")
        let asked = try XCTUnwrap((0..<board.stepCount).first { board.asked(before: $0, language: .en)?.key != nil })
        var settings = PlayerSettings(options: ViewOptions(symbols: false), stepsPerSecond: 2)
        settings.startStep = asked - 1
        var m = PlayerModel(source: board, settings: settings)
        m.terminalSize = Size(width: 100, height: 32)
        m.press(.right)
        guard case .question(let box) = m.overlay else { return XCTFail("the question is asked") }
        XCTAssertTrue(box.asksForCells)
        XCTAssertTrue(Screen.compose(m, size: m.terminalSize).text.contains("↓ pick the cells on the frame"))

        m.press(.down)
        XCTAssertEqual(m.overlay, Overlay.none, "the box steps aside")
        XCTAssertNotNil(m.picking)
        XCTAssertNotNil(m.options.inspection, "the cursor is on the frame")
        // c = out[0,0,0,2] covers rows 0–1 and columns 2–3 of the 4×4 input, which x_pad is.
        let window = [(0, 2), (0, 3), (1, 2), (1, 3)].map { "x_pad[0,0,\($0.0),\($0.1)]" }
        let hits = try XCTUnwrap(m.frame()?.hits)
        func hit(_ name: String) throws -> CellHit {
            try XCTUnwrap(hits.first { board.cellName($0.cell)?.replacingOccurrences(of: " ", with: "") == name }, name)
        }
        // A wrong cell picked and put back, then the window's four.
        let wrong = try hit("x_pad[0,0,3,3]")
        m.press(.click(row: wrong.row, column: wrong.column))
        m.press(.enter)
        XCTAssertEqual(m.picking?.typed, "", "Enter on a picked cell puts it back")
        for name in window {
            let h = try hit(name)
            m.press(.click(row: h.row, column: h.column))
        }
        XCTAssertEqual(m.picking?.typed, window.joined(separator: " "))
        XCTAssertTrue(Screen.compose(m, size: m.terminalSize).text.contains("Enter picks the cell, Esc back to the question"))

        m.press(.escape)
        guard case .question(let back) = m.overlay else { return XCTFail("Esc returns to the box") }
        XCTAssertNil(m.options.inspection)
        XCTAssertEqual(back.typed, window.joined(separator: " "))
        m.press(.enter)
        guard case .question(let graded) = m.overlay else { return XCTFail("the box says the verdict") }
        XCTAssertEqual(graded.feedback, .right)
    }
}

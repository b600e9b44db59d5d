import XCTest
import Storyboard
@testable import Terminal

/// The inspector's keys: `i`, the arrows, Tab and Shift-Tab, Enter, a click and Esc.
final class InspectorKeysTests: XCTestCase {
    /// Two tensors side by side: t0 is 2×3 at (3, 0), t1 is 3×2 at (3, 20); the step writes t1[3].
    private func model() -> PlayerModel {
        var source = TestSource()
        source.grids = [TestSource.Grid(tensor: 0, rows: 2, columns: 3, top: 3, left: 0),
                        TestSource.Grid(tensor: 1, rows: 3, columns: 2, top: 3, left: 20)]
        source.focus = CellID(tensor: 1, index: 3)
        var model = PlayerModel(source)
        model.terminalSize = Size(width: 80, height: 24)
        return model
    }

    private func cell(_ tensor: Int, _ index: Int) -> CellID { CellID(tensor: tensor, index: index) }

    func testIStartsOnTheStepsCellAndSelectsIt() {
        var m = model()
        XCTAssertFalse(m.inspecting)
        XCTAssertEqual(m.type("i"), .redraw)
        XCTAssertEqual(m.options.inspection, Inspection(cursor: cell(1, 3), selected: cell(1, 3), selectedAt: 0))
        let status = Screen.compose(m, size: m.terminalSize).line(23)
        XCTAssertTrue(status.contains("inspect: t1[3]"), status)
        m.type("i")
        XCTAssertNil(m.options.inspection, "i again leaves")
        m.type("i")
        XCTAssertEqual(m.press(.escape), .redraw)
        XCTAssertNil(m.options.inspection, "Esc leaves")
    }

    func testArrowsMoveWithinTheTensorAndEnterSelects() {
        var m = model()
        m.type("i")
        // t1 is 3×2: index 3 is row 1, column 1.
        m.press(.left)
        XCTAssertEqual(m.options.inspection?.cursor, cell(1, 2))
        XCTAssertEqual(m.press(.left), .bell, "the left edge of the tensor")
        XCTAssertEqual(m.notice, .cursorAtEdge)
        m.press(.down)
        XCTAssertEqual(m.options.inspection?.cursor, cell(1, 4))
        XCTAssertEqual(m.press(.down), .bell)
        m.press(.up, .up, .right)
        XCTAssertEqual(m.options.inspection?.cursor, cell(1, 1))
        XCTAssertEqual(m.options.inspection?.selected, cell(1, 3), "moving is not selecting")
        let status = Screen.compose(m, size: Size(width: 100, height: 24)).line(23)
        XCTAssertTrue(status.contains("inspect: t1[3]  cursor t1[1]"), status)
        XCTAssertEqual(m.step, 0, "arrows move the cursor, not the step")
        m.press(.enter)
        XCTAssertEqual(m.options.inspection?.selected, cell(1, 1))
        // Step keys keep their meaning; the selection stays as it was selected.
        m.type("l")
        XCTAssertEqual(m.step, 1)
        XCTAssertEqual(m.options.inspection?.selectedAt, 0)
    }

    func testTabGoesToTheNextTensorAndShiftTabBack() {
        var m = model()
        m.type("i")
        m.press(.tab)
        XCTAssertEqual(m.options.inspection?.cursor, cell(0, 0), "after the last tensor, the first")
        m.press(.tab)
        XCTAssertEqual(m.options.inspection?.cursor, cell(1, 0))
        m.press(.backTab)
        XCTAssertEqual(m.options.inspection?.cursor, cell(0, 0))
    }

    func testAClickSelectsTheCellUnderItEvenOutsideInspectMode() {
        var m = model()
        // t0's cell 5 (row 1, column 2) is drawn at row 4, columns 8..<12.
        XCTAssertEqual(m.press(.click(row: 4, column: 10)), .redraw)
        XCTAssertEqual(m.options.inspection, Inspection(cursor: cell(0, 5), selected: cell(0, 5), selectedAt: 0))
        XCTAssertEqual(Screen.compose(m, size: m.terminalSize)[4, 8].character, "@", "the frame draws the cursor there")
        m.press(.click(row: 5, column: 21))
        XCTAssertEqual(m.options.inspection?.selected, cell(1, 4))
        XCTAssertEqual(m.press(.click(row: 15, column: 60)), .bell)
        XCTAssertEqual(m.notice, .noCellThere)
        XCTAssertEqual(m.options.inspection?.selected, cell(1, 4), "a click beside the cells changes nothing")
    }

    func testIWithoutCellsSaysSo() {
        var m = PlayerModel()
        m.terminalSize = Size(width: 80, height: 24)
        XCTAssertEqual(m.type("i"), .bell)
        XCTAssertEqual(m.notice, .nothingToInspect)
        XCTAssertNil(m.options.inspection)
        XCTAssertEqual(m.press(.click(row: 3, column: 3)), .none, "a click on nothing outside inspect mode is ignored")
    }

    func testTabAndShiftTabFromCurses() {
        XCTAssertEqual(CursesTerminal.event(character: 9), .key(.tab))
        XCTAssertEqual(CursesTerminal.event(keyCode: 0o541), .key(.backTab), "KEY_BTAB")
    }

    func testHelpListsTheInspectorKeyInBothLanguages() {
        for language in Language.allCases {
            let texts = Texts.of(language, asciiOnly: false)
            XCTAssertTrue(texts.keys.contains { $0.0 == "i" }, "\(language)")
        }
    }
}

import XCTest
import Engine
import Trace
import Lessons
@testable import Storyboard

/// The inspector's picture: which cells light up for a selected cell, and what its panel says,
/// against sets and sums derived here from the layer's geometry.
final class InspectorTests: XCTestCase {
    /// The course's lesson 01, as shipped.
    private func lessonOne() throws -> Storyboard {
        let text = try XCTUnwrap(BuiltInLessons.all.first { $0.name.hasPrefix("01-") }).text
        let lesson = try LessonReader.parse(text, path: "01.md", readNPY: { _ in throw CocoaError(.fileNoSuchFile) }).get()
        return Storyboard(lesson: lesson, trace: try Trace.record(lesson.scenario))
    }

    private func tensor(_ board: Storyboard, _ name: String) throws -> Int {
        try XCTUnwrap(board.trace.tensors.lastIndex { $0.name == name }, "no tensor \(name)")
    }

    /// The flat indexes of `tensor`'s cells the frame draws in `role`, read from the frame's
    /// characters: the role of the cell's text, right of its mark.
    private func cells(_ frame: Frame, tensor: Int, role: Role) -> Set<Int> {
        Set(frame.hits.filter { $0.cell.tensor == tensor && frame[$0.row, $0.column + $0.width - 1].role == role }
            .map(\.cell.index))
    }

    /// Lesson 01 (input 1…16 as 4×4, filter 2×2, stride 1): output e is the fifth of a…i,
    /// y[0,0,1,1]. Selected at the last step and looked at in the im2col phase, its window
    /// (input cells 6, 7, 10, 11) and the fifth column of cols light up, and nothing else.
    func testInspectingOutputELightsItsWindowAndTheFifthIm2colColumn() throws {
        let board = try lessonOne()
        let y = try tensor(board, "y"), xPad = try tensor(board, "x_pad"), cols = try tensor(board, "cols")
        let (H, W, FH, FW, OW) = (4, 4, 2, 2, 3)
        let e = 4, (oh, ow) = (e / OW, e % OW)
        let eIndex = try XCTUnwrap(board.cellName(CellID(tensor: y, index: e))) == "y[0,0,1,1]" ? e : -1
        XCTAssertEqual(eIndex, 4)
        // The window of output e in the 4×4 input, and the values it holds (the input is 1…16).
        var window = Set<Int>()
        for fh in 0..<FH { for fw in 0..<FW { window.insert((oh + fh) * W + (ow + fw)) } }
        XCTAssertEqual(window.map { $0 + 1 }.sorted(), [6, 7, 10, 11])
        XCTAssertEqual(H * W, board.trace.tensors[xPad].shape.reduce(1, *))
        let column = Set((0..<(FH * FW)).map { $0 * 9 + e })

        let inspection = Inspection(cursor: CellID(tensor: y, index: e), selected: CellID(tensor: y, index: e),
                                    selectedAt: board.stepCount - 1)
        let im2col = try XCTUnwrap(board.phases.firstIndex { $0.title == "im2col" })
        let lastOfIm2col = board.phases[im2col + 1].firstStep - 1
        for size in [Size(width: 100, height: 30), Size(width: 80, height: 24)] {
            let frame = board.frame(at: lastOfIm2col, size: size, options: ViewOptions(inspection: inspection))
            XCTAssertEqual(cells(frame, tensor: xPad, role: .lineage), window, "\(size)")
            XCTAssertEqual(cells(frame, tensor: cols, role: .lineage), column, "\(size)")
            // The marked cells show the input's values 6, 7, 10, 11.
            let shown = frame.hits.filter { $0.cell.tensor == xPad && window.contains($0.cell.index) }.map { hit in
                String(frame.line(hit.row).dropFirst(hit.column + 1).prefix(hit.width - 1)).trimmingCharacters(in: .whitespaces)
            }
            XCTAssertEqual(shown.sorted { Int($0)! < Int($1)! }, ["6", "7", "10", "11"], "\(size)")
            XCTAssertTrue(frame.text.contains("~"), "the lineage's mark survives plain text")
        }
        // Without the inspector the same frame marks no lineage.
        let plain = board.frame(at: lastOfIm2col, size: Size(width: 100, height: 30), options: ViewOptions())
        XCTAssertTrue(cells(plain, tensor: cols, role: .lineage).isEmpty)
    }

    /// The panel tells the value as the sum of the window's products, and names the sources.
    func testThePanelTellsTheProductAndTheSources() throws {
        let board = try lessonOne()
        let y = try tensor(board, "y")
        let last = board.stepCount - 1
        let frame = board.frame(at: last, size: Size(width: 100, height: 40),
                                options: ViewOptions(inspection: Inspection(cursor: CellID(tensor: y, index: 4),
                                                                            selected: CellID(tensor: y, index: 4), selectedAt: last)))
        // e = 6W + 7X + 10Y + 11Z with W X Y Z = 1 2 3 4.
        let inputs = [6, 7, 10, 11], filter = [1, 2, 3, 4]
        let e = zip(inputs, filter).reduce(0) { $0 + $1.0 * $1.1 }
        XCTAssertTrue(frame.text.contains("Inspecting y[0, 0, 1, 1] = \(e)"), frame.text)
        // The product is w @ cols: the filter's cell first.
        let products = zip(filter, inputs).map { "\($0)·\($1)" }.joined(separator: " + ")
        XCTAssertTrue(frame.text.contains("\(products) = \(e)"), frame.text)
        // The window's cells of x, then the whole filter and the bias.
        let window = [(1, 1), (1, 2), (2, 1), (2, 2)].map { "x[0,0,\($0),\($1)]" }
        let weights = (0..<4).map { "w[0,0,\($0 / 2),\($0 % 2)]" }
        let sources = (window + weights + ["b[0,0]"]).joined(separator: " ")
        XCTAssertTrue(frame.text.contains("from: " + sources), frame.text)
    }

    /// col2im: a cell of dx that several windows cover is the sum of their contributions.
    func testACol2imCellSaysEachWindowAndTheSum() throws {
        let ones = Tensor(shape: [1, 1, 2, 2], data: [1, 1, 1, 1])
        let board = Fixtures.board(Scenario(operation: .conv, passes: .backward, x: Fixtures.ramp([1, 1, 4, 4]), w: ones))
        let dx = try tensor(board, "dx")
        for (h, w) in [(0, 0), (1, 1), (1, 2), (3, 0)] {
            // Windows (oh, ow) of a 2×2 filter at stride 1 over 4×4 that cover (h, w).
            var covering = 0
            for oh in 0..<3 { for ow in 0..<3 where (oh...(oh + 1)).contains(h) && (ow...(ow + 1)).contains(w) { covering += 1 } }
            let cell = CellID(tensor: dx, index: h * 4 + w)
            let frame = board.frame(at: board.stepCount - 1, size: Size(width: 120, height: 48),
                                    options: ViewOptions(inspection: Inspection(cursor: cell, selected: cell, selectedAt: board.stepCount - 1)))
            if covering > 1 {
                let sum = Array(repeating: "1", count: covering).joined(separator: " + ")
                XCTAssertTrue(frame.text.contains("\(covering) windows cover this cell: \(sum) = \(covering)"), "\(h),\(w)\n" + frame.text)
            } else {
                XCTAssertFalse(frame.text.contains("windows cover this cell"), "\(h),\(w)")
            }
        }
    }

    /// Every cell the frame says it drew shows that cell's value where it says.
    func testHitsPointAtTheCellsDrawnThere() throws {
        let board = try lessonOne()
        for step in [0, 11, 20, 40, board.stepCount - 1] {
            let frame = board.frame(at: step, size: Size(width: 100, height: 30), options: ViewOptions())
            XCTAssertFalse(frame.hits.isEmpty)
            let state = board.trace.state(after: board.visibleSteps[step])
            for hit in frame.hits {
                let text = String(frame.line(hit.row).dropFirst(hit.column + 1).prefix(hit.width - 1)).trimmingCharacters(in: .whitespaces)
                let value = state.values[hit.cell.tensor][hit.cell.index]
                XCTAssertTrue(text == "·" || Double(text) == value, "step \(step) \(board.cellName(hit.cell)!): \(text) vs \(value)")
            }
        }
    }
}

import XCTest
@testable import Storyboard

/// A frame is redrawn on every key press, so drawing a grid must cost what is visible, not
/// what the tensor holds: a matrix of 8×100,000 cells formats only the cells on screen.
final class GridCostTests: XCTestCase {
    final class Counter: @unchecked Sendable { var calls = 0 }

    func testOnlyVisibleCellsAreFormatted() {
        let counter = Counter()
        let columns = 100_000
        let spec = GridSpec(title: "u", shape: [8, columns],
                            text: { i in counter.calls += 1; return String(i % 97) },
                            mark: { _ in nil }, focus: 8 * columns / 2 + columns / 2)
        let block = spec.block(maxWidth: 100, maxHeight: 12)
        XCTAssertLessThanOrEqual(block.width, 100)
        // About 30 columns × 8 rows are visible; a handful of measuring passes is fine,
        // formatting every cell (or every cell once per column tried) is not.
        XCTAssertLessThan(counter.calls, 8 * 100 * 10, "formatted \(counter.calls) cells")
        XCTAssertGreaterThan(counter.calls, 0)
    }

    func testTheFocusStaysVisibleWhenColumnsAreElided() {
        let focus = 3 * 5_000 + 4_321
        let spec = GridSpec(title: "u", shape: [8, 5_000], text: { String($0 % 5_000) },
                            mark: { $0 == focus ? (.dest, true) : nil }, focus: focus)
        let block = spec.block(maxWidth: 80, maxHeight: 12)
        let rows = (0..<block.height).map { r in String((0..<block.width).map { block[r, $0].character }) }
        XCTAssertTrue(rows.contains { $0.contains(">4321") }, rows.joined(separator: "\n"))
        XCTAssertTrue(rows.contains { $0.contains("…") }, "elided columns are marked")
    }
}

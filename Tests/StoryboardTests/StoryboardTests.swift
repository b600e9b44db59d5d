import XCTest
import Engine
import Trace
import Storyboard

final class StoryboardTests: XCTestCase {
    func testEveryFrameOfEveryFixtureDrawsAtEverySize() {
        let boards = [Fixtures.seedExample, Fixtures.convBackward, Fixtures.pool(),
                      Fixtures.pool(routing: .seedBug), Fixtures.pool(.average)]
        let sizes = [Size(width: 64, height: 20), Size(width: 100, height: 31), Size(width: 200, height: 60)]
        for board in boards {
            XCTAssertGreaterThan(board.stepCount, 0)
            for step in 0..<board.stepCount {
                for size in sizes {
                    for language in Language.allCases {
                        let frame = board.frame(at: step, size: size, options: ViewOptions(language: language))
                        XCTAssertEqual(frame.size, size)
                        // The header always names the lesson and the phase: a frame is never blank.
                        XCTAssertTrue(frame.line(0).contains("Tatami"), "step \(step) at \(size)")
                        XCTAssertFalse(frame.line(1).isEmpty, "step \(step) at \(size)")
                    }
                }
            }
        }
    }

    func testBelowTheMinimumSizeTheFrameSaysSo() {
        let frame = Fixtures.seedExample.frame(at: 0, size: Size(width: 40, height: 10), options: ViewOptions())
        XCTAssertTrue(frame.text.contains("terminal too small: need 64×20"))
    }

    func testTheArithmeticOfTheFocusCellIsOnScreen() {
        let b = Fixtures.seedExample
        let first = b.frame(at: Fixtures.step(b, "slide", 1), size: Size(width: 100, height: 31),
                            options: ViewOptions(symbols: true))
        XCTAssertTrue(first.text.contains("a = 1·W + 2·X + 5·Y + 6·Z"), first.text)
        let numbers = b.frame(at: Fixtures.step(b, "slide", 1), size: Size(width: 100, height: 31),
                              options: ViewOptions(symbols: false))
        XCTAssertTrue(numbers.text.contains("= 1·1 + 2·2 + 5·3 + 6·4 = 44"), numbers.text)
        let ninth = b.frame(at: Fixtures.step(b, "gemm", 9), size: Size(width: 100, height: 31),
                            options: ViewOptions(symbols: true))
        XCTAssertTrue(ninth.text.contains("i = W·11 + X·12 + Y·15 + Z·16"), ninth.text)
    }

    func testPhasesFollowTheSeedOrder() {
        XCTAssertEqual(Fixtures.seedExample.phases.map(\.title),
                       ["input", "pad", "slide", "im2col", "filter-reshape", "gemm", "bias",
                        "reshape", "transpose", "activation"])
        let pool = Fixtures.pool().phases.map(\.title)
        XCTAssertEqual(Array(pool.prefix(6)), ["input", "pad", "im2col", "transpose", "pool-rows", "argmax"])
        XCTAssertTrue(pool.contains("route") && pool.last == "crop", "\(pool)")
    }

    func testFramesArePureFunctionsOfTheirPosition() {
        let b = Fixtures.convBackward
        let size = Size(width: 100, height: 31)
        let forward = (0..<b.stepCount).map { b.frame(at: $0, size: size, options: ViewOptions()) }
        // Visiting in another order (as a student stepping back and jumping does) changes nothing.
        for step in (0..<b.stepCount).reversed() where step % 3 == 0 {
            XCTAssertEqual(b.frame(at: step, size: size, options: ViewOptions()), forward[step])
        }
    }

    func testCol2imShowsHowManyWindowsCoveredEachCell() {
        // 3×3 input, 2×2 windows, stride 1: the coverage is 1 2 1 / 2 4 2 / 1 2 1.
        let b = Fixtures.pool()
        let last = Fixtures.step(b, "col2im", 4)
        let text = b.frame(at: last, size: Size(width: 110, height: 34), options: ViewOptions()).text
        let lines = text.split(separator: "\n").map(String.init)
        guard let title = lines.firstIndex(where: { $0.contains("windows per cell") }) else {
            return XCTFail("no coverage grid in:\n\(text)")
        }
        // A character offset: the headings before it hold multi-byte characters (×).
        let column = lines[title].distance(from: lines[title].startIndex, to: lines[title].range(of: "windows per cell")!.lowerBound)
        let rows = lines[(title + 1)...(title + 3)].map { line in
            String(line.dropFirst(column)).split(separator: " ").map { $0.replacingOccurrences(of: "+", with: "") }.prefix(3)
        }
        XCTAssertEqual(rows.map(Array.init), [["1", "2", "1"], ["2", "4", "2"], ["1", "2", "1"]], text)
    }

    /// The bias fan names the cells the bias is really added to: in the plain form
    /// `u = w@x + b`, b[m] reaches row m of u (M, B·OH·OW); in the base form `u = x@w + b`,
    /// column m of u (B·OH·OW, M).
    func testTheBiasFanReachesTheCellsTheBiasIsAddedTo() throws {
        for form in ConvForm.allCases {
            let x = Fixtures.ramp([2, 1, 3, 3])
            let w = Fixtures.ramp([2, 1, 2, 2])
            let b = Fixtures.board(Scenario(operation: .conv, x: x, w: w, b: Tensor(shape: [2], data: [10, 100]), form: form))
            let text = b.frame(at: Fixtures.step(b, "bias"), size: Size(width: 140, height: 40), options: ViewOptions()).text
            let legs = text.split(separator: "\n").compactMap { line -> [Int]? in
                guard let r = line.range(of: "→ u[") else { return nil }
                let inside = line[r.upperBound...].prefix { $0 != "]" }
                return inside.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            }
            // Placements: 2 images × 2×2 outputs = 8.
            let expected = (0..<8).map { form == .plain ? [0, $0] : [$0, 0] }
            XCTAssertEqual(legs, expected, "\(form):\n\(text)")
            XCTAssertTrue(text.contains(form == .plain ? "b[0, 0] ─" : "b[0] ─"), text)
        }
    }

    func testSeedBugRoutingWritesEveryArgmaxColumnOfEveryRow() {
        let bug = Fixtures.pool(routing: .seedBug)
        let step = Fixtures.step(bug, "route-seed-bug", 1)
        let events = bug.trace.events(ofStep: bug.visibleSteps[step])
        let columns = Set(events.filter { $0.kind == .write }.map { Int($0.dstIndex) % 4 })
        // x = [1 5 2; 4 0 6; 3 8 7]: the windows' maxima sit at columns 1, 3, 3, 2 → {1, 2, 3}.
        XCTAssertEqual(columns, [1, 2, 3])
    }
}

import XCTest
import Engine
import Trace

/// A cell's count of contributions is what tells a picture that the cell has been computed,
/// so it must not run over, however many contributions one cell collects.
final class HitCountTests: XCTestCase {
    func testACellWithMoreThan65535ContributionsCountsThemAll() throws {
        // grad_b of a 1×1 filter over a 256×256 image sums 65,536 gradients into one cell,
        // one more than a 16-bit count holds.
        let side = 256
        let x = Tensor(shape: [1, 1, side, side], data: [Double](repeating: 1, count: side * side))
        let scenario = Scenario(operation: .conv, passes: .backward, x: x,
                                w: Tensor(shape: [1, 1, 1, 1], data: [2]), b: Tensor(shape: [1], data: [0]))
        let trace = try Trace.record(scenario)
        let last = trace.stepCount - 1
        let gradB = try XCTUnwrap(trace.tensor(named: "grad_b", atStep: last))
        let state = trace.state(after: last)
        XCTAssertEqual(state[gradB], [Double(side * side)])
        XCTAssertEqual(state.hits[Int(gradB.rawValue)].map { Int($0) }, [side * side])
    }

    func testEveryContributionATraceCanHoldIsCounted() {
        // One contribution is one event, so a count that holds the most events a trace may
        // hold never runs over.
        let counted = TensorState.Count.max
        XCTAssertLessThanOrEqual(Trace.maxEvents, Int(counted))
    }
}

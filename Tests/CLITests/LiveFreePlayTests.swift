import XCTest
import ArgumentParser
import Storyboard
import Terminal
@testable import CLI

/// Free play's live changes, through the command line's own options and checks.
final class LiveFreePlayTests: XCTestCase {
    private func live(_ arguments: [String]) throws -> LiveFreePlay {
        LiveFreePlay(arguments: try FreePlayArguments.parse(arguments), layout: nil)
    }

    private func changed(_ live: LiveFreePlay, _ knob: LiveKnob, _ delta: Int) throws -> (LiveFreePlay, Storyboard) {
        switch live.changing(knob, by: delta) {
        case .failure(let refusal): throw refusal
        case .success(let change):
            return (try XCTUnwrap(change.settings as? LiveFreePlay), try XCTUnwrap(change.source as? Storyboard))
        }
    }

    private func outputShape(_ board: Storyboard) -> [Int]? {
        board.trace.tensors.last { $0.name == "y" }?.shape
    }

    func testStrideAndPadChangeTheLayerAndTheHeader() throws {
        let start = try live(["--op", "conv", "--shape", "1,1,5,5"])
        XCTAssertTrue(try start.storyboard().title.contains("stride 1 · pad 0"))
        let (stride2, board) = try changed(start, .stride, 1)
        // OH = (H + 2·P − F) // S + 1 = (5 − 3) // 2 + 1.
        XCTAssertEqual(outputShape(board), [1, 1, (5 - 3) / 2 + 1, (5 - 3) / 2 + 1])
        XCTAssertTrue(board.title.contains("stride 2 · pad 0 · dil 1 · filter 3×3 · x 5×5"), board.title)
        let (_, padded) = try changed(stride2, .pad, 1)
        XCTAssertEqual(outputShape(padded), [1, 1, (5 + 2 - 3) / 2 + 1, (5 + 2 - 3) / 2 + 1])
        XCTAssertTrue(padded.title.contains("stride 2 · pad 1"), padded.title)
        let (_, dilated) = try changed(start, .dilation, 1)
        XCTAssertEqual(outputShape(dilated), [1, 1, 5 - (2 * 2 + 1) + 1, 5 - (2 * 2 + 1) + 1])
        let (_, bigger) = try changed(start, .input, 1)
        XCTAssertEqual(outputShape(bigger), [1, 1, 6 - 3 + 1, 6 - 3 + 1])
    }

    func testACombinationThatDoesNotWorkIsRefusedInOneSentence() throws {
        let start = try live(["--op", "conv", "--shape", "1,1,4,4"])
        let (f4, _) = try changed(start, .window, 1)
        XCTAssertEqual(outputShape(try f4.storyboard()), [1, 1, 1, 1])
        guard case .failure(let refusal) = f4.changing(.window, by: 1) else { return XCTFail("a 5×5 filter on a 4×4 input") }
        XCTAssertFalse(refusal.message.hasPrefix("tatami:"))
        XCTAssertTrue(refusal.message.hasSuffix("."), refusal.message)
        guard case .failure(let stride0) = start.changing(.stride, by: -1) else { return XCTFail("stride 0") }
        XCTAssertTrue(stride0.message.contains("at least 1"), stride0.message)
        guard case .failure(let pool) = try live(["--op", "pool", "--shape", "1,1,4,4"]).changing(.dilation, by: 1) else {
            return XCTFail("pooling has no dilation")
        }
        XCTAssertTrue(pool.message.contains("not dilated"), pool.message)
    }

    func testAPoolingWindowTakesItsStrideAlong() throws {
        let start = try live(["--op", "pool", "--shape", "1,1,6,6"])
        let (_, board) = try changed(start, .window, 1)
        XCTAssertTrue(board.title.contains("pool 3×3 · stride 3"), board.title)
        XCTAssertEqual(outputShape(board), [1, 1, 2, 2])
    }
}

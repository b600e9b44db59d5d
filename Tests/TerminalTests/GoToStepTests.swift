import XCTest
import Storyboard
@testable import Terminal

/// `g N Enter` takes the step number the status line shows (counted from 1), and a number no
/// step has is refused on the status line instead of taken for the nearest step.
final class GoToStepTests: XCTestCase {
    private func status(_ model: PlayerModel) -> String {
        Screen.compose(model, size: Size(width: 80, height: 24)).line(23)
    }

    /// The step as the status line numbers it.
    private func shownStep(_ model: PlayerModel) -> String? {
        let line = status(model)
        guard let range = line.range(of: #"step \d+/"#, options: .regularExpression) else { return nil }
        return String(line[range].dropFirst(5).dropLast())
    }

    func testGoToNLandsOnTheStepShownAsN() {
        var model = PlayerModel()
        XCTAssertEqual(shownStep(model), "1", status(model))
        for n in [7, 1, 12, 3] {
            model.type("g\(n)")
            model.press(.enter)
            XCTAssertNil(model.notice, "g \(n)")
            XCTAssertEqual(shownStep(model), String(n), status(model))
        }
    }

    func testAStepPastTheEndIsRefusedOnTheStatusLine() {
        var model = PlayerModel(start: 4)
        model.type("g13")
        XCTAssertEqual(model.press(.enter), .bell)
        XCTAssertEqual(model.step, 4, "the step stays where it was")
        XCTAssertEqual(model.overlay, Overlay.none)
        XCTAssertEqual(model.notice, .noSuchStep(13, count: 12))
        XCTAssertTrue(status(model).contains("no step 13: the last is 12"), status(model))
        XCTAssertEqual(shownStep(model), "5", status(model))
        model.press(.right)
        XCTAssertNil(model.notice, "the next key takes the notice away")

        model.type("L")
        model.type("g99")
        model.press(.enter)
        XCTAssertTrue(status(model).contains("ステップ 99 はありません (最後は 12)"), status(model))
    }

    func testStepZeroIsRefusedToo() {
        var model = PlayerModel(start: 3)
        model.type("g0")
        XCTAssertEqual(model.press(.enter), .bell)
        XCTAssertEqual(model.step, 3)
        XCTAssertEqual(model.notice, .noSuchStep(0, count: 12))
        XCTAssertTrue(status(model).contains("no step 0: the first is 1"), status(model))
    }
}

import XCTest
import Storyboard
@testable import Terminal

/// Autoplay keeps a step on screen longer when it brings something to read: a new phase, the
/// lesson's narration, a question's answer, as a recording does.
final class AutoplayHoldTests: XCTestCase {
    private struct Source: FrameSource {
        var stepCount = 5
        var phases = [PhaseMark(title: "a", firstStep: 0), PhaseMark(title: "b", firstStep: 2)]
        var minimumSize = Size(width: 20, height: 5)
        func frame(at step: Int, size: Size, options: ViewOptions) -> Frame { Frame(size: size) }
        func emphasis(ofStep step: Int) -> StepEmphasis {
            [0: .phaseChange, 2: .phaseChange, 3: .narration, 4: .question][step] ?? .step
        }
    }

    func testTheHoldFollowsWhatTheStepBrings() {
        var model = PlayerModel(source: Source(), settings: PlayerSettings(stepsPerSecond: 2))
        let expected: [Double] = [3, 1, 3, 3, 5].map { $0 * 0.5 }
        for (step, hold) in expected.enumerated() {
            XCTAssertEqual(model.step, step)
            XCTAssertEqual(model.holdInterval, hold, accuracy: 1e-12, "step \(step)")
            _ = model.handle(key: .right)
        }
    }
}

import XCTest
import Storyboard
@testable import Terminal

/// Free play's live keys, with a stand-in for the command line's recording: stride changes the
/// step count of the phases, as a real layer's would.
final class LiveKeysTests: XCTestCase {
    /// A layer whose phases each have `placements` steps; stride 3 and more does not fit.
    struct Layer: LiveSettings {
        var stride = 1
        var calls: [LiveKnob] = []

        var placements: Int { [1: 9, 2: 4][stride] ?? 1 }

        var source: TestSource {
            var s = TestSource()
            s.stepCount = 3 * placements
            s.phases = ["input", "slide", "im2col"].enumerated().map { PhaseMark(title: $1, firstStep: $0 * placements) }
            return s
        }

        func changing(_ knob: LiveKnob, by delta: Int) -> Result<(settings: any LiveSettings, source: any FrameSource), LiveRefusal> {
            guard knob == .stride else { return .failure(LiveRefusal("only the stride changes here")) }
            var next = self
            next.stride += delta
            guard next.stride >= 1 else { return .failure(LiveRefusal("--stride must be at least 1 (got 0)")) }
            guard next.stride <= 2 else { return .failure(LiveRefusal("the window does not fit at stride \(next.stride)")) }
            return .success((next, next.source))
        }
    }

    private func model(at step: Int) -> PlayerModel {
        let layer = Layer()
        return PlayerModel(source: layer.source, settings: PlayerSettings(startStep: step), live: layer)
    }

    func testStrideKeysRecordAgainAndStayInThePhase() {
        var m = model(at: 9 + 6)   // slide, its 7th step
        XCTAssertEqual(m.type("S"), .redraw)
        XCTAssertEqual((m.live as? Layer)?.stride, 2)
        XCTAssertEqual(m.source.stepCount, 12)
        XCTAssertEqual(m.step, 4 + 3, "slide again, its steps clamped to the 4 it has now")
        m.type("s")
        XCTAssertEqual(m.source.stepCount, 27)
        XCTAssertEqual(m.step, 9 + 3, "slide, step 4 again")
    }

    func testARefusedChangeSaysWhyAndKeepsTheLastSettings() {
        var m = model(at: 2)
        XCTAssertEqual(m.type("s"), .bell)
        XCTAssertEqual(m.notice, .liveRefused("--stride must be at least 1 (got 0)"))
        m.type("SS")
        XCTAssertEqual(m.notice, .liveRefused("the window does not fit at stride 3"))
        XCTAssertEqual((m.live as? Layer)?.stride, 2, "the last stride that worked")
        XCTAssertEqual(m.source.stepCount, 12)
        let status = Screen.compose(m, size: Size(width: 100, height: 24)).line(23)
        XCTAssertTrue(status.contains("the window does not fit at stride 3"), status)
    }

    func testEveryKnobHasItsOwnKeysThatNoOtherKeyUses() {
        let live = LiveKnob.allCases.flatMap { [$0.keys.less, $0.keys.more] }
        XCTAssertEqual(Set(live).count, live.count)
        let taken = Texts.of(.en, asciiOnly: true).keys.flatMap { $0.0.split(separator: " ").map(String.init) }
        for key in live { XCTAssertFalse(taken.contains(String(key)), "\(key) is already a key") }
        // Without free play they are unknown keys, as before.
        var lesson = PlayerModel()
        XCTAssertEqual(lesson.type("S"), .bell)
        XCTAssertEqual(lesson.notice, .unknownKey("S"))
    }

    func testFreePlayHelpListsTheLiveKeys() {
        var m = model(at: 0)
        m.type("?")
        let help = Screen.compose(m, size: Size(width: 100, height: 30)).text
        XCTAssertTrue(help.contains("s S  p P  d D"), help)
        XCTAssertTrue(help.contains("f F  x X"), help)
        var lesson = PlayerModel()
        lesson.type("?")
        XCTAssertFalse(Screen.compose(lesson, size: Size(width: 100, height: 30)).text.contains("s S  p P"))
    }
}

import Storyboard

/// What free play's live keys change: one setting of the layer each, a key for less and a
/// key for more.
public enum LiveKnob: String, Sendable, CaseIterable {
    case stride, pad, dilation
    /// The filter's size (convolution) or the pooling window's.
    case window
    /// The input's height and width.
    case input

    /// The keys for less and for more.
    public var keys: (less: Character, more: Character) {
        switch self {
        case .stride: return ("s", "S")
        case .pad: return ("p", "P")
        case .dilation: return ("d", "D")
        case .window: return ("f", "F")
        case .input: return ("x", "X")
        }
    }
}

/// Free play's settings, as the player changes them live: given to the player by the command
/// line, which alone knows how to record a trace, so that the terminal depends on nothing but
/// frames. The settings show in the frames' header (the source's title), so the player need
/// not draw them.
public protocol LiveSettings: Sendable {
    /// The settings with `knob` moved by `delta` (±1) and the source recorded with them, or
    /// one sentence saying why that combination does not work.
    func changing(_ knob: LiveKnob, by delta: Int) -> Result<(settings: any LiveSettings, source: any FrameSource), LiveRefusal>
}

/// Why a live change does not work, in one sentence.
public struct LiveRefusal: Error, Sendable, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

extension PlayerModel {
    /// Free play's live keys: the trace is recorded again at once, and the player stays in the
    /// same phase, as far into it as the new phase goes. Nil where the key is not one of them or
    /// this is not free play.
    mutating func handleLive(key: Key) -> Effect? {
        guard let live, case .character(let c) = key,
              let knob = LiveKnob.allCases.first(where: { $0.keys.less == c || $0.keys.more == c }) else { return nil }
        switch live.changing(knob, by: knob.keys.more == c ? 1 : -1) {
        case .failure(let refusal):
            return refuse(.liveRefused(refusal.message))
        case .success(let change):
            let target = Self.position(of: step, in: source, on: change.source)
            self.live = change.settings
            source = change.source
            // Cells of the old trace mean nothing in the new one.
            options.inspection = nil
            options.blockPage = 0
            step = target
            return .redraw
        }
    }

    /// Where `step` of `old` is in `new`: the same phase (by its name, `transpose 2`) and the
    /// same step within it, clamped to the new phase's length; failing that, the same step number
    /// clamped to the new count.
    static func position(of step: Int, in old: any FrameSource, on new: any FrameSource) -> Int {
        let phases = old.phases
        guard !phases.isEmpty else { return clamp(step, count: new.stepCount) }
        let phase = phases[old.phaseIndex(ofStep: step)]
        guard let k = new.phases.firstIndex(where: { $0.title == phase.title }) else {
            return clamp(step, count: new.stepCount)
        }
        let end = k + 1 < new.phases.count ? new.phases[k + 1].firstStep : new.stepCount
        return clamp(min(new.phases[k].firstStep + (step - phase.firstStep), end - 1), count: new.stepCount)
    }
}

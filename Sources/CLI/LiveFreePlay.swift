import ArgumentParser
import Engine
import Lessons
import Storyboard
import Terminal
import Trace

/// Free play's settings as the player's live keys change them: each change is made to the
/// command line's own options and goes through the same checks, so a combination that does
/// not work is refused with the sentence the command line would print.
struct LiveFreePlay: LiveSettings, @unchecked Sendable {
    // The options are plain values; argument-parser's wrappers are not marked Sendable.
    var arguments: FreePlayArguments
    var layout: ColumnLayout?

    /// The free play's storyboard with these settings.
    func storyboard() throws -> Storyboard {
        guard var lesson = try arguments.lesson() else { throw Failure("free play needs --op conv or --op pool") }
        if let layout { lesson.scenario.layout = layout }
        return Storyboard(lesson: lesson, trace: try Trace.record(lesson.scenario))
    }

    func changing(_ knob: LiveKnob, by delta: Int) -> Result<(settings: any LiveSettings, source: any FrameSource), LiveRefusal> {
        do {
            var next = self
            try next.change(knob, by: delta)
            return .success((next, try next.storyboard()))
        } catch {
            return .failure(LiveRefusal(Self.sentence(error)))
        }
    }

    /// One setting moved by `delta`, written back as the option would be typed.
    private mutating func change(_ knob: LiveKnob, by delta: Int) throws {
        guard let settings = try arguments.settings() else { return }
        let conv = settings.operation == .conv
        func text(_ p: Pair) -> String { "\(p.v + delta),\(p.h + delta)" }
        switch knob {
        case .stride:
            arguments.stride = PairArgument(argument: text(settings.stride ?? (conv ? Pair(1) : settings.pool)))
        case .pad:
            guard case .pair(let p) = settings.pad else {
                throw Failure("pad is `same`, which the filter decides; start free play without --pad same to change it")
            }
            arguments.pad = PaddingArgument(argument: text(p))
        case .dilation:
            arguments.dilation = PairArgument(argument: text(settings.dilation))
        case .window:
            if conv {
                guard arguments.w == nil else { throw Failure("the filter comes from \(arguments.w!): its size cannot change") }
                let f = settings.filter ?? [1, settings.shape?[1] ?? 1, 3, 3]
                arguments.filter = ShapeArgument(argument: "\(f[0]),\(f[1]),\(f[2] + delta),\(f[3] + delta)")
            } else {
                // A stride equal to the window (pooling's default) follows the window.
                if (settings.stride ?? settings.pool) == settings.pool { arguments.stride = PairArgument(argument: text(settings.pool)) }
                arguments.pool = PairArgument(argument: text(settings.pool))
            }
        case .input:
            guard arguments.x == nil else { throw Failure("the input comes from \(arguments.x!): its size cannot change") }
            let x = settings.shape ?? [1, 1, 6, 6]
            arguments.shape = ShapeArgument(argument: "\(x[0]),\(x[1]),\(x[2] + delta),\(x[3] + delta)")
        }
        // Each option alone and against the others, as the command line checks them.
        try arguments.validate()
    }

    /// The one sentence an error says, as `tatami` would print it, without the `tatami: ` prefix.
    static func sentence(_ error: Error) -> String {
        String(CLI.sentence(refusalMessage(error)).dropFirst("tatami: ".count))
    }
}

import Engine
import Trace
import Lessons

/// What a storyboard needs from a lesson besides the trace: its title, its words and its
/// questions, and which phases it shows. Everything the pictures say comes from the trace.
public protocol Script: Sendable {
    var title: Localized { get }
    /// One or two sentences saying what the lesson shows; said at its first step.
    var summary: Localized { get }
    /// Narration for a phase, or for one step of it (1-based) when `step` is given.
    func note(for phase: PhaseRef, step: Int?) -> Note?
    /// Questions asked at a phase, or at one step of it.
    func questions(for phase: PhaseRef, step: Int?) -> [Question]
    /// The trace's steps the student steps through, in order.
    func shownSteps(in trace: Trace) -> [Int]
    /// The view the lesson starts in: true for symbols, false for numbers, nil for the default.
    var startsInSymbols: Bool? { get }
}

extension Lesson: Script {}

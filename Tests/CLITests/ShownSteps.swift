import Foundation
import Engine
import Lessons
import Trace

/// The steps a shipped lesson shows, read from its file and its trace as the commands read
/// them, so that a test of `list`, `render` or `play` follows the lesson when it changes
/// instead of repeating a count.
struct ShownSteps {
    var count: Int
    /// The phases of the first and the last step shown.
    var first: PhaseKind
    var last: PhaseKind

    /// `name` is a file of the repository's `Lessons/` folder, where the tests run the commands.
    static func of(_ name: String) throws -> ShownSteps {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let lesson: Lesson
        switch LessonReader.load(path: root.appendingPathComponent("Lessons/" + name).path) {
        case .success(let l): lesson = l
        case .failure(let problems): throw problems
        }
        let trace = try Trace.record(lesson.scenario)
        // A phase that changes nothing (the bias when the lesson's b is all zeros, the identity
        // activation and its derivative) is one step, unless the lesson narrates its steps.
        let zeroBias = lesson.scenario.b?.data.allSatisfy { $0 == 0 } ?? true
        func idle(_ p: PhaseInfo) -> Bool {
            let steps = lesson.notes.contains { $0.phase.kind == p.kind && $0.phase.occurrence == p.occurrence && $0.step != nil }
                || lesson.questions.contains { $0.phase.kind == p.kind && $0.phase.occurrence == p.occurrence && $0.step != nil }
            if steps { return false }
            switch p.kind {
            case .bias: return zeroBias
            case .activation, .dactivation: return lesson.scenario.activation == .identity
            default: return false
            }
        }
        let kinds = (0..<trace.stepCount).filter { s in
            let p = trace.phases[trace.stepPhase[s]]
            guard lesson.show.map({ $0.contains(p.kind) && (lesson.showOccurrences[p.kind]?.contains(p.occurrence) ?? true) }) ?? true else { return false }
            let next = s + 1 < trace.stepCount ? trace.stepPhase[s + 1] : -1
            return !idle(p) || next != trace.stepPhase[s]
        }.map { trace.phases[trace.stepPhase[$0]].kind }
        guard let first = kinds.first, let last = kinds.last else {
            throw EngineError("\(name) shows no step")
        }
        return ShownSteps(count: kinds.count, first: first, last: last)
    }
}

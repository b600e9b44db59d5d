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
        let kinds = (0..<trace.stepCount).map { trace.phases[trace.stepPhase[$0]].kind }
            .filter { lesson.show?.contains($0) ?? true }
        guard let first = kinds.first, let last = kinds.last else {
            throw EngineError("\(name) shows no step")
        }
        return ShownSteps(count: kinds.count, first: first, last: last)
    }
}

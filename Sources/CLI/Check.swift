import ArgumentParser
import Foundation
import Lessons
import Storyboard

/// `tatami check LESSON...`: reads each lesson, runs it in the engine, and prints every
/// problem as `file:line:column: message` (on stderr), or one `ok` line per good file.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check lesson files: every problem as file:line:column: message; exit 1 if any.",
        discussion: """
        A lesson is checked as the player reads it, and then run in the engine, so that a lesson \
        that passes plays to its end. LESSON is a path to a lesson file, or a lesson's number or \
        name among the lessons found (see `tatami list`). With no LESSON, every lesson found is checked.
        """
    )

    @Argument(help: "Lesson files (paths), or lesson numbers or names.")
    var lessons: [String] = []

    @OptionGroup var folder: LessonFolderArguments

    func run() throws {
        let location = LessonLocation.resolve(lessons: folder.lessons)
        var targets: [(label: String, load: () -> Result<Lesson, LessonProblems>)] = []
        if lessons.isEmpty {
            switch location.entries() {
            case .failure(let problems):
                problems.forEach { lessonError($0.description) }
                throw ExitCode(1)
            case .success(let entries):
                targets = entries.map { entry in (entry.path, { location.load(entry) }) }
            }
        } else {
            // `tatami check Lessons/*.md` names the folder's README too: it documents the
            // format and is not a lesson, as the lesson list treats it.
            let documentation = lessons.filter { ($0 as NSString).lastPathComponent.lowercased() == "readme.md" }
            for d in documentation { lessonOut("\(d): skipped (documentation, not a lesson)\n") }
            targets = lessons.filter { !documentation.contains($0) }.map { argument in (argument, { location.find(argument) }) }
        }
        var failed = 0
        for target in targets {
            let result = target.load().flatMap { lesson in
                LessonReader.check(lesson).map { (lesson, $0) }
            }
            switch result {
            case .failure(let problems):
                failed += 1
                problems.forEach { lessonError($0.description) }
            case .success(let (lesson, trace)):
                lesson.warnings(for: trace).forEach { lessonError($0.description) }
                // Play it to its end: every frame it shows, in both languages.
                let board = Storyboard(lesson: lesson, trace: trace)
                for step in 0..<board.stepCount {
                    for language in Language.allCases {
                        _ = board.frame(at: step, size: Size(width: 100, height: 31), options: ViewOptions(language: language))
                    }
                }
                let op = "\(lesson.scenario.operation.rawValue) \(lesson.scenario.passes.rawValue)"
                let q = lesson.questions.count
                lessonOut("\(lesson.path): ok (\(op), \(lesson.shownStepCount(in: trace)) steps shown of \(trace.stepCount), \(lesson.notes.count) narrations, \(q) question\(q == 1 ? "" : "s"))\n")
            }
        }
        if failed > 0 {
            lessonError("\(failed) of \(targets.count) lesson\(targets.count == 1 ? "" : "s") failed the check; Lessons/README.md describes the format")
            throw ExitCode(1)
        }
    }
}

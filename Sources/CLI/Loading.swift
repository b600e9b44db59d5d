import Foundation
import ArgumentParser
import Engine
import Trace
import Lessons
import Storyboard

/// What a command shows: a lesson (a file, or a lesson of the course by number or name) or
/// free play on arrays of one's own (`--op`). Shared by `play`, `render`, `record` and `trace`.
struct LessonSourceArguments: ParsableArguments {
    @Argument(help: "The lesson: a file, or a lesson of the course by number or name.")
    var lesson: String?

    @OptionGroup var folder: LessonFolderArguments

    @Option(help: "im2col layout: seed is the article's (C·FH·FW, B·OH·OW), rows is (B·OH·OW, C·FH·FW).")
    var layout: Word<ColumnLayout>?

    @OptionGroup(title: "Free play") var free: FreePlayArguments

    func validate() throws {
        _ = try layout?.value("--layout")
        guard free.op != nil else { return }
        if lesson != nil { throw ValidationError("give a lesson or --op for free play, not both") }
        if folder.lessons != nil { throw ValidationError("--lessons does not apply to free play, which reads no lesson") }
    }

    /// Refuses a command line that names neither a lesson nor free play, for the commands that
    /// do not fall back on the first lesson.
    func requireLessonOrFreePlay() throws {
        guard lesson != nil || free.op != nil else {
            throw ValidationError("name a lesson (see `tatami list`) or use --op conv|pool for free play")
        }
    }

    /// How messages and trace headers name what is shown.
    var name: String {
        guard free.op == nil else { return "free play" }
        guard let lesson else { return "the first lesson" }
        return lesson.contains("/") || lesson.hasSuffix(".md") ? lesson : "lesson \(lesson)"
    }

    /// The lesson's storyboard (the first lesson's when none is named), or free play's.
    func storyboard() throws -> Storyboard {
        let layout = try self.layout?.value("--layout")
        if var freeLesson = try free.lesson() {
            if let layout { freeLesson.scenario.layout = layout }
            return Storyboard(lesson: freeLesson, trace: try Trace.record(freeLesson.scenario))
        }
        return try loadStoryboard(lesson, lessons: folder.lessons, layout: layout)
    }
}

/// Reads a lesson (a path, or a lesson of the course by number or name; the first when nil),
/// records its trace and builds its storyboard.
func loadStoryboard(_ argument: String?, lessons folder: String? = nil,
                    layout: ColumnLayout? = nil) throws -> Storyboard {
    var lesson: Lesson
    switch LessonLocation.resolve(lessons: folder).find(argument) {
    case .success(let l): lesson = l
    case .failure(let problems): throw problems
    }
    if let layout, layout != lesson.scenario.layout {
        // The lesson is checked as it is written; under another layout an answer such as the
        // shape (4, 9) of im2col's matrix no longer holds, and that question is only discussed.
        if case .failure(let problems) = LessonReader.check(lesson) { throw problems }
        lesson.scenario.layout = layout
        return Storyboard(lesson: lesson, trace: try Trace.record(lesson.scenario))
    }
    // The same checks as `tatami check`: a lesson that plays has passed them.
    switch LessonReader.check(lesson) {
    case .success(let trace): return Storyboard(lesson: lesson, trace: trace)
    case .failure(let problems): throw problems
    }
}

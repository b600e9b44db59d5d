import Foundation
import ArgumentParser
import Storyboard
import Terminal
import Trace

/// `tatami play` (and plain `tatami`): the lesson in the terminal player.
struct Play: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Play a lesson in the terminal (the first lesson when none is given).")

    @Argument(help: "The lesson: a file, or a lesson of the course by number or name (default: the first).")
    var lesson: String?

    @OptionGroup var folder: LessonFolderArguments

    @Option(help: "Playback speed in steps per second.")
    var speed: Double = 2

    @OptionGroup var view: ViewArguments

    @OptionGroup(title: "Free play") var free: FreePlayArguments

    func run() throws {
        try reportingErrors {
            guard speed.isFinite, speed > 0, speed <= 1000 else {
                throw Failure("--speed must be a number of steps per second between 0 and 1000, not \(speed)")
            }
            let board: Storyboard
            if var freeLesson = try free.lesson() {
                if lesson != nil { throw Failure("give a lesson or --op for free play, not both") }
                if let layout = try view.columnLayout() { freeLesson.scenario.layout = layout }
                board = Storyboard(lesson: freeLesson, trace: try Trace.record(freeLesson.scenario))
            } else {
                board = try loadStoryboard(lesson, lessons: folder.lessons, layout: try view.columnLayout())
            }
            let options = try view.viewOptions()
            let env = ProcessInfo.processInfo.environment
            if let problem = Player.problemStarting(environment: env) {
                // A terminal with an unusable TERM is an error; no terminal at all (a pipe, a
                // script) still gets the lesson, as plain text.
                guard isatty(STDIN_FILENO) == 0 || isatty(STDOUT_FILENO) == 0 else { throw Failure(problem) }
                printError("tatami: \(problem); printing the frames as plain text instead (see `tatami render`).")
                printFrames(board, steps: Array(0..<board.stepCount), size: Size(width: 100, height: 31),
                            options: options, colored: false, separated: true)
                return
            }
            let code = Player.run(board, settings: PlayerSettings(options: options, stepsPerSecond: speed))
            if code != 0 { throw ExitCode(code) }
        }
    }
}


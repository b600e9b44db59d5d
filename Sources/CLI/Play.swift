import Foundation
import ArgumentParser
import Storyboard
import Terminal
import Trace
import Lessons

/// `tatami play` (and plain `tatami`): the lesson in the terminal player.
struct Play: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Play a lesson in the terminal (the first lesson when none is given).")

    @OptionGroup var source: LessonSourceArguments

    @Option(parsing: .unconditional, help: "Playback speed in steps per second (more than 0, at most 1000).")
    var speed: Double = 2

    @OptionGroup var view: ViewArguments

    @OptionGroup var player: PlayerArguments

    // Every refusal of the command line happens here, before the player touches the terminal.
    func validate() throws {
        guard speed.isFinite, speed > 0, speed <= 1000 else {
            throw ValidationError("--speed must be more than 0 and at most 1000 steps per second (got \(String(format: "%g", speed)))")
        }
    }

    func run() throws {
        try reportingErrors {
            let log = try player.openLog()
            let board = try source.storyboard()
            let options = try view.viewOptions(for: board)
            // Free play's settings change live, from the keyboard.
            let live = source.free.op == nil ? nil : LiveFreePlay(arguments: source.free, layout: try source.layout?.value("--layout"))
            try player.play(board, options: options, speed: speed, log: log, practice: nil, live: live)
        }
    }
}

/// `--plain` and `--log`, shared by `play` and `practice`, and the way both start a player.
struct PlayerArguments: ParsableArguments {
    @Flag(help: """
        Tell the lesson in sentences, one step per Enter, read line by line from stdin: for screen \
        readers and braille displays (b back, a number to go to a step, q quit; a question takes \
        the typed answer, or show). Used by itself where TERM=dumb.
        """)
    var plain = false

    @Option(help: ArgumentHelp("Append one JSON line per answered question to this file (see `tatami report`).", valueName: "FILE.jsonl"))
    var log: String?

    /// The log, opened for appending before anything is shown: an unwritable file is refused first.
    func openLog() throws -> AnswerLogFile? {
        guard let log else { return nil }
        guard !log.isEmpty else { throw Failure("--log needs a file name, such as answers.jsonl") }
        do { return try AnswerLogFile(path: log) } catch { throw Failure(error.message) }
    }

    /// Plays `board` (as a practice when `practice` is given) in the terminal player, or as
    /// sentences with `--plain`, where TERM=dumb, or (for a practice) where there is no terminal.
    func play(_ board: Storyboard, options: ViewOptions, speed: Double, log: AnswerLogFile?, practice: PracticeBoard?,
              live: (any LiveSettings)? = nil) throws {
        let env = ProcessInfo.processInfo.environment
        let lessonName = (board.script as? Lesson).map { AnswerRecord.lessonName(path: $0.path) } ?? "free play"
        if plain { return try playPlain(board, options: options, lessonName: lessonName, log: log, practice: practice) }
        if let problem = Player.problemStarting(environment: env) {
            // A terminal with an unusable TERM is an error, except TERM=dumb, which says
            // that this terminal shows lines and nothing more (an editor's shell, a screen
            // reader's console): it gets the sentences. No terminal at all (a pipe, a
            // script) still gets the lesson, as plain text; a practice reads its answers.
            if isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 {
                guard env["TERM"] == "dumb" else { throw Failure(problem) }
                return try playPlain(board, options: options, lessonName: lessonName, log: log, practice: practice)
            }
            if practice != nil {
                return try playPlain(board, options: options, lessonName: lessonName, log: log, practice: practice)
            }
            printError("tatami: \(problem); printing the frames as plain text instead (see `tatami render`).")
            printFrames(board, steps: Array(0..<board.stepCount), size: Size(width: 100, height: 31),
                        options: options, colored: false, separated: true)
            return
        }
        var settings = PlayerSettings(options: options, stepsPerSecond: speed, startStep: practice?.firstStep ?? 0)
        settings.log = log
        settings.lessonName = lessonName
        settings.practiceSteps = practice?.practiceSteps
        let code = Player.run(practice ?? board, settings: settings, live: live)
        if code != 0 { throw ExitCode(code) }
    }

    private func playPlain(_ board: Storyboard, options: ViewOptions, lessonName: String, log: AnswerLogFile?,
                           practice: PracticeBoard?) throws {
        let code = PlainPlayer.run(board, options: options, practice: practice, lessonName: lessonName,
                                   startStep: practice?.firstStep ?? 0, nextLine: { readLine(strippingNewline: true) }, write: printOut,
                                   record: { log?.append($0) })
        if code != 0 { throw ExitCode(code) }
    }
}

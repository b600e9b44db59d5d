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
            let options = try view.viewOptions()
            try player.play(board, options: options, speed: speed, log: log, practice: nil)
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
    func play(_ board: Storyboard, options: ViewOptions, speed: Double, log: AnswerLogFile?, practice: PracticeBoard?) throws {
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
        let code = Player.run(practice ?? board, settings: settings)
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

/// `tatami practice`: a faded worked example of a lesson (or of free play).
struct Practice: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Practise a lesson: after the first steps of each phase, produce each step before it is shown.",
        discussion: """
            In each phase the first steps are shown worked (one in a phase of two steps, two in a \
            longer one); then each step that computes something is asked first: type the value \
            it writes (sliding window, matrix product, bias, col2im sums, gradients, update), or \
            the cell it moves as name[i,j,…] (im2col: which input cell lands here; routing: where \
            the gradient goes). A wrong answer gets the step's arithmetic as a hint; after 3 \
            wrong tries, or on Tab (show in --plain), the answer is shown. The end shows the \
            score and the steps missed. Without a terminal (a pipe), answers are read line by \
            line as with --plain.
            """)

    @OptionGroup var source: LessonSourceArguments

    @Option(help: ArgumentHelp("Practise only this phase, as a lesson heading names it (slide, gemm, transpose 2).", valueName: "NAME"))
    var phase: String?

    @OptionGroup var view: ViewArguments

    @OptionGroup var player: PlayerArguments

    func run() throws {
        try reportingErrors {
            let log = try player.openLog()
            let board = try source.storyboard()
            if let phase {
                let names = board.phases.map(\.title)
                guard names.contains(phase.lowercased()) else {
                    throw Failure("\(source.name) has no phase `\(phase)`; its phases are \(names.joined(separator: ", "))")
                }
            }
            let practice = PracticeBoard(board: board, phase: phase?.lowercased())
            guard !practice.practiceSteps.isEmpty else {
                throw Failure("\(phase.map { "the phase \($0) of " } ?? "")\(source.name) has no step to produce: its phases only move values; choose a phase such as slide, gemm or col2im")
            }
            try player.play(board, options: try view.viewOptions(), speed: 2, log: log, practice: practice)
        }
    }
}

/// `tatami report`: a class's logs, per lesson and step, worst first.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Summarise answer logs (--log): per lesson and step, how many answered right at the first try, worst first.",
        discussion: """
            Each row is one lesson's step: how many answers the logs hold for it and how many of \
            them were right at the first try. Rows are ordered worst first (the lowest share right \
            at the first try, then the most answers): the steps to show again. A line that is not \
            an answer record stops the report with its file:line and exit code 1.
            """)

    @Argument(help: "Answer logs written with --log.")
    var files: [String] = []

    @Flag(help: "Print one JSON value, {\"rows\": [...]}, with the same rows in the same order.")
    var json = false

    func validate() throws {
        if files.isEmpty { throw ValidationError("name the answer logs to read, such as `tatami report class/*.jsonl`") }
    }

    func run() throws {
        try reportingErrors {
            var records: [AnswerRecord] = []
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw Failure("cannot read the log \(file): check the path")
                }
                switch ClassReport.records(in: String(decoding: data, as: UTF8.self), file: file) {
                case .success(let r): records += r
                case .failure(let problem): throw Failure(problem.message)
                }
            }
            let report = ClassReport(records)
            printOut(json ? report.json : report.table)
        }
    }
}

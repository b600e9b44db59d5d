import Foundation
import ArgumentParser
import Storyboard
import Terminal
import Trace

/// `tatami play` (and plain `tatami`): the lesson in the terminal player.
struct Play: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Play a lesson in the terminal (the first lesson when none is given).")

    @OptionGroup var source: LessonSourceArguments

    @Option(parsing: .unconditional, help: "Playback speed in steps per second (more than 0, at most 1000).")
    var speed: Double = 2

    @OptionGroup var view: ViewArguments

    @Flag(help: """
        Tell the lesson in sentences, one step per Enter, read line by line from stdin: for screen \
        readers and braille displays (b back, a number to go to a step, q quit). Used by itself \
        where TERM=dumb.
        """)
    var plain = false

    // Every refusal of the command line happens here, before the player touches the terminal.
    func validate() throws {
        guard speed.isFinite, speed > 0, speed <= 1000 else {
            throw ValidationError("--speed must be more than 0 and at most 1000 steps per second (got \(String(format: "%g", speed)))")
        }
    }

    func run() throws {
        try reportingErrors {
            let board = try source.storyboard()
            let options = try view.viewOptions(for: board)
            let env = ProcessInfo.processInfo.environment
            if plain { return try playPlain(board, options: options) }
            if let problem = Player.problemStarting(environment: env) {
                // A terminal with an unusable TERM is an error, except TERM=dumb, which says
                // that this terminal shows lines and nothing more (an editor's shell, a screen
                // reader's console): it gets the sentences. No terminal at all (a pipe, a
                // script) still gets the lesson, as plain text.
                if isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 {
                    guard env["TERM"] == "dumb" else { throw Failure(problem) }
                    return try playPlain(board, options: options)
                }
                printError("tatami: \(problem); printing the frames as plain text instead (see `tatami render`).")
                printFrames(board, steps: Array(0..<board.stepCount), size: Size(width: 100, height: 31),
                            options: options, colored: false, separated: true)
                return
            }
            // Free play's settings change live, from the keyboard.
            let live = source.free.op == nil ? nil : LiveFreePlay(arguments: source.free, layout: try source.layout?.value("--layout"))
            let code = Player.run(board, settings: PlayerSettings(options: options, stepsPerSecond: speed), live: live)
            if code != 0 { throw ExitCode(code) }
        }
    }

    private func playPlain(_ board: Storyboard, options: ViewOptions) throws {
        let code = PlainPlayer.run(board, options: options, nextLine: { readLine(strippingNewline: true) },
                                   write: printOut)
        if code != 0 { throw ExitCode(code) }
    }
}

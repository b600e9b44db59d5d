import Foundation
import ArgumentParser
import Storyboard

/// `tatami render`: frames as plain text or ANSI, without a terminal.
struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print frames of a lesson as text (plain or ANSI colours).")

    @OptionGroup var source: LessonSourceArguments

    @Option(parsing: .unconditional, help: "The step to print, counted from 1 as the player counts them.")
    var step: Int?

    @Flag(help: "Print every frame, each after a line naming its step.")
    var all = false

    @OptionGroup var frame: FrameSizeArguments

    @Option(help: "Colours: auto colours only on a terminal, and never with NO_COLOR set.")
    var color = Word(ColorMode.auto)

    @OptionGroup var view: ViewArguments

    func validate() throws {
        try source.requireLessonOrFreePlay()
        if all && step != nil { throw ValidationError("--step and --all cannot be given together; choose one") }
        if let step, step < 1 { throw ValidationError("--step must be at least 1 (got \(step))") }
        _ = try color.value("--color")
    }

    func run() throws {
        try reportingErrors {
            let board = try source.storyboard()
            let frameSize = try frame.value(for: board, named: source.name)
            let options = try view.viewOptions()
            if options.languageShown != options.language {
                printError("tatami: Japanese needs a UTF-8 locale (for example LANG=C.UTF-8); showing English.")
            }
            guard board.stepCount > 0 else { throw Failure("\(source.name) shows no steps") }
            let steps: [Int]
            if all {
                steps = Array(0..<board.stepCount)
            } else if let step {
                guard step <= board.stepCount else {
                    throw ValidationError("--step must be at most \(board.stepCount), the steps \(source.name) shows (got \(step))")
                }
                steps = [step - 1]
            } else {
                steps = [0]
            }
            printFrames(board, steps: steps, size: frameSize, options: options,
                        colored: try useColor(color.value("--color")), separated: all)
        }
    }
}

/// Prints frames of `board`, each after a line naming its step when `separated`: what
/// `render` prints, and what `play` prints where there is no terminal.
func printFrames(_ board: Storyboard, steps: [Int], size: Size, options: ViewOptions, colored: Bool, separated: Bool) {
    for s in steps {
        let frame = board.frame(at: s, size: size, options: options)
        if separated {
            let phase = board.phases[board.phaseIndex(ofStep: s)].title
            printOut(TextRenderer.separator(step: s, of: board.stepCount, phase: phase, width: size.width,
                                            asciiOnly: options.asciiOnly) + "\n")
        }
        printOut((colored ? TextRenderer.ansi(frame) : TextRenderer.plain(frame)) + "\n")
    }
}

/// Whether to colour: `auto` colours only on a terminal, and never when NO_COLOR is set.
func useColor(_ mode: ColorMode) -> Bool {
    switch mode {
    case .never: return false
    case .always: return true
    case .auto:
        let env = ProcessInfo.processInfo.environment
        if let nc = env["NO_COLOR"], !nc.isEmpty { return false }
        return isatty(STDOUT_FILENO) == 1
    }
}

import Foundation
import ArgumentParser
import Storyboard

/// `tatami render`: frames as plain text or ANSI, without a terminal.
struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print frames of a lesson as text (plain or ANSI colours).")

    @Argument(help: "The lesson: a file, or a lesson of the course by number or name.")
    var lesson: String

    @OptionGroup var folder: LessonFolderArguments

    @Option(help: "The step to print (1-based).")
    var step: Int?

    @Flag(help: "Print every frame, each after a line naming its step.")
    var all = false

    @Option(help: "Frame size as WIDTHxHEIGHT.")
    var size: String = "100x32"

    @Option(help: "Colours: never, always or auto (only on a terminal, and never with NO_COLOR).")
    var color: String = "auto"

    @OptionGroup var view: ViewArguments

    func run() throws {
        try reportingErrors {
            let frameSize = try parseSize(size)
            let colored = try useColor(color)
            if all && step != nil { throw Failure("--step and --all cannot be given together; choose one") }
            let board = try loadStoryboard(lesson, lessons: folder.lessons, layout: try view.columnLayout())
            let options = try view.viewOptions()
            if options.asciiOnly, options.language == .ja {
                printError("tatami: Japanese needs a UTF-8 locale (for example LANG=C.UTF-8); showing English.")
            }
            guard board.stepCount > 0 else { throw Failure("\(lesson) shows no steps") }
            let steps: [Int]
            if all {
                steps = Array(0..<board.stepCount)
            } else if let step {
                guard step >= 1, step <= board.stepCount else {
                    throw Failure("--step must be between 1 and \(board.stepCount) for \(lesson), not \(step)")
                }
                steps = [step - 1]
            } else {
                steps = [0]
            }
            printFrames(board, steps: steps, size: frameSize, options: options, colored: colored, separated: all)
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

/// `100x32` → Size, refusing sizes no terminal has.
func parseSize(_ text: String) throws -> Size {
    let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false)
    guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]) else {
        throw Failure("--size must look like 100x32 (width x height), not \"\(text)\"")
    }
    guard (20...1000).contains(w), (5...500).contains(h) else {
        throw Failure("--size \(text) is outside 20x5 … 1000x500")
    }
    return Size(width: w, height: h)
}

/// Whether to colour: `auto` colours only on a terminal, and never when NO_COLOR is set.
func useColor(_ mode: String) throws -> Bool {
    switch mode {
    case "never": return false
    case "always": return true
    case "auto":
        let env = ProcessInfo.processInfo.environment
        if let nc = env["NO_COLOR"], !nc.isEmpty { return false }
        return isatty(STDOUT_FILENO) == 1
    default: throw Failure("--color must be never, always or auto, not \"\(mode)\"")
    }
}

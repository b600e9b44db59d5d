import Foundation
import ArgumentParser
import Storyboard

/// `tatami render`: frames as plain text, ANSI, SVG or HTML, without a terminal.
struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print or write frames of a lesson as text, ANSI colours, SVG or HTML.",
        discussion: """
            One frame goes to stdout, or to the file -o names. With --all, text and ansi frames \
            go to stdout, each after a line naming its step; with -o FOLDER (needed for svg and \
            html) every frame is a file of its own there, step-001.svg, step-002.svg, …
            """)

    @OptionGroup var source: LessonSourceArguments

    @Option(parsing: .unconditional, help: "The step to print, counted from 1 as the player counts them.")
    var step: Int?

    @Flag(help: "Every frame: on stdout, each after a line naming its step, or one file per step with -o FOLDER.")
    var all = false

    @OptionGroup var frame: FrameSizeArguments

    @OptionGroup var encoding: FrameOutputArguments

    @OptionGroup var view: ViewArguments

    func validate() throws {
        try source.requireLessonOrFreePlay()
        if all && step != nil { throw ValidationError("--step and --all cannot be given together; choose one") }
        if let step, step < 1 { throw ValidationError("--step must be at least 1 (got \(step))") }
        if all, encoding.output == nil, let format = try encoding.format?.value("--format"), !format.isText {
            throw ValidationError("--all --format \(format.rawValue) writes one file per step; give the folder to write them into with -o")
        }
    }

    func run() throws {
        try reportingErrors {
            let format = try encoding.chosenFormat()
            let board = try source.storyboard()
            let frameSize = try frame.value(for: board, named: source.name)
            let options = try view.viewOptions(for: board)
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
            switch (encoding.output, all) {
            case (nil, _):
                if format.isText {
                    printFrames(board, steps: steps, size: frameSize, options: options, colored: format == .ansi, separated: all)
                } else {
                    printOut(Self.encode(board.frame(at: steps[0], size: frameSize, options: options), as: format))
                }
            case (let path?, false):
                let destination = try Record.checkedDestination(path)
                try Record.writeAtomically(Self.encode(board.frame(at: steps[0], size: frameSize, options: options), as: format),
                                           to: destination)
            case (let path?, true):
                let folder = try Self.checkedFolder(path)
                let digits = max(3, String(board.stepCount).count)
                for s in steps {
                    let number = String(s + 1)
                    let name = "step-" + String(repeating: "0", count: max(0, digits - number.count)) + number
                    if let asking = board.questionFrame(before: s, size: frameSize, options: options) {
                        try Record.writeAtomically(Self.encode(asking, as: format),
                                                   to: folder.appendingPathComponent(name + "-question." + format.fileExtension))
                    }
                    try Record.writeAtomically(Self.encode(board.frame(at: s, size: frameSize, options: options), as: format),
                                               to: folder.appendingPathComponent(name + "." + format.fileExtension))
                }
            }
        }
    }

    /// One frame in `format`, ending with a newline.
    static func encode(_ frame: Frame, as format: FrameFormat) -> String {
        switch format {
        case .text: return TextRenderer.plain(frame) + "\n"
        case .ansi: return TextRenderer.ansi(frame) + "\n"
        case .svg: return MarkupRenderer.svg(frame)
        case .html: return MarkupRenderer.html(frame)
        }
    }

    /// The folder of `render --all -o`, made when its parent exists; refused when it is a file
    /// or its parent is missing, before any frame is written.
    static func checkedFolder(_ path: String) throws -> URL {
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw Failure("-o \(path) is a file; with --all, -o names a folder to write one file per step into")
            }
            return url
        }
        let parent = url.deletingLastPathComponent()
        guard FileManager.default.fileExists(atPath: parent.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw Failure("the folder that would hold -o \(path) does not exist; create it first or choose another folder")
        }
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        } catch {
            throw Failure("cannot create the folder \(path): check that \(parent.path) is writable")
        }
        return url
    }
}

/// Prints frames of `board`, each after a line naming its step when `separated`: what
/// `render` prints, and what `play` prints where there is no terminal.
func printFrames(_ board: Storyboard, steps: [Int], size: Size, options: ViewOptions, colored: Bool, separated: Bool) {
    for s in steps {
        let frame = board.frame(at: s, size: size, options: options)
        // Every frame in order shows a question before the step that answers it, as the
        // player asks it.
        if separated, let asking = board.questionFrame(before: s, size: size, options: options) {
            let phase = board.phases[board.phaseIndex(ofStep: s)].title
            printOut(TextRenderer.separator(step: s, of: board.stepCount, phase: phase, width: size.width,
                                            asciiOnly: options.asciiOnly, question: true) + "\n")
            printOut((colored ? TextRenderer.ansi(asking) : TextRenderer.plain(asking)) + "\n")
        }
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

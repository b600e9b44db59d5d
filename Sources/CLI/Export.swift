import Foundation
import ArgumentParser
import Storyboard
import Terminal

/// `tatami export`: the lesson as one HTML page that plays it offline in a browser.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write one self-contained HTML page that plays a lesson in a browser, offline.",
        discussion: """
            The page holds every frame, drawn by tatami at --size in English and Japanese, with \
            numbers and with symbols, and plays them with the player's keys (→ ← ] [ space v L, \
            + -, Home End, PgDn PgUp), a slider over the steps and the lesson's questions. It loads \
            nothing from anywhere: open it from a file, a USB stick or a course site. The \
            language and view options choose what it opens with.
            """)

    @OptionGroup var source: LessonSourceArguments

    @Option(name: [.short, .customLong("output")], help: "The file to write, such as lesson.html.")
    var output: String

    @OptionGroup var frame: FrameSizeArguments

    @OptionGroup var view: ViewArguments

    func validate() throws {
        try source.requireLessonOrFreePlay()
        guard !output.isEmpty else { throw ValidationError("-o needs a file name, such as lesson.html") }
    }

    func run() throws {
        try reportingErrors {
            // As a recording, the page starts in the lesson's view and is shown elsewhere.
            let (destination, board, options, frameSize) = try Record.prepare(
                source: source, view: view, frame: frame, output: output, example: "lesson.html", verb: "export")
            guard board.stepCount <= HTMLPlayer.maxSteps else {
                throw Failure("\(source.name) shows \(board.stepCount) steps, more than the \(HTMLPlayer.maxSteps) a page holds; use smaller shapes")
            }
            try Record.writeAtomically(try HTMLPlayer.page(board, size: frameSize, options: options), to: destination)
        }
    }
}

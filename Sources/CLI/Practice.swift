import ArgumentParser
import Storyboard

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

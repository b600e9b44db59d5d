import Foundation
import ArgumentParser
import Storyboard

/// `tatami record`: the lesson played from its first step to its last as an asciicast v2 file,
/// with the frames `render` and the player show.
struct Record: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Record a lesson as an asciicast v2 file (for asciinema players, slides and course pages).",
        discussion: """
            Every step is shown for --step-seconds; the first step of a phase and a step the \
            lesson narrates stay three times as long, and a step with a question (its frame shows \
            the answer) five times as long. A question is shown before the step that answers \
            it, for five step times and at least four seconds. Recordings use Unicode box drawing \
            and Japanese, \
            whatever the local terminal can show, since they are played elsewhere; --ascii \
            records ASCII borders, arrows and marks instead (Japanese stays).
            """)

    @OptionGroup var source: LessonSourceArguments

    @Option(name: [.short, .customLong("output")], help: "The file to write, such as lesson.cast.")
    var output: String

    @OptionGroup var frame: FrameSizeArguments

    // Unconditional, so that `--step-seconds -1` reaches `validate()` and gets its sentence
    // instead of being taken for an unknown option.
    @Option(parsing: .unconditional, help: "Seconds each step stays on screen (more than 0, at most 60).")
    var stepSeconds: Double = 1

    @OptionGroup var view: ViewArguments

    func validate() throws {
        try source.requireLessonOrFreePlay()
        guard !output.isEmpty else { throw ValidationError("-o needs a file name, such as lesson.cast") }
        guard stepSeconds.isFinite, stepSeconds > 0, stepSeconds <= 60 else {
            throw ValidationError("--step-seconds must be more than 0 and at most 60 (got \(String(format: "%g", stepSeconds)))")
        }
    }

    func run() throws {
        try reportingErrors {
            let (destination, board, options, frameSize) = try Self.prepare(
                source: source, view: view, frame: frame, output: output, example: "lesson.cast", verb: "record")
            let title = board.script.title.text(options.language.rawValue)
            var cast = Asciicast(header: .init(width: frameSize.width, height: frameSize.height, title: title))
            for step in 0..<board.stepCount {
                // The question first, held long enough to read, then the step with its answer.
                if let asking = board.questionFrame(before: step, size: frameSize, options: options) {
                    cast.append(asking, holding: max(Self.questionSeconds, stepSeconds * Self.holdFactor(.question)))
                }
                let frame = board.frame(at: step, size: frameSize, options: options)
                // The last frame stays up as long as a phase change, so that the recording does
                // not stop the moment the result appears.
                let emphasis = step == board.stepCount - 1 ? max(.phaseChange, board.emphasis(ofStep: step))
                                                           : board.emphasis(ofStep: step)
                cast.append(frame, holding: stepSeconds * Self.holdFactor(emphasis))
            }
            try Self.writeAtomically(cast.document, to: destination)
        }
    }

    /// The least time a question stays on screen: long enough to read it and think.
    static let questionSeconds = 4.0

    /// How many step times a step stays on screen.
    static func holdFactor(_ emphasis: StepEmphasis) -> Double { emphasis.holdFactor }

    /// The absolute path of `-o`, refused (before the lesson is even read) when its folder is
    /// missing or it names a folder.
    /// What a recording and an exported page start from: the destination, checked before any
    /// work; the board; the view it starts in, as played elsewhere, whatever this terminal can
    /// show — Unicode and Japanese unless --ascii asks otherwise (TATAMI_ASCII describes this
    /// terminal only); the frame size; and a lesson with steps to show.
    static func prepare(source: LessonSourceArguments, view: ViewArguments, frame: FrameSizeArguments,
                        output: String, example: String, verb: String) throws
        -> (destination: URL, board: Storyboard, options: ViewOptions, size: Size) {
        let destination = try checkedDestination(output, example: example)
        let board = try source.storyboard()
        var options = try view.viewOptions(for: board)
        options.asciiOnly = view.ascii
        options.keepsJapanese = true
        let size = try frame.value(for: board, named: source.name)
        guard board.stepCount > 0 else { throw Failure("\(source.name) shows no steps, so there is nothing to \(verb)") }
        return (destination, board, options, size)
    }

    static func checkedDestination(_ path: String, example: String = "lesson.cast") throws -> URL {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw Failure("the folder of -o \(path) does not exist; create it first or choose another file")
        }
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw Failure("-o \(path) is a folder; give a file name such as \(path)/\(example)")
        }
        return url
    }

    /// Writes into a temporary file beside the destination and renames it over the destination,
    /// so that a reader never sees half a recording and a failed write leaves the old file.
    static func writeAtomically(_ text: String, to url: URL) throws {
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: Data(text.utf8)) else {
            throw Failure("cannot write in \(folder.path): check that the folder is writable and the disk is not full")
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw Failure("cannot write \(url.path): \(reason)")
        }
    }
}

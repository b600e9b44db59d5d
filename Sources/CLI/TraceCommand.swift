import Foundation
import ArgumentParser
import Trace

/// `tatami trace`: the recorded trace as JSON lines (schema in docs/trace.md).
struct TraceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Write a lesson's trace as JSON lines: a header, then one event per line.")

    @Argument(help: "The lesson: a file, or a lesson of the course by number or name (or free play with --op).")
    var lesson: String?

    @OptionGroup var folder: LessonFolderArguments

    @Option(help: "im2col layout: seed, the article's (C·FH·FW, B·OH·OW), or rows (B·OH·OW, C·FH·FW).")
    var layout: String?

    @OptionGroup(title: "Free play") var free: FreePlayArguments

    func run() throws {
        try reportingErrors {
            let layout = try ViewArguments.columnLayout(self.layout)
            let trace: Trace
            let name: String
            if var freeLesson = try free.lesson() {
                if lesson != nil { throw Failure("give a lesson or --op for free play, not both") }
                if let layout { freeLesson.scenario.layout = layout }
                trace = try Trace.record(freeLesson.scenario)
                name = "free play"
            } else {
                guard let lesson else { throw Failure("name a lesson (see `tatami list`) or use --op conv|pool for free play") }
                trace = try loadStoryboard(lesson, lessons: folder.lessons, layout: layout).trace
                name = lesson
            }
            var chunk = trace.jsonHeader(tatamiVersion: Tatami.configuration.version, lesson: name) + "\n"
            // Written in chunks: one write per event would cost a system call each.
            for e in trace.events {
                chunk += Trace.jsonLine(e)
                chunk += "\n"
                if chunk.utf8.count > 1 << 16 {
                    printOut(chunk)
                    chunk = ""
                }
            }
            printOut(chunk)
        }
    }
}

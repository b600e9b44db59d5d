import Foundation
import ArgumentParser
import Trace

/// `tatami trace`: the recorded trace as JSON lines (schema in docs/trace.md).
struct TraceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Write a lesson's trace as JSON lines: a header, then one event per line.")

    @Argument(help: "The lesson: a file, or a lesson of the course by number or name.")
    var lesson: String

    @OptionGroup var folder: LessonFolderArguments

    func run() throws {
        try reportingErrors {
            let board = try loadStoryboard(lesson, lessons: folder.lessons)
            let trace = board.trace
            var chunk = trace.jsonHeader(tatamiVersion: Tatami.configuration.version, lesson: lesson) + "\n"
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

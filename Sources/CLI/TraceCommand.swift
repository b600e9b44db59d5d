import Foundation
import ArgumentParser
import Trace

/// `tatami trace`: the recorded trace as JSON lines (schema in docs/trace.md).
struct TraceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Write a lesson's trace as JSON lines: a header, then one event per line.")

    @OptionGroup var source: LessonSourceArguments

    func validate() throws { try source.requireLessonOrFreePlay() }

    func run() throws {
        try reportingErrors {
            let trace = try source.storyboard().trace
            let name = source.free.op == nil ? source.lesson ?? "" : "free play"
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

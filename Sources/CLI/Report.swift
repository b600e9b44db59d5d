import Foundation
import ArgumentParser
import Storyboard

/// `tatami report`: a class's logs, per lesson and step, worst first.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Summarise answer logs (--log): per lesson and step, how many answered right at the first try, worst first.",
        discussion: """
            Each row is one lesson's step: how many answers the logs hold for it and how many of \
            them were right at the first try. Rows are ordered worst first (the lowest share right \
            at the first try, then the most answers): the steps to show again. A line that is not \
            an answer record stops the report with its file:line and exit code 1.
            """)

    @Argument(help: "Answer logs written with --log.")
    var files: [String] = []

    @Flag(help: "Print one JSON value, {\"rows\": [...]}, with the same rows in the same order.")
    var json = false

    func validate() throws {
        if files.isEmpty { throw ValidationError("name the answer logs to read, such as `tatami report class/*.jsonl`") }
    }

    func run() throws {
        try reportingErrors {
            var records: [AnswerRecord] = []
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw Failure("cannot read the log \(file): check the path")
                }
                switch ClassReport.records(in: String(decoding: data, as: UTF8.self), file: file) {
                case .success(let r): records += r
                case .failure(let problem): throw Failure(problem.message)
                }
            }
            let report = ClassReport(records)
            printOut(json ? report.json : report.table)
        }
    }
}

import Foundation
import Trace

/// One answered question, as `--log FILE.jsonl` writes it: one JSON object per line.
public struct AnswerRecord: Codable, Sendable, Equatable {
    /// The lesson's number (`01`, `04b`), or its file name, or `free play`.
    public var lesson: String
    /// The step as the screen numbers it, from 1.
    public var step: Int
    public var phase: String
    public var question: String
    /// The last answer the student gave (empty when they asked to see the answer first).
    public var answer: String
    /// Answered right (at any try); false when the answer had to be shown.
    public var correct: Bool
    /// Tries graded.
    public var tries: Int
    /// From the question's appearing to its closing.
    public var seconds: Double

    public init(lesson: String, step: Int, phase: String, question: String, answer: String, correct: Bool, tries: Int, seconds: Double) {
        self.lesson = lesson
        self.step = step
        self.phase = phase
        self.question = question
        self.answer = answer
        self.correct = correct
        self.tries = tries
        self.seconds = seconds
    }

    /// Right at the first try: what the class report counts.
    public var rightFirstTry: Bool { correct && tries == 1 }

    /// The record as one JSON line (no newline), its keys in the documented order.
    public var jsonLine: String {
        let s = seconds.isFinite ? (seconds * 10).rounded() / 10 : 0
        return "{\"lesson\": \(JSON.string(lesson)), \"step\": \(step), \"phase\": \(JSON.string(phase)), "
            + "\"question\": \(JSON.string(question)), \"answer\": \(JSON.string(answer)), \"correct\": \(correct), "
            + "\"tries\": \(tries), \"seconds\": \(s)}"
    }

    /// The lesson's number as the course names it: `01` of `Lessons/01-sliding-filter.md`.
    public static func lessonName(path: String) -> String {
        let file = (path as NSString).lastPathComponent
        let stem = file.hasSuffix(".md") ? String(file.dropLast(3)) : file
        return stem.split(separator: "-").first.map(String.init) ?? stem
    }
}

/// A class's answers per lesson and step: how many were right at the first try, worst first —
/// the steps to show again.
public struct ClassReport: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var lesson: String
        public var step: Int
        public var phase: String
        public var question: String
        public var answers: Int
        public var rightFirstTry: Int

        public var share: Double { answers == 0 ? 0 : Double(rightFirstTry) / Double(answers) }
    }

    public var rows: [Row]

    /// Rows worst first: the lowest share right at the first try, then the most answers, then
    /// lesson and step order.
    public init(_ records: [AnswerRecord]) {
        var rows: [String: Row] = [:]
        var order: [String] = []
        for r in records {
            let id = r.lesson + "\u{0}" + String(r.step)
            if rows[id] == nil {
                rows[id] = Row(lesson: r.lesson, step: r.step, phase: r.phase, question: r.question, answers: 0, rightFirstTry: 0)
                order.append(id)
            }
            rows[id]!.answers += 1
            if r.rightFirstTry { rows[id]!.rightFirstTry += 1 }
        }
        self.rows = order.compactMap { rows[$0] }.sorted { a, b in
            if a.share != b.share { return a.share < b.share }
            if a.answers != b.answers { return a.answers > b.answers }
            if a.lesson != b.lesson { return a.lesson.compare(b.lesson, options: .numeric) == .orderedAscending }
            return a.step < b.step
        }
    }

    /// Reads log lines; a line that is not an answer record is refused with `file:line`.
    public static func records(in text: String, file: String) -> Result<[AnswerRecord], ReportProblem> {
        var out: [AnswerRecord] = []
        let decoder = JSONDecoder()
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            guard let record = try? decoder.decode(AnswerRecord.self, from: Data(trimmed.utf8)) else {
                return .failure(ReportProblem("\(file):\(i + 1): this line is not an answer record; a log holds one JSON object per line with lesson, step, phase, question, answer, correct, tries and seconds"))
            }
            out.append(record)
        }
        return .success(out)
    }

    /// The rows as an aligned table, with a heading line.
    public var table: String {
        let head = ["lesson", "step", "phase", "right first try", "question"]
        let body = rows.map { r in
            [r.lesson, String(r.step), r.phase, "\(r.rightFirstTry)/\(r.answers) (\(Int((r.share * 100).rounded()))%)", r.question]
        }
        let all = [head] + body
        let widths = (0..<head.count - 1).map { c in all.map { DisplayWidth.of($0[c]) }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { c, cell in
                c == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[c] - DisplayWidth.of(cell))
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    /// The rows, in the same order, as one JSON value.
    public var json: String {
        let items = rows.map { r in
            "{\"lesson\": \(JSON.string(r.lesson)), \"step\": \(r.step), \"phase\": \(JSON.string(r.phase)), "
                + "\"question\": \(JSON.string(r.question)), \"answers\": \(r.answers), \"right_first_try\": \(r.rightFirstTry)}"
        }
        return "{\"rows\": [" + items.joined(separator: ", ") + "]}\n"
    }
}

/// Why a log cannot be read, as one sentence.
public struct ReportProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

import ArgumentParser
import Foundation
import Lessons
import Storyboard

/// `tatami list`: the lessons found, with number, file, operation, step count and title.
struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the lessons: number, file, operation, steps and title.",
        discussion: "Lessons come from --lessons DIR, else ./Lessons, else the course built into tatami."
    )

    @OptionGroup var folder: LessonFolderArguments

    @OptionGroup var language: LanguageArguments

    @Flag(name: .customLong("summary"), help: "Under each lesson, its summary: what it shows.")
    var summary = false

    func run() throws {
        let language = try self.language.language().rawValue
        let location = LessonLocation.resolve(lessons: folder.lessons)
        let entries: [LessonLocation.Entry]
        switch location.entries() {
        case .failure(let problems):
            problems.forEach { lessonError($0.description) }
            throw ExitCode(1)
        case .success(let e): entries = e
        }
        if entries.isEmpty {
            lessonError("tatami: there are no lessons in \(location.description) (lesson files end in .md).")
            throw ExitCode(1)
        }
        let width = entries.map(\.name.count).max() ?? 0
        let numbers = entries.map { Self.number(of: $0.name) }
        let numberWidth = numbers.map(\.count).max() ?? 0
        var broken = 0
        for (i, entry) in entries.enumerated() {
            let number = numbers[i].padding(toLength: numberWidth, withPad: " ", startingAt: 0)
            let name = entry.name.padding(toLength: width, withPad: " ", startingAt: 0)
            switch location.load(entry).flatMap({ lesson in LessonReader.check(lesson).map { (lesson, $0) } }) {
            case .success(let (lesson, trace)):
                let op = "\(lesson.scenario.operation.rawValue) \(lesson.scenario.passes.rawValue)"
                    .padding(toLength: 13, withPad: " ", startingAt: 0)
                let steps = String(format: "%4d", lesson.shownStepCount(in: trace))
                let unit = language == "ja" ? "ステップ" : "steps"
                lessonOut("\(number)  \(name)  \(op) \(steps) \(unit)  \(lesson.title.text(language))\n")
                let said = lesson.summary.text(language)
                if summary && !said.isEmpty {
                    lessonOut(String(repeating: " ", count: numberWidth + 2) + said + "\n")
                }
            case .failure(let problems):
                broken += 1
                let note = language == "ja" ? "エラーがあります" : "has problems"
                lessonOut("\(number)  \(name)  \(note): tatami check \(entry.path) (\(problems.count))\n")
            }
        }
        if broken > 0 { throw ExitCode(1) }
    }

    /// What `tatami play` accepts for a lesson: its file name up to the first `-` (`04b`), or
    /// its position when the name does not start with a number.
    static func number(of name: String) -> String {
        let head = name.prefix { $0 != "-" && $0 != "." }
        return head.first?.isNumber == true ? String(head) : String(name.dropLast(3))
    }
}

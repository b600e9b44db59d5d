import Foundation
import ArgumentParser
import Engine
import Trace
import Lessons
import Storyboard

/// Options shared by the commands that show a lesson.
struct ViewArguments: ParsableArguments {
    @Option(help: "Narration language: en or ja (default: from the locale).")
    var lang: String?

    @Flag(name: .customLong("symbols"), help: "Show cells as symbols (W, 1W + 2X + …).")
    var symbols = false

    @Flag(name: .customLong("numbers"), help: "Show cells as numbers (the default).")
    var numbers = false

    @Flag(name: .customLong("no-code"), help: "Hide the code pane.")
    var noCode = false

    @Option(help: "im2col layout: seed, the article's (C·FH·FW, B·OH·OW), or rows (B·OH·OW, C·FH·FW).")
    var layout: String?

    func language() throws -> Language {
        guard let lang else { return Language.fromLocale(ProcessInfo.processInfo.environment) }
        guard let l = Language(rawValue: lang.lowercased()) else {
            throw Failure("--lang must be en or ja, not \"\(lang)\"")
        }
        return l
    }

    func viewOptions() throws -> ViewOptions {
        if symbols && numbers { throw Failure("--symbols and --numbers cannot be given together; choose one") }
        return ViewOptions(symbols: symbols, showCode: !noCode, language: try language(),
                           asciiOnly: !TerminalLocale.localeIsUTF8(ProcessInfo.processInfo.environment))
    }

    func columnLayout() throws -> ColumnLayout? {
        try Self.columnLayout(layout)
    }

    static func columnLayout(_ layout: String?) throws -> ColumnLayout? {
        guard let layout else { return nil }
        guard let l = ColumnLayout(rawValue: layout) else {
            throw Failure("--layout must be seed or rows, not \"\(layout)\"")
        }
        return l
    }
}

enum TerminalLocale {
    /// Whether the locale can show UTF-8 (box drawing, Japanese); otherwise frames use ASCII.
    static func localeIsUTF8(_ env: [String: String]) -> Bool {
        for key in ["LC_ALL", "LC_CTYPE", "LANG"] {
            if let v = env[key], !v.isEmpty {
                let u = v.uppercased()
                return u.contains("UTF-8") || u.contains("UTF8")
            }
        }
        return false
    }
}

/// Where lessons are looked up when a command names one by number or name.
struct LessonFolderArguments: ParsableArguments {
    @Option(help: "A folder of lessons to use instead of the shipped course.")
    var lessons: String?
}

/// Reads a lesson (a path, or a lesson of the course by number or name; the first when nil),
/// records its trace and builds its storyboard.
func loadStoryboard(_ argument: String?, lessons folder: String? = nil,
                    layout: ColumnLayout? = nil) throws -> Storyboard {
    var lesson: Lesson
    switch LessonLocation.resolve(lessons: folder).find(argument) {
    case .success(let l): lesson = l
    case .failure(let problems): throw problems
    }
    if let layout { lesson.scenario.layout = layout }
    // The same checks as `tatami check`: a lesson that plays has passed them.
    switch LessonReader.check(lesson) {
    case .success(let trace): return Storyboard(lesson: lesson, trace: trace)
    case .failure(let problems): throw problems
    }
}

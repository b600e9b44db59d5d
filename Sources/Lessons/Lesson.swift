import Engine
import Trace

/// A text in both of the course's languages.
public struct Localized: Sendable, Equatable {
    public var en: String
    public var ja: String

    public init(en: String, ja: String) {
        self.en = en
        self.ja = ja
    }

    /// The text in the language whose code is given (`"ja"` or anything else for English).
    /// Falls back to the other language when the asked one is empty.
    public func text(_ language: String) -> String {
        let wantJapanese = language.lowercased().hasPrefix("ja")
        let first = wantJapanese ? ja : en
        return first.isEmpty ? (wantJapanese ? en : ja) : first
    }
}

/// One phase of a trace, named the way a lesson heading names it: its kind and which
/// occurrence of that kind it is (`## transpose 2` is the second `transpose` phase).
public struct PhaseRef: Sendable, Hashable, CustomStringConvertible {
    public var kind: PhaseKind
    /// 1-based, counted among the phases of the same kind in the recorded trace.
    public var occurrence: Int

    public init(kind: PhaseKind, occurrence: Int = 1) {
        self.kind = kind
        self.occurrence = occurrence
    }

    /// The heading text that addresses this phase (`im2col`, `transpose 2`).
    public var description: String {
        occurrence == 1 ? kind.rawValue : "\(kind.rawValue) \(occurrence)"
    }
}

/// Narration attached to a whole phase or to one step of it.
public struct Note: Sendable, Equatable {
    public var phase: PhaseRef
    /// 1-based within the phase; nil narrates the whole phase.
    public var step: Int?
    public var text: Localized
    /// The line of the lesson file the narration starts on, for messages about it.
    public var line: Int

    public init(phase: PhaseRef, step: Int?, text: Localized, line: Int = 0) {
        self.phase = phase
        self.step = step
        self.text = text
        self.line = line
    }
}

/// A question that pauses the player before a step (or before the phase's first step when
/// `step` is nil). Its answer is shown with the step (or, for a whole phase, with the phase's
/// last step); with an `answer:` line the player checks what the student types.
public struct Question: Sendable, Equatable {
    public var phase: PhaseRef
    public var step: Int?
    public var prompt: Localized
    public var answer: Localized
    /// The line of the lesson file the question starts on.
    public var line: Int
    /// What the `answer:` line says, if the question has one: the player checks typed answers
    /// against it, and `tatami check` checks it against the trace.
    public var expected: AnswerSpec?
    /// The choices of a `choice` answer, in both languages, in order.
    public var choices: [Localized]
    /// Where the `answer:` line's value starts, for messages about it.
    public var answerLine: Int
    public var answerColumn: Int

    public init(phase: PhaseRef, step: Int?, prompt: Localized, answer: Localized, line: Int = 0,
                expected: AnswerSpec? = nil, choices: [Localized] = [], answerLine: Int = 0, answerColumn: Int = 1) {
        self.phase = phase
        self.step = step
        self.prompt = prompt
        self.answer = answer
        self.line = line
        self.expected = expected
        self.choices = choices
        self.answerLine = answerLine
        self.answerColumn = answerColumn
    }
}

/// A parsed and validated lesson: what to run, what to show and what to say.
public struct Lesson: Sendable, Equatable {
    /// The file the lesson came from, as given to the reader (used in every message).
    public var path: String
    public var title: Localized
    public var summary: Localized
    public var scenario: Scenario
    /// The phase kinds to show, in trace order; nil shows every phase.
    public var show: [PhaseKind]?
    /// For a kind listed in `show:` with numbers (`transpose 4`), only those occurrences are
    /// shown; a kind without numbers shows all of them.
    public var showOccurrences: [PhaseKind: [Int]] = [:]
    /// The view the lesson starts in (`view: symbols`); nil leaves it to the player's options.
    public var startsInSymbols: Bool?
    /// The line of `x.symbols` and `w.symbols`, by tensor name, for messages about them.
    public var symbolLines: [String: Int] = [:]
    public var notes: [Note]
    public var questions: [Question]
    /// The line that sets the lesson up (its `operation:` key): where problems found when the
    /// scenario runs are reported.
    public var setupLine: Int
    /// The line of the `show:` key (or 1), for messages about it.
    public var showLine: Int

    public init(path: String, title: Localized, summary: Localized, scenario: Scenario,
                show: [PhaseKind]? = nil, notes: [Note] = [], questions: [Question] = [],
                setupLine: Int = 1, showLine: Int = 1) {
        self.path = path
        self.title = title
        self.summary = summary
        self.scenario = scenario
        self.show = show
        self.notes = notes
        self.questions = questions
        self.setupLine = setupLine
        self.showLine = showLine
    }

    /// The narration of a phase (step nil) or of one of its steps, if the lesson has any.
    public func note(for phase: PhaseRef, step: Int? = nil) -> Note? {
        notes.first { $0.phase == phase && $0.step == step }
    }

    /// The questions asked before a step (step nil: before the phase begins).
    public func questions(for phase: PhaseRef, step: Int? = nil) -> [Question] {
        questions.filter { $0.phase == phase && $0.step == step }
    }

    /// Whether a phase kind is shown by this lesson (some occurrence of it, at least).
    public func shows(_ kind: PhaseKind) -> Bool {
        show?.contains(kind) ?? true
    }

    /// Whether the `occurrence`th phase of this kind is shown.
    public func shows(_ kind: PhaseKind, occurrence: Int) -> Bool {
        shows(kind) && (showOccurrences[kind]?.contains(occurrence) ?? true)
    }
}

/// One thing wrong with a lesson file, where it is, and what to write instead.
public struct LessonProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    /// 1-based.
    public var line: Int
    /// 1-based, counted in characters (a Japanese character counts as one).
    public var column: Int
    public var message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `file:line:column: message`, the form editors and compilers use.
    public var description: String { "\(file):\(line):\(column): \(message)" }
}

/// Every problem found in one lesson file, in file order. (`Result` needs its failure to be
/// an `Error`, which a plain array is not; this reads like the array it wraps.)
public struct LessonProblems: Error, Sendable, Equatable, RandomAccessCollection, CustomStringConvertible {
    public var problems: [LessonProblem]

    public init(_ problems: [LessonProblem]) { self.problems = problems }

    public var startIndex: Int { problems.startIndex }
    public var endIndex: Int { problems.endIndex }
    public subscript(position: Int) -> LessonProblem { problems[position] }

    /// One `file:line:column: message` line per problem.
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}

import Foundation
import Lessons
import Storyboard

/// One question on screen in the player: what the student has typed, the tries graded, and
/// what the box says after the last one (the hint after a wrong try, the answer once shown).
/// A question with no `answer:` line is only discussed: any key shows the step.
///
/// Keys: characters type the answer, Backspace deletes, Enter checks, Tab shows the answer,
/// Esc leaves the question for later (it is asked again when its step is reached again),
/// `q` quits while nothing is typed. Once closed, any key shows the step.
public struct QuestionSession: Sendable, Equatable {
    /// What the box says under the typed line.
    public enum Feedback: Sendable, Equatable {
        case wrong(hint: String, left: Int)
        case unreadable(String)
        case right
        /// The answer, shown after the last wrong try or on request.
        case revealed(String)
    }

    /// What the model must do after a key.
    public enum Outcome: Sendable, Equatable {
        /// The box changed (or not); it stays.
        case stay
        /// The question is done with: show its step.
        case proceed
        /// Esc: close the box without showing the step; the question is asked again later.
        case later
        case quit
    }

    /// The step the question is asked before (0-based).
    public let step: Int
    public let question: AskedQuestion
    public private(set) var typed = ""
    public private(set) var attempts: AnswerAttempts?
    public private(set) var feedback: Feedback?
    /// The last answer graded, for the log.
    public private(set) var lastAnswer = ""
    /// When the question appeared, in the model's clock's seconds.
    public let askedAt: Double

    public init(step: Int, question: AskedQuestion, askedAt: Double) {
        self.step = step
        self.question = question
        self.askedAt = askedAt
        attempts = question.key.map(AnswerAttempts.init(key:))
    }

    /// True when the answer is a set of cells, which the student may pick on the frame.
    public var asksForCells: Bool {
        if case .cells = question.key, !isClosed { return true }
        return false
    }

    /// Adds the cell `name` (`x_pad[0,0,1,1]`) to the typed answer, or takes it out if it is
    /// there: what picking a cell on the frame types.
    public mutating func toggle(cell name: String) {
        var names = typed.split(separator: " ").map(String.init)
        if let at = names.firstIndex(of: name) { names.remove(at: at) } else { names.append(name) }
        typed = String(names.joined(separator: " ").prefix(Self.maximumTyped))
        feedback = nil
    }

    /// True when the question takes a typed answer.
    public var isCheckable: Bool { attempts != nil }
    /// Answered right, or the answer shown: the next key shows the step.
    public var isClosed: Bool { attempts?.isClosed ?? false }

    /// The longest answer the box takes.
    static let maximumTyped = 120

    public mutating func handle(key: Key) -> Outcome {
        if key == .escape { return .later }
        guard var attempts, !attempts.isClosed else {
            // Discussed only, or closed: any key goes on (q still quits).
            return key == .character("q") && !isClosed ? .quit : .proceed
        }
        defer { self.attempts = attempts }
        switch key {
        // Tab shows the answer (in the inspector it moves to the next tensor instead).
        case .tab, .character("\t"):
            attempts.reveal()
            feedback = .revealed(attempts.key.text)
        case .character("q") where typed.isEmpty:
            return .quit
        case .character(let c):
            guard typed.count < Self.maximumTyped else { return .stay }
            typed.append(c)
        case .backspace:
            if !typed.isEmpty { typed.removeLast() }
        case .enter:
            guard !typed.trimmingCharacters(in: .whitespaces).isEmpty else { return .stay }
            lastAnswer = typed
            switch attempts.submit(typed) {
            case .right: feedback = .right
            case .wrong(let left): feedback = .wrong(hint: question.hint, left: left)
            case .revealed: feedback = .revealed(attempts.key.text)
            case .unreadable(let why): feedback = .unreadable(why)
            case .closed: return .proceed
            }
            if case .wrong = feedback { typed = "" }
        default:
            break
        }
        return .stay
    }

    /// The log's record of this question, once closed (or left without an answer).
    public func record(lesson: String, now: Double) -> AnswerRecord {
        AnswerRecord(lesson: lesson, step: step + 1, phase: question.phase, question: question.prompt,
                     answer: lastAnswer, correct: attempts?.state == .right, tries: attempts?.tries ?? 0,
                     seconds: max(0, now - askedAt))
    }
}

/// The question box's own words, in both languages.
struct QuestionWords {
    let ja: Bool

    init(_ language: Language) { ja = language == .ja }

    var scoreTitle: String { ja ? "練習の結果" : "Practice score" }
    var answerLabel: String { ja ? "答え: " : "Answer: " }
    var right: String { ja ? "正解です。" : "Right." }
    func wrong(left: Int) -> String {
        ja ? "違います(あと \(left) 回)。" : "Not yet (\(left) \(left == 1 ? "try" : "tries") left)."
    }
    var hint: String { ja ? "ヒント: " : "Hint: " }
    func shown(_ answer: String) -> String { ja ? "答えは \(answer) です。" : "The answer is \(answer)." }
    var openKeys: String { ja ? "Enter 答え合わせ  Tab 答えを見る  Esc あとで" : "Enter check  Tab show answer  Esc later" }
    /// For an answer of cells: ↓ picks them on the frame.
    var pickKey: String { ja ? "↓ 画面でマスを選ぶ" : "↓ pick the cells on the frame" }
    var later: String { ja ? "  Esc あとで" : "  Esc later" }
    var close: String { ja ? "何かキーを押すと閉じます" : "press any key to close" }
    func unreadable(_ why: String) -> String {
        ja ? "答えの形が読めません。例: 64、(4, 9)、x[0,0,1,1]、選択肢の番号" : why.prefix(1).uppercased() + why.dropFirst() + "."
    }
}

/// The wall clock the player times questions with.
public enum QuestionClock {
    @Sendable public static func now() -> Double { Date().timeIntervalSince1970 }
}

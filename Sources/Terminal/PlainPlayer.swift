import Foundation
import Lessons
import Storyboard

/// The lesson as sentences, one step at a time, driven by lines typed on stdin: for screen
/// readers and braille displays, and for terminals that cannot move the cursor. No grid and
/// no box drawing: each step says where it is, its narration when it is new, its arithmetic
/// and which cells it changed. Pure: lines in, text out; `run` wires it to a line source.
public struct PlainPlayer {
    public let board: Storyboard
    public let options: ViewOptions
    /// The step last shown, 0-based; nil before the first.
    public private(set) var step: Int?
    /// The step whose question waits for the next line, the student's answer.
    public private(set) var asking: Int?
    /// The question asked and its tries, while `asking`.
    private var question: AskedQuestion?
    private var attempts: AnswerAttempts?
    private var askedAt = 0.0
    private var lastAnswer = ""
    /// In practice, the questions are the practice's: the student produces each step.
    public let practice: PracticeBoard?
    /// Every question closed, oldest first, for `--log`.
    public private(set) var records: [AnswerRecord] = []
    /// The lesson's name in the records (`01`).
    public var lessonName = ""
    public var clock: @Sendable () -> Double = QuestionClock.now
    private var scoreSaid = false
    /// Steps whose question has been answered: moving over them again does not ask again.
    public private(set) var answered: Set<Int> = []
    /// The narration and code line last said, so that a phase's words are said once, not at
    /// every one of its steps.
    private var lastNarration = ""
    private var lastCode = ""
    /// At most this many changed cells are named; a step that writes more says how many more.
    static let namedChanges = 8

    public init(board: Storyboard, options: ViewOptions, practice: PracticeBoard? = nil) {
        self.board = board
        self.practice = practice
        var options = options
        options.language = options.languageShown
        self.options = options
        self.words = PlainWords(language: options.language)
    }

    private let words: PlainWords

    /// The lesson's title, the keys, and the first step (or `first`, 0-based), or its question.
    public mutating func start(at first: Int = 0) -> String {
        var out = words.lesson(board.script.title.text(options.language.rawValue)) + "\n"
        guard board.stepCount > 0 else { return out + words.noSteps + "\n" }
        out += words.keys(count: board.stepCount) + "\n\n"
        return out + arrive(at: min(max(0, first), board.stepCount - 1))
    }

    /// What one typed line does: the text to write, and whether the player is done.
    public mutating func handle(line raw: String) -> (text: String, quit: Bool) {
        let line = raw.trimmingCharacters(in: .whitespaces)
        if let target = asking {
            guard var attempts else {
                // A question to discuss: whatever is typed, the step follows.
                asking = nil
                answered.insert(target)
                return ((line.isEmpty ? words.noAnswer : words.yourAnswer(line)) + "\n\n" + show(target), false)
            }
            if line.lowercased() == "q" { return (score(), true) }
            var out: String
            // Enter alone goes on, as everywhere in this player: the answer is shown.
            if line.lowercased() == "show" || line.isEmpty {
                attempts.reveal()
                out = words.shown(attempts.key.text)
            } else {
                lastAnswer = line
                switch attempts.submit(line) {
                case .right: out = words.right
                case .wrong(let left):
                    self.attempts = attempts
                    let hint = question?.hint ?? ""
                    return (words.wrong(left: left) + (hint.isEmpty ? "" : " " + words.hint(hint)) + "\n", false)
                case .revealed: out = words.wrong(left: 0) + " " + words.shown(attempts.key.text)
                case .unreadable(let why): return (words.unreadable(why) + "\n", false)
                case .closed: out = ""
                }
            }
            records.append(AnswerRecord(lesson: lessonName, step: target + 1, phase: question?.phase ?? "",
                                        question: question?.prompt ?? "", answer: lastAnswer, correct: attempts.state == .right,
                                        tries: attempts.tries, seconds: max(0, clock() - askedAt)))
            asking = nil
            self.attempts = nil
            answered.insert(target)
            return (out + "\n\n" + show(target), false)
        }
        guard board.stepCount > 0 else { return ("", true) }
        let current = step ?? 0
        switch line.lowercased() {
        case "":
            guard current + 1 < board.stepCount else { return (words.atLast(board.stepCount) + "\n", false) }
            return (arrive(at: current + 1), false)
        case "b":
            guard current > 0 else { return (words.atFirst + "\n", false) }
            return (show(current - 1), false)
        case "q":
            return (score(), true)
        case "?", "h", "help":
            return (words.keys(count: board.stepCount) + "\n", false)
        default:
            guard let n = Int(line) else { return (words.unknown(line) + " " + words.keys(count: board.stepCount) + "\n", false) }
            guard (1...board.stepCount).contains(n) else { return (words.noSuchStep(n, count: board.stepCount) + "\n", false) }
            return (n - 1 > current ? arrive(at: n - 1) : show(n - 1), false)
        }
    }

    /// Moving forward onto a step asks its question first, as the terminal player does.
    private mutating func arrive(at target: Int) -> String {
        let q = practice != nil ? practice?.asked(before: target, language: options.language)
                                : board.asked(before: target, language: options.language)
        if !answered.contains(target), let q, !q.prompt.isEmpty {
            asking = target
            question = q
            attempts = q.key.map(AnswerAttempts.init(key:))
            askedAt = clock()
            lastAnswer = ""
            return words.question(q.promptWithChoices) + "\n" + (attempts == nil ? words.typeAnswer : words.typeChecked) + "\n"
        }
        return show(target)
    }

    /// The practice's score, once: at its last step, or when the student leaves.
    public mutating func score() -> String {
        guard let practice, !scoreSaid else { return "" }
        scoreSaid = true
        return PracticeScore(practiceSteps: practice.practiceSteps, records: records).text(options.language) + "\n"
    }

    private mutating func show(_ target: Int) -> String {
        step = target
        guard let account = board.account(ofStep: target, options: options) else { return "" }
        let phase = board.phases[account.phaseNumber - 1].title(options.language)
        var out = words.where_(step: target + 1, of: board.stepCount, phase: account.phaseNumber,
                               of: account.phaseCount, name: phase, title: account.phaseTitle) + "\n"
        if let answer = account.answer, practice == nil { out += words.lessonAnswer(answer) + "\n" }
        if account.narration != lastNarration {
            lastNarration = account.narration
            out += account.narration + "\n"
        }
        if account.code != lastCode, !account.code.isEmpty {
            lastCode = account.code
            out += words.code(account.code, from: account.codeOrigin) + "\n"
        }
        if !account.arithmetic.isEmpty { out += account.arithmetic + "\n" }
        let named = account.changes.prefix(Self.namedChanges)
        for change in named {
            out += words.changed(change.tensor + change.index, to: change.value) + "\n"
        }
        if account.changes.count > named.count {
            out += words.moreChanges(account.changes.count - named.count) + "\n"
        }
        if account.changes.isEmpty, let focus = account.focus {
            out += words.focus(focus.tensor + focus.index, holding: focus.value) + "\n"
        }
        if practice != nil, target == board.stepCount - 1 { out += score() }
        return out + "\n"
    }

    /// Plays `board` from lines `nextLine` gives (nil at the end of input, which quits) and
    /// writes through `write`. Returns the exit code.
    public static func run(_ board: Storyboard, options: ViewOptions, practice: PracticeBoard? = nil, lessonName: String = "",
                           startStep: Int = 0, nextLine: () -> String?, write: (String) -> Void,
                           record: (AnswerRecord) -> Void = { _ in }) -> Int32 {
        var player = PlainPlayer(board: board, options: options, practice: practice)
        player.lessonName = lessonName
        write(player.start(at: startStep))
        var logged = 0
        var quit = false
        while !quit, let line = nextLine() {
            let (text, done) = player.handle(line: line)
            write(text)
            quit = done
            player.records[logged...].forEach(record)
            logged = player.records.count
        }
        // The end of the input ends a practice too: its score is said.
        write(player.score())
        return 0
    }
}

/// The plain player's own sentences, in both languages; the lesson's words come from the
/// storyboard.
struct PlainWords {
    let language: Language

    private var ja: Bool { language == .ja }

    func lesson(_ title: String) -> String { ja ? "レッスン: \(title)" : "Lesson: \(title)" }
    var noSteps: String { ja ? "このレッスンにはステップがありません。" : "This lesson shows no steps." }

    func keys(count: Int) -> String {
        ja ? "Enter で次のステップ、b で前のステップ、1 から \(count) の数字でそのステップへ、q で終了です。"
           : "Press Enter for the next step, b to go back, a number from 1 to \(count) to go to that step, q to quit."
    }

    func where_(step: Int, of count: Int, phase: Int, of phases: Int, name: String, title: String) -> String {
        ja ? "ステップ \(step) / \(count)、フェーズ \(phase) / \(phases)「\(title)」。"
           : "Step \(step) of \(count), phase \(phase) of \(phases), \(name): \(title)."
    }

    /// The phase's code line, after where it comes from (the article's, adapted, added).
    func code(_ line: String, from origin: String) -> String {
        ja ? "コード（\(origin)）: \(line)" : "Code (\(origin)): \(line)"
    }

    func changed(_ cell: String, to value: String) -> String {
        ja ? "\(cell) は \(value) になりました。" : "\(cell) is now \(value)."
    }

    func focus(_ cell: String, holding value: String) -> String {
        ja ? "このステップは何も書き込みません。注目するのは \(cell) (値 \(value)) です。"
           : "Nothing is written in this step; it points at \(cell), which holds \(value)."
    }

    func moreChanges(_ n: Int) -> String {
        ja ? "ほかに \(n) 個のセルが変わりました。" : "\(n) more cells changed."
    }

    func question(_ prompt: String) -> String { ja ? "問題: \(prompt)" : "Question: \(prompt)" }
    var typeAnswer: String { ja ? "答えを入力して Enter を押してください。" : "Type your answer and press Enter." }
    func yourAnswer(_ line: String) -> String { ja ? "あなたの答え: \(line)" : "Your answer: \(line)" }
    var noAnswer: String { ja ? "答えは入力されませんでした。" : "No answer given." }
    func lessonAnswer(_ answer: String) -> String { ja ? "レッスンの答え: \(answer)" : "The lesson's answer: \(answer)" }
    var typeChecked: String {
        ja ? "答えを入力して Enter を押してください。何も入力せずに Enter (または show) で答えを表示します。"
           : "Type your answer and press Enter; Enter alone (or show) shows the answer."
    }
    var right: String { ja ? "正解です。" : "Right." }
    func wrong(left: Int) -> String {
        left == 0 ? (ja ? "違います。" : "Not right.")
                  : (ja ? "違います(あと \(left) 回)。" : "Not yet: \(left) \(left == 1 ? "try" : "tries") left.")
    }
    func hint(_ text: String) -> String { ja ? "ヒント: \(text)" : "Hint: \(text)" }
    func shown(_ answer: String) -> String { ja ? "答えは \(answer) です。" : "The answer is \(answer)." }
    func unreadable(_ why: String) -> String {
        ja ? "答えの形が読めません。例: 64、(4, 9)、x[0,0,1,1]、選択肢の番号。" : why.prefix(1).uppercased() + why.dropFirst() + "."
    }

    func atLast(_ count: Int) -> String {
        ja ? "最後のステップ (\(count) / \(count)) です。b で戻る、数字でそのステップへ、q で終了です。"
           : "This is the last step, \(count) of \(count). Type b to go back, a number to go to a step, or q to quit."
    }

    var atFirst: String { ja ? "最初のステップです。" : "This is the first step." }

    func noSuchStep(_ n: Int, count: Int) -> String {
        ja ? "ステップ \(n) はありません。ステップは 1 から \(count) までです。"
           : "There is no step \(n); the steps go from 1 to \(count)."
    }

    func unknown(_ line: String) -> String { ja ? "「\(line)」はわかりません。" : "\"\(line)\" is not a key here." }
}

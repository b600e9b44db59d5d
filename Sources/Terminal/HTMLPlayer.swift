import Foundation
import Lessons
import Storyboard

/// The player as one self-contained HTML page: every frame of a lesson, drawn here by the
/// storyboard in both languages and both views, with the player's keys, words and questions,
/// and a small hand-written script that shows them. The page asks for nothing over the network
/// (its content security policy forbids it), so it plays from a USB stick or a course site.
///
/// The script draws no picture of its own: it only lays the rows of `FrameTable` out as text
/// in the looks `MarkupRenderer` gives the roles, so a frame's text on the page is the text
/// `tatami render` prints for the same step.
public enum HTMLPlayer {
    /// What the page holds, as the script reads it (`Data` in `HTMLPlayerPage.script`).
    struct Document: Encodable {
        var title: [String: String]
        var columns: Int
        var lines: Int
        var steps: Int
        var phases: [Phase]
        /// The characters two columns wide, as one string.
        var wide: String
        var rows: [FrameTable.Row]
        /// Language → view (`numbers`, `symbols`) → step → the step's frames as lists of row
        /// numbers: one, or one per page of a narration longer than its room (PgDn, PgUp).
        var frames: [String: [String: [[[Int]]]]]
        var questions: [PageQuestion]
        var words: [String: Words]
        var speeds: [Double]
        var start: Start
    }

    struct Phase: Encodable {
        var first: Int
        var title: [String: String]
    }

    /// A question asked before `step` (0-based), with the lesson's answer, in each language.
    /// `expected` is what a typed answer is checked against, for a lesson whose question has a
    /// checkable answer (the page's script then marks the typed answer ✓ or ✗); without it,
    /// left out of the JSON, the page shows the step, whose frame holds the lesson's answer,
    /// as the terminal player does. `questions(_:)` is where it is filled in.
    struct PageQuestion: Encodable {
        var step: Int
        var text: [String: String]
        var answer: [String: String]
        var expected: PageKey?
        /// The step's arithmetic without its result, shown after a wrong try, in each language.
        var hint: [String: String]?
    }

    /// An `AnswerKey` as the page's script grades it, the way `AnswerCheck` does: a number
    /// (right when equal, or equal rounded to the decimals typed), a shape, a set of cells, or
    /// the number of a choice.
    struct PageKey: Encodable {
        var kind: String
        var number: Double?
        var shape: [Int]?
        var cells: [String]?
        var choice: Int?
        var choices: [String: [String]]?
        /// How the answer is said when it is shown, in each language.
        var text: [String: String]

        init(_ keys: [Language: AnswerKey]) {
            let first = keys[.en] ?? keys.values.first!
            text = Dictionary(uniqueKeysWithValues: keys.map { ($0.key.rawValue, $0.value.text) })
            switch first {
            case .number(let v): (kind, number) = ("number", v)
            case .shape(let s): (kind, shape) = ("shape", s)
            case .cells(let c): (kind, cells) = ("cells", c.sorted().map(\.description))
            case .choice(let n, _):
                (kind, choice) = ("choice", n)
                choices = Dictionary(uniqueKeysWithValues: keys.compactMap { language, key in
                    if case .choice(_, let list) = key { return (language.rawValue, list) } else { return nil }
                })
            }
        }
    }

    struct Start: Encodable {
        var language: String
        var symbols: Bool
        var speed: Double
    }

    /// The player's own words in one language, from the terminal player's texts.
    struct Words: Encodable {
        var playing: String
        var paused: String
        var stepsPerSecond: String
        var step: String
        var numbers: String
        var symbols: String
        var languageName: String
        var atFirstStep: String
        var atLastStep: String
        var narrationAllShown: String
        var narrationAtEnd: String
        var narrationAtTop: String
        var questionTitle: String
        var typeAnswer: String
        /// With `%s` where the typed answer goes.
        var yourAnswer: String
        var noAnswer: String
        /// The question box's words, as the terminal player says them; `%d` and `%s` are
        /// filled in by the script.
        var right: String
        var wrong: [String]
        var hintLabel: String
        var shown: String
        var questionKeys: String
        var unreadable: String
        var keys: [[String]]
    }

    /// The keys the page answers to, as the terminal player's help names them.
    static let pageKeys: Set<String> = ["space", "→  l", "←  h", "]  [", "+  -", "Home  End", "PgDn  PgUp", "v", "L"]

    /// A lesson shows at most this many steps on a page: each is drawn four times (two
    /// languages, two views) when the page is written, and free play can run to thousands.
    public static let maxSteps = 2_000

    /// The page for `board`, frames drawn at `size`; `options` gives the language and view the
    /// page opens in, the code pane and ASCII drawing.
    public static func page(_ board: Storyboard, size: Size, options: ViewOptions) throws -> String {
        let json = try jsonText(document(board, size: size, options: options))
        let title = MarkupRenderer.escape(board.script.title.text(options.language.rawValue))
        return HTMLPlayerPage.html(title: title, language: options.language.rawValue,
                                   style: HTMLPlayerPage.style + lookStyles(), data: json)
    }

    /// The questions of `board`, one for each step that asks one.
    static func questions(_ board: Storyboard) -> [PageQuestion] {
        (0..<board.stepCount).compactMap { step in
            var text: [String: String] = [:], answer: [String: String] = [:], hint: [String: String] = [:]
            var keys: [Language: AnswerKey] = [:]
            for language in Language.allCases {
                let options = ViewOptions(language: language, keepsJapanese: true)
                guard let q = board.account(ofStep: step, options: options)?.question, !q.prompt.isEmpty else { continue }
                text[language.rawValue] = q.prompt
                answer[language.rawValue] = q.answer
                if let key = q.key { keys[language] = key }
                if !q.hint.isEmpty { hint[language.rawValue] = q.hint }
            }
            return text.isEmpty ? nil : PageQuestion(step: step, text: text, answer: answer,
                                                     expected: keys.isEmpty ? nil : PageKey(keys),
                                                     hint: hint.isEmpty ? nil : hint)
        }
    }

    static func document(_ board: Storyboard, size: Size, options: ViewOptions) -> Document {
        var table = FrameTable()
        var frames: [String: [String: [[[Int]]]]] = [:]
        for language in Language.allCases {
            for symbols in [false, true] {
                var view = options
                (view.language, view.symbols, view.keepsJapanese) = (language, symbols, true)
                frames[language.rawValue, default: [:]][symbols ? "symbols" : "numbers"] = (0..<board.stepCount).map { step in
                    narrationPages(board, step: step, size: size, options: view).map { table.add($0) }
                }
            }
        }
        let phases = board.phases.map { p in
            Phase(first: p.firstStep, title: Dictionary(uniqueKeysWithValues: Language.allCases.map { ($0.rawValue, p.title($0)) }))
        }
        return Document(
            title: Dictionary(uniqueKeysWithValues: Language.allCases.map { ($0.rawValue, board.script.title.text($0.rawValue)) }),
            columns: size.width, lines: size.height, steps: board.stepCount, phases: phases,
            wide: String(table.wide.sorted()), rows: table.rows, frames: frames, questions: questions(board),
            words: Dictionary(uniqueKeysWithValues: Language.allCases.map { ($0.rawValue, words($0)) }),
            speeds: PlayerModel.speedLadder,
            start: Start(language: options.language.rawValue, symbols: options.symbols, speed: PlayerSettings().stepsPerSecond))
    }

    /// The frames of a step, one per page of its narration, paged as the player pages it:
    /// each page starts after the lines the one before showed.
    static func narrationPages(_ board: Storyboard, step: Int, size: Size, options: ViewOptions) -> [Frame] {
        var options = options
        var pages = [board.frame(at: step, size: size, options: options)]
        while let window = pages[pages.count - 1].narration, window.moreBelow, pages.count < window.total {
            options.narrationOffset = window.first + max(1, window.shown)
            pages.append(board.frame(at: step, size: size, options: options))
        }
        return pages
    }

    static func words(_ language: Language) -> Words {
        let texts = Texts.of(language, asciiOnly: false, keepsJapanese: true)
        let plain = PlainWords(language: language)
        let question = QuestionWords(language)
        return Words(
            playing: texts.playing, paused: texts.paused, stepsPerSecond: texts.stepsPerSecond, step: texts.step,
            numbers: texts.numbers, symbols: texts.symbols, languageName: texts.languageName,
            atFirstStep: texts.say(.atFirstStep), atLastStep: texts.say(.atLastStep),
            narrationAllShown: texts.say(.narrationAllShown), narrationAtEnd: texts.say(.narrationAtEnd),
            narrationAtTop: texts.say(.narrationAtTop),
            questionTitle: texts.questionTitle, typeAnswer: plain.typeAnswer, yourAnswer: plain.yourAnswer("%s"),
            noAnswer: plain.noAnswer,
            right: question.right, wrong: [question.wrong(left: 1), question.wrong(left: 2)], hintLabel: question.hint,
            shown: question.shown("%s"), questionKeys: question.openKeys,
            unreadable: question.unreadable("type a number, a shape such as (4, 9), cells such as x[0,0,1,1], or a choice's number"),
            keys: texts.keys.compactMap { key, what in
                if pageKeys.contains(key) { return [key, what] }
                // The page has no code pane to switch: of the help's `v  c`, only `v`.
                if key == "v  c" { return ["v", String(what.prefix { $0 != "," && $0 != "、" })] }
                return nil
            })
    }

    /// One CSS class per look, `.k0` … , with the colours `render --format html` writes.
    static func lookStyles() -> String {
        FrameTable.lookNumbers.map { ".k\($0){\(MarkupRenderer.htmlStyle(of: FrameTable.cell(ofLook: $0)))}" }
            .joined(separator: "\n") + "\n"
    }

    /// The document as JSON that is safe inside a `<script>` element: no `<` at all, so that
    /// no text of a lesson can close the element or open a comment.
    static func jsonText(_ document: Document) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = String(decoding: try encoder.encode(document), as: UTF8.self)
        return text.replacingOccurrences(of: "<", with: "\\u003c")
    }
}

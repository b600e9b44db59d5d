import Lessons
import Storyboard
@testable import Terminal

/// A small source whose frames say which step, size and options they were drawn for, so
/// that tests can read back what the player asked for.
struct TestSource: FrameSource {
    var stepCount = 12
    var phases = [
        PhaseMark(title: "input", firstStep: 0, japaneseTitle: "入力"),
        PhaseMark(title: "sliding window", firstStep: 3, japaneseTitle: "フィルタをずらす"),
        PhaseMark(title: "im2col", firstStep: 7, japaneseTitle: "im2col関数: 1列が1か所のフィルタ位置"),
    ]
    var minimumSize = Size(width: 40, height: 10)
    /// Steps that ask a question before they are shown.
    var questions: [Int: String] = [:]
    /// Steps drawn alike in numbers and symbols (nothing to name), or with and without the
    /// code pane.
    var stepsWithoutSymbols: Set<Int> = []
    var stepsWithoutCode: Set<Int> = []
    /// Narration lines per step, drawn above the last row the way the storyboard draws them:
    /// all of them when they fit in the room, else a window of `room - 1` lines from the
    /// offset (clamped to the last page) and a line saying which lines are shown.
    var narration: [Int: [String]] = [:]
    /// Steps whose frame pages through blocks: the number of blocks, three to a page.
    var blocks: [Int: Int] = [:]
    /// The rows the narration may take on a frame of a size.
    var narrationRoom: @Sendable (Size) -> Int = { _ in 3 }
    /// Tensors drawn as grids of cells the inspector can point at: each cell four columns
    /// wide (a mark and three characters), from (`top`, `left`).
    var grids: [Grid] = []
    /// The cell each step writes, as `Frame.focusCell`.
    var focus: CellID?

    struct Grid {
        var tensor: Int
        var rows: Int
        var columns: Int
        var top: Int
        var left: Int
    }

    func cellName(_ cell: CellID) -> String? { "t\(cell.tensor)[\(cell.index)]" }

    /// Keys of the questions that take a typed answer, and their hints.
    var keys: [Int: AnswerKey] = [:]
    var hints: [Int: String] = [:]

    func asked(before step: Int, language: Language) -> AskedQuestion? {
        questions[step].map {
            AskedQuestion(prompt: language == .ja ? "問: " + $0 : $0, answer: "", key: keys[step], hint: hints[step] ?? "", phase: "slide")
        }
    }

    func frame(at step: Int, size: Size, options: ViewOptions) -> Frame {
        var frame = Frame(size: size)
        frame.put("frame \(step) size \(size.width)x\(size.height)", row: 0, column: 0)
        let symbols = stepsWithoutSymbols.contains(step) ? "" : "symbols \(options.symbols) "
        let code = stepsWithoutCode.contains(step) ? "" : "code \(options.showCode) "
        frame.put(symbols + code + options.language.rawValue + (options.showLegend ? " legend" : ""), row: 1, column: 0)
        if let total = blocks[step] {
            let first = (options.blockPage * 3) % total
            frame.blocks = BlockPage(first: first, shown: min(3, total - first), total: total)
            frame.put("blocks \(first + 1)-\(first + min(3, total - first))", row: 2, column: 0)
        }
        if let lines = narration[step] {
            var shown = lines
            let room = narrationRoom(size)
            frame.narration = NarrationWindow(first: 0, shown: lines.count, total: lines.count)
            if lines.count > room {
                let start = min(max(0, options.narrationOffset), lines.count - (room - 1))
                shown = Array(lines[start..<(start + room - 1)])
                shown.append("… narration lines \(start + 1)–\(start + room - 1) of \(lines.count)")
                frame.narration = NarrationWindow(first: start, shown: room - 1, total: lines.count)
            }
            for (i, line) in shown.enumerated() {
                frame.put(line, row: size.height - 1 - shown.count + i, column: 0, role: .narration)
            }
        }
        for g in grids {
            for r in 0..<g.rows {
                for c in 0..<g.columns {
                    let id = CellID(tensor: g.tensor, index: r * g.columns + c)
                    let marked = options.inspection?.cursor == id ? "@" : options.inspection?.selected == id ? "#" : " "
                    let number = String(id.index)
                    frame.put(marked + String(repeating: " ", count: max(0, 3 - number.count)) + number, row: g.top + r, column: g.left + 4 * c)
                    frame.hits.append(CellHit(row: g.top + r, column: g.left + 4 * c, width: 4, cell: id))
                }
            }
        }
        frame.focusCell = focus
        // Fill the last row as well, to show that the status line does not overwrite it.
        frame.put("bottom", row: size.height - 1, column: 0)
        return frame
    }
}

extension PlayerModel {
    init(_ source: TestSource = TestSource(), start: Int = 0, speed: Double = 2, autoplay: Bool = false) {
        self.init(source: source, settings: PlayerSettings(stepsPerSecond: speed, startStep: start, autoplay: autoplay))
    }

    /// Sends keys one after another and returns the last effect.
    @discardableResult
    mutating func press(_ keys: Key...) -> Effect {
        var effect = Effect.none
        for key in keys { effect = handle(key: key) }
        return effect
    }

    /// The prompt and step of the question on screen, if one is.
    var asking: (prompt: String, step: Int)? {
        if case .question(let session) = overlay { return (session.question.prompt, session.step) }
        return nil
    }

    @discardableResult
    mutating func type(_ text: String) -> Effect {
        var effect = Effect.none
        for ch in text { effect = handle(key: .character(ch)) }
        return effect
    }
}

import Engine
import Trace
import Lessons

/// One cell a step changed, and its value after the step: what a linear reading says instead
/// of a highlighted grid.
public struct CellChange: Sendable, Equatable {
    /// The tensor's name, as the grids head it (`u`, `x_col`).
    public var tensor: String
    /// The cell's index in the tensor, as the arithmetic writes it (`[0, 4]`).
    public var index: String
    /// The cell's value after the step, as the grids show it (a number, or a symbol).
    public var value: String
}

/// A visible step in words, for front ends that read rather than draw (a screen reader, a
/// braille display): the same texts a frame shows, without the picture.
public struct StepAccount: Sendable, Equatable {
    /// The phase's title in the frame's language (`im2col`, `スライド`).
    public var phaseTitle: String
    /// The phase's position among the lesson's phases, 1-based, and how many there are.
    public var phaseNumber: Int
    public var phaseCount: Int
    /// The narration the frame shows for this step, without a question's answer.
    public var narration: String
    /// The frame's line of arithmetic, whole.
    public var arithmetic: String
    /// The highlighted code line, empty where the phase has none.
    public var code: String
    /// Where the code line comes from, as the code pane says it: the article's own line, the
    /// article's line adapted (and what changed), or a line Tatami added (and why). Empty
    /// where the phase has no code.
    public var codeOrigin: String
    /// The cells the step wrote, in the order the trace wrote them, each once.
    public var changes: [CellChange]
    /// The cell the engine chose as the step's focus, with its value after the step: what a
    /// step that writes nothing (the input, a reshape, an argmax) points at.
    public var focus: CellChange?
    /// The question asked before the step, in the frame's language.
    public var question: AskedQuestion?
    /// The lesson's answer the frame shows with this step (a question on the step, or on the
    /// whole phase at its last step).
    public var answer: String?
}

extension Storyboard {
    /// The visible step `step` (0-based, clamped) in words, from the trace as its frame is:
    /// the arithmetic is the line the frame shows, the changes are the step's events.
    public func account(ofStep step: Int, options: ViewOptions) -> StepAccount? {
        guard !visibleSteps.isEmpty else { return nil }
        let position = min(max(0, step), visibleSteps.count - 1)
        guard let (phase, within) = locate(position) else { return nil }
        var options = options
        options.language = options.languageShown
        let scene = Scene(board: self, position: position, phase: phase, within: within, options: options)
        let language = options.language
        let text = StepText(scene: scene)
        var account = StepAccount(
            phaseTitle: PhaseText.title(trace.phases[phase], layer: trace.layer, language),
            phaseNumber: phaseIndex(ofStep: position) + 1, phaseCount: phases.count,
            narration: narration(at: position, phase: phase, within: within, language: language),
            arithmetic: text.line(), code: trace.phases[phase].code.text,
            codeOrigin: trace.phases[phase].code.text.isEmpty ? "" : CodeProvenanceText.origin(trace.phases[phase].code, language),
            changes: changes(in: scene), focus: nil)
        if let f = scene.stepEvent, f.dst != .none, f.dstIndex >= 0 { account.focus = cell(f.dst, Int(f.dstIndex), scene) }
        account.question = asked(before: position, language: language)
        account.answer = questionAnswered(at: position)?.answer.text(language.rawValue)
        return account
    }

    private func changes(in scene: Scene) -> [CellChange] {
        var seen: Set<[Int]> = []
        var cells: [(TensorID, Int)] = []
        for e in scene.events where e.kind == .write || e.kind == .accumulate {
            guard e.dst != .none, e.dstIndex >= 0, seen.insert([Int(e.dst.rawValue), Int(e.dstIndex)]).inserted else { continue }
            cells.append((e.dst, Int(e.dstIndex)))
        }
        return cells.map { cell($0, $1, scene) }
    }

    private func cell(_ t: TensorID, _ i: Int, _ scene: Scene) -> CellChange {
        let info = trace.tensors[Int(t.rawValue)]
        let index = "[" + Tensor.unravel(i, shape: info.shape).map(String.init).joined(separator: ", ") + "]"
        return CellChange(tensor: info.name, index: index, value: scene.cellText(t, i))
    }
}

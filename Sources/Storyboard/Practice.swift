import Engine
import Trace
import Lessons

/// A faded worked example: the lesson's frames, where in each phase the first steps are shown
/// worked and every later step that computes something is a question the student answers
/// before the step is shown: the value the step writes, or the cell it moves (im2col: which
/// input cell lands here; routing: where the gradient goes; argmax: which cell is the maximum).
public struct PracticeBoard: FrameSource {
    public let board: Storyboard
    /// The phase practised, as a lesson heading names it (`slide`, `transpose 2`); nil for all.
    public let phase: String?

    /// Phases whose steps only move values without computing any (the picture, not the
    /// student, does these).
    static let shownOnly: Set<PhaseKind> = [.input, .pad, .crop, .reshape, .transpose, .filterReshape, .gradWReshape]

    public init(board: Storyboard, phase: String? = nil) {
        self.board = board
        self.phase = phase
    }

    public var stepCount: Int { board.stepCount }
    public var phases: [PhaseMark] { board.phases }
    public var minimumSize: Size { board.minimumSize }
    public func frame(at step: Int, size: Size, options: ViewOptions) -> Frame {
        board.frame(at: step, size: size, options: options)
    }

    /// How many steps of a phase of `count` steps are shown worked before the student takes over.
    public static func worked(ofPhaseSteps count: Int) -> Int { count <= 2 ? 1 : 2 }

    /// Where the practice begins: the first step of the phase practised (or the first step).
    public var firstStep: Int {
        guard let phase else { return 0 }
        return board.phases.first { $0.title == phase }?.firstStep ?? 0
    }

    /// The visible steps the student produces, in order.
    public var practiceSteps: [Int] { (0..<board.stepCount).filter { task(at: $0) != nil } }

    public func asked(before step: Int, language: Language) -> AskedQuestion? {
        guard let task = task(at: step), let (phase, _) = board.locate(step) else { return nil }
        let ja = language == .ja
        let prompt: String
        switch task.kind {
        case .value(let cell):
            prompt = ja ? "このステップのあと \(cell) の値はいくつでしょう？" : "What does \(cell) hold after this step?"
        case .source(let target, let tensor, let count) where count > 1:
            prompt = ja ? "\(target) に入るのは \(tensor) のどのマスでしょう？(\(count) 個、例: \(tensor)[0,0,1,1] \(tensor)[0,0,1,2] …)"
                        : "Which \(count) cells of \(tensor) land in \(target)? (type them as \(tensor)[0,0,1,1] \(tensor)[0,0,1,2] …)"
        case .source(let target, let tensor, _):
            prompt = ja ? "\(target) に入るのは \(tensor) のどのマスでしょう？(例: \(tensor)[0,0,1,1])"
                        : "Which cell of \(tensor) lands in \(target)? (type it as \(tensor)[0,0,1,1])"
        case .destination(let gradient, let tensor):
            prompt = ja ? "勾配 \(gradient) は \(tensor) のどのマスへ流れるでしょう？(例: \(tensor)[0,0,1,1])"
                        : "Where in \(tensor) does the gradient \(gradient) go? (type the cell, as \(tensor)[0,0,1,1])"
        case .maximum(let tensor):
            prompt = ja ? "この窓で最大なのは \(tensor) のどのマスでしょう？" : "Which cell of \(tensor) is the maximum of this window?"
        }
        let hint = board.hint(for: task.key, atTraceStep: board.visibleSteps[step], phase: phase, language: language)
        return AskedQuestion(prompt: prompt, answer: "", key: task.key, hint: hint, phase: board.ref(phase).description)
    }

    struct Task {
        enum Kind {
            case value(CellName)
            /// `target` names the first cell written, or the range `cols[0,2] … cols[3,2]`.
            case source(target: String, tensor: String, count: Int)
            case destination(gradient: CellName, tensor: String)
            case maximum(tensor: String)
        }
        var kind: Kind
        var key: AnswerKey
    }

    /// What the student must produce before visible step `step`, if anything.
    func task(at step: Int) -> Task? {
        guard let (phase, within) = board.locate(step) else { return nil }
        let trace = board.trace
        let kind = trace.phases[phase].kind
        if let name = self.phase, board.ref(phase).description != name { return nil }
        let first = trace.phaseFirstStep[phase]
        let end = phase + 1 < trace.phases.count ? trace.phaseFirstStep[phase + 1] : trace.stepCount
        guard !Self.shownOnly.contains(kind), within > Self.worked(ofPhaseSteps: end - first) else { return nil }
        let s = board.visibleSteps[step]
        let events = Array(trace.events(ofStep: s))
        func cell(_ t: TensorID, _ i: Int32) -> CellName {
            let info = trace.tensors[Int(t.rawValue)]
            return CellName(tensor: info.name, index: Tensor.unravel(Int(i), shape: info.shape))
        }
        if let arg = events.first(where: { $0.kind == .argmax }), arg.src != .none, arg.srcIndex >= 0 {
            return Task(kind: .maximum(tensor: cell(arg.src, arg.srcIndex).tensor), key: .cells([cell(arg.src, arg.srcIndex)]))
        }
        let writes = events.filter { ($0.kind == .write || $0.kind == .accumulate) && $0.dst != .none && $0.dstIndex >= 0 }
        let terms = events.contains { $0.kind == .term }
        switch kind {
        case .im2col, .poolRows:
            let copies = writes.filter { $0.src != .none && $0.srcIndex >= 0 }
            guard let w = copies.first, let last = copies.last else { return nil }
            let sources = Set(copies.map { cell($0.src, $0.srcIndex) })
            let target = copies.count == 1 ? cell(w.dst, w.dstIndex).description
                                           : "\(cell(w.dst, w.dstIndex)) … \(cell(last.dst, last.dstIndex))"
            return Task(kind: .source(target: target, tensor: cell(w.src, w.srcIndex).tensor, count: sources.count), key: .cells(sources))
        case .route, .routeSeedBug:
            guard let w = writes.first, w.src != .none, w.srcIndex >= 0 else { return nil }
            let targets = Set(writes.map { cell($0.dst, $0.dstIndex) })
            return Task(kind: .destination(gradient: cell(w.src, w.srcIndex), tensor: cell(w.dst, w.dstIndex).tensor), key: .cells(targets))
        default:
            // The cell in focus, when the step computes it (a sum, a bias, an activation, an update).
            guard let focus = events.first(where: { $0.kind == .step }), focus.dst != .none, focus.dstIndex >= 0,
                  terms || writes.contains(where: { $0.dst == focus.dst && $0.dstIndex == focus.dstIndex }) else { return nil }
            let value = trace.state(after: s)[focus.dst][Int(focus.dstIndex)]
            return Task(kind: .value(cell(focus.dst, focus.dstIndex)), key: .number(value))
        }
    }
}

/// How a practice went: the steps produced right at the first try, out of the steps to
/// produce, and the steps missed (numbered as the screen numbers them).
public struct PracticeScore: Sendable, Equatable {
    public var total: Int
    public var rightFirstTry: Int
    /// Steps answered, but not right at the first try, from 1.
    public var missed: [Int]
    /// Steps to produce that were never answered.
    public var notAnswered: Int

    /// `practiceSteps` are 0-based; records number steps from 1. A step's first record counts.
    public init(practiceSteps: [Int], records: [AnswerRecord]) {
        var first: [Int: AnswerRecord] = [:]
        for r in records where first[r.step] == nil { first[r.step] = r }
        total = practiceSteps.count
        let steps = practiceSteps.map { $0 + 1 }
        rightFirstTry = steps.filter { first[$0]?.rightFirstTry == true }.count
        missed = steps.filter { first[$0] != nil && first[$0]?.rightFirstTry == false }
        notAnswered = steps.filter { first[$0] == nil }.count
    }

    /// The score in one or two sentences.
    public func text(_ language: Language) -> String {
        let list = missed.map(String.init).joined(separator: ", ")
        if language == .ja {
            var s = "スコア: \(total) 問中 \(rightFirstTry) 問を 1 回目で正解しました。"
            s += missed.isEmpty ? "間違えたステップはありません。" : "間違えたステップ: \(list)。"
            if notAnswered > 0 { s += "答えていないステップ: \(notAnswered) 個。" }
            return s
        }
        var s = "Score: \(rightFirstTry) of \(total) steps right at the first try."
        s += missed.isEmpty ? " No steps missed." : " Steps missed: \(list)."
        if notAnswered > 0 { s += " Not answered: \(notAnswered)." }
        return s
    }
}

import Engine
import Trace

/// One frame being composed: the state after the step, and what each cell the step touches
/// means (its role), all read from the step's events. Drawing is in `SceneLayout.swift`,
/// tensors in `TensorView.swift`, the panels some phases add in `PhasePictures.swift`.
struct Scene {
    let board: Storyboard
    /// The board's trace, kept once: reading it through the board copies the struct each time.
    let trace: Trace
    let position: Int
    let phase: Int
    let within: Int
    let options: ViewOptions
    let step: Int
    let state: TensorState
    /// The state before the phase began.
    let before: TensorState
    /// The state before this step (for an update: the value being replaced).
    let previous: TensorState
    let events: EventStore
    /// The step's own event: its focus (`dst[dstIndex]`) and main source, chosen by the engine.
    let stepEvent: Event?
    var marks: [TensorID: [Int: (Role, Bool)]] = [:]
    var focus: [TensorID: Int] = [:]

    init(board: Storyboard, position: Int, phase: Int, within: Int, options: ViewOptions) {
        self.board = board
        self.position = position
        self.phase = phase
        self.within = within
        self.options = options
        step = board.visibleSteps[position]
        let trace = board.trace
        self.trace = trace
        state = trace.state(after: step)
        before = trace.state(after: trace.phaseFirstStep[phase] - 1)
        previous = trace.phases[phase].kind == .update ? trace.state(after: step - 1) : before
        events = trace.events(ofStep: step)
        stepEvent = events.first { $0.kind == .step }
        collectMarks()
    }

    var language: Language { options.language }
    var kind: PhaseKind { trace.phases[phase].kind }
    func info(_ t: TensorID) -> TensorInfo { trace.tensors[Int(t.rawValue)] }

    /// Roles for the cells this step touches; the strongest role wins where several apply.
    private mutating func collectMarks() {
        func rank(_ role: Role) -> Int {
            switch role {
            case .window: return 1
            case .source: return 2
            case .dest: return 3
            case .argmax: return 4
            default: return 0
            }
        }
        func set(_ t: TensorID, _ i: Int32, _ role: Role, bold: Bool = false) {
            guard t != .none, i >= 0 else { return }
            if let old = marks[t]?[Int(i)], rank(old.0) > rank(role) { return }
            marks[t, default: [:]][Int(i)] = (role, bold)
        }
        if let s = stepEvent {
            set(s.dst, s.dstIndex, .dest, bold: true)
            set(s.src, s.srcIndex, .source, bold: true)
            if s.dst != .none, s.dstIndex >= 0 { focus[s.dst] = Int(s.dstIndex) }
            if s.src != .none, s.srcIndex >= 0 { focus[s.src] = Int(s.srcIndex) }
        }
        var links: [Event] = []
        for e in events {
            switch e.kind {
            case .write, .accumulate:
                set(e.dst, e.dstIndex, .dest)
                set(e.src, e.srcIndex, .source)
            case .term, .read:
                set(e.src, e.srcIndex, .window)
                set(e.dst, e.dstIndex, .window)
            case .argmax:
                set(e.src, e.srcIndex, .argmax, bold: true)
            case .link:
                links.append(e)
            case .step, .phase, .derive:
                break
            }
        }
        // A cell that stands for an earlier tensor's cell lends that cell its role.
        for e in links {
            guard let (role, bold) = marks[e.dst]?[Int(e.dstIndex)] else { continue }
            set(e.src, e.srcIndex, role, bold: bold)
        }
        for (t, cells) in marks where focus[t] == nil {
            let strongest = cells.max { a, b in rank(a.value.0) != rank(b.value.0) ? rank(a.value.0) < rank(b.value.0) : a.key > b.key }
            focus[t] = strongest?.key
        }
    }

    /// The text of a cell: a symbol or a number, or `·` for a cell not computed yet.
    func cellText(_ t: TensorID, _ i: Int) -> String {
        let ti = Int(t.rawValue)
        let info = trace.tensors[ti]
        if info.origin == .zeros, state.hits[ti][i] == 0, info.pad == nil {
            return "·"
        }
        return options.symbols ? board.symbols[t, i] : NumberFormat.cell(state.values[ti][i])
    }
}

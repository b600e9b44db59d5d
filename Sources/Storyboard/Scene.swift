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
    /// In a reshape or transpose phase, how its blocks move (see `Movement`).
    let movement: Movement?
    /// The inspected cell and its lineage, while the inspector is on.
    let inspected: (cell: CellRef, answer: InspectedLineage)?
    /// The question being asked over this frame: shown where the narration begins, in place of
    /// any answer.
    var asking: String?

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
        // While the inspector is on, its roles take the place of the movement's tints.
        movement = options.inspection == nil ? Movement(trace: trace, firstStep: trace.phaseFirstStep[phase]) : nil
        inspected = board.inspected(options.inspection)
        collectMarks()
    }

    var language: Language { options.language }

    /// The inspector's role for a cell, stronger than any the step gives: the cursor, the
    /// inspected cell, or a cell of its lineage.
    func inspectorRole(_ t: TensorID, _ i: Int) -> Role? {
        guard let inspection = options.inspection else { return nil }
        let cell = CellRef(t, i)
        if inspection.cursor == CellID(tensor: Int(t.rawValue), index: i) { return .cursor }
        guard let inspected else { return nil }
        if inspected.cell == cell { return .inspected }
        return inspected.answer.reached.contains(cell) ? .lineage : nil
    }
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

/// How the values of a reshape or a transpose move, read from the `link` events of the phase's
/// first step (one per cell of the result, in its order, naming the source cell). Each value
/// takes the tint of the block it starts in — a 2-D block of the source, or where the source
/// is a matrix, the block of the result it lands in (a reshape) or its row (a transpose) — and
/// keeps it in the result.
struct Movement {
    let source: TensorID
    let result: TensorID
    private let links: EventStore
    private let block: (Int) -> Int?

    init?(trace: Trace, firstStep: Int) {
        let events = trace.events(ofStep: firstStep)
        guard events.contains(where: { $0.kind == .derive }),
              let start = events.firstIndex(where: { $0.kind == .link }) else { return nil }
        let first = events[start]
        (source, result) = (first.src, first.dst)
        let src = trace.tensors[Int(source.rawValue)].shape, dst = trace.tensors[Int(result.rawValue)].shape
        let count = dst.reduce(1, *)
        guard events.endIndex - start >= count else { return nil }
        links = events[start..<(start + count)]
        func blocks(_ shape: [Int]) -> (count: Int, size: Int) {
            guard shape.count >= 3 else { return (1, shape.reduce(1, *)) }
            let size = max(1, shape[shape.count - 2] * shape[shape.count - 1])
            return (shape.reduce(1, *) / size, size)
        }
        let (srcBlocks, srcSize) = blocks(src), (dstBlocks, dstSize) = blocks(dst)
        let rowLength = max(1, src.last ?? 1), rows = src.reduce(1, *) / rowLength
        let isReshape = { if case .reshape = trace.tensors[Int(first.dst.rawValue)].origin { return true }; return false }()
        if srcBlocks > 1 {
            block = { $0 / srcSize }
        } else if dstBlocks > 1, isReshape {
            block = { $0 / dstSize }
        } else if rows > 1 {
            block = { $0 / rowLength }
        } else {
            block = { _ in nil }
        }
    }

    /// The tint of cell `i` of tensor `t`, or nil where `t` is neither side of the movement.
    func tint(_ t: TensorID, _ i: Int) -> Role? {
        let origin: Int
        if t == source { origin = i } else if t == result, links.indices.contains(links.startIndex + i) {
            origin = Int(links[links.startIndex + i].srcIndex)
        } else { return nil }
        return block(origin).map { Role.tints[$0 % Role.tints.count] }
    }
}

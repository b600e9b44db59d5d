import Foundation
import Engine
import Trace
import Lessons

/// The pure function from (trace, position, size, options) to a frame, for one lesson.
///
/// Everything a frame says about the numbers — axis names, captions, code lines, the pass, the
/// cell in focus — is read from the trace; the lesson adds only its words (`Script`).
/// What depends only on the trace is computed once here; a frame then costs one seek and one layout.
public struct Storyboard: FrameSource {
    public let script: any Script
    public let trace: Trace
    /// The trace steps this lesson shows, in order; the player's positions index this.
    public let visibleSteps: [Int]
    public let phases: [PhaseMark]
    public let minimumSize = Size(width: 64, height: 20)
    let symbols: SymbolTable
    /// The tensors each trace phase shows: cells they stand for (pooling's padded input)
    /// first, then sources, then what the phase writes.
    let phaseTensors: [[TensorID]]
    /// The code pane's lines, each once, in the order the phases run.
    let codeLines: [CodeLine]
    /// Pooling's argmax column of each row, as the forward pass chose it: what the correct
    /// routing uses, drawn beside the seed's fancy-indexing line for comparison.
    let argmaxColumn: [Int: Int]
    /// The widest number each tensor shows during each phase (at its start or its end), so
    /// that a grid's columns keep their place from step to step; measured for a phase when it
    /// is first drawn, since a live change in free play builds a board for one frame.
    let phaseCellWidths = PhaseCellWidths()
    /// The level of detail each phase was drawn at (see `PlanCache`).
    let planCache = PlanCache()
    /// The lineage the inspector reads, built when a cell is first inspected.
    let lineageCache: LineageCache

    public var title: String { script.title.en }
    public var stepCount: Int { visibleSteps.count }
    /// The view the lesson asks to start in (`view: symbols`), if it asks.
    public var startsInSymbols: Bool? { script.startsInSymbols }

    public init(lesson: some Script, trace: Trace) {
        script = lesson
        self.trace = trace
        lineageCache = LineageCache(trace: trace)
        visibleSteps = lesson.shownSteps(in: trace)
        var marks: [PhaseMark] = []
        var lastPhase = -1
        for (i, s) in visibleSteps.enumerated() where trace.stepPhase[s] != lastPhase {
            lastPhase = trace.stepPhase[s]
            let p = trace.phases[lastPhase]
            let n = p.occurrence == 1 ? "" : " \(p.occurrence)"
            marks.append(PhaseMark(title: p.kind.rawValue + n, firstStep: i,
                                   japaneseTitle: PhaseText.title(p, layer: trace.layer, .ja) + n))
        }
        phases = marks
        symbols = SymbolTable(trace: trace)
        phaseTensors = Self.tensorsByPhase(trace)
        var code: [CodeLine] = []
        for p in trace.phases where code.last != p.code && !p.code.text.isEmpty { code.append(p.code) }
        codeLines = code
        var argmaxColumn: [Int: Int] = [:]
        for e in trace.events where e.kind == .argmax {
            let width = max(1, trace.tensors[Int(e.src.rawValue)].shape.last ?? 1)
            argmaxColumn[Int(e.srcIndex) / width] = Int(e.srcIndex) % width
        }
        self.argmaxColumn = argmaxColumn
    }

    /// The widths of every tensor during phase `p` (see `phaseCellWidths`); 0 for tensors of
    /// more than 4,096 cells, which are measured only where shown.
    static func cellWidths(_ trace: Trace, phase p: Int) -> [Int] {
        func widths(_ state: TensorState) -> [Int] {
            trace.tensors.indices.map { t in
                state.values[t].count > 4096 ? 0 : state.values[t].reduce(1) { max($0, DisplayWidth.of(NumberFormat.cell($1))) }
            }
        }
        let next = p + 1 < trace.phases.count ? trace.phaseFirstStep[p + 1] : trace.stepCount
        return zip(widths(trace.state(after: trace.phaseFirstStep[p] - 1)), widths(trace.state(after: next - 1))).map { max($0, $1) }
    }

    func cellWidth(phase: Int, tensor: Int) -> Int {
        guard trace.phases.indices.contains(phase) else { return 1 }
        let widths = phaseCellWidths.widths(phase) { Self.cellWidths(trace, phase: phase) }
        return widths.indices.contains(tensor) ? widths[tensor] : 1
    }

    static func tensorsByPhase(_ trace: Trace) -> [[TensorID]] {
        var origins = [[TensorID]](repeating: [], count: trace.phases.count)
        var sources = origins, dests = origins
        var p = 0
        func add(_ t: TensorID, _ list: inout [TensorID]) {
            if t != .none, !list.contains(t) { list.append(t) }
        }
        for e in trace.events {
            switch e.kind {
            case .phase: p = Int(e.srcIndex)
            case .step: add(e.dst, &dests[p])
            case .write, .accumulate, .derive:
                add(e.src, &sources[p])
                add(e.dst, &dests[p])
            case .term, .argmax:
                add(e.src, &sources[p])
                add(e.dst, &sources[p])
            case .read:
                add(e.src, &sources[p])
            case .link:
                add(e.src, &origins[p])
            }
        }
        return (0..<trace.phases.count).map { p in
            let shown = origins[p] + sources[p].filter { !dests[p].contains($0) } + dests[p]
            var unique: [TensorID] = []
            for t in shown where !unique.contains(t) { unique.append(t) }
            return unique
        }
    }

    /// Which phase a trace phase is, as lesson headings name it (`update 2`).
    func ref(_ phase: Int) -> PhaseRef {
        PhaseRef(kind: trace.phases[phase].kind, occurrence: trace.phases[phase].occurrence)
    }


    /// The lesson's question before a visible step: one on the step itself, or one on its
    /// phase when this is the phase's first step. Its answer is shown with the step.
    func questionAsked(before step: Int) -> Question? {
        guard let (phase, within) = locate(step) else { return nil }
        var qs = script.questions(for: ref(phase), step: within)
        if within == 1 { qs += script.questions(for: ref(phase), step: nil) }
        return qs.first
    }

    /// The trace phase of a visible step and the step's 1-based number within that phase.
    func locate(_ step: Int) -> (phase: Int, within: Int)? {
        guard step >= 0, step < visibleSteps.count else { return nil }
        let s = visibleSteps[step]
        let phase = trace.stepPhase[s]
        return (phase, s - trace.phaseFirstStep[phase] + 1)
    }

    public func frame(at step: Int, size: Size, options: ViewOptions) -> Frame {
        var frame = Frame(size: size)
        guard size.width >= minimumSize.width, size.height >= minimumSize.height else {
            frame.put("terminal too small: need \(minimumSize.width)×\(minimumSize.height)", row: 0, column: 0, role: .warning)
            return frame
        }
        guard !visibleSteps.isEmpty else {
            frame.put(script.title.text(options.language.rawValue), row: 0, column: 0, role: .heading)
            frame.put(options.language == .ja ? "表示するステップがありません。" : "This lesson shows no steps.", row: 2, column: 0)
            return frame
        }
        let position = min(max(0, step), visibleSteps.count - 1)
        guard let (phase, within) = locate(position) else { return frame }
        // Without UTF-8 there is no Japanese to show: English, as the player says on its status line.
        var options = options
        options.language = options.languageShown
        let scene = Scene(board: self, position: position, phase: phase, within: within, options: options)
        scene.draw(into: &frame)
        if options.asciiOnly { frame.transliterateToASCII(keepingWide: options.keepsJapanese) }
        return frame
    }
}

/// The cell widths of each phase, measured when the phase is first drawn (see
/// `Storyboard.phaseCellWidths`).
final class PhaseCellWidths: @unchecked Sendable {
    private var byPhase: [Int: [Int]] = [:]
    // Frames of one board may be drawn from several threads (a recording, the player).
    private let lock = NSLock()

    func widths(_ phase: Int, measure: () -> [Int]) -> [Int] {
        lock.lock()
        defer { lock.unlock() }
        if let known = byPhase[phase] { return known }
        let measured = measure()
        byPhase[phase] = measured
        return measured
    }
}

import Engine
import Trace
import Lessons

/// The pure function from (trace, position, size, options) to a frame, for one lesson.
///
/// Everything that depends only on the trace is computed once here (which tensors each phase
/// shows, symbolic labels, the code listing); a frame then costs one seek and one layout.
public struct Storyboard: FrameSource {
    public let lesson: Lesson
    public let trace: Trace
    /// The trace steps this lesson shows, in order; the player's positions index this.
    public let visibleSteps: [Int]
    public let phases: [PhaseMark]
    public let minimumSize = Size(width: 64, height: 20)
    let symbols: SymbolTable
    /// Which occurrence of its kind each trace phase is (1-based), as lesson headings count.
    let occurrence: [Int]
    /// The tensors each trace phase shows, sources first.
    let phaseTensors: [[TensorID]]
    let codeLines: [String]
    let geometry: ShownGeometry
    /// What each axis of each tensor counts, for naming the slice a grid shows.
    let axisNames: [[String]]
    /// The first phase of the backward pass and of the update, if the lesson has them.
    let passStarts: (backward: Int?, update: Int?)
    /// Pooling's argmax column of each row, as the forward pass chose it: what the correct
    /// routing uses, drawn beside the seed's fancy-indexing line for comparison.
    let argmaxColumn: [Int: Int]

    public var title: String { lesson.title.en }
    public var stepCount: Int { visibleSteps.count }

    public init(lesson: Lesson, trace: Trace) {
        self.lesson = lesson
        self.trace = trace
        var occurrence: [Int] = []
        var seen: [PhaseKind: Int] = [:]
        for p in trace.phases {
            seen[p.kind, default: 0] += 1
            occurrence.append(seen[p.kind]!)
        }
        self.occurrence = occurrence
        visibleSteps = (0..<trace.stepCount).filter { lesson.shows(trace.phases[trace.stepPhase[$0]].kind) }
        var marks: [PhaseMark] = []
        var lastPhase = -1
        for (i, s) in visibleSteps.enumerated() where trace.stepPhase[s] != lastPhase {
            lastPhase = trace.stepPhase[s]
            let kind = trace.phases[lastPhase].kind
            let n = occurrence[lastPhase]
            marks.append(PhaseMark(title: n == 1 ? kind.rawValue : "\(kind.rawValue) \(n)", firstStep: i))
        }
        phases = marks
        symbols = SymbolTable(trace: trace)
        phaseTensors = Self.tensorsByPhase(trace)
        var code: [String] = []
        for p in trace.phases where code.last != p.code && !p.code.isEmpty { code.append(p.code) }
        codeLines = code
        geometry = ShownGeometry(lesson.scenario, trace)
        axisNames = geometry.axisNames(trace.tensors)
        passStarts = Self.passStarts(trace)
        var argmaxColumn: [Int: Int] = [:]
        for e in trace.events where e.kind == .argmax {
            let width = trace.tensors[Int(e.src.rawValue)].shape.last ?? 1
            argmaxColumn[Int(e.srcIndex) / max(1, width)] = Int(e.srcIndex) % max(1, width)
        }
        self.argmaxColumn = argmaxColumn
    }

    /// Sources (read from) before destinations (written), each in order of first appearance,
    /// so that a product shows its left operand first, as the code reads.
    static func tensorsByPhase(_ trace: Trace) -> [[TensorID]] {
        var sources = [[TensorID]](repeating: [], count: trace.phases.count)
        var dests = [[TensorID]](repeating: [], count: trace.phases.count)
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
            }
        }
        return (0..<trace.phases.count).map { p in
            sources[p].filter { !dests[p].contains($0) } + dests[p]
        }
    }

    public func question(before step: Int, language: Language) -> String? {
        questionAsked(before: step)?.prompt.text(language.rawValue)
    }

    /// The lesson's question before a visible step: one on the step itself, or one on its
    /// phase when this is the phase's first step. Its answer is shown with the step.
    func questionAsked(before step: Int) -> Question? {
        guard let (phase, within) = locate(step) else { return nil }
        let ref = PhaseRef(kind: trace.phases[phase].kind, occurrence: occurrence[phase])
        var qs = lesson.questions(for: ref, step: within)
        if within == 1 { qs += lesson.questions(for: ref, step: nil) }
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
            frame.put(lesson.title.text(options.language.rawValue), row: 0, column: 0, role: .heading)
            frame.put(options.language == .ja ? "表示するステップがありません。" : "This lesson shows no steps.", row: 2, column: 0)
            return frame
        }
        let position = min(max(0, step), visibleSteps.count - 1)
        guard let (phase, within) = locate(position) else { return frame }
        // Without UTF-8 there is no Japanese to show: English, as the player says on its status line.
        var options = options
        if options.asciiOnly { options.language = .en }
        let scene = Scene(board: self, position: position, phase: phase, within: within, options: options)
        scene.draw(into: &frame)
        if options.asciiOnly { frame.transliterateToASCII() }
        return frame
    }
}

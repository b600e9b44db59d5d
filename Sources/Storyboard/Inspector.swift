import Foundation
import Engine
import Trace

/// The inspector's side of a storyboard: which cells light up for the selected cell, and the
/// panel that tells, event by event, how its value was made. Both come from the trace's one
/// `Lineage`, built the first time a cell is inspected.
final class LineageCache: @unchecked Sendable {
    private let trace: Trace
    private var lineage: Lineage?
    /// The last answer, for the frames drawn while the same cell stays selected.
    private var last: (key: Key, answer: InspectedLineage)?
    // Frames of one board may be drawn from several threads (a recording, the player).
    private let lock = NSLock()

    struct Key: Equatable {
        var cell: CellRef
        var step: Int
    }

    init(trace: Trace) {
        self.trace = trace
    }

    /// The lineage of `cell` as it stood after trace step `step`.
    func answer(_ cell: CellRef, after step: Int) -> InspectedLineage {
        lock.lock()
        defer { lock.unlock() }
        let key = Key(cell: cell, step: step)
        if let last, last.key == key { return last.answer }
        if lineage == nil { lineage = Lineage(trace) }
        let lineage = lineage!
        let reach = lineage.reach(of: cell, after: step)
        let answer = InspectedLineage(lineage: lineage.explain(cell, after: step), reached: reach.sources.union(reach.uses),
                                      contributions: lineage.contributions(to: cell, after: step),
                                      names: { lineage.name(of: $0) })
        last = (key, answer)
        return answer
    }
}

/// What the inspector shows of one cell.
struct InspectedLineage {
    var lineage: CellLineage
    /// Every cell, of any tensor, the value comes from or goes to.
    var reached: Set<CellRef>
    /// What each `accumulate` added to the cell (col2im's windows), in order.
    var contributions: [Double]
    var names: (CellRef) -> String
}

extension Storyboard {
    /// `y[0,0,1,1]`: the tensor's name and the cell's index in its own shape.
    public func cellName(_ cell: CellID) -> String? {
        guard trace.tensors.indices.contains(cell.tensor) else { return nil }
        let info = trace.tensors[cell.tensor]
        guard cell.index >= 0, cell.index < info.shape.reduce(1, *) else { return nil }
        return info.name + "[" + Tensor.unravel(cell.index, shape: info.shape).map(String.init).joined(separator: ",") + "]"
    }

    /// The selected cell's lineage, or nil where nothing (or no cell of this trace) is selected.
    func inspected(_ inspection: Inspection?) -> (cell: CellRef, answer: InspectedLineage)? {
        guard let inspection, let selected = inspection.selected, cellName(selected) != nil,
              !visibleSteps.isEmpty else { return nil }
        let cell = CellRef(TensorID(UInt16(selected.tensor)), selected.index)
        let step = visibleSteps[min(max(0, inspection.selectedAt), visibleSteps.count - 1)]
        return (cell, lineageCache.answer(cell, after: step))
    }

    /// The panel that takes the narration's place while a cell is inspected: its value, each
    /// step that made it with the arithmetic (for a cell several windows add to, each
    /// contribution and the sum), the given cells it comes from and the results it goes to.
    func inspectionPanel(_ cell: CellRef, _ answer: InspectedLineage, at position: Int, language: Language) -> String {
        let ja = language == .ja
        let a = answer.lineage
        let name = answer.names(cell)
        let value = Lineage.number(a.value)
        var lines = [ja ? "調べる: \(name) = \(value)(ステップ \(position + 1) の時点)"
                        : "Inspecting \(name) = \(value), as at step \(position + 1)"]
        if answer.contributions.count > 1 {
            let sum = answer.contributions.map(Lineage.number).joined(separator: " + ")
            let col2im = a.steps.contains { $0.phase == .col2im }
            let n = answer.contributions.count
            if col2im {
                lines.append(ja ? "\(n) つの窓がこのセルに重なる: \(sum) = \(value)" : "\(n) windows cover this cell: \(sum) = \(value)")
            } else {
                lines.append(ja ? "\(n) 回足し合わせ: \(sum) = \(value)" : "\(n) contributions: \(sum) = \(value)")
            }
        }
        if a.steps.isEmpty {
            let given = trace.tensors[Int(cell.tensor.rawValue)].origin == .given
            lines.append(given ? (ja ? "与えられた値です(作ったステップはありません)。" : "Given: no step made it.")
                               : (ja ? "どのステップも書いていません(初めの 0 のまま)。" : "No step wrote it: it holds its initial zero."))
        }
        for s in a.steps {
            let shown = visibleSteps.firstIndex(of: s.step).map { "\(Words.step(language)) \($0 + 1)" }
            let phase = PhaseText.title(trace.phases[trace.stepPhase[s.step]], layer: trace.layer, language)
            lines.append("· " + (shown.map { "\($0), \(phase): " } ?? "\(phase): ") + s.text)
        }
        func list(_ cells: [CellRef]) -> String {
            // Names without spaces, so that a long list wraps between cells.
            let names = cells.map { cellName(CellID(tensor: Int($0.tensor.rawValue), index: $0.index)) ?? answer.names($0) }
            return names.count > 12 ? (names.prefix(9) + ["…"] + names.suffix(2)).joined(separator: " ") + " (\(names.count))"
                                    : names.joined(separator: " ")
        }
        if !a.sources.isEmpty { lines.append((ja ? "由来: " : "from: ") + list(a.sources)) }
        if !a.uses.isEmpty { lines.append((ja ? "行き先: " : "to: ") + list(a.uses)) }
        return lines.joined(separator: "\n")
    }
}

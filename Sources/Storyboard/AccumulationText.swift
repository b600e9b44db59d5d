import Engine
import Trace

/// The arithmetic of a step that only adds into cells — col2im sending each entry of
/// `grad_cols` back to the cell it was copied from, grad_b's sums, the bias, average pooling:
/// every cell the step adds to, in the order the trace first adds to it, as the value it held
/// before the step, each contribution, and the value after.
///
/// The values before and after are the trace's states around the step, never worked back from
/// the contributions: a student who sees `dx_pad[0, 0, 0, 1] = 2 + -1 = 1` can check the 2 on
/// the frame before.
extension StepText {
    func accumulation(_ adds: [Event]) -> Arithmetic {
        guard !adds.isEmpty else { return Arithmetic(head: "") }
        var cells: [CellRef] = []
        var added: [CellRef: [Event]] = [:]
        for a in adds {
            let cell = CellRef(a.dst, Int(a.dstIndex))
            if added[cell] == nil { cells.append(cell) }
            added[cell, default: []].append(a)
        }
        let symbols = scene.options.symbols
        let before = symbols ? nil : trace.state(after: scene.step - 1)
        let held = symbols ? symbolsBefore(Set(cells)) : [:]
        func target(_ c: CellRef) -> String { name(c.tensor) + index(c.tensor, c.index) }
        func old(_ c: CellRef) -> String {
            guard let before else { return held[c] ?? "0" }
            return NumberFormat.cell(before.values[Int(c.tensor.rawValue)][c.index])
        }
        func contributions(_ c: CellRef) -> [String] {
            (added[c] ?? []).map { e in
                symbols && e.src != .none ? scene.board.symbols[e.src, Int(e.srcIndex)] : NumberFormat.cell(e.value)
            }
        }
        // As a sum of products does, the symbols view leaves the sum as it stands.
        func new(_ c: CellRef) -> String {
            symbols ? "" : " = " + NumberFormat.cell(scene.state.values[Int(c.tensor.rawValue)][c.index])
        }
        if cells.count == 1, let c = cells.first {
            // One cell (a grad_b sum): its contributions are the parts, so that a long sum is
            // shortened in its middle and still ends with its result.
            return Arithmetic(head: target(c) + " = ", parts: [old(c)] + contributions(c), tail: new(c))
        }
        // Several cells (col2im, the bias of several filters): one whole equation each, with no
        // heading, so that the four cells of a 2×2 window fit in two lines of 80 columns.
        return Arithmetic(head: "", parts: cells.map { c in
            target(c) + " = " + ([old(c)] + contributions(c)).joined(separator: " + ") + new(c)
        }, separator: "; ", keepsPartsWhole: true)
    }

    /// In the symbols view, what each cell held before this step: its symbol at the phase's
    /// start (nothing for a cell no step has written yet), then the symbol of every contribution
    /// an earlier step of the phase added to it, as the trace's events say; parenthesised where
    /// there are several, so that what this step adds stands apart. One pass over the phase.
    private func symbolsBefore(_ cells: Set<CellRef>) -> [CellRef: String] {
        var terms: [CellRef: [String]] = [:]
        for c in cells {
            let t = Int(c.tensor.rawValue)
            let written = scene.before.hits[t][c.index] > 0 || trace.tensors[t].origin == .given
            terms[c] = written ? [scene.board.symbols[c.tensor, c.index]] : []
        }
        let first = trace.phaseFirstStep[scene.phase]
        for s in first..<max(first, scene.step) {
            for e in trace.events(ofStep: s) where e.kind == .accumulate {
                let c = CellRef(e.dst, Int(e.dstIndex))
                guard terms[c] != nil else { continue }
                terms[c]?.append(e.src == .none ? NumberFormat.cell(e.value) : scene.board.symbols[e.src, Int(e.srcIndex)])
            }
        }
        return terms.mapValues { t in
            t.isEmpty ? "0" : t.count == 1 ? t[0] : "(" + t.joined(separator: " + ") + ")"
        }
    }
}

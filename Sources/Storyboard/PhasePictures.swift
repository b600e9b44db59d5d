import Engine
import Trace

/// What each phase kind draws beside its tensors, in one place: the picture of a phase is
/// its tensors (`TensorView.swift`) plus the panels listed here.
extension Scene {
    /// The panels of this phase's kind, as builders taking the room they may use.
    func phasePanels() -> [(Int, Int) -> Block] {
        let tensors = board.phaseTensors[phase]
        switch kind {
        case .col2im:
            guard let dst = tensors.last else { return [] }
            return [{ coverage(for: dst, maxWidth: $0, maxHeight: $1) }]
        case .routeSeedBug:
            guard let dst = tensors.last else { return [] }
            return [{ correctRouting(like: dst, maxWidth: $0, maxHeight: $1) }]
        case .bias, .gradB:
            return [{ broadcastFan(maxWidth: $0, maxHeight: $1) }]
        default:
            return []
        }
    }

    /// col2im's coverage: how many windows have added into each cell so far in this phase.
    func coverage(for t: TensorID, maxWidth: Int, maxHeight: Int) -> Block {
        let ti = Int(t.rawValue)
        let info = trace.tensors[ti]
        let counts = zip(state.hits[ti], before.hits[ti]).map { Int($0) - Int($1) }
        let spec = GridSpec(
            title: Words.windows(language), shape: info.shape,
            text: { String(counts[$0]) },
            mark: { counts[$0] > 1 ? (.accumulated, false) : (counts[$0] == 1 ? (.done, false) : nil) },
            focus: focus[t], axisNames: AxisLabels(info, layer: trace.layer).axes, language: language)
        return spec.block(maxWidth: maxWidth, maxHeight: maxHeight)
    }

    /// What the routing should have written by now: each row's gradient at its own argmax
    /// column only (`grad_x[np.arange(N), max_index] = grad.ravel()`), beside the seed's line.
    func correctRouting(like t: TensorID, maxWidth: Int, maxHeight: Int) -> Block {
        let shape = trace.tensors[Int(t.rawValue)].shape
        let width = shape.last ?? 1
        let write = events.first { $0.kind == .write }
        let row = write.map { Int($0.dstIndex) / max(1, width) } ?? 0
        let gradient = write.map { state.values[Int($0.src.rawValue)] } ?? []
        let argmax = board.argmaxColumn
        let spec = GridSpec(
            title: language == .ja ? "正しい配置" : "correct routing", shape: shape,
            text: { i in
                let r = i / max(1, width), c = i % max(1, width)
                guard r <= row, argmax[r] == c, r < gradient.count else { return "·" }
                return NumberFormat.cell(gradient[r])
            },
            mark: { i in
                let r = i / max(1, width), c = i % max(1, width)
                guard argmax[r] == c, r <= row else { return nil }
                return r == row ? (.dest, true) : (.done, false)
            },
            focus: row * width, language: language)
        return spec.block(maxWidth: maxWidth, maxHeight: maxHeight)
    }

    /// The article's figure of the bias broadcast as a small network: one bias fans out to every
    /// cell it is added to on the way forward, so on the way back every one of them flows into it.
    /// The legs are the phase's own events for that bias.
    func broadcastFan(maxWidth: Int, maxHeight: Int) -> Block {
        let adds = events.filter { $0.kind == .accumulate }
        guard let first = adds.first else { return Block(width: 1, height: 1) }
        let backward = kind == .gradB
        // Forward: the bias of this step's first addition and every cell the phase adds it to.
        // Backward: the cells that flow into this step's grad_b cell.
        let hub = backward ? name(first.dst) + index(first.dst, Int(first.dstIndex))
                           : name(first.src) + index(first.src, Int(first.srcIndex))
        let legs: [Event]
        if backward {
            legs = adds
        } else {
            let all = trace.events
            let next = phase + 1 < trace.phases.count ? trace.phaseFirstStep[phase + 1] : trace.stepCount
            let start = trace.stepStarts[trace.phaseFirstStep[phase]]
            let end = next < trace.stepCount ? trace.stepStarts[next] : all.count
            legs = all[start..<end].filter { $0.kind == .accumulate && $0.src == first.src && $0.srcIndex == first.srcIndex }
        }
        // Only the legs that are drawn are named.
        func leg(_ e: Event) -> String {
            backward ? name(e.src) + index(e.src, Int(e.srcIndex)) + " " + NumberFormat.cell(e.value)
                     : name(e.dst) + index(e.dst, Int(e.dstIndex))
        }
        let room = max(1, maxHeight - 1)
        let shown = legs.count > room
            ? legs.prefix(room - 1).map(leg) + ["… (\(legs.count - room + 1) more)"]
            : legs.map(leg)
        let legWidth = shown.map(DisplayWidth.of).max() ?? 1
        let hubWidth = DisplayWidth.of(hub)
        let width = min(maxWidth, legWidth + hubWidth + 6)
        var block = Block(width: max(1, width), height: shown.count + 1)
        block.put(language == .ja ? "ブロードキャスト" : "broadcast", row: 0, column: 0, role: .heading)
        let middle = (shown.count - 1) / 2
        for (k, leg) in shown.enumerated() {
            let corner: String
            // Box drawing; without UTF-8 the frame falls back through Frame.asciiLookAlike.
            if shown.count == 1 { corner = "─" }
            else if k == 0 { corner = backward ? "┐" : "┌" }
            else if k == shown.count - 1 { corner = backward ? "┘" : "└" }
            else { corner = k == middle ? "┼" : (backward ? "┤" : "├") }
            let arrow = "→"
            let row = k + 1
            if backward {
                block.put(leg, row: row, column: 0, role: .source)
                block.put(" " + "─" + corner, row: row, column: legWidth, role: .dim)
                if k == middle { block.put(arrow + " " + hub, row: row, column: legWidth + 3, role: .dest, bold: true) }
            } else {
                if k == middle { block.put(hub + " " + "─", row: row, column: 0, role: .source, bold: true) }
                block.put(corner + arrow + " ", row: row, column: hubWidth + 2, role: .dim)
                block.put(leg, row: row, column: hubWidth + 5, role: .dest)
            }
        }
        return block
    }

    private func name(_ t: TensorID) -> String { trace.tensors[Int(t.rawValue)].name }

    private func index(_ t: TensorID, _ i: Int) -> String {
        "[" + Tensor.unravel(i, shape: trace.tensors[Int(t.rawValue)].shape).map(String.init).joined(separator: ", ") + "]"
    }
}

import Engine
import Trace
import Lessons

/// One frame being composed: header, the phase's tensors as grids, the arithmetic of the cell
/// in focus, the code pane and the narration.
struct Scene {
    let board: Storyboard
    let position: Int
    let phase: Int
    let within: Int
    let options: ViewOptions
    let step: Int
    let state: TensorState
    let before: TensorState
    /// The state before this step (for an update: the value being replaced).
    let previous: TensorState
    let events: EventStore
    var marks: [TensorID: [Int: (Role, Bool)]] = [:]
    var focus: [TensorID: Int] = [:]
    /// Tensors shown in addition to the phase's own: the padded input beside pooling's rows,
    /// so that the winning cell and the routed gradient are seen where they are in the image.
    var extra: [TensorID] = []

    init(board: Storyboard, position: Int, phase: Int, within: Int, options: ViewOptions) {
        self.board = board
        self.position = position
        self.phase = phase
        self.within = within
        self.options = options
        step = board.visibleSteps[position]
        let trace = board.trace
        state = trace.state(after: step)
        before = trace.state(after: trace.phaseFirstStep[phase] - 1)
        previous = board.trace.phases[phase].kind == .update ? trace.state(after: step - 1) : before
        events = trace.events(ofStep: step)
        collectMarks()
        markPoolingInput()
    }

    private mutating func markPoolingInput() {
        let kinds: [PhaseKind] = [.argmax, .poolMean, .route, .routeSeedBug]
        guard board.lesson.scenario.operation == .pool, kinds.contains(kind),
              let xpad = trace.tensor(named: "x_pad", atStep: step) else { return }
        let shape = trace.tensors[Int(xpad.rawValue)].shape
        let g = board.geometry
        let window = g.FH * g.FW
        extra = [xpad]
        for e in events {
            let (flat, role): (Int32, Role)
            switch e.kind {
            case .argmax: (flat, role) = (e.srcIndex, .argmax)
            case .write where kind == .route || kind == .routeSeedBug: (flat, role) = (e.dstIndex, .dest)
            case .accumulate where kind == .poolMean: (flat, role) = (e.srcIndex, .window)
            default: continue
            }
            guard flat >= 0, window > 0,
                  let cell = g.poolInputCell(row: Int(flat) / window, k: Int(flat) % window,
                                             paddedShape: shape, stride: board.lesson.scenario.stride)
            else { continue }
            if marks[xpad]?[cell] == nil { marks[xpad, default: [:]][cell] = (role, true) }
            if focus[xpad] == nil { focus[xpad] = cell }
        }
    }

    var trace: Trace { board.trace }
    var language: Language { options.language }
    var kind: PhaseKind { trace.phases[phase].kind }

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
            if focus[t] == nil { focus[t] = Int(i) }
        }
        // A reshape or transpose follows one element of its own choosing (see `followed`).
        let derives = events.contains { $0.kind == .derive }
        for e in events {
            switch e.kind {
            case .step where !derives:
                set(e.dst, e.dstIndex, .dest, bold: true)
                set(e.src, e.srcIndex, .source, bold: true)
            case .step:
                break
            case .write, .accumulate:
                set(e.dst, e.dstIndex, .dest)
                set(e.src, e.srcIndex, .source)
            case .term:
                set(e.src, e.srcIndex, .window)
                set(e.dst, e.dstIndex, .window)
            case .argmax:
                set(e.src, e.srcIndex, .argmax, bold: true)
            case .derive:
                let (s, d) = followed(e)
                set(e.src, Int32(s), .source, bold: true)
                set(e.dst, Int32(d), .dest, bold: true)
            case .phase:
                break
            }
        }
    }

    /// The element a reshape or transpose step follows: its index before and after.
    func followed(_ e: Event) -> (Int, Int) {
        let info = trace.tensors[Int(e.dst.rawValue)]
        let count = info.shape.reduce(1, *)
        let stepEvent = events.first { $0.kind == .step }
        var d = Int(stepEvent?.dstIndex ?? -1)
        // Follow an element from the middle: the first one never moves and teaches nothing.
        if d <= 0 || d >= count || stepEvent?.dst != e.dst { d = count / 2 }
        switch info.origin {
        case .transpose(let src, let axes):
            let shape = trace.tensors[Int(src.rawValue)].shape
            return (Tensor.sourceIndex(ofTransposed: d, shape: shape, axes: axes), d)
        default:
            return (d, d)
        }
    }

    func cellText(_ t: TensorID, _ i: Int) -> String {
        let ti = Int(t.rawValue)
        let info = trace.tensors[ti]
        if info.origin == .zeros, state.hits[ti][i] == 0, !isPaddingTensor(info) {
            return options.asciiOnly ? "." : "·"
        }
        return options.symbols ? board.symbols[t, i] : NumberFormat.cell(state.values[ti][i])
    }

    func isPaddingTensor(_ info: TensorInfo) -> Bool { info.name.hasSuffix("_pad") }

    func grid(for t: TensorID, maxWidth: Int, maxHeight: Int) -> Block {
        let ti = Int(t.rawValue)
        let info = trace.tensors[ti]
        let axes = board.geometry.axes(name: info.name, shape: info.shape)
        let m = marks[t] ?? [:]
        let hitsNow = state.hits[ti], hitsBefore = before.hits[ti]
        let accumulating = kind == .col2im || kind == .gradB || kind == .bias
        let geometry = board.geometry
        let padded = isPaddingTensor(info)
        let spec = GridSpec(
            title: info.name, legend: axes.legend,
            shape: info.shape,
            text: { cellText(t, $0) },
            mark: { i in
                if let r = m[i] { return r }
                let fresh = Int(hitsNow[i]) - Int(hitsBefore[i])
                if accumulating, fresh > 1 { return (.accumulated, false) }
                if fresh > 0 { return (.done, false) }
                if padded, geometry.isPadding(i, shape: info.shape) { return (.padding, false) }
                return nil
            },
            focus: focus[t],
            rowLabel: axes.row, columnLabel: axes.column, asciiOnly: options.asciiOnly,
            axisNames: board.axisNames[ti])
        return slices(of: spec, marked: Array(m.keys), maxWidth: maxWidth, maxHeight: maxHeight)
    }

    /// A rank-4 tensor shows one 2-D slice per (batch item, channel). Several channels are
    /// read together by a filter window, so every slice this step touches is drawn side by
    /// side (the focus first), as many as fit; the rest are named in a `+N` note.
    func slices(of spec: GridSpec, marked: [Int], maxWidth: Int, maxHeight: Int) -> Block {
        let shape = spec.shape
        let per = shape.count >= 3 ? max(1, shape[shape.count - 2] * shape[shape.count - 1]) : 1
        let total = shape.count >= 3 ? shape.reduce(1, *) / per : 1
        guard total > 1 else { return spec.block(maxWidth: maxWidth, maxHeight: maxHeight) }
        var wanted: [Int] = []
        if let f = spec.focus { wanted.append(f / per) }
        for i in marked.sorted() where !wanted.contains(i / per) { wanted.append(i / per) }
        // Where at most one cell is marked (an input shown whole, one output cell), the
        // neighbouring slices give context.
        if marked.count <= 1 {
            let start = wanted.first ?? 0
            for k in start..<min(total, start + 4) where !wanted.contains(k) { wanted.append(k) }
        }
        if wanted.isEmpty { wanted = [0] }
        let gap = 2
        // One heading for the tensor, then each slice under its own `[b=…,c=…]` label.
        let headingRows = 1
        var blocks: [Block] = []
        var used = 0
        for slice in wanted {
            var one = spec
            one.title = ""
            one.legend = ""
            one.focus = spec.focus.flatMap { $0 / per == slice ? $0 : nil }
                ?? marked.filter { $0 / per == slice }.min() ?? slice * per
            let b = one.block(maxWidth: maxWidth - used - (blocks.isEmpty ? 0 : gap), maxHeight: maxHeight - headingRows)
            if !blocks.isEmpty, used + gap + b.width > maxWidth { break }
            used += (blocks.isEmpty ? 0 : gap) + b.width
            blocks.append(b)
        }
        let hidden = total - blocks.count
        var heading = spec.title + "  " + shapeText(shape) + (spec.legend.isEmpty ? "" : "  " + spec.legend)
        if hidden > 0 { heading += language == .ja ? "  (他\(hidden)枚)" : "  (+\(hidden) more)" }
        let body = Block.beside(blocks, gap: gap)
        let width = min(maxWidth, max(body.width, DisplayWidth.of(heading)))
        var out = Block(width: max(1, width), height: body.height + headingRows)
        out.put(DisplayWidth.truncate(heading, to: width), row: 0, column: 0, role: .heading)
        for r in 0..<body.height { for c in 0..<min(width, body.width) { out.cells[r + headingRows][c] = body.cells[r][c] } }
        return out
    }

    func draw(into frame: inout Frame) {
        let W = frame.size.width, H = frame.size.height
        let rule = String(repeating: options.asciiOnly ? "-" : "─", count: W)
        // Header.
        let lang = language.rawValue
        let left = (options.asciiOnly ? "Tatami" : "畳 Tatami") + " · " + board.lesson.title.text(lang)
        let right = board.passLabel(phase: phase, language: language)
        frame.put(left, row: 0, column: 0, role: .heading, bold: true, maxWidth: max(0, W - DisplayWidth.of(right) - 2))
        frame.put(right, row: 0, column: max(0, W - DisplayWidth.of(right)), role: .dim)
        let phaseIndex = board.phaseIndex(ofStep: position)
        let phaseTitle = PhaseText.title(kind, language)
        let count = board.trace.phaseFirstStep.indices.contains(phase + 1)
            ? trace.phaseFirstStep[phase + 1] - trace.phaseFirstStep[phase]
            : trace.stepCount - trace.phaseFirstStep[phase]
        let where_ = "\(Words.phase(language)) \(phaseIndex + 1)/\(board.phases.count) · \(Words.step(language)) \(within)/\(count)"
        frame.put(phaseTitle, row: 1, column: 0, role: .heading, bold: true, maxWidth: max(0, W - DisplayWidth.of(where_) - 2))
        frame.put(where_, row: 1, column: max(0, W - DisplayWidth.of(where_)), role: .dim)
        frame.put(rule, row: 2, column: 0, role: .dim)

        // The panes under the grids have fixed heights; the narration takes what the grids
        // leave, and the grids are planned first with room kept for a few narration lines.
        var said = board.narration(phase: phase, within: within, language: language)
        if let q = board.questionAsked(before: position) {
            said = (language == .ja ? "答え: " : "Answer: ") + q.answer.text(lang) + "\n" + said
        }
        let narration = wrap(said, width: W)
        let roomy = H >= 28
        let code = options.showCode ? board.codeWindow(current: trace.phases[phase].code, lines: roomy ? 3 : 1) : []
        let arithmetic = Array(wrap(StepText(scene: self).line(), width: W).prefix(roomy ? 2 : 1))
        let fixed = arithmetic.count + 1 + (options.showCode ? code.count + 1 : 0)
        let keep = min(narration.count, roomy ? 3 : 2)
        let plan = planGrids(height: H - 3 - fixed - keep - 1, width: W)
        let room = max(keep, H - 3 - fixed - (plan.height > 0 ? plan.height + 1 : 0))
        var narrationLines = Array(narration.prefix(room))
        if narration.count > room, let last = narrationLines.popLast() {
            // Say that the narration goes on rather than cutting it silently.
            narrationLines.append(DisplayWidth.truncate(last + (options.asciiOnly ? " ..." : " …"), to: W))
        }

        var bottom = H - narrationLines.count
        for (k, line) in narrationLines.enumerated() {
            frame.put(line, row: bottom + k, column: 0, role: .narration)
        }
        if options.showCode {
            bottom -= 1
            frame.put(rule, row: bottom, column: 0, role: .dim)
            bottom -= code.count
            for (k, line) in code.enumerated() {
                let marker = line.current ? (options.asciiOnly ? "> " : "▶ ") : "  "
                frame.put(marker + line.text, row: bottom + k, column: 0,
                          role: line.current ? .code : .dim, bold: line.current)
            }
        }
        bottom -= 1
        frame.put(rule, row: bottom, column: 0, role: .dim)
        bottom -= arithmetic.count
        for (k, line) in arithmetic.enumerated() {
            frame.put(line, row: bottom + k, column: 0, role: .plain, bold: true)
        }
        drawGrids(plan, into: &frame, top: 3, bottom: bottom - 1)
    }

    /// Grids arranged in bands, and the height they take.
    struct GridPlan {
        var rows: [[Block]] = []
        var height = 0
    }

    private func drawGrids(_ plan: GridPlan, into frame: inout Frame, top: Int, bottom: Int) {
        var y = top
        for row in plan.rows where y < bottom {
            var x = 0
            for b in row {
                b.draw(into: &frame, row: y, column: x, maxRows: bottom - y, ellipsis: options.asciiOnly ? "..." : "…")
                x += b.width + 3
            }
            y += (row.map(\.height).max() ?? 0) + 1
        }
    }

    private func planGrids(height: Int, width: Int) -> GridPlan {
        let tensors = extra + board.phaseTensors[phase].filter { !extra.contains($0) }
        guard height > 2, !tensors.isEmpty else { return GridPlan() }
        var builders: [(Int, Int) -> Block] = tensors.map { t in { grid(for: t, maxWidth: $0, maxHeight: $1) } }
        if kind == .col2im, let dst = tensors.last {
            builders.append { coverage(for: dst, maxWidth: $0, maxHeight: $1) }
        }
        if kind == .routeSeedBug, let dst = board.phaseTensors[phase].last {
            builders.append { correctRouting(like: dst, maxWidth: $0, maxHeight: $1) }
        }
        if kind == .bias || kind == .gradB {
            builders.append { broadcastFan(maxWidth: $0, maxHeight: $1) }
        }
        let gap = 3
        // Grids are packed left to right and wrap into bands. While the bands overflow the
        // height, the tallest grid is asked to elide rows; when nothing more can give, the
        // least overflowing arrangement is drawn, clipped at the area's edge.
        var limits = [Int](repeating: height, count: builders.count)
        var best: (rows: [[Block]], overflow: Int)?
        for _ in 0..<(2 * builders.count + 2) {
            let blocks = builders.indices.map { builders[$0](width, limits[$0]) }
            var rows: [[Block]] = [[]]
            var x = 0
            for b in blocks {
                if !rows[rows.count - 1].isEmpty, x + gap + b.width > width {
                    rows.append([])
                    x = 0
                }
                x += (rows[rows.count - 1].isEmpty ? 0 : gap) + b.width
                rows[rows.count - 1].append(b)
            }
            let total = rows.reduce(0) { $0 + ($1.map(\.height).max() ?? 0) } + rows.count - 1
            let overflow = total - height
            if best == nil || overflow < best!.overflow { best = (rows, overflow) }
            guard overflow > 0, let tallest = blocks.indices.max(by: { blocks[$0].height < blocks[$1].height }),
                  blocks[tallest].height > 3 else { break }
            limits[tallest] = max(3, blocks[tallest].height - overflow)
        }
        guard let best else { return GridPlan() }
        let used = best.rows.reduce(0) { $0 + ($1.map(\.height).max() ?? 0) } + best.rows.count - 1
        return GridPlan(rows: best.rows, height: min(height, used))
    }
}

/// Breaks text into lines of at most `width` columns: at spaces where there are any, anywhere
/// in Japanese (which has no spaces between words).
func wrap(_ text: String, width: Int) -> [String] {
    guard width > 1 else { return [] }
    let closing: Set<Character> = ["。", "、", "，", "．", "）", "」", "』", "】", "！", "？", "：", "；", "ー", ")", ",", "."]
    var lines: [String] = []
    for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
        var line = ""
        var w = 0
        for ch in paragraph {
            let cw = DisplayWidth.of(ch)
            if w + cw > width {
                if let space = line.lastIndex(of: " "), cw == 1, ch != " " {
                    let rest = String(line[line.index(after: space)...])
                    lines.append(String(line[..<space]))
                    line = rest
                    w = DisplayWidth.of(rest)
                } else if closing.contains(ch), let last = line.popLast() {
                    // Japanese never starts a line with closing punctuation: carry the
                    // character before it over as well.
                    lines.append(line)
                    line = String(last)
                    w = DisplayWidth.of(last)
                } else {
                    lines.append(line)
                    line = ""
                    w = 0
                }
                if ch == " " { continue }
            }
            line.append(ch)
            w += cw
        }
        lines.append(line)
    }
    return lines
}

import Engine
import Trace
import Lessons

/// The arithmetic of the step in focus, in one line: the sum of products that made a cell, the
/// values a copy moved, what a reshape did to one element. Always on screen.
struct StepText {
    let scene: Scene

    var trace: Trace { scene.trace }
    private var arrow: String { scene.options.asciiOnly ? "->" : "→" }
    private var dot: String { scene.options.asciiOnly ? "*" : "·" }

    func name(_ t: TensorID) -> String { trace.tensors[Int(t.rawValue)].name }

    func index(_ t: TensorID, _ i: Int) -> String {
        let shape = trace.tensors[Int(t.rawValue)].shape
        return "[" + Tensor.unravel(i, shape: shape).map(String.init).joined(separator: ", ") + "]"
    }

    func value(_ t: TensorID, _ i: Int, _ state: TensorState) -> String {
        scene.options.symbols ? scene.board.symbols[t, i] : NumberFormat.cell(state.values[Int(t.rawValue)][i])
    }

    /// The step's arithmetic, in parts that `Arithmetic.lines` fits to the screen.
    func arithmetic() -> Arithmetic {
        let events = Array(scene.events)
        let terms = events.filter { $0.kind == .term }
        let writes = events.filter { $0.kind == .write }
        let adds = events.filter { $0.kind == .accumulate }
        if scene.movement != nil || events.contains(where: { $0.kind == .argmax }) {
            return Arithmetic(head: line())
        }
        if !terms.isEmpty, let result = (writes + adds).last { return sum(terms, result) }
        if scene.kind != .update, writes.count > 1 { return many(writes, op: "←") }
        if writes.isEmpty, !adds.isEmpty { return accumulation(adds) }
        return Arithmetic(head: line())
    }

    /// The arithmetic as one line of text, whole.
    func line() -> String {
        let events = Array(scene.events)
        let terms = events.filter { $0.kind == .term }
        let writes = events.filter { $0.kind == .write }
        let adds = events.filter { $0.kind == .accumulate }
        if let movement = scene.movement, let s = scene.stepEvent, s.dst == movement.result {
            return deriveLine(movement, whole: events.contains { $0.kind == .derive })
        }
        if let arg = events.first(where: { $0.kind == .argmax }) { return argmaxLine(arg) }
        if !terms.isEmpty, let result = (writes + adds).last { return sumLine(terms, result) }
        if scene.kind == .update, let w = writes.last { return copyLine(w) }
        if writes.count == 1, let w = writes.first { return copyLine(w) }
        if !writes.isEmpty { return manyLine(writes, op: "←") }
        if !adds.isEmpty { return accumulation(adds).text }
        if let s = events.first, s.dst != .none, s.dstIndex >= 0 {
            let t = s.dst, i = Int(s.dstIndex)
            return "\(name(t))\(index(t, i)) = \(value(t, i, scene.state))"
        }
        return ""
    }

    /// `a = 1·W + 2·X + 5·Y + 6·Z` (symbols) or `out[0, 0, 0, 0] = 1·1 + 2·10 + … = 6521`.
    private func sum(_ terms: [Event], _ result: Event) -> Arithmetic {
        let st = scene.state
        let parts = terms.map { value($0.src, Int($0.srcIndex), st) + dot + value($0.dst, Int($0.dstIndex), st) }
        let target = Int(result.dstIndex)
        let lhs = scene.options.symbols
            ? scene.board.symbols[result.dst, target]
            : name(result.dst) + index(result.dst, target)
        if result.kind == .accumulate { return Arithmetic(head: lhs + " += ", parts: parts) }
        return Arithmetic(head: lhs + " = ", parts: parts,
                          tail: scene.options.symbols ? "" : " = " + NumberFormat.cell(result.value))
    }

    private func sumLine(_ terms: [Event], _ result: Event) -> String { sum(terms, result).text }

    private func copyLine(_ w: Event) -> String {
        let st = scene.state
        let d = Int(w.dstIndex)
        var text = name(w.dst) + index(w.dst, d) + " = "
        if w.src != .none {
            let s = Int(w.srcIndex)
            text = name(w.dst) + index(w.dst, d) + " ← " + name(w.src) + index(w.src, s) + " = "
        }
        if w.src != .none, let special = elementwise(w, d) { return special }
        return text + value(w.dst, d, st)
    }

    /// Activation, its derivative and the update write one element from another: show the
    /// function between them rather than a bare copy.
    private func elementwise(_ w: Event, _ d: Int) -> String? {
        let s = Int(w.srcIndex)
        let target = name(w.dst) + index(w.dst, d)
        let input = NumberFormat.cell(scene.state.values[Int(w.src.rawValue)][s])
        let result = NumberFormat.cell(w.value)
        switch scene.kind {
        case .activation:
            return "\(target) = \(activationName)(\(input)) = \(result)"
        case .dactivation:
            let g = scene.state.values[Int(w.src.rawValue)][s]
            let derivative = g == 0 ? "f′(u)" : NumberFormat.cell(w.value / g)
            return "\(target) = grad\(dot)f′(u) = \(input)\(dot)\(derivative) = \(result)"
        case .update:
            let old = NumberFormat.cell(scene.previous.values[Int(w.dst.rawValue)][d])
            let grad = name(w.src) + index(w.src, s)
            // The parameter's own letter: the bias update is b − lr·grad_b, not w − ….
            let p = trace.tensors[Int(w.dst.rawValue)].role == .bias ? "b" : "w"
            let lrWord = scene.language == .ja ? "学習率" : "lr"
            switch trace.layer.optimizer ?? .defaultSGD {
            case .sgd(let lr):
                return "\(target) = \(old) − \(NumberFormat.cell(lr))\(dot)\(input) = \(result)   (\(p) − \(lrWord)\(dot)\(grad))"
            case .adam(let lr, let beta1, let beta2, _):
                return adamLine(target: target, old: old, lr: lr, betas: (beta1, beta2), result: result) ?? "\(target) = \(result)"
            }
                default:
            return nil
        }
    }

    /// The activation's name as the lesson's language writes it.
    private var activationName: String {
        let a = trace.layer.activation ?? .identity
        guard scene.language == .ja else { return a.rawValue }
        switch a {
        case .identity: return "恒等関数"
        case .relu: return "ReLU"
        case .sigmoid: return "シグモイド"
        case .tanh: return "tanh"
        }
    }

    /// Adam in the one form the caption, the code line and the values share:
    /// `w − lr·m̂/(√v̂ + ε)`, with m̂ and v̂ as numbers, each from the m and v this step wrote.
    /// A trace holds one update, the optimizer's first step (t = 1), so the bias corrections
    /// divide by 1 − β1 and 1 − β2.
    private func adamLine(target: String, old: String, lr: Double, betas: (Double, Double), result: String) -> String? {
        let writes = scene.events.filter { $0.kind == .write }
        guard writes.count >= 3 else { return nil }
        let (m, v) = (writes[writes.count - 3].value, writes[writes.count - 2].value)
        let (mHat, vHat) = (m / (1 - betas.0), v / (1 - betas.1))
        let f = NumberFormat.cell
        let head = "\(target) = \(old) − \(f(lr))\(dot)m̂/(√v̂ + ε) = \(old) − \(f(lr))\(dot)\(f(mHat))/(√\(f(vHat)) + ε) = \(result)"
        let mPart = "m̂ = \(f(m))/(1 − \(f(betas.0))) = \(f(mHat))"
        let vPart = "v̂ = \(f(v))/(1 − \(f(betas.1))) = \(f(vHat))"
        return scene.language == .ja ? "\(head)   （Adam、\(mPart)、\(vPart)）" : "\(head)   (Adam: \(mPart), \(vPart))"
    }

    /// A step that moves many values: name both tensors and show the first few values.
    private func many(_ moves: [Event], op: String) -> Arithmetic {
        guard let first = moves.first else { return Arithmetic(head: "") }
        let source = first.src == .none ? "" : " " + name(first.src)
        let count = scene.language == .ja ? "\(moves.count)個の値" : "\(moves.count) values"
        return Arithmetic(head: "\(name(first.dst)) \(op)\(source): \(count): ",
                          parts: moves.map { NumberFormat.cell($0.value) }, separator: " ")
    }

    private func manyLine(_ moves: [Event], op: String) -> String { many(moves, op: op).text }

    private func argmaxLine(_ e: Event) -> String {
        let shape = trace.tensors[Int(e.src.rawValue)].shape
        let width = shape.last ?? 1
        let s = Int(e.srcIndex)
        let row = s / max(1, width), column = s % max(1, width)
        if scene.language == .ja {
            return "\(name(e.src)) の行 \(row) の最大値 = \(NumberFormat.cell(e.value))、インデックス \(column)"
        }
        return "max of \(name(e.src)) row \(row) = \(NumberFormat.cell(e.value)) at column \(column)"
    }

    /// The element the engine chose to follow through a reshape or transpose, before and after.
    /// `u (2, 8) → .reshape(2, 2, 2, 2) → u (2, 2, 2, 2);` then the whole movement (the first
    /// step) or the element in focus with its index before and after.
    private func deriveLine(_ movement: Movement, whole: Bool) -> String {
        let src = trace.tensors[Int(movement.source.rawValue)], dst = trace.tensors[Int(movement.result.rawValue)]
        let op: String
        switch dst.origin {
        case .transpose(_, let axes): op = ".transpose(" + axes.map(String.init).joined(separator: ", ") + ")"
        default: op = ".reshape(" + dst.shape.map(String.init).joined(separator: ", ") + ")"
        }
        let head = "\(src.name) \(shapeText(src.shape)) \(arrow) \(op) \(arrow) \(dst.name) \(shapeText(dst.shape));  "
        guard !whole, let s = scene.stepEvent, s.dstIndex >= 0 else {
            let count = dst.shape.reduce(1, *)
            let tinted = movement.tint(movement.result, 0) != nil
            switch scene.language {
            case .ja: return head + "全 \(count) 要素" + (tinted ? "。色はブロックごとの行き先です" : "")
            case .en: return head + "all \(count) elements" + (tinted ? "; each colour follows one block" : "")
            }
        }
        let d = Int(s.dstIndex), from = Int(s.srcIndex)
        let element = Words.element(scene.language)
        return head + "\(element) \(value(s.dst, d, scene.state)): \(index(s.src, from)) \(arrow) \(index(s.dst, d))"
    }
}

extension Storyboard {
    /// "convolution · forward" (or backward, update): the layer and the phase's pass, from the trace.
    func passLabel(phase: Int, language: Language) -> String {
        let op = trace.layer.operation == .conv ? Words.conv(language) : Words.pool(language)
        let pass: String
        switch trace.phases[phase].pass {
        case .forward: pass = Words.forward(language)
        case .backward: pass = Words.backward(language)
        case .update: pass = Words.update(language)
        }
        return op + " · " + pass
    }

    /// The narration of the shown step `position`: at the lesson's first step the lesson's
    /// summary comes first, so that a student knows what the lesson is about.
    func narration(at position: Int, phase: Int, within: Int, language: Language) -> String {
        let said = narration(phase: phase, within: within, language: language)
        let summary = script.summary.text(language.rawValue)
        return position == 0 && !summary.isEmpty ? summary + "\n" + said : said
    }

    /// The lesson's narration for this step, or for the phase, or the default for the phase kind.
    func narration(phase: Int, within: Int, language: Language) -> String {
        if let n = script.note(for: ref(phase), step: within) { return n.text.text(language.rawValue) }
        if let n = script.note(for: ref(phase), step: nil) { return n.text.text(language.rawValue) }
        return PhaseText.narration(trace.phases[phase], layer: trace.layer, language)
    }

    /// The code lines around the current one, the current one marked.
    func codeWindow(current: CodeLine, lines: Int) -> [(code: CodeLine, current: Bool)] {
        guard let at = codeLines.firstIndex(of: current) else {
            return current.text.isEmpty ? [] : [(current, true)]
        }
        let start = max(0, min(at - lines / 2, codeLines.count - lines))
        let end = min(codeLines.count, start + lines)
        return (start..<end).map { (codeLines[$0], $0 == at) }
    }
}

/// A line of arithmetic in parts — `head`, the parts joined by `separator`, `tail` (the
/// result) — so that it can be fitted to the screen without losing either end.
struct Arithmetic {
    var head: String
    var parts: [String] = []
    var separator = " + "
    var tail = ""
    /// Break lines only between parts where a part fits on a line: each part is a whole
    /// equation of its own (`dx_pad[0, 0, 1, 1] = 4 + -3 = 1`), unreadable split at its index.
    var keepsPartsWhole = false

    var text: String { head + parts.joined(separator: separator) + tail }

    /// `text` broken into lines of `width`, between parts where `keepsPartsWhole` asks for it;
    /// the lines joined by spaces give `text` back.
    private func wrap(_ shown: [String], width: Int) -> [String] {
        let whole = head + shown.joined(separator: separator) + tail
        guard keepsPartsWhole, separator.hasSuffix(" "), !shown.isEmpty else { return TextWrap.lines(whole, width: width) }
        let glue = String(separator.dropLast())
        var units = shown.enumerated().map { $0.element + ($0.offset < shown.count - 1 ? glue : tail) }
        units[0] = head + units[0]
        var lines: [String] = []
        var line = ""
        for unit in units {
            if line.isEmpty { line = unit } else if DisplayWidth.of(line) + 1 + DisplayWidth.of(unit) <= width {
                line += " " + unit
            } else {
                lines.append(line)
                line = unit
            }
            // A part wider than the screen is wrapped by the common rule, and the next goes on.
            if DisplayWidth.of(line) > width {
                let pieces = TextWrap.lines(line, width: width)
                lines += pieces.dropLast()
                line = pieces.last ?? ""
            }
        }
        return lines + [line]
    }

    /// At most `maxLines` lines of `width` columns: every part where they fit; otherwise the
    /// first ones and a count of those left out. The head and the tail are always there.
    func lines(width: Int, maxLines: Int, language: Language) -> [String] {
        func wrapped(_ kept: Int) -> [String] {
            var shown = Array(parts.prefix(kept))
            if kept < parts.count {
                let left = parts.count - kept
                shown.append(language == .ja ? "…(他\(left)項)" : "…(\(left) more)")
            }
            return wrap(shown, width: width)
        }
        let all = wrapped(parts.count)
        if all.count <= maxLines { return all }
        // The most leading parts that still fit.
        var lo = 0, hi = parts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if wrapped(mid).count <= maxLines { lo = mid } else { hi = mid - 1 }
        }
        let best = wrapped(lo)
        if best.count <= maxLines { return best }
        // Even the head and the tail alone do not fit: cut visibly.
        var cut = Array(best.prefix(maxLines))
        if let last = cut.popLast() { cut.append(DisplayWidth.truncate(last + "…", to: width)) }
        return cut
    }
}

import Engine

/// The arithmetic of a step, in words, read from its events and the versions they touched.
extension Lineage {
    /// A cell as the trace names it: `u[0, 4]`, the index in the tensor's own shape.
    public func name(of cell: CellRef) -> String {
        let info = trace.tensors[Int(cell.tensor.rawValue)]
        return info.name + "[" + Tensor.unravel(cell.index, shape: info.shape).map(String.init).joined(separator: ", ") + "]"
    }

    /// A value as the text shows it: whole numbers without a decimal point, others with the
    /// fewest digits that read back to the same double.
    public static func number(_ v: Double) -> String {
        if v.isNaN { return "nan" }
        if v.isInfinite { return v > 0 ? "inf" : "-inf" }
        if v == v.rounded(), abs(v) < 1e15 { return v == 0 && v.sign == .minus ? "-0" : String(Int(v)) }
        return "\(v)"
    }

    /// The value a cell held just before event `e`.
    private func value(of cell: CellRef, before e: Int) -> Double {
        value(ofNode: version(of: cell, before: e))
    }

    private func named(_ cell: CellRef, before e: Int) -> String {
        name(of: cell) + " = " + Self.number(value(of: cell, before: e))
    }

    /// Terms and reads shown in full up to this many; longer lists keep their ends.
    static let shownTerms = 12

    private static func elide(_ parts: [String]) -> String {
        guard parts.count > shownTerms else { return parts.joined(separator: " + ") }
        return (parts.prefix(shownTerms - 3) + ["…"] + parts.suffix(2)).joined(separator: " + ")
            + " (\(parts.count) terms)"
    }

    func describe(event i: Int) -> LineageStep {
        let s = step(ofEvent: i)
        let phase = trace.phases[trace.stepPhase[s]].kind
        let e = trace.events[i]
        let dst = CellRef(e.dst, Int(e.dstIndex))
        let after = Self.number(valueAfter[i])
        var terms: [String] = [], reads: [(CellRef, Double)] = []
        var argmax: CellRef?
        var stands: [CellRef: CellRef] = [:]
        var earlierWrites: [String] = []
        for k in trace.events(ofStep: s).indices {
            let x = trace.events[k]
            switch x.kind {
            case .term:
                let a = CellRef(x.src, Int(x.srcIndex)), b = CellRef(x.dst, Int(x.dstIndex))
                terms.append(Self.number(value(of: a, before: k)) + "·" + Self.number(value(of: b, before: k)))
            case .read:
                let a = CellRef(x.src, Int(x.srcIndex))
                reads.append((a, value(of: a, before: k)))
            case .argmax:
                argmax = CellRef(x.src, Int(x.srcIndex))
            case .link:
                stands[CellRef(x.dst, Int(x.dstIndex))] = CellRef(x.src, Int(x.srcIndex))
            case .write where k < i && phase == .update:
                earlierWrites.append(name(of: CellRef(x.dst, Int(x.dstIndex))) + " = " + Self.number(x.value))
            default:
                break
            }
        }
        let target = name(of: dst)
        let source = e.src == .none ? nil : CellRef(e.src, Int(e.srcIndex))
        var text: String
        if e.kind == .accumulate {
            let before = Self.number(valueAfter[i] - e.value)
            let from = source.map { " from " + named($0, before: i) } ?? ""
            text = "\(target) += \(Self.number(e.value))\(from): \(before) + \(Self.number(e.value)) = \(after)"
        } else if !terms.isEmpty {
            text = "\(target) = \(Self.elide(terms)) = \(after)"
        } else if let argmax, !reads.isEmpty {
            let window = reads.map { c, v in
                name(of: c) + (stands[c].map { " (" + name(of: $0) + ")" } ?? "") + " = " + Self.number(v)
            }
            let list = window.count > Self.shownTerms
                ? (window.prefix(Self.shownTerms - 3) + ["…"] + window.suffix(2)).joined(separator: ", ")
                : window.joined(separator: ", ")
            let winner = name(of: argmax) + (stands[argmax].map { " (" + name(of: $0) + ")" } ?? "")
            if e.dst == firstArgmaxDestination(ofStep: s) {
                text = "\(target) = max(\(list)) = \(after), the maximum at \(winner)"
            } else {
                text = "\(target) = \(after): the column of the maximum \(winner) in its row (\(list))"
            }
        } else if let source {
            let was = value(of: source, before: i)
            if phase == .update {
                let old = Self.number(value(of: dst, before: i))
                let also = earlierWrites.isEmpty ? "" : ", " + earlierWrites.joined(separator: ", ")
                text = "\(target) = \(after): was \(old), gradient \(named(source, before: i))\(also)"
            } else if was.bitPattern == valueAfter[i].bitPattern {
                text = "\(target) = \(named(source, before: i))"
            } else {
                text = "\(target) = \(after), from \(named(source, before: i)) (\(phase.rawValue))"
            }
        } else {
            text = "\(target) = \(after)"
        }
        if let cell = stands[dst], reads.isEmpty {
            text += ", for " + name(of: cell)
        }
        return LineageStep(step: s, phase: phase, text: text)
    }

    /// The tensor the step's `argmax` event writes the maximum into.
    private func firstArgmaxDestination(ofStep s: Int) -> TensorID? {
        trace.events(ofStep: s).first { $0.kind == .argmax }?.dst
    }

    func describeDerive(_ target: CellRef, from source: Int) -> LineageStep {
        let t = Int(target.tensor.rawValue)
        let e = deriveEvent[t]
        let s = step(ofEvent: e)
        let how: String
        switch trace.tensors[t].origin {
        case .transpose(_, let perm): how = "transpose(" + perm.map(String.init).joined(separator: ", ") + ")"
        default: how = "reshape" + "(" + trace.tensors[t].shape.map(String.init).joined(separator: ", ") + ")"
        }
        let from = cell(ofNode: source)
        return LineageStep(step: s, phase: trace.phases[trace.stepPhase[s]].kind,
                           text: "\(name(of: target)) = \(name(of: from)) = \(Self.number(value(ofNode: source))) (\(how))")
    }
}

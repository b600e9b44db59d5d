import Engine

/// One cell of one tensor of a trace: the tensor's id and a flat, row-major index into its shape.
public struct CellRef: Hashable, Sendable, Comparable {
    public var tensor: TensorID
    public var index: Int

    public init(_ tensor: TensorID, _ index: Int) {
        self.tensor = tensor
        self.index = index
    }

    public static func < (a: CellRef, b: CellRef) -> Bool {
        (a.tensor, a.index) < (b.tensor, b.index)
    }
}

/// Where the values of a trace come from and where they go, read from its events alone.
///
/// **What "depends" means here: data flow.** A value depends on the cells its computation
/// consumed, as the events name them: the `src` of a `write` or `accumulate`, both factors of
/// every `term` of the step that computed it, every cell a `read` names in its step (a maximum
/// depends on the whole row it compared), and for a `derive` the one source cell each result
/// cell is a copy of (the derive step's `link`s when it has them, else the reshape's same flat
/// index or the transpose's permuted index). An `accumulate` also depends on what the cell held
/// before, and so does a write of the `update` phase (`param ← param − lr·g`, Adam's `m` and `v`),
/// which also depends on what the same step wrote before it. A `link` outside a derive says
/// which cell another stands for; it carries no value, so it is followed only into a cell that
/// nothing else produced. Pooling's backward routing is therefore a dependency on the routed
/// gradients only, not on the input that chose where they go, and a cell that no gradient was
/// routed to depends on nothing.
///
/// Dependencies are between *versions*: a cell written twice (a filter before and after the
/// update) is two values, and a cell read at some moment depends on the version it held then.
///
/// The indexes are built once, in a few passes over the events; a query then walks only the
/// part of the graph it reaches.
public struct Lineage: Sendable {
    public let trace: Trace
    /// The first global cell number of each tensor; cells of all tensors are numbered in one range.
    let cellBase: [Int]
    let cellCount: Int
    /// A node is a version: `0..<E` the value a `write`/`accumulate` event left, `E + g` global
    /// cell g as its tensor began (given, zeros, or derived).
    var eventCount: Int { trace.events.count }
    /// The nodes each event node depends on (CSR by event index; empty for other kinds).
    let depStart: [Int32]
    let deps: [Int32]
    /// For a cell of a derived tensor (or one a link stands for), the version it copies; -1 otherwise.
    let derivedFrom: [Int32]
    /// The value each `write`/`accumulate` event left in its cell.
    let valueAfter: [Double]
    /// The write/accumulate events of each global cell, in order (CSR).
    let writerStart: [Int32]
    let writers: [Int32]
    /// The nodes that depend on each node (CSR over all nodes).
    let usedByStart: [Int32]
    let usedBy: [Int32]
    /// The derive event of each derived tensor; -1 otherwise.
    let deriveEvent: [Int]

    /// Builds the indexes for `trace`.
    public init(_ trace: Trace) {
        self.trace = trace
        var base: [Int] = []
        var total = 0
        for t in trace.tensors {
            base.append(total)
            total += t.shape.reduce(1, *)
        }
        cellBase = base
        cellCount = total
        let E = trace.events.count
        precondition(E + total < Int(Int32.max), "a trace too large for the lineage's 32-bit node numbers")

        var current = (0..<total).map { Int32(E + $0) }
        var value = [Double](repeating: 0, count: total)
        for (t, info) in trace.tensors.enumerated() where info.origin == .given {
            for (i, v) in info.initial.enumerated() { value[base[t] + i] = v }
        }
        var derivedFrom = [Int32](repeating: -1, count: total)
        var depStart = [Int32](repeating: 0, count: E + 1)
        var deps: [Int32] = []
        deps.reserveCapacity(E * 2)
        var valueAfter = [Double](repeating: 0, count: E)
        var deriveEvent = [Int](repeating: -1, count: trace.tensors.count)
        var writesPerCell = [Int32](repeating: 0, count: total + 1)
        // What the current step has read so far (terms' factors, reads) and, in an update, written.
        var stepReads: [Int32] = []
        var stepWrites: [Int32] = []
        var inUpdate = false
        var derivedInStep = -1

        var i = 0
        trace.events.forEachRun { run in
            for e in run {
                switch e.kind {
                case .phase:
                    inUpdate = trace.phases[Int(e.srcIndex)].kind == .update
                    stepReads.removeAll(keepingCapacity: true)
                    stepWrites.removeAll(keepingCapacity: true)
                    derivedInStep = -1
                case .step:
                    stepReads.removeAll(keepingCapacity: true)
                    stepWrites.removeAll(keepingCapacity: true)
                    derivedInStep = -1
                case .term:
                    stepReads.append(current[base[Int(e.src.rawValue)] + Int(e.srcIndex)])
                    stepReads.append(current[base[Int(e.dst.rawValue)] + Int(e.dstIndex)])
                case .read:
                    stepReads.append(current[base[Int(e.src.rawValue)] + Int(e.srcIndex)])
                case .argmax:
                    break
                case .write, .accumulate:
                    let g = base[Int(e.dst.rawValue)] + Int(e.dstIndex)
                    if e.src != .none { deps.append(current[base[Int(e.src.rawValue)] + Int(e.srcIndex)]) }
                    deps.append(contentsOf: stepReads)
                    if e.kind == .accumulate || inUpdate { deps.append(current[g]) }
                    if inUpdate { deps.append(contentsOf: stepWrites); stepWrites.append(Int32(i)) }
                    value[g] = e.kind == .write ? e.value : value[g] + e.value
                    valueAfter[i] = value[g]
                    current[g] = Int32(i)
                    writesPerCell[g + 1] += 1
                case .derive:
                    let d = Int(e.dst.rawValue), s = Int(e.src.rawValue)
                    deriveEvent[d] = i
                    derivedInStep = d
                    let map = Self.sourceIndexes(of: trace.tensors[d], from: trace.tensors[s])
                    for (k, j) in map.enumerated() {
                        derivedFrom[base[d] + k] = current[base[s] + j]
                        value[base[d] + k] = value[base[s] + j]
                        current[base[d] + k] = Int32(E + base[d] + k)
                    }
                case .link:
                    let g = base[Int(e.dst.rawValue)] + Int(e.dstIndex)
                    let from = current[base[Int(e.src.rawValue)] + Int(e.srcIndex)]
                    if Int(e.dst.rawValue) == derivedInStep {
                        derivedFrom[g] = from
                    } else if current[g] == Int32(E + g), derivedFrom[g] < 0,
                              trace.tensors[Int(e.dst.rawValue)].origin == .zeros {
                        derivedFrom[g] = from
                    }
                }
                i += 1
                depStart[i] = Int32(deps.count)
            }
        }

        // Writers of each cell, in event order.
        for g in 0..<total { writesPerCell[g + 1] += writesPerCell[g] }
        var fill = writesPerCell
        var writers = [Int32](repeating: 0, count: Int(writesPerCell[total]))
        i = 0
        trace.events.forEachRun { run in
            for e in run {
                if e.kind == .write || e.kind == .accumulate {
                    let g = base[Int(e.dst.rawValue)] + Int(e.dstIndex)
                    writers[Int(fill[g])] = Int32(i)
                    fill[g] += 1
                }
                i += 1
            }
        }

        // The reverse edges, by counting.
        let N = E + total
        var usedByStart = [Int32](repeating: 0, count: N + 1)
        for d in deps { usedByStart[Int(d) + 1] += 1 }
        for d in derivedFrom where d >= 0 { usedByStart[Int(d) + 1] += 1 }
        for n in 0..<N { usedByStart[n + 1] += usedByStart[n] }
        var next = usedByStart
        var usedBy = [Int32](repeating: 0, count: Int(usedByStart[N]))
        for n in 0..<E {
            for k in Int(depStart[n])..<Int(depStart[n + 1]) {
                let d = Int(deps[k])
                usedBy[Int(next[d])] = Int32(n)
                next[d] += 1
            }
        }
        for g in 0..<total where derivedFrom[g] >= 0 {
            let d = Int(derivedFrom[g])
            usedBy[Int(next[d])] = Int32(E + g)
            next[d] += 1
        }

        self.depStart = depStart
        self.deps = deps
        self.derivedFrom = derivedFrom
        self.valueAfter = valueAfter
        self.writerStart = writesPerCell
        self.writers = writers
        self.usedByStart = usedByStart
        self.usedBy = usedBy
        self.deriveEvent = deriveEvent
    }

    /// For each cell of the derived tensor `d`, the flat index of the cell of `s` it copies: the
    /// same index for a reshape, the permuted one for numpy's `transpose(perm)`.
    static func sourceIndexes(of d: TensorInfo, from s: TensorInfo) -> [Int] {
        let count = d.shape.reduce(1, *)
        guard case .transpose(_, let perm) = d.origin, perm.count == d.shape.count else { return Array(0..<count) }
        var srcStrides = [Int](repeating: 1, count: s.shape.count)
        for a in stride(from: s.shape.count - 2, through: 0, by: -1) { srcStrides[a] = srcStrides[a + 1] * s.shape[a + 1] }
        // Result axis a walks source axis perm[a].
        let strides = perm.map { srcStrides[$0] }
        var map = [Int](repeating: 0, count: count)
        var digits = [Int](repeating: 0, count: d.shape.count)
        var offset = 0
        for k in 0..<count {
            map[k] = offset
            var a = d.shape.count - 1
            while a >= 0 {
                digits[a] += 1
                offset += strides[a]
                if digits[a] < d.shape[a] { break }
                offset -= strides[a] * digits[a]
                digits[a] = 0
                a -= 1
            }
        }
        return map
    }

    // MARK: - Nodes

    func globalCell(_ cell: CellRef) -> Int { cellBase[Int(cell.tensor.rawValue)] + cell.index }

    /// The cell a node is a version of.
    func cell(ofNode n: Int) -> CellRef {
        if n < eventCount {
            let e = trace.events[n]
            return CellRef(e.dst, Int(e.dstIndex))
        }
        let g = n - eventCount
        var lo = 0, hi = cellBase.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if cellBase[mid] <= g { lo = mid } else { hi = mid - 1 }
        }
        // Skip empty tensors that share a base with the next one.
        while lo + 1 < cellBase.count, cellBase[lo + 1] <= g { lo += 1 }
        return CellRef(TensorID(UInt16(lo)), g - cellBase[lo])
    }

    /// The value a node holds.
    func value(ofNode n: Int) -> Double {
        if n < eventCount { return valueAfter[n] }
        let g = n - eventCount
        if derivedFrom[g] >= 0 { return value(ofNode: Int(derivedFrom[g])) }
        let c = cell(ofNode: n)
        let info = trace.tensors[Int(c.tensor.rawValue)]
        return info.origin == .given ? info.initial[c.index] : 0
    }

    /// The version of `cell` that events before `end` left.
    func version(of cell: CellRef, before end: Int) -> Int {
        let g = globalCell(cell)
        var lo = Int(writerStart[g]), hi = Int(writerStart[g + 1])
        // The last writer below `end`.
        while lo < hi {
            let mid = (lo + hi) / 2
            if Int(writers[mid]) < end { lo = mid + 1 } else { hi = mid }
        }
        return lo > Int(writerStart[g]) ? Int(writers[lo - 1]) : eventCount + g
    }

    /// The event index where the state after `step` ends (the whole trace when nil).
    func end(after step: Int?) -> Int {
        guard let step, step + 1 < trace.stepCount else { return trace.events.count }
        return trace.stepStarts[max(0, step + 1)]
    }

    func dependencies(ofNode n: Int, _ body: (Int) -> Void) {
        if n < eventCount {
            for k in Int(depStart[n])..<Int(depStart[n + 1]) { body(Int(deps[k])) }
        } else if derivedFrom[n - eventCount] >= 0 {
            body(Int(derivedFrom[n - eventCount]))
        }
    }
}

import Engine

/// One step that wrote or added to a cell, with its arithmetic in words.
public struct LineageStep: Sendable, Equatable {
    /// The trace's step index (from 0; a player that hides phases numbers its steps otherwise).
    public var step: Int
    public var phase: PhaseKind
    /// The arithmetic, as `u[0, 4] = 1·5 + 2·6 = 17` or `dx_pad[0, 0, 1, 1] += grad_cols[3, 0] (2): 1 + 2 = 3`.
    public var text: String
}

/// A cell's lineage at one position of a trace.
public struct CellLineage: Sendable, Equatable {
    public var cell: CellRef
    public var value: Double
    /// The cells of given tensors (input, filter, bias, incoming gradient, optimizer state) the
    /// value depends on, transitively, in tensor and index order.
    public var sources: [CellRef]
    /// The cells of the layer's results that depend on the value, transitively: cells of
    /// `output` tensors, and the cells of filter, bias, gradient and optimizer-state tensors that
    /// nothing later reads (the filter's gradient, the updated parameters). Cells of a padding
    /// that is cropped away are not results.
    public var uses: [CellRef]
    /// The steps that made the value, in order: a derived cell (reshape, transpose) and a cell
    /// written from one other cell (a copy, an activation) follow that cell back to the step
    /// that computed from several (a product, a sum, a maximum) or to a given cell.
    public var steps: [LineageStep]
}

extension Lineage {
    /// The lineage of `cell` as the state after trace step `step` holds it (the end of the
    /// trace when nil).
    public func explain(_ cell: CellRef, after step: Int? = nil) -> CellLineage {
        let node = version(of: cell, before: end(after: step))
        return CellLineage(cell: cell, value: value(ofNode: node), sources: sources(ofNode: node),
                           uses: uses(ofNode: node), steps: steps(ofNode: node))
    }

    /// The given cells that `cell`'s value after `step` depends on.
    public func sources(of cell: CellRef, after step: Int? = nil) -> [CellRef] {
        sources(ofNode: version(of: cell, before: end(after: step)))
    }

    /// The result cells that depend on `cell`'s value after `step`.
    public func uses(of cell: CellRef, after step: Int? = nil) -> [CellRef] {
        uses(ofNode: version(of: cell, before: end(after: step)))
    }

    func sources(ofNode start: Int) -> [CellRef] {
        var found = Set<CellRef>()
        walk(from: start, forward: false) { n in
            guard n >= eventCount, derivedFrom[n - eventCount] < 0 else { return }
            let c = cell(ofNode: n)
            if trace.tensors[Int(c.tensor.rawValue)].origin == .given { found.insert(c) }
        }
        return found.sorted()
    }

    func uses(ofNode start: Int) -> [CellRef] {
        var found = Set<CellRef>()
        walk(from: start, forward: true) { n in
            let c = cell(ofNode: n)
            let info = trace.tensors[Int(c.tensor.rawValue)]
            switch info.role {
            case .output:
                found.insert(c)
            case .weights, .bias, .gradient, .optimizerState:
                if usedByStart[n] == usedByStart[n + 1], !info.isPadding(c.index) { found.insert(c) }
            case .input, .intermediate:
                break
            }
        }
        return found.sorted()
    }

    /// Every node `start` depends on (backward) or that depends on it (forward), transitively,
    /// each given to `visit` once; `start` itself is not.
    func walk(from start: Int, forward: Bool, _ visit: (Int) -> Void) {
        var seen = NodeSet(count: eventCount + cellCount)
        var stack = [start]
        _ = seen.insert(start)
        while let n = stack.popLast() {
            if n != start { visit(n) }
            if forward {
                for k in Int(usedByStart[n])..<Int(usedByStart[n + 1]) where seen.insert(Int(usedBy[k])) {
                    stack.append(Int(usedBy[k]))
                }
            } else {
                dependencies(ofNode: n) { d in
                    if seen.insert(d) { stack.append(d) }
                }
            }
        }
    }

    /// Every cell, of every tensor (intermediate ones too: the padded input, the im2col matrix,
    /// the product), that `cell`'s value after `step` depends on (`sources`) or that depends on
    /// it (`uses`), transitively: what an inspector lights up. A cell written several times
    /// counts once, whichever of its versions the value touches.
    public func reach(of cell: CellRef, after step: Int? = nil) -> (sources: Set<CellRef>, uses: Set<CellRef>) {
        let node = version(of: cell, before: end(after: step))
        var sources = Set<CellRef>(), uses = Set<CellRef>()
        walk(from: node, forward: false) { sources.insert(self.cell(ofNode: $0)) }
        walk(from: node, forward: true) { uses.insert(self.cell(ofNode: $0)) }
        sources.remove(cell)
        uses.remove(cell)
        return (sources, uses)
    }

    /// What each event that added to `cell`'s value after `step` added, in order, after the last
    /// write that replaced the value: col2im's contributions, one per window that covers the
    /// cell. A copy (a crop, a reshape) is followed back to the cell it copies, as `steps` is.
    public func contributions(to cell: CellRef, after step: Int? = nil) -> [Double] {
        var node = version(of: cell, before: end(after: step))
        for _ in 0..<64 {
            if node >= eventCount {
                guard derivedFrom[node - eventCount] >= 0 else { return [] }
                node = Int(derivedFrom[node - eventCount])
            } else if trace.events[node].kind == .write, trace.events[node].src != .none,
                      depStart[node + 1] - depStart[node] == 1 {
                node = Int(deps[Int(depStart[node])])
            } else {
                break
            }
        }
        guard node < eventCount else { return [] }
        let g = globalCell(self.cell(ofNode: node))
        var added: [Double] = []
        for k in Int(writerStart[g])..<Int(writerStart[g + 1]) where Int(writers[k]) <= node {
            let e = trace.events[Int(writers[k])]
            if e.kind == .accumulate { added.append(e.value) } else { added = [] }
        }
        return added
    }

    func steps(ofNode start: Int) -> [LineageStep] {
        var result: [LineageStep] = []
        var node = start
        // Follow copies back through reshapes and transposes, newest first.
        for _ in 0..<64 {
            let c = cell(ofNode: node)
            let g = globalCell(c)
            var mine: [Int] = []
            for k in Int(writerStart[g])..<Int(writerStart[g + 1]) where node < eventCount && Int(writers[k]) <= node {
                mine.append(Int(writers[k]))
            }
            // A plain write replaces what the cell held: the steps before it do not matter.
            if let last = mine.lastIndex(where: { isReplacing($0) }) { mine.removeFirst(last) }
            var block = mine.map { describe(event: $0) }
            let needsOrigin = mine.isEmpty || !isReplacing(mine[0])
            if needsOrigin, derivedFrom[g] >= 0 {
                let source = Int(derivedFrom[g])
                let t = Int(c.tensor.rawValue)
                if deriveEvent[t] >= 0 {
                    block.insert(describeDerive(c, from: source), at: 0)
                }
                result.insert(contentsOf: block, at: 0)
                node = source
                continue
            }
            result.insert(contentsOf: block, at: 0)
            // A copy or an elementwise function of one cell (crop, activation, route): its
            // source's steps are where the arithmetic is.
            if mine.count == 1, isReplacing(mine[0]), trace.events[mine[0]].src != .none,
               depStart[mine[0] + 1] - depStart[mine[0]] == 1 {
                node = Int(deps[Int(depStart[mine[0]])])
                continue
            }
            break
        }
        return result
    }

    /// Whether event `e` sets its cell without reading what the cell held (a write outside the update).
    private func isReplacing(_ e: Int) -> Bool {
        trace.events[e].kind == .write && trace.phases[trace.stepPhase[step(ofEvent: e)]].kind != .update
    }

    func step(ofEvent e: Int) -> Int {
        var lo = 0, hi = trace.stepStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if trace.stepStarts[mid] <= e { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }
}

/// A set of node numbers as a bit array: a query touches few nodes, but looking one up must
/// cost nothing next to a hash.
struct NodeSet {
    private var words: [UInt64]
    init(count: Int) { words = [UInt64](repeating: 0, count: (count + 63) / 64) }
    /// Inserts `n`; true when it was not there.
    mutating func insert(_ n: Int) -> Bool {
        let bit = UInt64(1) << UInt64(n & 63)
        if words[n >> 6] & bit != 0 { return false }
        words[n >> 6] |= bit
        return true
    }
}

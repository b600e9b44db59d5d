/// The seed's `PoolingLayer`: im2col, `x.T.reshape(B·O_h·O_w·C, -1)` so that each row is one
/// window of one channel, the max (with its argmax kept) or the mean of each row, and
/// `reshape(B, O_h, O_w, C).transpose(0, 3, 1, 2)`. Backward routes each row's gradient
/// into a zero matrix (at the argmax, or evenly for the mean) and goes back through col2im,
/// so overlapping windows (stride < pool) add their gradients.
///
/// The input is padded with zeros, as the seed's im2col does, and those zeros take part in
/// the max and the mean. Ties go to the first maximum in row-major window order, and a window
/// holding a NaN gives NaN at its first NaN, as numpy's `max` and `argmax` do.
public final class PoolingLayer {
    public let pool: Pair
    public let stride: Pair
    public let pad: Pair
    public let mode: PoolMode
    /// The flat index inside each window of its maximum, `(B, C, OH, OW)` (max pooling only).
    public private(set) var argmax = Tensor(zeros: [0, 0, 0, 0])
    /// The output `(B, C, OH, OW)` of the last forward pass.
    public private(set) var y = Tensor(zeros: [0, 0, 0, 0])
    /// The sizes of the last forward pass (M is C: pooling keeps the channels).
    public private(set) var geometry: ConvGeometry?

    var saved: Saved?
    var memory = TraceMemory()

    struct Saved {
        let g: ConvGeometry
        let xPad: Tensor
        let maxIndex: [Int]    // per row, max pooling only
        let yRows: Tensor      // (B·OH·OW·C,)
        /// (C·PH·PW, B·OH·OW): built again only for a recorder, from the same padded input.
        var cols: Tensor { gatherColumns(xPad, g, .seed) }
        /// (B·OH·OW·C, PH·PW): one window of one channel per row.
        var rows: Tensor { PoolingLayer.rows(of: cols, g) }
    }

    static func rows(of cols: Tensor, _ g: ConvGeometry) -> Tensor {
        Tensor(shape: [g.placements * g.C, g.FH * g.FW], data: cols.T.data)
    }

    /// `stride` defaults to the pool size, as in the seed.
    public init(pool: Pair, stride: Pair? = nil, pad: Pair = Pair(0), mode: PoolMode = .max) throws {
        let stride = stride ?? pool
        guard pool.v > 0, pool.h > 0 else {
            throw EngineError("the pool size is \(pool), but it must be at least 1")
        }
        try checkSettings(stride: stride, pad: .pair(pad))
        (self.pool, self.stride, self.pad, self.mode) = (pool, stride, pad, mode)
    }

    /// `x` `(B, C, H, W)` → `y` `(B, C, OH, OW)`.
    public func forward(_ x: Tensor, recorder: (any TraceRecorder)? = nil) throws -> Tensor {
        guard x.rank == 4 else {
            throw EngineError("the input must have 4 axes (B, C, H, W), but its shape is \(shapeText(x.shape))")
        }
        let g = try ConvGeometry(input: x.shape, filters: x.shape[1], window: pool, stride: stride, pad: pad)
        let xPad = try x.padded(g.padding)
        let n = g.FH * g.FW
        let count = g.placements * g.C
        var yRows = [Double](repeating: 0, count: count)
        var maxIndex = [Int]()
        switch mode {
        case .max:
            maxIndex = [Int](repeating: 0, count: count)
            windowMaxima(xPad, g, into: &yRows, &maxIndex)
        case .average:
            let rows = Self.rows(of: gatherColumns(xPad, g, .seed), g)
            // Each cell's share value/n added up, the order the trace's `pool-mean` lists them.
            let share = 1 / Double(n)
            for r in 0..<count {
                for i in 0..<n { yRows[r] += rows.data[r * n + i] * share }
            }
        }
        let back = { (t: Tensor) throws -> Tensor in
            try t.reshaped([g.B, g.OH, g.OW, g.C]).transposed([0, 3, 1, 2])
        }
        let yRowsTensor = Tensor(shape: [count], data: yRows)
        y = try back(yRowsTensor)
        argmax = try back(Tensor(shape: [count], data: maxIndex.isEmpty ? yRows.map { _ in 0 } : maxIndex.map(Double.init)))
        geometry = g
        saved = Saved(g: g, xPad: xPad, maxIndex: maxIndex, yRows: yRowsTensor)
        if let e = Emitter(recorder, .forward) { emitForward(e, x) }
        return y
    }

    /// `grad` `(B, C, OH, OW)` → `dx` `(B, C, H, W)`. `routing` chooses between the correct
    /// routing and the seed's `grad_x[:, max_index] = grad`; average pooling ignores it.
    public func backward(_ grad: Tensor, routing: Routing = .correct, recorder: (any TraceRecorder)? = nil) throws -> Tensor {
        guard let s = saved else {
            throw EngineError("backward needs a forward pass first")
        }
        let g = s.g
        guard grad.shape == y.shape else {
            throw EngineError("the gradient \(shapeText(grad.shape)) does not match the layer's output \(shapeText(y.shape))")
        }
        // The correct max routing adds each gradient at its argmax cell directly, recorder or
        // not, so that `tatami compute` and the trace agree bit for bit; the routed matrix
        // is then built for the trace alone. The other routings go through the matrix.
        let dx: Tensor
        var matrix: (routed: Tensor, gradCols: Tensor)?
        if mode == .max, routing == .correct {
            dx = try routeToArgmax(grad, s)
        } else {
            let m = try routedMatrix(grad, routing, s)
            dx = try scatterColumns(m.gradCols, g, .seed).cropped(g.padding)
            matrix = m
        }
        if let e = Emitter(recorder, .backward) {
            let m = try matrix ?? routedMatrix(grad, routing, s)
            emitBackward(e, grad: grad, routing: routing, routed: m.routed, gradCols: m.gradCols, dx: dx)
        }
        return dx
    }
}

extension PoolingLayer {
    /// The seed's routed matrix `(B·OH·OW·C, PH·PW)`, one gradient per row placed as
    /// `routing` says, and its columns `(C·PH·PW, B·OH·OW)` ready for col2im.
    func routedMatrix(_ grad: Tensor, _ routing: Routing, _ s: Saved) throws -> (routed: Tensor, gradCols: Tensor) {
        let g = s.g
        let flat = try grad.transposed([0, 2, 3, 1]).reshaped([-1, 1])   // one gradient per row
        let n = g.FH * g.FW
        let count = flat.count
        var gradRows = [Double](repeating: 0, count: count * n)
        switch (mode, routing) {
        case (.max, .correct):
            for r in 0..<count { gradRows[r * n + s.maxIndex[r]] = flat.data[r] }
        case (.max, .seedBug):
            // numpy broadcasts grad (N, 1) over the chosen columns: every row gets its own
            // gradient in every column that is the argmax of any row.
            let columns = Set(s.maxIndex).sorted()
            for r in 0..<count { for c in columns { gradRows[r * n + c] = flat.data[r] } }
        case (.average, _):
            let share = 1 / Double(n)
            for r in 0..<count { for i in 0..<n { gradRows[r * n + i] = flat.data[r] * share } }
        }
        let routed = Tensor(shape: [count, n], data: gradRows)
        return (routed, try routed.reshaped([g.placements, g.C * n]).T)
    }

    /// Each row's maximum and its first position, read straight from the padded input: row
    /// `r = (b, oh, ow, c)` is channel c's window at placement (b, oh, ow), as `cols.T` orders it.
    func windowMaxima(_ xPad: Tensor, _ g: ConvGeometry, into yRows: inout [Double], _ maxIndex: inout [Int]) {
        xPad.data.withUnsafeBufferPointer { src in
            yRows.withUnsafeMutableBufferPointer { y in
                maxIndex.withUnsafeMutableBufferPointer { at in
                    guard let s0 = src.baseAddress else { return }
                    let plane = g.HP * g.WP
                    var r = 0
                    for b in 0..<g.B { for oh in 0..<g.OH { for ow in 0..<g.OW {
                        var corner = s0 + b * g.C * plane + oh * g.SH * g.WP + ow * g.SW
                        for _ in 0..<g.C {
                            var best = corner.pointee, bestAt = 0, i = 0
                            var line = corner
                            for _ in 0..<g.FH {
                                for fw in 0..<g.FW {
                                    // Strictly greater: the first maximum wins a tie, as numpy's argmax.
                                    // numpy's max and argmax also take the first NaN and keep it;
                                    // nothing compares greater than a NaN best, so it stays.
                                    let v = line[fw]
                                    if v > best || (v.isNaN && !best.isNaN) { (best, bestAt) = (v, i) }
                                    i += 1
                                }
                                line += g.WP
                            }
                            (y[r], at[r]) = (best, bestAt)
                            r += 1
                            corner += plane
                        }
                    } } }
                }
            }
        }
    }

    /// The correct max-pooling backward without building the routed matrix: each gradient
    /// added at its row's argmax cell, placements in order. The routed matrix's other cells are
    /// +0.0, and adding +0.0 to a sum that started at +0.0 never changes its bits, so this is
    /// the same result as col2im of the full matrix, which is what the trace's col2im phase adds.
    func routeToArgmax(_ grad: Tensor, _ s: Saved) throws -> Tensor {
        let g = s.g
        var dxPad = [Double](repeating: 0, count: g.B * g.C * g.HP * g.WP)
        grad.data.withUnsafeBufferPointer { gr in
            dxPad.withUnsafeMutableBufferPointer { dst in
                guard let d0 = dst.baseAddress else { return }
                let plane = g.HP * g.WP, outPlane = g.OH * g.OW
                var r = 0
                for b in 0..<g.B { for oh in 0..<g.OH { for ow in 0..<g.OW {
                    for c in 0..<g.C {
                        let at = s.maxIndex[r]
                        let cell = (b * g.C + c) * plane + (oh * g.SH + at / g.FW) * g.WP + ow * g.SW + at % g.FW
                        d0[cell] += gr[(b * g.C + c) * outPlane + oh * g.OW + ow]
                        r += 1
                    }
                } } }
            }
        }
        return try Tensor(shape: g.paddedShape, data: dxPad).cropped(g.padding)
    }
}

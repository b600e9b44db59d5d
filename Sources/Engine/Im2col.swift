import Dispatch

/// im2col: every filter placement's cells laid out as one column (the seed's layout,
/// `(C·FH·FW, B·OH·OW)`, rows by `(c, fh, fw)`, columns by `(b, oh, ow)`) or as one row
/// (`.rows`, `(B·OH·OW, C·FH·FW)`), so that the whole convolution becomes one matrix product.
/// The input is zero-padded first, as the seed's im2col does.
public func im2col(_ x: Tensor, filter: Pair, stride: Pair = Pair(1), pad: Pair = Pair(0),
                   dilation: Pair = Pair(1), layout: ColumnLayout = .seed) throws -> Tensor {
    let g = try ConvGeometry(input: x.shape, filters: 1, window: filter, stride: stride, pad: pad, dilation: dilation)
    return gatherColumns(try x.padded(g.padding), g, layout)
}

/// col2im, the adjoint of im2col (not its inverse): every column's cells are ADDED back where
/// they came from, so a cell covered by several windows collects several contributions; then
/// the padding is cropped off. Returns `(B, C, H, W)` for `inputShape`.
public func col2im(_ cols: Tensor, inputShape: [Int], filter: Pair, stride: Pair = Pair(1), pad: Pair = Pair(0),
                   dilation: Pair = Pair(1), layout: ColumnLayout = .seed) throws -> Tensor {
    let g = try ConvGeometry(input: inputShape, filters: 1, window: filter, stride: stride, pad: pad, dilation: dilation)
    guard cols.shape == g.columnShape(layout) else {
        throw EngineError("col2im got columns of shape \(shapeText(cols.shape)), but the input \(shapeText(inputShape)) with a \(filter.v)×\(filter.h) filter needs \(shapeText(g.columnShape(layout))) in the \(layout.rawValue) layout")
    }
    return try scatterColumns(cols, g, layout).cropped(g.padding)
}

extension ConvGeometry {
    public var stride: Pair { Pair(SH, SW) }
    public var padding: Pair { Pair(PH, PW) }
    public var dilation: Pair { Pair(DH, DW) }
    public var window: Pair { Pair(FH, FW) }

    /// The flat index in the padded input `(B, C, HP, WP)` of filter cell `(c, fh, fw)`
    /// placed at output cell `(b, oh, ow)`.
    @inline(__always)
    func paddedIndex(b: Int, c: Int, oh: Int, ow: Int, fh: Int, fw: Int) -> Int {
        ((b * C + c) * HP + oh * SH + fh * DH) * WP + ow * SW + fw * DW
    }

    /// The flat index in the im2col matrix of row `k = (c, fh, fw)`, column `j = (b, oh, ow)`.
    @inline(__always)
    func columnIndex(k: Int, j: Int, _ layout: ColumnLayout) -> Int {
        layout == .seed ? k * placements + j : j * patchSize + k
    }

    /// The flat index in the padded input of flat input cell `i`.
    func paddedIndex(ofInput i: Int) -> Int {
        let col = i % W, row = (i / W) % H, plane = i / (W * H)
        return (plane * HP + row + PH) * WP + col + PW
    }

    /// The padding as `np.pad` takes it, one `[before, after]` per axis.
    var padExtents: [[Int]] { [[0, 0], [0, 0], [PH, PH], [PW, PW]] }

    /// Every filter placement `j = (b, oh, ow)` in column order.
    func forEachPlacement(_ body: (_ j: Int, _ b: Int, _ oh: Int, _ ow: Int) -> Void) {
        var j = 0
        for b in 0..<B { for oh in 0..<OH { for ow in 0..<OW { body(j, b, oh, ow); j += 1 } } }
    }

    /// Every cell `k = (c, fh, fw)` of one placement in row order.
    func forEachPatchCell(_ body: (_ k: Int, _ c: Int, _ fh: Int, _ fw: Int) -> Void) {
        var k = 0
        for c in 0..<C { for fh in 0..<FH { for fw in 0..<FW { body(k, c, fh, fw); k += 1 } } }
    }

    /// The axis sizes a trace's axis names stand for (`m` is C for pooling).
    func axisSizes(pooling: Bool) -> [String: Int] {
        var s = ["b": B, "c": C, "h": H, "w": W, "oh": OH, "ow": OW, "fh": FH, "fw": FW]
        if !pooling { s["m"] = M }
        return s
    }
}

/// im2col on an already padded input `(B, C, HP, WP)`.
///
/// Walks whole output rows with moving pointers (no index arithmetic per element); large
/// inputs are split over two threads by rows of the result, which never overlap.
func gatherColumns(_ xPad: Tensor, _ g: ConvGeometry, _ layout: ColumnLayout) -> Tensor {
    let total = g.patchSize * g.placements
    // Both walks write every cell of their units, and the units cover the whole matrix.
    let cols = [Double](unsafeUninitializedCapacity: total) { dst, count in
        guard total > 0 else { return }
        xPad.data.withUnsafeBufferPointer { src in
            let (s0, d0) = (ReadBox(base: src.baseAddress!), WriteBox(base: dst.baseAddress!))
            // The seed layout splits by (c, fh, fw) rows, the rows layout by placements (b, oh, ow).
            let units = layout == .seed ? g.patchSize : g.B * g.OH
            twoWay(units, work: total) { lo, hi in
                layout == .seed ? gatherSeed(s0.base, d0.base, g, rows: lo, hi) : gatherRows(s0.base, d0.base, g, lines: lo, hi)
            }
        }
        count = total
    }
    return Tensor(shape: g.columnShape(layout), data: cols)
}

/// Rows `k` in `lo..<hi` of the seed layout: row k = (c, fh, fw) holds that filter cell's
/// input under every placement, so each output row `oh` is a strided run of an input row.
private func gatherSeed(_ src: UnsafePointer<Double>, _ dst: UnsafeMutablePointer<Double>, _ g: ConvGeometry,
                        rows lo: Int, _ hi: Int) {
    var o = dst + lo * g.placements
    let plane = g.HP * g.WP, down = g.SH * g.WP
    for k in lo..<hi {
        let c = k / (g.FH * g.FW), fh = (k / g.FW) % g.FH, fw = k % g.FW
        var first = src + c * plane + fh * g.DH * g.WP + fw * g.DW
        for _ in 0..<g.B {
            var line = first
            for _ in 0..<g.OH {
                if g.SW == 1 {
                    for ow in 0..<g.OW { (o + ow).initialize(to: line[ow]) }
                } else {
                    var p = line
                    for ow in 0..<g.OW { (o + ow).initialize(to: p.pointee); p += g.SW }
                }
                o += g.OW
                line += down
            }
            first += g.C * plane
        }
    }
}

/// Output rows `(b, oh)` in `lo..<hi` of the rows layout: one placement per result row,
/// its (c, fh, fw) cells in order.
private func gatherRows(_ src: UnsafePointer<Double>, _ dst: UnsafeMutablePointer<Double>, _ g: ConvGeometry,
                        lines lo: Int, _ hi: Int) {
    var o = dst + lo * g.OW * g.patchSize
    let plane = g.HP * g.WP
    for line in lo..<hi {
        let b = line / g.OH, oh = line % g.OH
        var corner = src + b * g.C * plane + oh * g.SH * g.WP
        for _ in 0..<g.OW {
            var channel = corner
            for _ in 0..<g.C {
                var row = channel
                for _ in 0..<g.FH {
                    var p = row
                    for _ in 0..<g.FW { o.initialize(to: p.pointee); o += 1; p += g.DW }
                    row += g.DH * g.WP
                }
                channel += plane
            }
            corner += g.SW
        }
    }
}

/// col2im without the crop: the padded gradient `(B, C, HP, WP)`.
///
/// Each cell collects its contributions in placement order `(b, oh, ow)`, the order in which
/// the trace's `col2im` phase lists them, so replaying the trace rebuilds the same bits. A
/// cell's contributions come from distinct filter cells, and a later placement means an
/// earlier filter cell (`oh·SH + fh·DH` is fixed), so visiting filter cells `(fh, fw)` from
/// last to first, each over all placements, adds them in exactly that order. Planes `(b, c)`
/// are disjoint, so two threads may take half of them each.
func scatterColumns(_ cols: Tensor, _ g: ConvGeometry, _ layout: ColumnLayout) -> Tensor {
    var xPad = [Double](repeating: 0, count: g.B * g.C * g.HP * g.WP)
    guard !xPad.isEmpty, cols.count > 0 else { return Tensor(shape: g.paddedShape, data: xPad) }
    cols.data.withUnsafeBufferPointer { src in
        xPad.withUnsafeMutableBufferPointer { dst in
            let (s0, d0) = (ReadBox(base: src.baseAddress!), WriteBox(base: dst.baseAddress!))
            // Where the next placement's value of the same filter cell is, and the next filter cell's.
            let (alongJ, alongK) = layout == .seed ? (1, g.placements) : (g.patchSize, 1)
            twoWay(g.B * g.C, work: cols.count) { lo, hi in
                for planeIndex in lo..<hi {
                    let b = planeIndex / g.C, c = planeIndex % g.C
                    let plane = d0.base + planeIndex * g.HP * g.WP
                    for fh in stride(from: g.FH - 1, through: 0, by: -1) {
                        for fw in stride(from: g.FW - 1, through: 0, by: -1) {
                            let k = (c * g.FH + fh) * g.FW + fw
                            var from = s0.base + k * alongK + b * g.OH * g.OW * alongJ
                            var line = plane + fh * g.DH * g.WP + fw * g.DW
                            for _ in 0..<g.OH {
                                if g.SW == 1 && alongJ == 1 {
                                    for ow in 0..<g.OW { line[ow] += from[ow] }
                                } else {
                                    for ow in 0..<g.OW { line[ow * g.SW] += from[ow * alongJ] }
                                }
                                from += g.OW * alongJ
                                line += g.SH * g.WP
                            }
                        }
                    }
                }
            }
        }
    }
    return Tensor(shape: g.paddedShape, data: xPad)
}

/// Runs `body` over `0..<units`, in two halves on two threads when `work` is large enough to
/// pay for them. The halves must touch disjoint memory.
func twoWay(_ units: Int, work: Int, _ body: @Sendable (Int, Int) -> Void) {
    guard units >= 2, work > parallelMultiplyAdds else {
        body(0, units)
        return
    }
    DispatchQueue.concurrentPerform(iterations: 2) { part in
        part == 0 ? body(0, units / 2) : body(units / 2, units)
    }
}

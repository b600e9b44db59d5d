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
        throw EngineError("col2im got columns of shape \(describe(cols.shape)), but the input \(describe(inputShape)) with a \(filter.v)×\(filter.h) filter needs \(describe(g.columnShape(layout))) in the \(layout.rawValue) layout")
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
}

/// im2col on an already padded input `(B, C, HP, WP)`.
func gatherColumns(_ xPad: Tensor, _ g: ConvGeometry, _ layout: ColumnLayout) -> Tensor {
    var cols = [Double](repeating: 0, count: g.patchSize * g.placements)
    xPad.data.withUnsafeBufferPointer { src in
        cols.withUnsafeMutableBufferPointer { dst in
            // Loop in the order that writes `dst` contiguously for the chosen layout.
            switch layout {
            case .seed:
                var o = 0
                for c in 0..<g.C { for fh in 0..<g.FH { for fw in 0..<g.FW {
                    for b in 0..<g.B { for oh in 0..<g.OH { for ow in 0..<g.OW {
                        dst[o] = src[g.paddedIndex(b: b, c: c, oh: oh, ow: ow, fh: fh, fw: fw)]
                        o += 1
                    } } }
                } } }
            case .rows:
                var o = 0
                for b in 0..<g.B { for oh in 0..<g.OH { for ow in 0..<g.OW {
                    for c in 0..<g.C { for fh in 0..<g.FH { for fw in 0..<g.FW {
                        dst[o] = src[g.paddedIndex(b: b, c: c, oh: oh, ow: ow, fh: fh, fw: fw)]
                        o += 1
                    } } }
                } } }
            }
        }
    }
    return Tensor(shape: g.columnShape(layout), data: cols)
}

/// col2im without the crop: the padded gradient `(B, C, HP, WP)`.
///
/// Each cell collects its contributions in placement order `(b, oh, ow)`, the order in which
/// the trace's `col2im` phase lists them, so replaying the trace rebuilds the same bits.
func scatterColumns(_ cols: Tensor, _ g: ConvGeometry, _ layout: ColumnLayout) -> Tensor {
    var xPad = [Double](repeating: 0, count: g.B * g.C * g.HP * g.WP)
    cols.data.withUnsafeBufferPointer { src in
        xPad.withUnsafeMutableBufferPointer { dst in
            for b in 0..<g.B { for c in 0..<g.C { for oh in 0..<g.OH { for ow in 0..<g.OW {
                let j = (b * g.OH + oh) * g.OW + ow
                for fh in 0..<g.FH { for fw in 0..<g.FW {
                    let k = (c * g.FH + fh) * g.FW + fw
                    dst[g.paddedIndex(b: b, c: c, oh: oh, ow: ow, fh: fh, fw: fw)] += src[g.columnIndex(k: k, j: j, layout)]
                } }
            } } } }
        }
    }
    return Tensor(shape: g.paddedShape, data: xPad)
}

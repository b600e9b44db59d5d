/// What `PoolingLayer` tells a recorder, phase by phase, as `docs/trace.md` lists it.
extension PoolingLayer {
    func layerInfo(_ g: ConvGeometry, routing: Routing?) -> LayerInfo {
        LayerInfo(operation: .pool, layout: .seed, stride: stride, pad: pad, dilation: Pair(1), pool: pool,
                  poolMode: mode, routing: mode == .max ? routing : nil, sizes: g.axisSizes(pooling: true))
    }

    /// The padded-input cell that column `k` of pooling row `r = (b, oh, ow, c)` was copied from.
    func paddedCell(row r: Int, k: Int, _ g: ConvGeometry) -> Int {
        let c = r % g.C, place = r / g.C
        let ow = place % g.OW, oh = (place / g.OW) % g.OH, b = place / (g.OW * g.OH)
        return g.paddedIndex(b: b, c: c, oh: oh, ow: ow, fh: k / g.FW, fw: k % g.FW)
    }

    func emitForward(_ e: Emitter, _ x: Tensor) {
        guard let s = saved else { return }
        let g = s.g
        let n = g.FH * g.FW
        e.rec.describe(layerInfo(g, routing: nil))
        let xID = e.input(x)
        let xPadID = e.pad(xID, x, g)
        memory.remember("xPad", xPadID, e)
        let colsID = e.im2col(xPadID, s.xPad, g, .seed, code: ArticleCode.poolIm2col(stride: stride, pool: pool))
        // The untraced pass never builds these; build them once here.
        let cols = s.cols, rows = Self.rows(of: cols, g)
        let colsT = e.transpose(ArticleCode.poolRows, "cols_T", of: colsID, cols.shape,
                                sourceAxes: Axes.columns(.seed), perm: [1, 0])
        let rowsID = e.reshape(ArticleCode.poolRows, "x_rows", of: colsT, [cols.shape[1], cols.shape[0]], to: rows.shape,
                               axes: [Axes.poolRow, Axes.window], kind: .poolRows)
        let count = rows.shape[0]
        let yRowsID: TensorID
        // Every cell of the row is read, and each stands for the padded-input cell it came from.
        func readRow(_ r: Int) {
            for k in 0..<n {
                e.read(rowsID, r * n + k)
                e.link(rowsID, r * n + k, to: xPadID, paddedCell(row: r, k: k, g))
            }
        }
        switch mode {
        case .max:
            e.phase(.argmax, ArticleCode.poolArgmax)
            yRowsID = e.zeros("y_rows", [count], axes: [Axes.poolRow], role: .intermediate)
            let indexID = e.zeros("max_index", [count], axes: [Axes.poolRow], role: .intermediate)
            for r in 0..<count {
                let at = r * n + s.maxIndex[r]
                e.step(yRowsID, r, from: rowsID, at)
                readRow(r)
                e.rec.record(Event(.argmax, src: rowsID, at, dst: yRowsID, r, value: s.yRows.data[r]))
                e.write(yRowsID, r, s.yRows.data[r], from: rowsID, at)
                e.write(indexID, r, Double(s.maxIndex[r]), from: rowsID, at)
            }
        case .average:
            e.phase(.poolMean, ArticleCode.poolMean)
            yRowsID = e.zeros("y_rows", [count], axes: [Axes.poolRow], role: .intermediate)
            let share = 1 / Double(n)
            for r in 0..<count {
                e.step(yRowsID, r, from: rowsID, r * n)
                readRow(r)
                for i in 0..<n { e.accumulate(yRowsID, r, rows.data[r * n + i] * share, from: rowsID, r * n + i) }
            }
        }
        let yCode = mode == .max ? ArticleCode.poolMaxY : ArticleCode.poolMeanY
        let shape = [g.B, g.OH, g.OW, g.C]
        let yR = e.reshape(yCode, "y", of: yRowsID, [count], to: shape, axes: ["b", "oh", "ow", "c"])
        _ = e.transpose(yCode, "y", of: yR, shape, sourceAxes: ["b", "oh", "ow", "c"], perm: [0, 3, 1, 2], role: .output)
    }

    func emitBackward(_ e: Emitter, grad: Tensor, routing: Routing, routed: Tensor, gradCols: Tensor, dx: Tensor) {
        guard let s = saved else { return }
        let g = s.g
        let n = g.FH * g.FW
        let count = routed.shape[0]
        e.rec.describe(layerInfo(g, routing: routing))
        let gradID = e.given(grad, "grad", axes: ["b", "c", "oh", "ow"], role: .gradient)
        let t = e.transpose(ArticleCode.poolGrad, "grad", of: gradID, grad.shape, sourceAxes: ["b", "c", "oh", "ow"],
                            perm: [0, 2, 3, 1], role: .gradient)
        let flatID = e.reshape(ArticleCode.poolGrad, "grad", of: t, [g.B, g.OH, g.OW, g.C], to: [count, 1],
                               axes: [Axes.poolRow, ""], role: .gradient)
        // Row r of the flattened gradient, as `grad.transpose(0, 2, 3, 1)` orders it.
        let flat = grad.transposed([0, 2, 3, 1]).data
        // The padded input of this recorder's forward pass, if it saw one.
        let xPadID = memory.recorder == e.recorderID ? memory.ids["xPad"] : nil
        let routedID: TensorID
        // A routed cell is the gradient of the padded-input cell its row cell was copied from.
        func route(_ r: Int, _ k: Int, _ value: Double) {
            e.write(routedID, r * n + k, value, from: flatID, r)
            if let xPadID { e.link(routedID, r * n + k, to: xPadID, paddedCell(row: r, k: k, g)) }
        }
        let code: CodeLine
        switch (mode, routing) {
        case (.max, .correct): code = ArticleCode.poolRoute
        case (.max, .seedBug): code = ArticleCode.poolRouteBug
        case (.average, _): code = ArticleCode.poolRouteMean
        }
        e.phase(mode == .max && routing == .seedBug ? .routeSeedBug : .route, code)
        routedID = e.zeros("grad_rows", routed.shape, axes: [Axes.poolRow, Axes.window], role: .gradient)
        switch (mode, routing) {
        case (.max, .correct):
            for r in 0..<count {
                let at = r * n + s.maxIndex[r]
                e.step(routedID, at, from: flatID, r)
                route(r, s.maxIndex[r], flat[r])
            }
        case (.max, .seedBug):
            let columns = Set(s.maxIndex).sorted()
            for r in 0..<count {
                e.step(routedID, r * n + (columns.first ?? 0), from: flatID, r)
                for c in columns { route(r, c, flat[r]) }
            }
        case (.average, _):
            for r in 0..<count {
                e.step(routedID, r * n, from: flatID, r)
                for i in 0..<n { route(r, i, routed.data[r * n + i]) }
            }
        }
        let reshapedID = e.reshape(ArticleCode.poolGradX, "grad_x", of: routedID, routed.shape,
                                   to: [g.placements, g.C * n], axes: Axes.columns(.rows), role: .gradient)
        let colsID = e.transpose(ArticleCode.poolGradX, "grad_cols", of: reshapedID, [g.placements, g.C * n],
                                 sourceAxes: Axes.columns(.rows), perm: [1, 0], role: .gradient)
        let dxPadID = e.col2im(colsID, gradCols, g, .seed, code: ArticleCode.poolCol2im(stride: stride, pool: pool))
        _ = e.crop(dxPadID, dx, g)
    }
}

/// What `PoolingLayer` tells a recorder, phase by phase, as `docs/trace.md` lists it.
extension PoolingLayer {
    static let rowsCode = "self.x = self.x.T.reshape(B*O_h*O_w*C, -1)"
    static let yCode = "self.y = np.max(self.x, axis=1).reshape(B, O_h, O_w, C).transpose(0, 3, 1, 2)"
    static let gradXCode = "self.grad_x = self.grad_x.reshape(B*O_h*O_w, C*self.pool*self.pool).T"

    func emitForward(_ e: Emitter, _ x: Tensor) {
        guard let s = saved else { return }
        let g = s.g
        let n = g.FH * g.FW
        let xID = e.input(x, labels: nil, code: "def forward(self, x):")
        let xPadID = e.pad(xID, x, g)
        let colsID = e.im2col(xPadID, s.xPad, g, .seed,
                              code: "self.x, _, self.pad_state = im2col(x, self.F_shape, stride=self.pool, pad=self.pad_state)")
        // The untraced pass never builds these; build them once here.
        let cols = s.cols, rows = Self.rows(of: cols, g)
        let colsT = e.transpose(Self.rowsCode, "cols_T", of: colsID, axes: [1, 0], shape: cols.shape)
        let rowsID = e.reshape(Self.rowsCode, "x_rows", of: colsT, to: rows.shape, kind: .poolRows)
        let count = rows.shape[0]
        let yRowsID: TensorID
        switch mode {
        case .max:
            e.phase(.argmax, "self.max_index = np.argmax(self.x, axis=1)")
            yRowsID = e.zeros("y_rows", [count])
            let indexID = e.zeros("max_index", [count])
            for r in 0..<count {
                let at = r * n + s.maxIndex[r]
                e.step(yRowsID, r, from: rowsID, at)
                e.rec.record(Event(.argmax, src: rowsID, at, dst: yRowsID, r, value: s.yRows.data[r]))
                e.write(yRowsID, r, s.yRows.data[r], from: rowsID, at)
                e.write(indexID, r, Double(s.maxIndex[r]), from: rowsID, at)
            }
        case .average:
            e.phase(.poolMean, "self.y = np.mean(self.x, axis=1)")
            yRowsID = e.zeros("y_rows", [count])
            let share = 1 / Double(n)
            for r in 0..<count {
                e.step(yRowsID, r, from: rowsID, r * n)
                for i in 0..<n { e.accumulate(yRowsID, r, rows.data[r * n + i] * share, from: rowsID, r * n + i) }
            }
        }
        let yR = e.reshape(Self.yCode, "y", of: yRowsID, to: [g.B, g.OH, g.OW, g.C])
        _ = e.transpose(Self.yCode, "y", of: yR, axes: [0, 3, 1, 2], shape: [g.B, g.OH, g.OW, g.C])
    }

    func emitBackward(_ e: Emitter, grad: Tensor, routing: Routing, routed: Tensor, gradCols: Tensor, dx: Tensor) {
        guard let s = saved else { return }
        let g = s.g
        let n = g.FH * g.FW
        let count = routed.shape[0]
        let gradID = e.given(grad, "grad")
        let code = "grad = grad.transpose(0, 2, 3, 1).reshape(-1, 1)"
        let t = e.transpose(code, "grad", of: gradID, axes: [0, 2, 3, 1], shape: grad.shape)
        let flatID = e.reshape(code, "grad", of: t, to: [count, 1])
        // Row r of the flattened gradient, as `grad.transpose(0, 2, 3, 1)` orders it.
        let flat = grad.transposed([0, 2, 3, 1]).data
        let routedID: TensorID
        switch (mode, routing) {
        case (.max, .correct):
            e.phase(.route, "self.grad_x[np.arange(grad.size), self.max_index] = grad.ravel()")
            routedID = e.zeros("grad_rows", routed.shape)
            for r in 0..<count {
                let at = r * n + s.maxIndex[r]
                e.step(routedID, at, from: flatID, r)
                e.write(routedID, at, flat[r], from: flatID, r)
            }
        case (.max, .seedBug):
            e.phase(.routeSeedBug, "self.grad_x[:, self.max_index] = grad")
            routedID = e.zeros("grad_rows", routed.shape)
            let columns = Set(s.maxIndex).sorted()
            for r in 0..<count {
                e.step(routedID, r * n + (columns.first ?? 0), from: flatID, r)
                for c in columns { e.write(routedID, r * n + c, flat[r], from: flatID, r) }
            }
        case (.average, _):
            e.phase(.route, "self.grad_x[:, :] = grad/(self.pool*self.pool)")
            routedID = e.zeros("grad_rows", routed.shape)
            for r in 0..<count {
                e.step(routedID, r * n, from: flatID, r)
                for i in 0..<n { e.write(routedID, r * n + i, routed.data[r * n + i], from: flatID, r) }
            }
        }
        let reshapedID = e.reshape(Self.gradXCode, "grad_x", of: routedID, to: [g.placements, g.C * n])
        let colsID = e.transpose(Self.gradXCode, "grad_cols", of: reshapedID, axes: [1, 0], shape: [g.placements, g.C * n])
        let dxPadID = e.col2im(colsID, gradCols, g, .seed,
                               code: "self.grad_x = col2im(self.grad_x, I_shape, self.O_shape, stride=self.pool, pad=self.pad_state)")
        _ = e.crop(dxPadID, dx, g)
    }
}

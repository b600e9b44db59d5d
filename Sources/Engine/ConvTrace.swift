/// What `ConvLayer` tells a recorder, phase by phase, as `docs/trace.md` lists it.
/// Called only when a recorder is on; everything here reads values the layer already computed,
/// except the `slide` phase, the seed's naive loop, which exists only to be shown.
extension ConvLayer {
    static let im2colCode = "self.x, _, self.pad_state = im2col(x, self.F_shape, stride=self.stride, pad=self.pad)"
    static let plainUCode = "self.u = self.u.reshape(M, B, O_h, O_w).transpose(1, 0, 2, 3)"
    static let baseYCode = "return self.y.reshape(B, O_h, O_w, M).transpose(0, 3, 1, 2)"

    var wMatrixName: String { form == .plain ? "w_mat" : "w_T" }

    func emitForward(_ e: Emitter, _ x: Tensor) {
        guard let s = saved else { return }
        let g = s.g
        let xID = e.input(x, labels: nil, code: "def forward(self, x):")
        let xPadID = e.pad(xID, x, g)
        let wID = e.given(w, "w", labels: wLabels)
        emitSlide(e, s, xPadID: xPadID, wID: wID)
        let colsID = e.im2col(xPadID, s.xPad, g, layout, code: Self.im2colCode)
        var xFormID = colsID
        if colsNeedTranspose {
            xFormID = e.transpose(form == .plain ? "self.x = self.x.T" : "super().forward(x.T)",
                                  "cols_T", of: colsID, axes: [1, 0], shape: s.cols.shape)
        }
        let flatShape = [g.M, g.patchSize]
        let uID: TensorID
        var wMatID: TensorID
        switch form {
        case .plain:
            wMatID = e.reshape("self.w = w.reshape(M, -1)", "w_mat", of: wID, to: flatShape, kind: .filterReshape)
            uID = e.product(.gemm, "self.u = self.w@self.x + self.b", "u",
                            Operand(wMatID, wMatrix), Operand(xFormID, s.xForm), result: s.product)
            let bID = e.given(Tensor(shape: [g.M, 1], data: b.data), "b")
            memory.remember("b", bID, e)
            e.phase(.bias, "self.u = self.w@self.x + self.b")
            for j in 0..<g.placements {
                e.step(uID, j, from: bID, 0)
                for m in 0..<g.M { e.accumulate(uID, m * g.placements + j, b.data[m], from: bID, m) }
            }
            let uR = e.reshape(Self.plainUCode, "u", of: uID, to: [g.M, g.B, g.OH, g.OW])
            let uT = e.transpose(Self.plainUCode, "u", of: uR, axes: [1, 0, 2, 3], shape: [g.M, g.B, g.OH, g.OW])
            _ = emitActivation(e, from: uT, y: y)
        case .base:
            let code = "self.w = w.reshape(M, -1).T"
            let flatID = e.reshape(code, "w_mat", of: wID, to: flatShape, kind: .filterReshape)
            wMatID = e.transpose(code, "w_T", of: flatID, axes: [1, 0], shape: flatShape)
            uID = e.product(.gemm, "self.u = x@self.w + self.b", "u",
                            Operand(xFormID, s.xForm), Operand(wMatID, wMatrix), result: s.product)
            let bID = e.given(b, "b")
            memory.remember("b", bID, e)
            e.phase(.bias, "self.u = x@self.w + self.b")
            for j in 0..<g.placements {
                e.step(uID, j * g.M, from: bID, 0)
                for m in 0..<g.M { e.accumulate(uID, j * g.M + m, b.data[m], from: bID, m) }
            }
            let yID = emitActivation(e, from: uID, y: s.yMat)
            let yR = e.reshape(Self.baseYCode, "y", of: yID, to: [g.B, g.OH, g.OW, g.M])
            _ = e.transpose(Self.baseYCode, "y", of: yR, axes: [0, 3, 1, 2], shape: [g.B, g.OH, g.OW, g.M])
        }
        memory.remember("xForm", xFormID, e)
        memory.remember("wMat", wMatID, e)
    }

    /// `slide`: the seed's loop `Output[h, w] = Image[h:h_lim, w:w_lim] * Filter`, one step per
    /// output cell, its window's products as terms and their sum (no bias) written to `out`.
    private func emitSlide(_ e: Emitter, _ s: Saved, xPadID: TensorID, wID: TensorID) {
        let g = s.g
        e.phase(.slide, "Output[h, w] = Image[h:h_lim, w:w_lim] * Filter")
        let outID = e.zeros("out", g.outputShape)
        var i = 0
        for b in 0..<g.B { for m in 0..<g.M { for oh in 0..<g.OH { for ow in 0..<g.OW {
            let corner = g.paddedIndex(b: b, c: 0, oh: oh, ow: ow, fh: 0, fw: 0)
            e.step(outID, i, from: xPadID, corner)
            var sum = 0.0
            for c in 0..<g.C { for fh in 0..<g.FH { for fw in 0..<g.FW {
                let xi = g.paddedIndex(b: b, c: c, oh: oh, ow: ow, fh: fh, fw: fw)
                let wi = ((m * g.C + c) * g.FH + fh) * g.FW + fw
                let product = s.xPad.data[xi] * w.data[wi]
                e.term(xPadID, xi, times: wID, wi, product)
                sum += product
            } } }
            e.write(outID, i, sum, from: xPadID, corner)
            i += 1
        } } } }
    }

    /// `activation`: one write per element of `y` from the pre-activation.
    private func emitActivation(_ e: Emitter, from uID: TensorID, y: Tensor) -> TensorID {
        e.phase(.activation, "self.y = self.act.forward(self.u)")
        let yID = e.zeros("y", y.shape)
        for i in 0..<y.count {
            e.step(yID, i, from: uID, i)
            e.write(yID, i, y.data[i], from: uID, i)
        }
        return yID
    }

    func emitBackward(_ e: Emitter, grad: Tensor, dactAct: Tensor, dact: Tensor, gradCols: Tensor,
                      colsIn: Tensor, dxPad: Tensor, dx: Tensor) {
        guard let s = saved else { return }
        let g = s.g
        let xFormID = memory.id("xForm", e, s.xForm, name: colsNeedTranspose ? "cols_T" : "cols")
        let wMatID = memory.id("wMat", e, wMatrix, name: wMatrixName)
        let gradID = e.given(grad, "grad")
        let dactCode = "dact = grad*self.act.backward(self.u, self.y)"
        let gradWID: TensorID, dactID: TensorID, gradColsID: TensorID
        switch form {
        case .plain:
            let first = emitDactivation(e, from: gradID, dactAct, code: dactCode)
            let code = "dact = dact.transpose(1, 0, 2, 3).reshape(M, -1)"
            let t = e.transpose(code, "dact", of: first, axes: [1, 0, 2, 3], shape: g.outputShape)
            dactID = e.reshape(code, "dact_mat", of: t, to: [g.M, g.placements])
            gradWID = e.product(.gradW, "self.grad_w = dact@self.x.T", "grad_w",
                                Operand(dactID, dact), Operand(xFormID, s.xForm, transposed: true), result: gradWMatrix)
            _ = e.reshape("grad_w = self.grad_w.reshape(M, C, F_h, F_w)", "grad_w",
                          of: gradWID, to: g.filterShape, kind: .gradWReshape)
        case .base:
            let code = "grad = grad.transpose(0, 2, 3, 1).reshape(-1, M)"
            let t = e.transpose(code, "grad", of: gradID, axes: [0, 2, 3, 1], shape: g.outputShape)
            let gradMatID = e.reshape(code, "grad_mat", of: t, to: [g.placements, g.M])
            dactID = emitDactivation(e, from: gradMatID, dactAct, code: dactCode)
            gradWID = e.product(.gradW, "self.grad_w = self.x.T@dact", "grad_w",
                                Operand(xFormID, s.xForm, transposed: true), Operand(dactID, dact), result: gradWMatrix)
            let wCode = "grad_w = self.grad_w.T.reshape(M, C, F_h, F_w)"
            let t2 = e.transpose(wCode, "grad_w", of: gradWID, axes: [1, 0], shape: gradWMatrix.shape)
            _ = e.reshape(wCode, "grad_w", of: t2, to: g.filterShape, kind: .gradWReshape)
        }
        // grad_b: every column (plain) or row (base) of dact added into its filter's bias.
        let plain = form == .plain
        e.phase(.gradB, plain ? "self.grad_b = np.sum(dact, axis=1).reshape(M, 1)" : "self.grad_b = np.sum(dact, axis=0)")
        let gradBID = e.zeros("grad_b", [g.M])
        for m in 0..<g.M {
            e.step(gradBID, m, from: dactID, plain ? m * g.placements : m)
            for j in 0..<g.placements {
                let k = plain ? m * g.placements + j : j * g.M + m
                e.accumulate(gradBID, m, dact.data[k], from: dactID, k)
            }
        }
        if plain {
            gradColsID = e.product(.gradCols, "self.grad_x = self.w.T@dact", "grad_cols",
                                   Operand(wMatID, wMatrix, transposed: true), Operand(dactID, dact), result: gradCols)
        } else {
            gradColsID = e.product(.gradCols, "self.grad_x = dact@self.w.T", "grad_cols",
                                   Operand(dactID, dact), Operand(wMatID, wMatrix, transposed: true), result: gradCols)
        }
        var colsInID = gradColsID
        if colsNeedTranspose {
            colsInID = e.transpose("self.grad_x = self.grad_x.T", "grad_cols_T", of: gradColsID, axes: [1, 0],
                                   shape: gradCols.shape)
        }
        let dxPadID = e.col2im(colsInID, colsIn, g, layout,
                               code: "self.grad_x = col2im(\(plain ? "self.grad_x" : "self.grad_x.T"), I_shape, self.O_shape, stride=self.stride, pad=self.pad_state)")
        _ = e.crop(dxPadID, dx, g)
        memory.remember("gradWMat", gradWID, e)
        memory.remember("gradB", gradBID, e)
    }

    /// `dactivation`: `dact[i]` written from `grad[i]` (times the activation's slope there).
    private func emitDactivation(_ e: Emitter, from gradID: TensorID, _ dact: Tensor, code: String) -> TensorID {
        e.phase(.dactivation, code)
        let id = e.zeros("dact", dact.shape)
        for i in 0..<dact.count {
            e.step(id, i, from: gradID, i)
            e.write(id, i, dact.data[i], from: gradID, i)
        }
        return id
    }

    /// `update`: per element of the filter matrix, then of the bias, the optimizer's state and
    /// the new value, written from the gradient.
    func emitUpdate(_ e: Emitter, before: (w: Tensor, b: Tensor)) {
        let wID = memory.id("wMat", e, before.w, name: wMatrixName)
        let gwID = memory.id("gradWMat", e, gradWMatrix, name: "grad_w")
        let bShape = form == .plain ? [b.count, 1] : [b.count]
        let bID = memory.id("b", e, Tensor(shape: bShape, data: before.b.data), name: "b")
        let gbID = memory.id("gradB", e, gradB, name: "grad_b")
        e.phase(.update, optW.code)
        emitStep(e, param: wID, wMatrix, grad: gwID, optW, names: ("adam_m", "adam_v"))
        emitStep(e, param: bID, b, grad: gbID, optB, names: ("adam_m_b", "adam_v_b"))
    }

    private func emitStep(_ e: Emitter, param: TensorID, _ values: Tensor, grad: TensorID,
                          _ state: OptimizerState, names: (String, String)) {
        let moments = state.hasMoments ? (e.zeros(names.0, values.shape), e.zeros(names.1, values.shape)) : nil
        for i in 0..<values.count {
            e.step(param, i, from: grad, i)
            if let (m, v) = moments {
                e.write(m, i, state.m[i], from: grad, i)
                e.write(v, i, state.v[i], from: grad, i)
            }
            e.write(param, i, values.data[i], from: grad, i)
        }
    }
}

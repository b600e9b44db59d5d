/// What `ConvLayer` tells a recorder, phase by phase, as `docs/trace.md` lists it.
/// Called only when a recorder is on; everything here reads values the layer already computed,
/// except the `slide` phase, the seed's naive loop, which exists only to be shown.
extension ConvLayer {
    var wMatrixName: String { form == .plain ? "w_mat" : "w_T" }
    /// The filter matrix's axes: `(M, C·FH·FW)` plain, its transpose for the base form.
    var wMatrixAxes: [String] { form == .plain ? ["m", Axes.patch] : [Axes.patch, "m"] }
    /// The product operand's axes: the article's layout for the plain form, its transpose for the base.
    var xFormAxes: [String] { form == .plain ? Axes.columns(.seed) : Axes.columns(.rows) }
    /// The product's axes: `(M, B·OH·OW)` plain, `(B·OH·OW, M)` base.
    var productAxes: [String] { form == .plain ? ["m", Axes.placement] : [Axes.placement, "m"] }
    /// The bias as each form adds it: `(M, 1)` plain, `(M,)` base.
    var biasAxes: [String] { form == .plain ? ["m", ""] : ["m"] }

    func layerInfo(_ g: ConvGeometry) -> LayerInfo {
        LayerInfo(operation: .conv, form: form, layout: layout, stride: Pair(g.SH, g.SW), pad: Pair(g.PH, g.PW),
                  dilation: dilation, filter: g.filterShape, activation: activation, optimizer: optW.optimizer,
                  sizes: g.axisSizes(pooling: false))
    }

    func emitForward(_ e: Emitter, _ x: Tensor) {
        guard let s = saved else { return }
        let g = s.g
        e.rec.describe(layerInfo(g))
        let xID = e.input(x)
        let xPadID = e.pad(xID, x, g)
        let wID = e.given(w, "w", axes: Axes.filter, role: .weights, labels: wLabels)
        emitSlide(e, s, xPadID: xPadID, wID: wID)
        let colsID = e.im2col(xPadID, s.xPad, g, layout, code: ArticleCode.im2col(form: form, layout: layout))
        var xFormID = colsID
        if colsNeedTranspose {
            xFormID = e.transpose(form == .plain ? ArticleCode.rowsX : ArticleCode.baseX, "cols_T", of: colsID,
                                  s.cols.shape, sourceAxes: Axes.columns(layout), perm: [1, 0])
        }
        let flatShape = [g.M, g.patchSize]
        let wMatCode = ArticleCode.filterMatrix(form)
        var wMatID = e.reshape(wMatCode, "w_mat", of: wID, g.filterShape, to: flatShape, axes: ["m", Axes.patch],
                               role: .weights, kind: .filterReshape)
        if form == .base {
            wMatID = e.transpose(wMatCode, "w_T", of: wMatID, flatShape, sourceAxes: ["m", Axes.patch], perm: [1, 0],
                                 role: .weights)
        }
        let (a, b) = form == .plain
            ? (Operand(wMatID, wMatrix, axes: wMatrixAxes), Operand(xFormID, s.xForm, axes: xFormAxes))
            : (Operand(xFormID, s.xForm, axes: xFormAxes), Operand(wMatID, wMatrix, axes: wMatrixAxes))
        let code = form == .plain ? ArticleCode.plainBias : ArticleCode.baseU
        let uID = e.product(.gemm, code, "u", a, b, result: s.product, role: .intermediate)
        let bID = e.given(Tensor(shape: form == .plain ? [g.M, 1] : [g.M], data: self.b.data), "b",
                          axes: biasAxes, role: .bias)
        memory.remember("b", bID, e)
        emitBias(e, g, uID: uID, bID: bID, code: code)
        switch form {
        case .plain:
            let shape = [g.M, g.B, g.OH, g.OW]
            let uR = e.reshape(ArticleCode.plainU, "u", of: uID, s.product.shape, to: shape, axes: ["m", "b", "oh", "ow"])
            let uT = e.transpose(ArticleCode.plainU, "u", of: uR, shape, sourceAxes: ["m", "b", "oh", "ow"], perm: [1, 0, 2, 3])
            _ = emitActivation(e, from: uT, y: y, axes: ["b", "m", "oh", "ow"], role: .output)
        case .base:
            let yID = emitActivation(e, from: uID, y: s.yMat, axes: productAxes, role: .intermediate)
            let shape = [g.B, g.OH, g.OW, g.M]
            let yR = e.reshape(ArticleCode.baseY, "y", of: yID, s.yMat.shape, to: shape, axes: ["b", "oh", "ow", "m"])
            _ = e.transpose(ArticleCode.baseY, "y", of: yR, shape, sourceAxes: ["b", "oh", "ow", "m"], perm: [0, 3, 1, 2],
                            role: .output)
        }
        memory.remember("xForm", xFormID, e)
        memory.remember("wMat", wMatID, e)
    }

    /// `bias`: one step per placement, `b[m]` added to the product's cell of filter m there.
    private func emitBias(_ e: Emitter, _ g: ConvGeometry, uID: TensorID, bID: TensorID, code: CodeLine) {
        e.phase(.bias, code)
        let plain = form == .plain
        for j in 0..<g.placements {
            let first = plain ? j : j * g.M
            e.step(uID, first, from: bID, 0)
            for m in 0..<g.M { e.accumulate(uID, plain ? m * g.placements + j : j * g.M + m, b.data[m], from: bID, m) }
        }
    }

    /// `slide`: the seed's loop `Output[h, w] = Image[h:h_lim, w:w_lim] * Filter`, one step per
    /// output cell, its window's products as terms and their sum (no bias) written to `out`.
    private func emitSlide(_ e: Emitter, _ s: Saved, xPadID: TensorID, wID: TensorID) {
        let g = s.g
        e.phase(.slide, ArticleCode.slide)
        let outID = e.zeros("out", g.outputShape, axes: ["b", "m", "oh", "ow"], role: .output)
        var i = 0
        for b in 0..<g.B { for m in 0..<g.M { for oh in 0..<g.OH { for ow in 0..<g.OW {
            let corner = g.paddedIndex(b: b, c: 0, oh: oh, ow: ow, fh: 0, fw: 0)
            e.step(outID, i, from: xPadID, corner)
            var sum = 0.0
            g.forEachPatchCell { k, c, fh, fw in
                let xi = g.paddedIndex(b: b, c: c, oh: oh, ow: ow, fh: fh, fw: fw)
                let wi = m * g.patchSize + k
                let product = s.xPad.data[xi] * w.data[wi]
                e.term(xPadID, xi, times: wID, wi, product)
                sum += product
            }
            e.write(outID, i, sum, from: xPadID, corner)
            i += 1
        } } } }
    }

    /// `activation`: one write per element of `y` from the pre-activation.
    private func emitActivation(_ e: Emitter, from uID: TensorID, y: Tensor, axes: [String], role: TensorRole) -> TensorID {
        e.phase(.activation, ArticleCode.activation)
        let yID = e.zeros("y", y.shape, axes: axes, role: role)
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
        let plain = form == .plain
        let xFormID = memory.id("xForm", e, s.xForm, name: colsNeedTranspose ? "cols_T" : "cols",
                                axes: xFormAxes, role: .intermediate)
        let wMatID = memory.id("wMat", e, wMatrix, name: wMatrixName, axes: wMatrixAxes, role: .weights)
        let gradID = e.given(grad, "grad", axes: ["b", "m", "oh", "ow"], role: .gradient)
        let dactID: TensorID
        if plain {
            let first = emitDactivation(e, from: gradID, dactAct, axes: ["b", "m", "oh", "ow"])
            let t = e.transpose(ArticleCode.plainDact, "dact", of: first, g.outputShape,
                                sourceAxes: ["b", "m", "oh", "ow"], perm: [1, 0, 2, 3], role: .gradient)
            dactID = e.reshape(ArticleCode.plainDact, "dact_mat", of: t, [g.M, g.B, g.OH, g.OW], to: [g.M, g.placements],
                               axes: productAxes, role: .gradient)
        } else {
            let t = e.transpose(ArticleCode.baseGrad, "grad", of: gradID, g.outputShape,
                                sourceAxes: ["b", "m", "oh", "ow"], perm: [0, 2, 3, 1], role: .gradient)
            let gradMatID = e.reshape(ArticleCode.baseGrad, "grad_mat", of: t, [g.B, g.OH, g.OW, g.M],
                                      to: [g.placements, g.M], axes: productAxes, role: .gradient)
            dactID = emitDactivation(e, from: gradMatID, dactAct, axes: productAxes)
        }
        let dactOp = Operand(dactID, dact, axes: productAxes)
        let gradWID: TensorID
        if plain {
            gradWID = e.product(.gradW, ArticleCode.plainGradW, "grad_w", dactOp,
                                Operand(xFormID, s.xForm, axes: xFormAxes, transposed: true), result: gradWMatrix, role: .gradient)
            _ = e.reshape(ArticleCode.plainGradWShape, "grad_w", of: gradWID, gradWMatrix.shape, to: g.filterShape,
                          axes: Axes.filter, role: .gradient, kind: .gradWReshape)
        } else {
            gradWID = e.product(.gradW, ArticleCode.baseGradW, "grad_w",
                                Operand(xFormID, s.xForm, axes: xFormAxes, transposed: true), dactOp, result: gradWMatrix,
                                role: .gradient)
            let t = e.transpose(ArticleCode.baseGradWShape, "grad_w", of: gradWID, gradWMatrix.shape,
                                sourceAxes: [Axes.patch, "m"], perm: [1, 0], role: .gradient)
            _ = e.reshape(ArticleCode.baseGradWShape, "grad_w", of: t, [g.M, g.patchSize], to: g.filterShape,
                          axes: Axes.filter, role: .gradient, kind: .gradWReshape)
        }
        // grad_b: every column (plain) or row (base) of dact added into its filter's bias.
        e.phase(.gradB, plain ? ArticleCode.plainGradB : ArticleCode.baseGradB)
        // The plain form keeps the article's `.reshape(M, 1)`: grad_b has b's shape, (M, 1).
        let gradBID = e.zeros("grad_b", plain ? [g.M, 1] : [g.M], axes: biasAxes, role: .gradient)
        for m in 0..<g.M {
            e.step(gradBID, m, from: dactID, plain ? m * g.placements : m)
            for j in 0..<g.placements {
                let k = plain ? m * g.placements + j : j * g.M + m
                e.accumulate(gradBID, m, dact.data[k], from: dactID, k)
            }
        }
        let gradColsID = plain
            ? e.product(.gradCols, ArticleCode.plainGradX, "grad_cols",
                        Operand(wMatID, wMatrix, axes: wMatrixAxes, transposed: true), dactOp, result: gradCols, role: .gradient)
            : e.product(.gradCols, ArticleCode.baseGradX, "grad_cols",
                        dactOp, Operand(wMatID, wMatrix, axes: wMatrixAxes, transposed: true), result: gradCols, role: .gradient)
        var colsInID = gradColsID
        let col2imCode = ArticleCode.col2im(form: form, layout: layout)
        if colsNeedTranspose {
            colsInID = e.transpose(plain ? ArticleCode.rowsGradX : col2imCode, "grad_cols_T", of: gradColsID,
                                   gradCols.shape, sourceAxes: xFormAxes, perm: [1, 0], role: .gradient)
        }
        let dxPadID = e.col2im(colsInID, colsIn, g, layout, code: col2imCode)
        _ = e.crop(dxPadID, dx, g)
        memory.remember("gradWMat", gradWID, e)
        memory.remember("gradB", gradBID, e)
    }

    /// `dactivation`: `dact[i]` written from `grad[i]` (times the activation's slope there).
    private func emitDactivation(_ e: Emitter, from gradID: TensorID, _ dact: Tensor, axes: [String]) -> TensorID {
        e.phase(.dactivation, ArticleCode.dact)
        let id = e.zeros("dact", dact.shape, axes: axes, role: .gradient)
        for i in 0..<dact.count {
            e.step(id, i, from: gradID, i)
            e.write(id, i, dact.data[i], from: gradID, i)
        }
        return id
    }

    /// `update`, twice: per element of the filter matrix, then (a phase of its own, with its
    /// own line) of the bias, the optimizer's state and the new value, written from the gradient.
    func emitUpdate(_ e: Emitter, before: (w: Tensor, b: Tensor)) {
        let wID = memory.id("wMat", e, before.w, name: wMatrixName, axes: wMatrixAxes, role: .weights)
        let gwID = memory.id("gradWMat", e, gradWMatrix, name: "grad_w", axes: wMatrixAxes, role: .gradient)
        let bShape = form == .plain ? [b.count, 1] : [b.count]
        let bID = memory.id("b", e, Tensor(shape: bShape, data: before.b.data), name: "b", axes: biasAxes, role: .bias)
        let gbID = memory.id("gradB", e, Tensor(shape: bShape, data: gradB.data), name: "grad_b", axes: biasAxes,
                             role: .gradient)
        let states = optimizerStates
        e.phase(.update, ArticleCode.update(states.w.optimizer, bias: false))
        emitStep(e, param: wID, wMatrix, grad: gwID, states.w, names: ("adam_m", "adam_v"), axes: wMatrixAxes)
        e.phase(.update, ArticleCode.update(states.b.optimizer, bias: true))
        emitStep(e, param: bID, Tensor(shape: bShape, data: b.data), grad: gbID, states.b,
                 names: ("adam_m_b", "adam_v_b"), axes: biasAxes)
    }

    private func emitStep(_ e: Emitter, param: TensorID, _ values: Tensor, grad: TensorID,
                          _ state: OptimizerState, names: (String, String), axes: [String]) {
        let moments = state.hasMoments
            ? (e.zeros(names.0, values.shape, axes: axes, role: .optimizerState),
               e.zeros(names.1, values.shape, axes: axes, role: .optimizerState))
            : nil
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

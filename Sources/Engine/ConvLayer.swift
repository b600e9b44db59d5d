/// The seed's `ConvLayer`: im2col, one matrix product, a reshape/transpose chain, and col2im
/// on the way back, in either of the seed's two forms (which give the same numbers).
///
/// `.plain`: `u = w@x + b` with `w` `(M, C·FH·FW)`, `x = im2col(x)`, then
/// `u.reshape(M, B, O_h, O_w).transpose(1, 0, 2, 3)` and `y = act(u)`.
/// `.base`: the seed's `BaseLayer` on `im2col(x).T`: `u = x.T@w.T + b`, `y = act(u)`, then
/// `y.reshape(B, O_h, O_w, M).transpose(0, 3, 1, 2)`. As the article's main listing inherits
/// `BaseLayer`, this form runs a `BaseLayer`'s forward, backward and update.
public final class ConvLayer {
    /// The filter `(M, C, FH, FW)`, kept 4-D for the picture; the product uses `wMatrix`.
    public private(set) var w: Tensor
    /// The bias `(M,)`.
    public private(set) var b: Tensor
    /// Symbolic names of the filter's cells (`W`, `X`, …) used when the filter is declared.
    public var wLabels: [String]?
    public let stride: Pair
    public let pad: Padding
    public let dilation: Pair
    public let activation: Activation
    public let form: ConvForm
    public let layout: ColumnLayout
    /// The pre-activation `(B, M, OH, OW)` of the last forward pass.
    public private(set) var u = Tensor(zeros: [0, 0, 0, 0])
    /// The output `(B, M, OH, OW)` of the last forward pass.
    public private(set) var y = Tensor(zeros: [0, 0, 0, 0])
    /// Gradients of the last backward pass: `(M, C, FH, FW)` and `(M,)`.
    public private(set) var gradW: Tensor
    public private(set) var gradB: Tensor
    /// The sizes of the last forward pass.
    public private(set) var geometry: ConvGeometry?

    /// The seed reshapes the filter once, at construction: `(M, C·FH·FW)` for `.plain`,
    /// its transpose `(C·FH·FW, M)` for `.base`.
    var wMatrix: Tensor
    /// The base form's dense layer, holding `wMatrix` and `b` as its `w` and `b`; nil for `.plain`.
    let dense: BaseLayer?
    /// The plain form's optimizer states (the base form's are its dense layer's).
    var optW: OptimizerState
    var optB: OptimizerState
    /// What the last forward pass computed, in the form's own shapes, for backward and the trace.
    var saved: Saved?
    var gradWMatrix: Tensor
    var memory = TraceMemory()

    struct Saved {
        let g: ConvGeometry
        let xPad: Tensor
        let cols: Tensor      // in `layout`
        let xForm: Tensor     // the product's operand: (C·FH·FW, B·OH·OW) plain, (B·OH·OW, C·FH·FW) base
        let product: Tensor   // before the bias
        let uMat: Tensor      // after the bias, in the product's shape
        let yMat: Tensor      // base form only: act(uMat)
    }

    public init(w: Tensor, b: Tensor, stride: Pair = Pair(1), pad: Padding = .pair(Pair(0)),
                dilation: Pair = Pair(1), activation: Activation = .identity, optimizer: Optimizer = .defaultSGD,
                form: ConvForm = .plain, layout: ColumnLayout = .seed) throws {
        guard w.rank == 4 else {
            throw EngineError("the filter must have 4 axes (M, C, FH, FW), but its shape is \(shapeText(w.shape))")
        }
        guard w.shape.allSatisfy({ $0 > 0 }) else {
            throw EngineError("the filter \(shapeText(w.shape)) has a size below 1")
        }
        guard b.shape == [w.shape[0]] else {
            throw EngineError("the bias must have shape (\(w.shape[0]),) for the filter \(shapeText(w.shape)), but its shape is \(shapeText(b.shape))")
        }
        try checkSettings(stride: stride, pad: pad, dilation: dilation)
        (self.w, self.b, self.stride, self.pad, self.dilation) = (w, b, stride, pad, dilation)
        (self.activation, self.form, self.layout) = (activation, form, layout)
        let flat = try w.reshaped([w.shape[0], -1])
        wMatrix = form == .plain ? flat : flat.T
        gradW = Tensor(zeros: w.shape)
        gradB = Tensor(zeros: b.shape)
        gradWMatrix = Tensor(zeros: wMatrix.shape)
        optW = OptimizerState(optimizer, count: w.count)
        optB = OptimizerState(optimizer, count: b.count)
        dense = form == .base ? try BaseLayer(w: wMatrix, b: b, activation: activation, optimizer: optimizer) : nil
    }

    /// The optimizer's states for the filter matrix and the bias, whichever form holds them.
    var optimizerStates: (w: OptimizerState, b: OptimizerState) { dense.map { ($0.optW, $0.optB) } ?? (optW, optB) }

    /// Whether the form's product operand is the transpose of the layout's im2col matrix.
    var colsNeedTranspose: Bool { (form == .plain) != (layout == .seed) }

    /// `x` `(B, C, H, W)` → `y` `(B, M, OH, OW)`.
    public func forward(_ x: Tensor, recorder: (any TraceRecorder)? = nil) throws -> Tensor {
        guard x.rank == 4 else {
            throw EngineError("the input must have 4 axes (B, C, H, W), but its shape is \(shapeText(x.shape))")
        }
        let padding = try resolvePadding(pad, input: Pair(x.shape[2], x.shape[3]), filter: Pair(w.shape[2], w.shape[3]),
                                         stride: stride, dilation: dilation)
        let g = try ConvGeometry(input: x.shape, filter: w.shape, stride: stride, pad: padding, dilation: dilation)
        let xPad = try x.padded(g.padding)
        let cols = gatherColumns(xPad, g, layout)
        let xForm = colsNeedTranspose ? cols.T : cols
        let product: Tensor, uMat: Tensor, yMat: Tensor
        if let dense {
            // super().forward(x.T)
            yMat = try dense.forward(xForm)
            (product, uMat) = (dense.product, dense.u)
            u = try uMat.reshaped([g.B, g.OH, g.OW, g.M]).transposed([0, 3, 1, 2])
            y = try yMat.reshaped([g.B, g.OH, g.OW, g.M]).transposed([0, 3, 1, 2])
        } else {
            product = try matmul(wMatrix, xForm)
            uMat = try product.adding(b.reshaped([g.M, 1]))
            u = try uMat.reshaped([g.M, g.B, g.OH, g.OW]).transposed([1, 0, 2, 3])
            y = activation.forward(u)
            yMat = Tensor(zeros: [0])
        }
        geometry = g
        saved = Saved(g: g, xPad: xPad, cols: cols, xForm: xForm, product: product, uMat: uMat, yMat: yMat)
        if let e = Emitter(recorder, .forward) { emitForward(e, x) }
        return y
    }

    /// `grad` `(B, M, OH, OW)` → `dx` `(B, C, H, W)`; keeps `gradW` and `gradB` for `update`.
    public func backward(_ grad: Tensor, recorder: (any TraceRecorder)? = nil) throws -> Tensor {
        guard let s = saved else {
            throw EngineError("backward needs a forward pass first")
        }
        let g = s.g
        guard grad.shape == g.outputShape else {
            throw EngineError("the gradient \(shapeText(grad.shape)) does not match the layer's output \(shapeText(g.outputShape))")
        }
        // `dactAct` is what the activation's backward gives; `dact` is it as the products read it.
        let dactAct: Tensor, dact: Tensor, gradCols: Tensor
        if let dense {
            // grad.transpose(0, 2, 3, 1).reshape(-1, M), then super().backward(grad)
            let gradMat = try grad.transposed([0, 2, 3, 1]).reshaped([-1, g.M])
            gradCols = try dense.backward(gradMat)                      // dact@w.T
            (dactAct, dact) = (dense.dact, dense.dact)
            gradWMatrix = dense.gradW                                   // x.T@dact
            gradW = try gradWMatrix.T.reshaped(g.filterShape)
            gradB = dense.gradB                                         // sum(dact, axis=0)
        } else {
            // dact = grad*act.backward(u, y); dact.transpose(1, 0, 2, 3).reshape(M, -1)
            dactAct = try activation.backward(grad, u: u, y: y)
            dact = try dactAct.transposed([1, 0, 2, 3]).reshaped([g.M, -1])
            gradWMatrix = try matmul(dact, transposed: false, s.xForm, transposed: true)   // dact@x.T
            gradW = try gradWMatrix.reshaped(g.filterShape)
            gradB = try dact.sum(axis: 1)                               // sum(dact, axis=1)
            gradCols = try matmul(wMatrix, transposed: true, dact, transposed: false)      // w.T@dact
        }
        let colsIn = colsNeedTranspose ? gradCols.T : gradCols
        let dxPad = scatterColumns(colsIn, g, layout)
        let dx = try dxPad.cropped(g.padding)
        if let e = Emitter(recorder, .backward) {
            emitBackward(e, grad: grad, dactAct: dactAct, dact: dact, gradCols: gradCols, colsIn: colsIn, dxPad: dxPad, dx: dx)
        }
        return dx
    }

    /// One optimizer step on the filter and the bias, with the gradients of the last backward.
    public func update(recorder: (any TraceRecorder)? = nil) {
        let before = (w: wMatrix, b: b)
        if let dense {
            dense.update()
            (wMatrix, b) = (dense.w, dense.b)
        } else {
            optW.step(&wMatrix.data, grad: gradWMatrix.data)
            optB.step(&b.data, grad: gradB.data)
        }
        let flat = form == .plain ? wMatrix : wMatrix.T
        w = Tensor(shape: w.shape, data: flat.data)  // new values: no longer the tensor any trace declared
        b.traceID = nil
        if let e = Emitter(recorder, .update) { emitUpdate(e, before: before) }
    }
}

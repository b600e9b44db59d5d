/// An enabled recorder together with the phases both layers share (input, pad, im2col,
/// matrix products, reshape/transpose, col2im, crop), each emitted as `docs/trace.md` says.
///
/// The layers compute first and emit afterwards from the values they computed, so the
/// untraced path carries no tracing branches at all; every `write` carries the engine's own
/// value, and every `accumulate` follows the order in which the engine added.
struct Emitter {
    let rec: any TraceRecorder
    /// The pass being emitted: every phase and tensor declared here belongs to it.
    let pass: Pass

    /// The recorder if it is attached and on: the one check each operation makes.
    init?(_ recorder: (any TraceRecorder)?, _ pass: Pass) {
        guard let recorder, recorder.isEnabled else { return nil }
        (rec, self.pass) = (recorder, pass)
    }

    var recorderID: ObjectIdentifier { ObjectIdentifier(rec) }

    func phase(_ kind: PhaseKind, _ code: CodeLine) { rec.begin(PhaseInfo(kind: kind, code: code, pass: pass)) }

    /// A step begins: `dst[dstIndex]` is the cell in focus, `src[srcIndex]` its main source.
    func step(_ dst: TensorID, _ dstIndex: Int, from src: TensorID = .none, _ srcIndex: Int = -1) {
        rec.record(Event(.step, src: src, srcIndex, dst: dst, dstIndex))
    }

    func write(_ dst: TensorID, _ dstIndex: Int, _ value: Double, from src: TensorID = .none, _ srcIndex: Int = -1) {
        rec.record(Event(.write, src: src, srcIndex, dst: dst, dstIndex, value: value))
    }

    func accumulate(_ dst: TensorID, _ dstIndex: Int, _ value: Double, from src: TensorID, _ srcIndex: Int) {
        rec.record(Event(.accumulate, src: src, srcIndex, dst: dst, dstIndex, value: value))
    }

    func term(_ a: TensorID, _ aIndex: Int, times b: TensorID, _ bIndex: Int, _ product: Double) {
        rec.record(Event(.term, src: a, aIndex, dst: b, bIndex, value: product))
    }

    func read(_ src: TensorID, _ srcIndex: Int) {
        rec.record(Event(.read, src: src, srcIndex))
    }

    /// `cell[cellIndex]` stands for `origin[originIndex]` of an earlier tensor.
    func link(_ cell: TensorID, _ cellIndex: Int, to origin: TensorID, _ originIndex: Int) {
        rec.record(Event(.link, src: origin, originIndex, dst: cell, cellIndex))
    }

    /// Declares `tensor` as given unless the caller already did (then its id stands).
    func given(_ tensor: Tensor, _ name: String, axes: [String], role: TensorRole, labels: [String]? = nil) -> TensorID {
        var t = tensor
        return rec.declareGiven(&t, name: name, labels: labels, axes: axes, pass: pass, role: role)
    }

    /// A tensor that starts as zeros and is filled by this pass's events.
    func zeros(_ name: String, _ shape: [Int], axes: [String], role: TensorRole, pad: [[Int]]? = nil) -> TensorID {
        rec.declare(TensorInfo(name: name, shape: shape, origin: .zeros, axes: axes, pass: pass, role: role, pad: pad))
    }

    /// A phase that only derives a reshaped or transposed view. Its first step materialises the
    /// whole tensor (one `derive`) and links every cell to the cell it comes from, so that the
    /// whole movement can be drawn at once; then one step per element, in the result's order,
    /// follows each value from its index before to its index after.
    private func derive(_ kind: PhaseKind, _ code: CodeLine, _ name: String, _ origin: TensorOrigin, shape: [Int],
                        axes: [String], role: TensorRole, from src: TensorID, sourceShape: [Int]) -> TensorID {
        phase(kind, code)
        let id = rec.declare(TensorInfo(name: name, shape: shape, origin: origin, axes: axes, pass: pass, role: role))
        let count = shape.reduce(1, *)
        func source(_ d: Int) -> Int {
            if case .transpose(_, let perm) = origin { return Tensor.sourceIndex(ofTransposed: d, shape: sourceShape, axes: perm) }
            return d
        }
        step(id, -1)
        rec.record(Event(.derive, src: src, 0, dst: id, 0))
        for d in 0..<count { link(id, d, to: src, source(d)) }
        for d in 0..<count { step(id, d, from: src, source(d)) }
        return id
    }

    /// `src.reshape(shape)`, whose axes the caller names as the numpy line implies.
    func reshape(_ code: CodeLine, _ name: String, of src: TensorID, _ sourceShape: [Int], to shape: [Int],
                 axes: [String], role: TensorRole = .intermediate, kind: PhaseKind = .reshape) -> TensorID {
        derive(kind, code, name, .reshape(of: src), shape: shape, axes: axes, role: role, from: src, sourceShape: sourceShape)
    }

    /// `src.transpose(axes)`: its axis names are the source's, permuted.
    func transpose(_ code: CodeLine, _ name: String, of src: TensorID, _ sourceShape: [Int], sourceAxes: [String],
                   perm: [Int], role: TensorRole = .intermediate, kind: PhaseKind = .transpose) -> TensorID {
        derive(kind, code, name, .transpose(of: src, axes: perm), shape: perm.map { sourceShape[$0] },
               axes: Axes.permuted(sourceAxes, perm), role: role, from: src, sourceShape: sourceShape)
    }

    /// `input`: the layer's input as given, one step on its first cell.
    func input(_ x: Tensor) -> TensorID {
        phase(.input, ArticleCode.forward)
        let id = given(x, "x", axes: Axes.image, role: .input)
        step(id, 0)
        return id
    }

    /// `pad`: every input cell copied into the zero-padded `x_pad` (emitted even for pad 0).
    func pad(_ xID: TensorID, _ x: Tensor, _ g: ConvGeometry) -> TensorID {
        phase(.pad, ArticleCode.pad)
        let id = zeros("x_pad", g.paddedShape, axes: Axes.image, role: .intermediate, pad: g.padExtents)
        step(id, g.PH * g.WP + g.PW, from: xID, 0)
        for i in 0..<x.count {
            write(id, g.paddedIndex(ofInput: i), x.data[i], from: xID, i)
        }
        return id
    }

    /// `im2col`: one step per filter placement `(b, oh, ow)`, one write per `(c, fh, fw)`.
    func im2col(_ xPadID: TensorID, _ xPad: Tensor, _ g: ConvGeometry, _ layout: ColumnLayout, code: CodeLine) -> TensorID {
        phase(.im2col, code)
        let id = zeros("cols", g.columnShape(layout), axes: Axes.columns(layout), role: .intermediate)
        g.forEachPlacement { j, b, oh, ow in
            step(id, g.columnIndex(k: 0, j: j, layout), from: xPadID,
                 g.paddedIndex(b: b, c: 0, oh: oh, ow: ow, fh: 0, fw: 0))
            g.forEachPatchCell { k, c, fh, fw in
                let s = g.paddedIndex(b: b, c: c, oh: oh, ow: ow, fh: fh, fw: fw)
                write(id, g.columnIndex(k: k, j: j, layout), xPad.data[s], from: xPadID, s)
            }
        }
        return id
    }

    /// A matrix product phase: one step per result cell `(i, j)`, one `term` per k in
    /// increasing order, one `write` of the engine's result.
    func product(_ kind: PhaseKind, _ code: CodeLine, _ name: String, _ a: Operand, _ b: Operand,
                 result: Tensor, role: TensorRole) -> TensorID {
        phase(kind, code)
        let id = zeros(name, result.shape, axes: [a.axes[0], b.axes[1]], role: role)
        let (n, m) = (result.shape[0], result.shape[1])
        let k = a.columns
        for i in 0..<n {
            for j in 0..<m {
                step(id, i * m + j, from: a.id, a.index(i, 0))
                for p in 0..<k {
                    let (ai, bi) = (a.index(i, p), b.index(p, j))
                    term(a.id, ai, times: b.id, bi, a.values.data[ai] * b.values.data[bi])
                }
                write(id, i * m + j, result.data[i * m + j])
            }
        }
        return id
    }

    /// `col2im`: one step per placement (column), adding each of its cells into `dx_pad`.
    func col2im(_ colsID: TensorID, _ cols: Tensor, _ g: ConvGeometry, _ layout: ColumnLayout, code: CodeLine) -> TensorID {
        phase(.col2im, code)
        let id = zeros("dx_pad", g.paddedShape, axes: Axes.image, role: .gradient, pad: g.padExtents)
        g.forEachPlacement { j, b, oh, ow in
            step(id, g.paddedIndex(b: b, c: 0, oh: oh, ow: ow, fh: 0, fw: 0), from: colsID, g.columnIndex(k: 0, j: j, layout))
            g.forEachPatchCell { k, c, fh, fw in
                let s = g.columnIndex(k: k, j: j, layout)
                accumulate(id, g.paddedIndex(b: b, c: c, oh: oh, ow: ow, fh: fh, fw: fw), cols.data[s], from: colsID, s)
            }
        }
        return id
    }

    /// `crop`: the padding cut off, every inner cell of `dx_pad` written to `dx`.
    func crop(_ dxPadID: TensorID, _ dx: Tensor, _ g: ConvGeometry) -> TensorID {
        phase(.crop, ArticleCode.crop)
        let id = zeros("dx", g.inputShape, axes: Axes.image, role: .output)
        step(id, 0, from: dxPadID, g.PH * g.WP + g.PW)
        for i in 0..<dx.count {
            write(id, i, dx.data[i], from: dxPadID, g.paddedIndex(ofInput: i))
        }
        return id
    }
}

/// One side of a matrix product as the trace names it: the tensor `id` holding `values`,
/// read as itself or (`transposed`) as its `.T`, without materialising the transpose.
struct Operand {
    let id: TensorID
    let values: Tensor
    let transposed: Bool
    /// The axis names of the matrix as the product reads it.
    let axes: [String]

    init(_ id: TensorID, _ values: Tensor, axes: [String], transposed: Bool = false) {
        (self.id, self.values, self.transposed) = (id, values, transposed)
        self.axes = transposed ? axes.reversed() : axes
    }

    /// Columns of the matrix as the product reads it.
    var columns: Int { transposed ? values.shape[0] : values.shape[1] }

    /// The flat index in `values` of logical cell `(r, c)`.
    func index(_ r: Int, _ c: Int) -> Int {
        transposed ? c * values.shape[1] + r : r * values.shape[1] + c
    }
}

/// The ids a layer's earlier traced passes declared, so that a later pass traced by the same
/// recorder points at them instead of declaring copies.
struct TraceMemory {
    var recorder: ObjectIdentifier?
    var ids: [String: TensorID] = [:]

    /// The id remembered under `key` for this emitter's recorder, or `tensor` declared as given.
    mutating func id(_ key: String, _ e: Emitter, _ tensor: Tensor, name: String, axes: [String], role: TensorRole) -> TensorID {
        if recorder == e.recorderID, let id = ids[key] { return id }
        let id = e.given(tensor, name, axes: axes, role: role)
        remember(key, id, e)
        return id
    }

    mutating func remember(_ key: String, _ id: TensorID, _ e: Emitter) {
        if recorder != e.recorderID { (recorder, ids) = (e.recorderID, [:]) }
        ids[key] = id
    }
}

/// An enabled recorder together with the phases both layers share (input, pad, im2col,
/// matrix products, reshape/transpose, col2im, crop), each emitted as `docs/trace.md` says.
///
/// The layers compute first and emit afterwards from the values they computed, so the
/// untraced path carries no tracing branches at all; every `write` carries the engine's own
/// value, and every `accumulate` follows the order in which the engine added.
struct Emitter {
    let rec: any TraceRecorder

    /// The recorder if it is attached and on: the one check each operation makes.
    init?(_ recorder: (any TraceRecorder)?) {
        guard let recorder, recorder.isEnabled else { return nil }
        rec = recorder
    }

    var recorderID: ObjectIdentifier { ObjectIdentifier(rec) }

    func phase(_ kind: PhaseKind, _ code: String) { rec.begin(PhaseInfo(kind: kind, code: code)) }

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

    /// Declares `tensor` as given unless the caller already did (then its id stands).
    func given(_ tensor: Tensor, _ name: String, labels: [String]? = nil) -> TensorID {
        var t = tensor
        return rec.declareGiven(&t, name: name, labels: labels)
    }

    func zeros(_ name: String, _ shape: [Int]) -> TensorID { rec.declareZeros(name, shape: shape) }

    /// A phase that only derives a reshaped or transposed view: one step, one `derive`.
    func derive(_ kind: PhaseKind, _ code: String, _ name: String, _ origin: TensorOrigin, shape: [Int],
                from src: TensorID) -> TensorID {
        phase(kind, code)
        let id = rec.declare(TensorInfo(name: name, shape: shape, origin: origin))
        step(id, 0, from: src, 0)
        rec.record(Event(.derive, src: src, 0, dst: id, 0))
        return id
    }

    func reshape(_ code: String, _ name: String, of src: TensorID, to shape: [Int], kind: PhaseKind = .reshape) -> TensorID {
        derive(kind, code, name, .reshape(of: src), shape: shape, from: src)
    }

    func transpose(_ code: String, _ name: String, of src: TensorID, axes: [Int], shape: [Int],
                   kind: PhaseKind = .transpose) -> TensorID {
        derive(kind, code, name, .transpose(of: src, axes: axes), shape: axes.map { shape[$0] }, from: src)
    }

    /// `input`: the layer's input as given, one step on its first cell.
    func input(_ x: Tensor, labels: [String]?, code: String) -> TensorID {
        phase(.input, code)
        let id = given(x, "x", labels: labels)
        step(id, 0, from: .none)
        return id
    }

    /// `pad`: every input cell copied into the zero-padded `x_pad` (emitted even for pad 0).
    func pad(_ xID: TensorID, _ x: Tensor, _ g: ConvGeometry) -> TensorID {
        phase(.pad, "x = np.pad(x, [(0, 0), (0, 0), (pad_ud, pad_ud), (pad_lr, pad_lr)], \"constant\")")
        let id = zeros("x_pad", g.paddedShape)
        step(id, g.PH * g.WP + g.PW, from: xID, 0)
        for i in 0..<x.count {
            let col = i % g.W, row = (i / g.W) % g.H, plane = i / (g.W * g.H)
            write(id, (plane * g.HP + row + g.PH) * g.WP + col + g.PW, x.data[i], from: xID, i)
        }
        return id
    }

    /// `im2col`: one step per filter placement `(b, oh, ow)`, one write per `(c, fh, fw)`.
    func im2col(_ xPadID: TensorID, _ xPad: Tensor, _ g: ConvGeometry, _ layout: ColumnLayout, code: String) -> TensorID {
        phase(.im2col, code)
        let id = zeros("cols", g.columnShape(layout))
        for b in 0..<g.B { for oh in 0..<g.OH { for ow in 0..<g.OW {
            let j = (b * g.OH + oh) * g.OW + ow
            step(id, g.columnIndex(k: 0, j: j, layout), from: xPadID,
                 g.paddedIndex(b: b, c: 0, oh: oh, ow: ow, fh: 0, fw: 0))
            for c in 0..<g.C { for fh in 0..<g.FH { for fw in 0..<g.FW {
                let k = (c * g.FH + fh) * g.FW + fw
                let s = g.paddedIndex(b: b, c: c, oh: oh, ow: ow, fh: fh, fw: fw)
                write(id, g.columnIndex(k: k, j: j, layout), xPad.data[s], from: xPadID, s)
            } } }
        } } }
        return id
    }

    /// A matrix product phase: one step per result cell `(i, j)`, one `term` per k in
    /// increasing order, one `write` of the engine's result.
    func product(_ kind: PhaseKind, _ code: String, _ name: String,
                 _ a: Operand, _ b: Operand, result: Tensor) -> TensorID {
        phase(kind, code)
        let id = zeros(name, result.shape)
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
    func col2im(_ colsID: TensorID, _ cols: Tensor, _ g: ConvGeometry, _ layout: ColumnLayout, code: String) -> TensorID {
        phase(.col2im, code)
        let id = zeros("dx_pad", g.paddedShape)
        for b in 0..<g.B { for oh in 0..<g.OH { for ow in 0..<g.OW {
            let j = (b * g.OH + oh) * g.OW + ow
            step(id, g.paddedIndex(b: b, c: 0, oh: oh, ow: ow, fh: 0, fw: 0), from: colsID, g.columnIndex(k: 0, j: j, layout))
            for c in 0..<g.C { for fh in 0..<g.FH { for fw in 0..<g.FW {
                let k = (c * g.FH + fh) * g.FW + fw
                let s = g.columnIndex(k: k, j: j, layout)
                accumulate(id, g.paddedIndex(b: b, c: c, oh: oh, ow: ow, fh: fh, fw: fw), cols.data[s], from: colsID, s)
            } } }
        } } }
        return id
    }

    /// `crop`: the padding cut off, every inner cell of `dx_pad` written to `dx`.
    func crop(_ dxPadID: TensorID, _ dx: Tensor, _ g: ConvGeometry) -> TensorID {
        phase(.crop, "dx = dx_pad[:, :, pad_ud:pad_ud + I_h, pad_lr:pad_lr + I_w]")
        let id = zeros("dx", g.inputShape)
        step(id, 0, from: dxPadID, g.PH * g.WP + g.PW)
        for i in 0..<dx.count {
            let col = i % g.W, row = (i / g.W) % g.H, plane = i / (g.W * g.H)
            write(id, i, dx.data[i], from: dxPadID, (plane * g.HP + row + g.PH) * g.WP + col + g.PW)
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

    init(_ id: TensorID, _ values: Tensor, transposed: Bool = false) {
        (self.id, self.values, self.transposed) = (id, values, transposed)
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
    mutating func id(_ key: String, _ e: Emitter, _ tensor: Tensor, name: String) -> TensorID {
        if recorder == e.recorderID, let id = ids[key] { return id }
        let id = e.given(tensor, name)
        remember(key, id, e)
        return id
    }

    mutating func remember(_ key: String, _ id: TensorID, _ e: Emitter) {
        if recorder != e.recorderID { (recorder, ids) = (e.recorderID, [:]) }
        ids[key] = id
    }
}

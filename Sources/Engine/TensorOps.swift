/// The numpy operations the seed's layers use, on `Tensor`.
/// Each returns a new tensor without a trace tag: a new tensor is not yet in any trace.
extension Tensor {
    /// A tensor of `shape` filled from `data`, or an error when they do not fit together.
    public static func make(shape: [Int], data: [Double]) throws -> Tensor {
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw EngineError("the shape \(shapeText(shape)) has a negative size")
        }
        let n = try checkedCount(shape, "a tensor of shape \(shapeText(shape))")
        guard n == data.count else {
            throw EngineError("the shape \(shapeText(shape)) holds \(n) values, but \(data.count) were given")
        }
        return Tensor(shape: shape, data: data)
    }

    /// numpy's `reshape`: the same values in the same order under a new shape.
    /// One axis may be `-1`, meaning "whatever is left".
    public func reshaped(_ newShape: [Int]) throws -> Tensor {
        let free = newShape.indices.filter { newShape[$0] == -1 }
        guard free.count <= 1, newShape.allSatisfy({ $0 >= -1 }) else {
            throw EngineError("cannot reshape \(shapeText(shape)) to \(shapeText(newShape)): only one axis may be -1 and no other size may be negative")
        }
        var resolved = newShape
        let known = try checkedCount(newShape.filter { $0 != -1 }, "the shape \(shapeText(newShape))")
        if let axis = free.first {
            guard known > 0, count % known == 0 else {
                throw EngineError("cannot reshape \(shapeText(shape)) (\(count) values) to \(shapeText(newShape))")
            }
            resolved[axis] = count / known
        } else if known != count {
            throw EngineError("cannot reshape \(shapeText(shape)) (\(count) values) to \(shapeText(newShape)) (\(known) values)")
        }
        return Tensor(shape: resolved, data: data)
    }

    /// Checks that `axes` is a permutation of `0..<rank`.
    public static func checkPermutation(_ axes: [Int], rank: Int) throws {
        guard axes.count == rank, Set(axes) == Set(0..<rank) else {
            throw EngineError("the axes \(axes) are not a permutation of the \(rank) axes 0..<\(rank)")
        }
    }

    /// numpy's `transpose(axes)` for any permutation, materialised in the new order.
    /// `axes` must be a permutation (see `checkPermutation`): the engine only passes constants.
    public func transposed(_ axes: [Int]) -> Tensor {
        precondition((try? Tensor.checkPermutation(axes, rank: rank)) != nil,
                     "transpose axes \(axes) do not permute a rank-\(rank) tensor")
        let newShape = axes.map { shape[$0] }
        guard count > 0 else { return Tensor(shape: newShape, data: []) }
        if rank == 2 && axes == [1, 0] { return Tensor(shape: newShape, data: transposed2D(rows: shape[0], columns: shape[1])) }
        // Trailing axes that keep their place are one contiguous run in both tensors: copy
        // runs, and step the odometer only over the axes before them.
        var lead = rank
        var run = 1
        while lead > 0 && axes[lead - 1] == lead - 1 {
            lead -= 1
            run *= shape[lead]
        }
        let oldStrides = strides
        let walk = axes.map { oldStrides[$0] }  // how far one step along each new axis moves in the old data
        var index = [Int](repeating: 0, count: rank)
        var source = 0
        // The runs tile the result from its first element to its last, each written once.
        let out = [Double](unsafeUninitializedCapacity: count) { dst, n in
            data.withUnsafeBufferPointer { src in
                let (s0, d0) = (src.baseAddress!, dst.baseAddress!)
                for start in stride(from: 0, to: count, by: run) {
                    (d0 + start).initialize(from: s0 + source, count: run)
                    // Odometer step over the leading new axes, moving `source` along with it.
                    var axis = lead - 1
                    while axis >= 0 {
                        index[axis] += 1
                        source += walk[axis]
                        if index[axis] < newShape[axis] { break }
                        source -= walk[axis] * newShape[axis]
                        index[axis] = 0
                        axis -= 1
                    }
                }
            }
            n = count
        }
        return Tensor(shape: newShape, data: out)
    }

    /// Where element `flat` of `transposed(axes)` comes from: its flat index in a tensor of
    /// `shape`. For following one element through a transpose without materialising it.
    public static func sourceIndex(ofTransposed flat: Int, shape: [Int], axes: [Int]) -> Int {
        let index = unravel(flat, shape: axes.map { shape[$0] })
        let oldStrides = strides(of: shape)
        var source = 0
        for (k, axis) in axes.enumerated() { source += index[k] * oldStrides[axis] }
        return source
    }

    /// `.T` of a `(rows, columns)` matrix in 32×32 tiles, so that both sides stay in cache.
    private func transposed2D(rows: Int, columns: Int) -> [Double] {
        // The tiles cover every (i, j) once.
        [Double](unsafeUninitializedCapacity: rows * columns) { dst, n in
            data.withUnsafeBufferPointer { src in
                let (s0, d0) = (src.baseAddress!, dst.baseAddress!)
                for i0 in stride(from: 0, to: rows, by: 32) {
                    for j0 in stride(from: 0, to: columns, by: 32) {
                        for i in i0..<min(i0 + 32, rows) {
                            let from = s0 + i * columns
                            for j in j0..<min(j0 + 32, columns) { (d0 + j * rows + i).initialize(to: from[j]) }
                        }
                    }
                }
            }
            n = rows * columns
        }
    }

    /// The matrix transpose `.T` of a 2-D tensor.
    public var T: Tensor { transposed([1, 0]) }

    /// Zero padding of the last two axes by `pad.v` rows and `pad.h` columns on each side.
    public func padded(_ pad: Pair) throws -> Tensor {
        guard rank >= 2, pad.v >= 0, pad.h >= 0 else {
            throw EngineError("cannot pad \(shapeText(shape)) by \(pad): it needs at least 2 axes and a non-negative pad")
        }
        let (h, w) = (shape[rank - 2], shape[rank - 1])
        let hp = try checkedAdd(h, checkedMul(2, pad.v, "the pad"), "the padded height")
        let wp = try checkedAdd(w, checkedMul(2, pad.h, "the pad"), "the padded width")
        let newShape = Array(shape.dropLast(2)) + [hp, wp]
        let planes = try checkedCount(Array(shape.dropLast(2)), "the padded tensor")
        _ = try checkedCount(newShape, "the padded tensor")
        var out = Tensor(zeros: newShape)
        data.withUnsafeBufferPointer { src in
            out.data.withUnsafeMutableBufferPointer { dst in
                for p in 0..<planes {
                    for i in 0..<h {
                        let from = (p * h + i) * w
                        let to = (p * hp + i + pad.v) * wp + pad.h
                        for j in 0..<w { dst[to + j] = src[from + j] }
                    }
                }
            }
        }
        return out
    }

    /// The inverse of `padded`: drops `pad` rows and columns from each side of the last two axes.
    public func cropped(_ pad: Pair) throws -> Tensor {
        guard rank >= 2, pad.v >= 0, pad.h >= 0,
              shape[rank - 2] >= 2 * pad.v, shape[rank - 1] >= 2 * pad.h else {
            throw EngineError("cannot crop \(shapeText(shape)) by \(pad)")
        }
        let (hp, wp) = (shape[rank - 2], shape[rank - 1])
        let (h, w) = (hp - 2 * pad.v, wp - 2 * pad.h)
        let planes = shape.dropLast(2).reduce(1, *)
        var out = Tensor(zeros: Array(shape.dropLast(2)) + [h, w])
        data.withUnsafeBufferPointer { src in
            out.data.withUnsafeMutableBufferPointer { dst in
                for p in 0..<planes {
                    for i in 0..<h {
                        let from = (p * hp + i + pad.v) * wp + pad.h
                        let to = (p * h + i) * w
                        for j in 0..<w { dst[to + j] = src[from + j] }
                    }
                }
            }
        }
        return out
    }

    /// numpy's `sum(axis=)`: the axis disappears. Sums run in index order, starting from 0,
    /// so a trace that accumulates in the same order rebuilds the same bits.
    public func sum(axis: Int) throws -> Tensor {
        guard (0..<rank).contains(axis) else {
            throw EngineError("cannot sum \(shapeText(shape)) over axis \(axis): it has \(rank) axes")
        }
        let outer = shape[..<axis].reduce(1, *)
        let n = shape[axis]
        let inner = shape[(axis + 1)...].reduce(1, *)
        var out = [Double](repeating: 0, count: outer * inner)
        data.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                guard let s0 = src.baseAddress, let d0 = dst.baseAddress else { return }
                for o in 0..<outer {
                    let row = d0 + o * inner
                    for k in 0..<n {
                        let from = s0 + (o * n + k) * inner
                        for i in 0..<inner { row[i] += from[i] }
                    }
                }
            }
        }
        var newShape = shape
        newShape.remove(at: axis)
        return Tensor(shape: newShape, data: out)
    }

    /// Elementwise `f`.
    public func map(_ f: (Double) -> Double) -> Tensor {
        Tensor(shape: shape, data: data.map(f))
    }

    /// `self * factor`.
    public func scaled(by factor: Double) -> Tensor { map { $0 * factor } }

    /// Elementwise `op` with numpy broadcasting (shapes aligned from the right; size 1 stretches).
    public func broadcast(_ other: Tensor, _ op: (Double, Double) -> Double) throws -> Tensor {
        if shape == other.shape {
            var out = data
            for i in out.indices { out[i] = op(data[i], other.data[i]) }
            return Tensor(shape: shape, data: out)
        }
        let r = max(rank, other.rank)
        let a = [Int](repeating: 1, count: r - rank) + shape
        let b = [Int](repeating: 1, count: r - other.rank) + other.shape
        var outShape = [Int](repeating: 0, count: r)
        for i in 0..<r {
            guard a[i] == b[i] || a[i] == 1 || b[i] == 1 else {
                throw EngineError("cannot broadcast \(shapeText(shape)) with \(shapeText(other.shape))")
            }
            outShape[i] = a[i] == 1 ? b[i] : a[i]
        }
        let n = try checkedCount(outShape, "the broadcast result")
        // A stretched axis has stride 0, so the same source value is read again.
        let sa = zip(Tensor.strides(of: a), a).map { $1 == 1 ? 0 : $0 }
        let sb = zip(Tensor.strides(of: b), b).map { $1 == 1 ? 0 : $0 }
        var out = [Double](repeating: 0, count: n)
        guard n > 0 else { return Tensor(shape: outShape, data: out) }
        // The last axis in an inner loop with its two strides; the odometer over the others.
        let inner = outShape[r - 1], (ia1, ib1) = (sa[r - 1], sb[r - 1])
        var index = [Int](repeating: 0, count: r)
        var (ia, ib) = (0, 0)
        data.withUnsafeBufferPointer { pa in
            other.data.withUnsafeBufferPointer { pb in
                out.withUnsafeMutableBufferPointer { po in
                    let (a0, b0, o0) = (pa.baseAddress!, pb.baseAddress!, po.baseAddress!)
                    for start in stride(from: 0, to: n, by: inner) {
                        for i in 0..<inner { o0[start + i] = op(a0[ia + i * ia1], b0[ib + i * ib1]) }
                        var axis = r - 2
                        while axis >= 0 {
                            index[axis] += 1
                            ia += sa[axis]
                            ib += sb[axis]
                            if index[axis] < outShape[axis] { break }
                            ia -= sa[axis] * outShape[axis]
                            ib -= sb[axis] * outShape[axis]
                            index[axis] = 0
                            axis -= 1
                        }
                    }
                }
            }
        }
        return Tensor(shape: outShape, data: out)
    }

    /// numpy's `+` with broadcasting (the seed's `u + b`).
    public func adding(_ other: Tensor) throws -> Tensor { try broadcast(other, +) }
    /// numpy's `-` with broadcasting.
    public func subtracting(_ other: Tensor) throws -> Tensor { try broadcast(other, -) }
    /// numpy's `*` with broadcasting (the seed's `grad*self.act.backward(...)`).
    public func multiplied(by other: Tensor) throws -> Tensor { try broadcast(other, *) }

    /// The inner product of all values, `⟨self, other⟩`.
    public func dot(_ other: Tensor) throws -> Double {
        guard shape == other.shape else {
            throw EngineError("cannot take the inner product of \(shapeText(shape)) and \(shapeText(other.shape))")
        }
        var s = 0.0
        for i in data.indices { s += data[i] * other.data[i] }
        return s
    }
}

import Dispatch

/// Products with more multiply-adds than this are split over two threads; below it the
/// cost of starting the threads is larger than the gain.
let parallelMultiplyAdds = 1 << 18

/// numpy's `a @ b` for 2-D tensors: `(n, k) @ (k, m) = (n, m)`.
///
/// Every output cell is summed over k in increasing order starting from 0, with or without
/// threads and whatever the blocking, so a trace that lists the terms in that order rebuilds
/// the same bits.
public func matmul(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    try matmul(a, transposed: false, b, transposed: false)
}

/// `a @ b` where either operand may be read as its transpose (`a.T @ b`, `a @ b.T`) without
/// materialising the transpose: the packing step reads through strides instead.
func matmul(_ a: Tensor, transposed ta: Bool, _ b: Tensor, transposed tb: Bool) throws -> Tensor {
    guard a.rank == 2, b.rank == 2 else {
        throw EngineError("cannot multiply \(shapeText(a.shape)) @ \(shapeText(b.shape)): both must be matrices")
    }
    let (n, k) = ta ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
    let (k2, m) = tb ? (b.shape[1], b.shape[0]) : (b.shape[0], b.shape[1])
    guard k == k2 else {
        let shown = { (t: Tensor, tr: Bool) in shapeText(tr ? [t.shape[1], t.shape[0]] : t.shape) }
        throw EngineError("cannot multiply \(shown(a, ta)) @ \(shown(b, tb)): the inner sizes must agree")
    }
    _ = try checkedCount([n, m], "the product \(shapeText([n, k])) @ \(shapeText([k, m]))")
    guard n > 0, k > 0, m > 0 else { return Tensor(zeros: [n, m]) }
    // Zero-filled though the first k-block stores every cell: filling costs one pass over
    // the result against k multiply-adds per cell, and no cell depends on the tiling to exist.
    var out = [Double](repeating: 0, count: n * m)
    let work = n.multipliedReportingOverflow(by: k).partialValue.multipliedReportingOverflow(by: m)
    let parallel = work.overflow || work.partialValue > parallelMultiplyAdds
    a.data.withUnsafeBufferPointer { ra in
        b.data.withUnsafeBufferPointer { rb in
            out.withUnsafeMutableBufferPointer { ro in
                // Non-empty arrays always have an address.
                guard let a0 = ra.baseAddress, let b0 = rb.baseAddress, let o0 = ro.baseAddress else { return }
                let pa = Strided(base: a0, row: ta ? 1 : a.shape[1], column: ta ? a.shape[1] : 1)
                let pb = Strided(base: b0, row: tb ? 1 : b.shape[1], column: tb ? b.shape[1] : 1)
                let po = WriteBox(base: o0)
                // The two halves write disjoint cells and each cell is summed by one thread,
                // so splitting never changes the order of any sum.
                if parallel && (m >= 2 * NR || n >= 2 * MR) {
                    DispatchQueue.concurrentPerform(iterations: 2) { part in
                        if m >= n {
                            let half = (m / 2 + NR - 1) / NR * NR
                            let (lo, hi) = part == 0 ? (0, half) : (half, m)
                            blockedProduct(n: n, k: k, m: hi - lo, pa, pb.offset(column: lo), po.base + lo, ldc: m)
                        } else {
                            let half = (n / 2 + MR - 1) / MR * MR
                            let (lo, hi) = part == 0 ? (0, half) : (half, n)
                            blockedProduct(n: hi - lo, k: k, m: m, pa.offset(row: lo), pb, po.base + lo * m, ldc: m)
                        }
                    }
                } else {
                    blockedProduct(n: n, k: k, m: m, pa, pb, po.base, ldc: m)
                }
            }
        }
    }
    return Tensor(shape: [n, m], data: out)
}

/// A read-only matrix seen through strides, so that a transpose is only a swap of strides.
struct Strided: @unchecked Sendable {
    let base: UnsafePointer<Double>
    let row: Int
    let column: Int
    @inline(__always) func offset(row r: Int) -> Strided { Strided(base: base + r * row, row: row, column: column) }
    @inline(__always) func offset(column c: Int) -> Strided { Strided(base: base + c * column, row: row, column: column) }
}

/// A read-only base address that may cross into `concurrentPerform`.
struct ReadBox: @unchecked Sendable {
    let base: UnsafePointer<Double>
}

/// A writable base address shared by threads that write disjoint ranges.
struct WriteBox: @unchecked Sendable {
    let base: UnsafeMutablePointer<Double>
}

/// Register tile: MR rows × NR columns of the result stay in registers through a k-block.
let MR = 6
let NR = 4
/// Cache blocks: a KC×NC panel of `b` (about 1 MiB) stays in L2, an MC×KC panel of `a` in L1/L2.
let KC = 256
let MC = 64
let NC = 512

/// The GotoBLAS loop nest: for each column block and k-block, `b` is packed into NR-wide
/// panels and `a` into MR-high panels, both contiguous in k, and the register tile runs over
/// them. K-blocks run in increasing order and each continues the sums the previous one
/// stored, so every cell is still `((0 + a0·b0) + a1·b1) + …`.
func blockedProduct(n: Int, k: Int, m: Int, _ a: Strided, _ b: Strided,
                    _ c: UnsafeMutablePointer<Double>, ldc: Int) {
    let packedB = UnsafeMutablePointer<Double>.allocate(capacity: KC * (NC + NR))
    let packedA = UnsafeMutablePointer<Double>.allocate(capacity: 2 * KC * (MC + MR))
    defer {
        packedB.deallocate()
        packedA.deallocate()
    }
    for jc in stride(from: 0, to: m, by: NC) {
        let nc = min(NC, m - jc)
        for pc in stride(from: 0, to: k, by: KC) {
            let kc = min(KC, k - pc)
            pack(b, rows: pc, kc, columns: jc, nc, width: NR, transposedRead: false, into: packedB)
            for ic in stride(from: 0, to: n, by: MC) {
                let mc = min(MC, n - ic)
                pack(a, rows: ic, mc, columns: pc, kc, width: MR, transposedRead: true, into: packedA)
                for jr in stride(from: 0, to: nc, by: NR) {
                    let bPanel = UnsafePointer(packedB + jr * kc)
                    for ir in stride(from: 0, to: mc, by: MR) {
                        tile(kc: kc, UnsafePointer(packedA + 2 * ir * kc), bPanel,
                             c + (ic + ir) * ldc + jc + jr, ldc: ldc,
                             rows: min(MR, mc - ir), columns: min(NR, nc - jr), first: pc == 0)
                    }
                }
            }
        }
    }
}

/// Packs a block into panels `width` wide, each stored k-major (`width` values per k),
/// zero-filled past the edge. For `b` the panels run along columns; for `a`
/// (`transposedRead`) along rows, so that a panel holds `width` rows' values for each k,
/// each value stored twice.
@inline(__always)
func pack(_ s: Strided, rows r0: Int, _ nr: Int, columns c0: Int, _ nc: Int, width: Int,
          transposedRead: Bool, into dst: UnsafeMutablePointer<Double>) {
    if transposedRead {
        // a block: rows r0..<r0+nr are the panel axis, columns c0..<c0+nc are k.
        var o = dst
        for ir in stride(from: 0, to: nr, by: width) {
            let h = min(width, nr - ir)
            for p in 0..<nc {
                var src = s.base + (r0 + ir) * s.row + (c0 + p) * s.column
                // Each value twice: the tile reads it as a two-lane broadcast with one load
                // (SSE2 has no broadcast instruction).
                for i in 0..<width {
                    let v = i < h ? src.pointee : 0
                    o[2 * i] = v
                    o[2 * i + 1] = v
                    if i < h { src += s.row }
                }
                o += 2 * width
            }
        }
    } else {
        // b block: rows r0..<r0+nr are k, columns c0..<c0+nc are the panel axis.
        var o = dst
        for jr in stride(from: 0, to: nc, by: width) {
            let w = min(width, nc - jr)
            for p in 0..<nr {
                let src = s.base + (r0 + p) * s.row + (c0 + jr) * s.column
                if w == width && s.column == 1 {
                    for j in 0..<width { o[j] = src[j] }
                } else {
                    for j in 0..<width { o[j] = j < w ? src[j * s.column] : 0 }
                }
                o += width
            }
        }
    }
}

/// The register tile: an MR×NR block of the result over one k-block, as six four-lane sums,
/// one per row. `SIMD4<Double>` is one AVX register when the build targets AVX (then the tile
/// uses 8 of 16 registers), and a pair of SSE2 registers on baseline x86-64 (then 15 of 16, as
/// two-lane code would: nothing spills), so the same source suits both targets.
/// Multiply then add, never fused, so the rounding is the same as the plain loop's.
@inline(__always)
func tile(kc: Int, _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>,
          _ c: UnsafeMutablePointer<Double>, ldc: Int, rows: Int, columns: Int, first: Bool) {
    typealias V = SIMD4<Double>
    typealias H = SIMD2<Double>
    // Partial tiles go through a scratch tile so the loop below is always the full one.
    var scratch = (V(), V(), V(), V(), V(), V())
    let full = rows == MR && columns == NR
    withUnsafeMutableBytes(of: &scratch) { raw in
        let t = raw.baseAddress!.assumingMemoryBound(to: Double.self)
        let (out, ld) = full ? (c, ldc) : (t, NR)
        if !full {
            for i in 0..<MR { for j in 0..<NR { t[i * NR + j] = (first || i >= rows || j >= columns) ? 0 : c[i * ldc + j] } }
        }
        @inline(__always) func load(_ i: Int) -> V {
            first && full ? V() : UnsafeRawPointer(out + i * ld).loadUnaligned(as: V.self)
        }
        // One packed value of `a`, stored twice, spread over four lanes: one load on SSE2
        // (both halves are the same register), one 128-bit broadcast load on AVX.
        @inline(__always) func broadcast(_ p: UnsafePointer<Double>) -> V {
            let x = UnsafeRawPointer(p).loadUnaligned(as: H.self)
            return V(lowHalf: x, highHalf: x)
        }
        var c0 = load(0), c1 = load(1), c2 = load(2)
        var c3 = load(3), c4 = load(4), c5 = load(5)
        var pa = a, pb = b
        for _ in 0..<kc {
            let y = UnsafeRawPointer(pb).loadUnaligned(as: V.self)
            c0 = c0 + broadcast(pa) * y
            c1 = c1 + broadcast(pa + 2) * y
            c2 = c2 + broadcast(pa + 4) * y
            c3 = c3 + broadcast(pa + 6) * y
            c4 = c4 + broadcast(pa + 8) * y
            c5 = c5 + broadcast(pa + 10) * y
            pa += 2 * MR
            pb += NR
        }
        @inline(__always) func store(_ v: V, _ i: Int) {
            UnsafeMutableRawPointer(out + i * ld).storeBytes(of: v, as: V.self)
        }
        store(c0, 0); store(c1, 1); store(c2, 2)
        store(c3, 3); store(c4, 4); store(c5, 5)
        if !full {
            for i in 0..<rows { for j in 0..<columns { c[i * ldc + j] = t[i * NR + j] } }
        }
    }
}

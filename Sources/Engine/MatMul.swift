import Dispatch

/// Products with more multiply-adds than this are split over two threads; below it the
/// cost of starting the threads is larger than the gain.
let parallelMultiplyAdds = 1 << 18

/// numpy's `a @ b` for 2-D tensors: `(n, k) @ (k, m) = (n, m)`.
///
/// The loops run i–k–j so that the innermost loop walks a row of `b` and a row of the result
/// contiguously. Every output cell is summed over k in increasing order starting from 0, with
/// or without threads, so a trace that lists the terms in that order rebuilds the same bits.
public func matmul(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    guard a.rank == 2, b.rank == 2, a.shape[1] == b.shape[0] else {
        throw EngineError("cannot multiply \(describe(a.shape)) @ \(describe(b.shape)): the inner sizes must agree")
    }
    let (n, k, m) = (a.shape[0], a.shape[1], b.shape[1])
    _ = try checkedCount([n, m], "the product \(describe(a.shape)) @ \(describe(b.shape))")
    var out = [Double](repeating: 0, count: n * m)
    let work = n.multipliedReportingOverflow(by: k).partialValue.multipliedReportingOverflow(by: m)
    let parallel = n > 1 && (work.overflow || work.partialValue > parallelMultiplyAdds)
    guard n > 0, k > 0, m > 0 else { return Tensor(shape: [n, m], data: out) }
    a.data.withUnsafeBufferPointer { ra in
        b.data.withUnsafeBufferPointer { rb in
            out.withUnsafeMutableBufferPointer { ro in
                // Non-empty arrays always have an address; the two halves write disjoint rows.
                guard let a0 = ra.baseAddress, let b0 = rb.baseAddress, let o0 = ro.baseAddress else { return }
                let (pa, pb, po) = (ReadBox(base: a0), ReadBox(base: b0), WriteBox(base: o0))
                let rows: @Sendable (Int, Int) -> Void = { lo, hi in
                    for i in lo..<hi {
                        let outRow = po.base + i * m
                        for p in 0..<k {
                            let aip = pa.base[i * k + p]
                            let bRow = pb.base + p * m
                            for j in 0..<m { outRow[j] += aip * bRow[j] }
                        }
                    }
                }
                if parallel {
                    let half = n / 2
                    DispatchQueue.concurrentPerform(iterations: 2) { part in
                        part == 0 ? rows(0, half) : rows(half, n)
                    }
                } else {
                    rows(0, n)
                }
            }
        }
    }
    return Tensor(shape: [n, m], data: out)
}

/// A read-only base address that may cross into `concurrentPerform`.
struct ReadBox: @unchecked Sendable {
    let base: UnsafePointer<Double>
}

/// A writable base address shared by threads that write disjoint ranges.
struct WriteBox: @unchecked Sendable {
    let base: UnsafeMutablePointer<Double>
}

import XCTest
@testable import Engine

/// The tiled product promises every cell summed as the plain loop sums it,
/// `((0 + a0·b0) + a1·b1) + …` over k in increasing order: the trace lists a product's terms
/// in that order, and a student's numpy comparison expects the same rounding wherever the
/// tiles and threads happen to split. Sizes straddle every block edge: the register tile
/// (MR × NR), the cache blocks (MC rows, KC deep, NC wide) and the size at which two threads
/// share the work, each way.
final class MatMulTests: XCTestCase {
    /// The plain loop, reading `a` as `(n, k)` and `b` as `(k, m)` through their transposes.
    func naive(_ a: Tensor, _ ta: Bool, _ b: Tensor, _ tb: Bool) -> [Double] {
        let (n, k) = ta ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
        let m = tb ? b.shape[0] : b.shape[1]
        var out = [Double](repeating: 0, count: n * m)
        a.data.withUnsafeBufferPointer { pa in
            b.data.withUnsafeBufferPointer { pb in
                for i in 0..<n {
                    for j in 0..<m {
                        var s = 0.0
                        for p in 0..<k {
                            let x = ta ? pa[p * n + i] : pa[i * k + p]
                            let y = tb ? pb[j * k + p] : pb[p * m + j]
                            let product = x * y
                            s = s + product
                        }
                        out[i * m + j] = s
                    }
                }
            }
        }
        return out
    }

    /// Values of very different sizes with no common denominator, and some zeros of both
    /// signs, so that any other order or a fused multiply-add changes the last bits.
    func values(_ count: Int, _ r: inout SplitMix64) -> [Double] {
        (0..<count).map { _ in
            switch r.integer(0, 19) {
            case 0: return 0
            case 1: return -0.0
            default: return Double(r.integer(-9999, 9999)) / 7 * [1e-6, 1, 1e6][r.integer(0, 2)]
            }
        }
    }

    func check(_ n: Int, _ k: Int, _ m: Int, _ r: inout SplitMix64, file: StaticString = #filePath, line: UInt = #line) throws {
        for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
            let a = Tensor(shape: ta ? [k, n] : [n, k], data: values(n * k, &r))
            let b = Tensor(shape: tb ? [m, k] : [k, m], data: values(k * m, &r))
            let c = try matmul(a, transposed: ta, b, transposed: tb)
            XCTAssertEqual(c.shape, [n, m], file: file, line: line)
            let expected = naive(a, ta, b, tb)
            for (i, (u, v)) in zip(c.data, expected).enumerated() where u.bitPattern != v.bitPattern {
                return XCTFail("(\(n), \(k)) @ (\(k), \(m)), a\(ta ? ".T" : "") b\(tb ? ".T" : ""): cell (\(i / m), \(i % m)) is \(u), the plain loop gives \(v)",
                               file: file, line: line)
            }
        }
    }

    func testBlockEdgesAgreeBitForBitWithThePlainLoop() throws {
        XCTAssertEqual([MR, NR, MC, KC, NC], [6, 4, 64, 256, 512], "the sizes below straddle these blocks")
        var r = SplitMix64(seed: 256)
        for (n, k, m) in [(1, 1, 1), (5, 255, 3), (6, 256, 4), (7, 257, 5), (13, 513, 9),
                          (3, 7, 511), (2, 9, 512), (5, 3, 513), (7, 260, 1030),
                          (63, 2, 5), (64, 3, 8), (65, 258, 7), (130, 5, 11)] {
            try check(n, k, m, &r)
        }
    }

    func testWorkSharedByTwoThreadsAgreesBitForBitWithThePlainLoop() throws {
        // Above 2^18 multiply-adds the product is split: by columns when m ≥ n, else by rows.
        XCTAssertEqual(parallelMultiplyAdds, 1 << 18)
        var r = SplitMix64(seed: 512)
        for (n, k, m) in [(9, 300, 515), (515, 300, 9), (67, 257, 66), (66, 257, 67)] {
            XCTAssertGreaterThan(n * k * m, parallelMultiplyAdds)
            try check(n, k, m, &r)
        }
    }

    func testRandomSizesAroundTheBlocksAgreeBitForBitWithThePlainLoop() throws {
        var r = SplitMix64(seed: 1030)
        // Near an edge: one below, on, or just above it.
        func near(_ edges: [Int]) -> Int { max(1, edges[r.integer(0, edges.count - 1)] + r.integer(-2, 3)) }
        var tried = 0
        while tried < 12 {
            let n = near([1, MR, 2 * MR, MC, MC + MR])
            let k = near([1, KC, 2 * KC])
            let m = near([1, NR, NC, NC + NR])
            // The plain loop is slow in a debug build: keep each case to a million terms.
            guard n * k * m <= 1_000_000 else { continue }
            try check(n, k, m, &r)
            tried += 1
        }
    }
}

import XCTest
@testable import Engine

/// Pooling by its definition: each window read cell by cell, zeros in the padding.
func referencePool(_ c: Config, _ x: Tensor, _ grad: Tensor, mode: PoolMode) -> (y: Tensor, dx: Tensor) {
    var y = Tensor(zeros: [c.B, c.C, c.OH, c.OW]), dx = Tensor(zeros: x.shape)
    let n = Double(c.FH * c.FW)
    for bi in 0..<c.B { for ch in 0..<c.C { for oh in 0..<c.OH { for ow in 0..<c.OW {
        var best = -Double.infinity, at: (Int, Int)? = nil, sum = 0.0
        for fh in 0..<c.FH { for fw in 0..<c.FW {
            let cell = inputCell(c, oh, ow, fh, fw)
            let v = cell.map { x[bi, ch, $0.0, $0.1] } ?? 0
            sum += v
            if v > best { (best, at) = (v, cell) }
        } }
        let g = grad[bi, ch, oh, ow]
        switch mode {
        case .max:
            y[bi, ch, oh, ow] = best
            if let (i, j) = at { dx[bi, ch, i, j] += g }  // a max in the padding routes nowhere
        case .average:
            y[bi, ch, oh, ow] = sum / n
            for fh in 0..<c.FH { for fw in 0..<c.FW {
                if let (i, j) = inputCell(c, oh, ow, fh, fw) { dx[bi, ch, i, j] += g / n }
            } }
        }
    } } } }
    return (y, dx)
}

final class PoolingTests: XCTestCase {
    func randomPoolConfig(_ r: inout Seeded) -> Config {
        var c = Config.random(&r)
        c.dilation = Pair(1)
        c.FH = r.int(1...3); c.FW = r.int(1...3)
        c.pad = Pair(r.int(0...(c.FH / 2)), r.int(0...(c.FW / 2)))
        c.H = r.int(c.FH...(c.FH + 5)); c.W = r.int(c.FW...(c.FW + 5))
        c.M = c.C
        return c
    }

    func testMaxAndAveragePoolingAgainstTheDefinition() throws {
        var r = Seeded(20)
        for n in 0..<250 {
            let c = randomPoolConfig(&r)
            let mode: PoolMode = n % 2 == 0 ? .max : .average
            let x = r.tensor([c.B, c.C, c.H, c.W])  // continuous values: no ties
            let grad = r.tensor([c.B, c.C, c.OH, c.OW])
            let layer = try PoolingLayer(pool: Pair(c.FH, c.FW), stride: c.stride, pad: c.pad, mode: mode)
            let y = try layer.forward(x)
            let expected = referencePool(c, x, grad, mode: mode)
            assertClose(y, expected.y, "\(c) \(mode)")
            assertClose(try layer.backward(grad), expected.dx, "\(c) \(mode)")
        }
    }

    func testFiniteDifferences() throws {
        var r = Seeded(21)
        for mode in PoolMode.allCases {
            for _ in 0..<5 {
                let c = randomPoolConfig(&r)
                let x = r.tensor([c.B, c.C, c.H, c.W])
                let layer = try PoolingLayer(pool: Pair(c.FH, c.FW), stride: c.stride, pad: c.pad, mode: mode)
                let probe = r.tensor(try layer.forward(x).shape)
                let dx = try layer.backward(probe)
                let h = 1e-7  // far below the gap between distinct random values, so no argmax flips
                for i in 0..<x.count {
                    var plus = x, minus = x
                    plus.data[i] += h
                    minus.data[i] -= h
                    let numeric = (try layer.forward(plus).dot(probe) - layer.forward(minus).dot(probe)) / (2 * h)
                    XCTAssertEqual(dx.data[i], numeric, accuracy: 1e-6, "\(c) \(mode)")
                }
            }
        }
    }

    func testTiesGoToTheFirstMaximum() throws {
        let x = Tensor(shape: [1, 1, 2, 4], data: [5, 1, 2, 7,
                                                   5, 5, 7, 7])
        let layer = try PoolingLayer(pool: Pair(2))
        XCTAssertEqual(try layer.forward(x).data, [5, 7])
        XCTAssertEqual(layer.argmax.data, [0, 1])
        let dx = try layer.backward(Tensor(shape: [1, 1, 1, 2], data: [1, 2]))
        XCTAssertEqual(dx.data, [1, 0, 0, 2,
                                 0, 0, 0, 0])
    }

    func testOverlappingWindowsAddTheirGradients() throws {
        // Pool 2, stride 1 on one row: the 9 in the middle is the max of both windows.
        let x = Tensor(shape: [1, 1, 1, 3], data: [1, 9, 2])
        let layer = try PoolingLayer(pool: Pair(1, 2), stride: Pair(1))
        XCTAssertEqual(try layer.forward(x).data, [9, 9])
        XCTAssertEqual(try layer.backward(Tensor(shape: [1, 1, 1, 2], data: [0.5, 0.25])).data, [0, 0.75, 0])
    }

    func testSeedBugRoutingWritesEveryGradientAtEveryArgmaxColumn() throws {
        var r = Seeded(22)
        for _ in 0..<30 {
            let c = randomPoolConfig(&r)
            let x = r.tensor([c.B, c.C, c.H, c.W])
            let grad = r.tensor([c.B, c.C, c.OH, c.OW])
            let layer = try PoolingLayer(pool: Pair(c.FH, c.FW), stride: c.stride, pad: c.pad)
            _ = try layer.forward(x)
            let buggy = try layer.backward(grad, routing: .seedBug)
            // What numpy does with grad_x[:, idx] = grad, grad of shape (N, 1): column a of the
            // zero matrix becomes the whole gradient vector when a is in idx.
            let idx = try layer.argmax.transposed([0, 2, 3, 1]).reshaped([-1]).data.map { Int($0) }
            let g = grad.transposed([0, 2, 3, 1]).data
            let n = c.FH * c.FW
            var matrix = Tensor(zeros: [g.count, n])
            for a in idx { for row in 0..<g.count { matrix[row, a] = g[row] } }
            let cols = try matrix.reshaped([c.B * c.OH * c.OW, c.C * n]).T
            var noDilation = c
            noDilation.dilation = Pair(1)
            assertClose(buggy, referenceCol2im(noDilation, cols), "\(c)")
            if Set(idx).count > 1 {
                XCTAssertNotEqual(buggy, try layer.backward(grad), "\(c)")
            }
        }
    }
}

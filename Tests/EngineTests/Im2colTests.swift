import XCTest
@testable import Engine

final class Im2colTests: XCTestCase {
    func testIm2colAndCol2imAgainstDefinitionsOnRandomConfigurations() throws {
        var r = Seeded(1)
        for _ in 0..<250 {
            let c = Config.random(&r)
            let x = r.tensor([c.B, c.C, c.H, c.W])
            let expected = referenceIm2col(c, x)
            let cols = try im2col(x, filter: Pair(c.FH, c.FW), stride: c.stride, pad: c.pad, dilation: c.dilation)
            XCTAssertEqual(cols, expected, "\(c)")
            let rows = try im2col(x, filter: Pair(c.FH, c.FW), stride: c.stride, pad: c.pad, dilation: c.dilation, layout: .rows)
            XCTAssertEqual(rows, expected.T, "\(c)")

            let y = r.tensor(expected.shape)
            let back = try col2im(y, inputShape: x.shape, filter: Pair(c.FH, c.FW), stride: c.stride, pad: c.pad,
                                  dilation: c.dilation)
            assertClose(back, referenceCol2im(c, y), "\(c)")
            let backRows = try col2im(y.T, inputShape: x.shape, filter: Pair(c.FH, c.FW), stride: c.stride, pad: c.pad,
                                      dilation: c.dilation, layout: .rows)
            XCTAssertEqual(backRows, back, "\(c)")

            // col2im is the adjoint of im2col: <im2col x, y> = <x, col2im y>.
            XCTAssertEqual(try cols.dot(y), try x.dot(back), accuracy: 1e-9, "\(c)")
        }
    }

    func testCol2imOfIm2colCountsTheWindowsCoveringEachCell() throws {
        var r = Seeded(2)
        for _ in 0..<50 {
            let c = Config.random(&r)
            let x = r.tensor([c.B, c.C, c.H, c.W])
            let filter = Pair(c.FH, c.FW)
            let round = try col2im(im2col(x, filter: filter, stride: c.stride, pad: c.pad, dilation: c.dilation),
                                   inputShape: x.shape, filter: filter, stride: c.stride, pad: c.pad, dilation: c.dilation)
            // Counting windows independently: how many (oh, ow, fh, fw) land on each cell.
            var cover = Tensor(zeros: [c.H, c.W])
            for oh in 0..<c.OH { for ow in 0..<c.OW { for fh in 0..<c.FH { for fw in 0..<c.FW {
                if let (i, j) = inputCell(c, oh, ow, fh, fw) { cover[i, j] += 1 }
            } } } }
            var expected = x
            for bi in 0..<c.B { for ch in 0..<c.C { for i in 0..<c.H { for j in 0..<c.W {
                expected[bi, ch, i, j] = x[bi, ch, i, j] * cover[i, j]
            } } } }
            assertClose(round, expected, "\(c)")
        }
    }

    /// The seed's worked example: 1…16 as a 4×4 image and a 2×2 filter.
    func testSeedWorkedExample() throws {
        let x = Tensor(shape: [1, 1, 4, 4], data: (1...16).map(Double.init))
        let cols = try im2col(x, filter: Pair(2))
        XCTAssertEqual(cols.shape, [4, 9])
        XCTAssertEqual(Array(cols.data[0..<9]), [1, 2, 3, 5, 6, 7, 9, 10, 11])
        let w = Tensor(shape: [1, 1, 2, 2], data: [1, 10, 100, 1000])  // (W, X, Y, Z)
        let layer = try ConvLayer(w: w, b: Tensor(zeros: [1]))
        let y = try layer.forward(x)
        XCTAssertEqual(y.shape, [1, 1, 3, 3])
        let a: Double = 1 * 1 + 2 * 10 + 5 * 100 + 6 * 1000  // a = 1W + 2X + 5Y + 6Z
        let i: Double = 11 * 1 + 12 * 10 + 15 * 100 + 16 * 1000  // i = 11W + 12X + 15Y + 16Z
        XCTAssertEqual(y[0, 0, 0, 0], a)
        XCTAssertEqual(y[0, 0, 2, 2], i)
    }

    func testTensorOperations() throws {
        var r = Seeded(3)
        let t = r.tensor([2, 3, 4])
        let p = t.transposed([2, 0, 1])
        XCTAssertEqual(p.shape, [4, 2, 3])
        for i in 0..<2 { for j in 0..<3 { for k in 0..<4 { XCTAssertEqual(p[k, i, j], t[i, j, k]) } } }
        XCTAssertEqual(try t.reshaped([-1, 4]).shape, [6, 4])
        XCTAssertEqual(try t.reshaped([4, -1]).data, t.data)
        let s = try t.sum(axis: 1)
        XCTAssertEqual(s.shape, [2, 4])
        XCTAssertEqual(s[1, 2], t[1, 0, 2] + t[1, 1, 2] + t[1, 2, 2], accuracy: 1e-12)
        let bias = r.tensor([4])
        let sum = try t.adding(bias)
        XCTAssertEqual(sum[1, 2, 3], t[1, 2, 3] + bias[3])
        let column = r.tensor([3, 1])
        XCTAssertEqual(try t.adding(column)[1, 2, 3], t[1, 2, 3] + column[2, 0])
        let padded = try t.padded(Pair(1, 2))
        XCTAssertEqual(padded.shape, [2, 5, 8])
        XCTAssertEqual(padded[1, 1, 2], t[1, 0, 0])
        XCTAssertEqual(padded[1, 0, 0], 0)
        XCTAssertEqual(try padded.cropped(Pair(1, 2)), t)

        // matmul against the definition, small and large enough to be split over two threads.
        for (n, k, m) in [(3, 4, 5), (130, 70, 60)] {
            let a = r.tensor([n, k]), b = r.tensor([k, m])
            let c = try matmul(a, b)
            for i in Swift.stride(from: 0, to: n, by: 7) { for j in Swift.stride(from: 0, to: m, by: 3) {
                var s = 0.0
                for p in 0..<k { s += a[i, p] * b[p, j] }
                XCTAssertEqual(c[i, j], s)
            } }
        }
    }
}

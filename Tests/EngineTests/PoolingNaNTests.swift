import XCTest
@testable import Engine

/// Max pooling on windows holding NaN and infinities, against numpy: the article's
/// `np.argmax(col, axis=1)` returns the first NaN of a row and `np.max` returns NaN there.
///
/// The expected maxima and argmaxes were printed once by numpy 2.4, one window per row in
/// row-major window order (the rows `cols.T.reshape(-1, PH·PW)` holds), listed here in the
/// order of y `(b, c, oh, ow)`:
///
///     python3 -c "import numpy as np; nan, inf = np.nan, np.inf; r = np.array([[1,nan,3,0],
///       [1,nan,nan,0], [nan,5,7,nan], [-inf]*4, [1,inf,inf,0], [inf,nan,2,3], [4,9,9,9],
///       [-inf,-1,-1,-inf], [0,0,0,-inf], [0,0,0,nan]]); print(np.max(r, axis=1), np.argmax(r, axis=1));
///       print(np.argmax([[1,nan],[nan,2]], axis=1))"
///     [ nan  nan  nan -inf  inf  nan   9.  -1.   0.  nan] [1 1 0 0 1 1 1 1 0 3]
///     [1 0]
///
/// and the gradients follow from them: each row's gradient at its argmax cell, added where
/// windows overlap (the same run of the article's backward with the correct routing agreed).
final class PoolingNaNTests: XCTestCase {
    let nan = Double.nan, inf = Double.infinity

    /// Same values, NaN equal to NaN, and the sign of zero kept.
    func assertSame(_ a: [Double], _ b: [Double], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, what, file: file, line: line)
        for (i, (x, y)) in zip(a, b).enumerated() where !(x.isNaN && y.isNaN) && (x != y || x.sign != y.sign) {
            return XCTFail("\(what)[\(i)]: \(x) where numpy has \(y)", file: file, line: line)
        }
    }

    func run(_ x: Tensor, pool: Pair, stride: Pair? = nil, pad: Pair = Pair(0), grad: [Double],
             y: [Double], argmax: [Double], dx: [Double], file: StaticString = #filePath, line: UInt = #line) throws {
        let layer = try PoolingLayer(pool: pool, stride: stride, pad: pad)
        let out = try layer.forward(x)
        assertSame(out.data, y, "y", file: file, line: line)
        XCTAssertEqual(layer.argmax.data, argmax, "argmax", file: file, line: line)
        let back = try layer.backward(Tensor(shape: out.shape, data: grad))
        assertSame(back.data, dx, "dx", file: file, line: line)
    }

    func testAWindowWithNaNGivesNaNAtItsFirstNaN() throws {
        // Channel 0: [1 nan; 3 0], [1 nan; nan 0], [nan 5; 7 nan], all −inf.
        // Channel 1: [1 inf; inf 0], [inf nan; 2 3], [4 9; 9 9] (a tie), [−inf −1; −1 −inf].
        let x = Tensor(shape: [1, 2, 4, 4], data: [
            1, nan, 1, nan, 3, 0, nan, 0, nan, 5, -inf, -inf, 7, nan, -inf, -inf,
            1, inf, inf, nan, inf, 0, 2, 3, 4, 9, -inf, -1, 9, 9, -1, -inf,
        ])
        try run(x, pool: Pair(2), grad: [1, 2, 3, 4, 5, 6, 7, 8],
                y: [nan, nan, nan, -inf, inf, nan, 9, -1],
                argmax: [1, 1, 0, 0, 1, 1, 1, 1],
                dx: [0, 1, 0, 2, 0, 0, 0, 0, 3, 0, 4, 0, 0, 0, 0, 0,
                     0, 5, 0, 6, 0, 0, 0, 0, 0, 7, 0, 8, 0, 0, 0, 0])
    }

    func testOverlappingWindowsShareOneNaN() throws {
        // Windows [1 nan] and [nan 2]: both maxima are the NaN in the middle.
        try run(Tensor(shape: [1, 1, 1, 3], data: [1, nan, 2]), pool: Pair(1, 2), stride: Pair(1),
                grad: [10, 20], y: [nan, nan], argmax: [1, 0], dx: [0, 30, 0])
    }

    func testThePaddingTakesPartBesideNaNAndInfinity() throws {
        // The window is [0 0; 0 x]: the padding's zero beats −inf, but not a NaN.
        try run(Tensor(shape: [1, 1, 1, 1], data: [-inf]), pool: Pair(2), pad: Pair(1),
                grad: [5], y: [0], argmax: [0], dx: [0])
        try run(Tensor(shape: [1, 1, 1, 1], data: [nan]), pool: Pair(2), pad: Pair(1),
                grad: [5], y: [nan], argmax: [3], dx: [5])
    }
}

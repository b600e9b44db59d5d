import Engine
import NPY
import XCTest

/// Each compute command on small inputs whose answers are known by hand.
final class ComputeOutputTests: XCTestCase {
    /// The seed's worked example: a 4×4 ramp and the filter (W, X, Y, Z) = (1, 10, 100, 1000),
    /// so that every digit of an output names the input cell it came from.
    func testConv2DOnTheSeedsWorkedExample() throws {
        let s = try ComputeScratch()
        let x = try s.save("x.npy", [1, 1, 4, 4], ramp(16))
        let w = try s.save("w.npy", [1, 1, 2, 2], [1, 10, 100, 1000])
        let result = try computeOK(["conv2d", "--x", x, "--w", w, "--out", s.file("out")])
        XCTAssertTrue(result.stdout.contains("y.npy (1, 1, 3, 3)"), result.stdout)
        let y = try s.load("out/y.npy")
        XCTAssertEqual(y.shape, [1, 1, 3, 3])
        let a: Double = 1 * 1 + 2 * 10 + 5 * 100 + 6 * 1000
        XCTAssertEqual(y.data[0], a, "a = 1W + 2X + 5Y + 6Z")
        var expected: [Double] = []
        for i in 0..<3 {
            for j in 0..<3 {
                let top = Double(4 * i + j + 1)
                let sum: Double = top + 10 * (top + 1) + 100 * (top + 4) + 1000 * (top + 5)
                expected.append(sum)
            }
        }
        XCTAssertEqual(y.data, expected)
        XCTAssertFalse(s.exists("out/dx.npy"), "no gradients without --dy")
    }

    func testConv2DBackwardWithBiasStridePadAndNonSquareShapes() throws {
        let s = try ComputeScratch()
        // One input channel of ones, one 2×3 filter of ones, bias 0.5: every output counts
        // how many of its cells fall inside the image.
        let x = try s.save("x.npy", [1, 1, 3, 4], [Double](repeating: 1, count: 12))
        let w = try s.save("w.npy", [1, 1, 2, 3], [Double](repeating: 1, count: 6))
        let b = try s.save("b.npy", [1], [0.5])
        let dy = try s.save("dy.npy", [1, 1, 2, 2], [1, 1, 1, 1])
        try computeOK(["conv2d", "--x", x, "--w", w, "--b", b, "--stride", "2,2", "--pad", "1,1", "--dy", dy, "--out", s.file("out")])
        // Padded 5×6; windows start at rows 0, 2 and columns 0, 2.
        XCTAssertEqual(try s.load("out/y.npy").data, [2.5, 3.5, 4.5, 6.5])
        XCTAssertEqual(try s.load("out/db.npy"), Tensor(shape: [1], data: [4]))
        XCTAssertEqual(try s.load("out/dw.npy"), Tensor(shape: [1, 1, 2, 3], data: [1, 2, 2, 2, 4, 4]))
        // Each input cell gets one per window that covers it.
        XCTAssertEqual(try s.load("out/dx.npy"), Tensor(shape: [1, 1, 3, 4], data: [1, 2, 1, 1, 1, 2, 1, 1, 1, 2, 1, 1]))
    }

    func testConv2DPadSameKeepsTheSize() throws {
        let s = try ComputeScratch()
        let x = try s.save("x.npy", [2, 2, 5, 4], ramp(80))
        let w = try s.save("w.npy", [3, 2, 3, 3], ramp(54))
        try computeOK(["conv2d", "--x", x, "--w", w, "--pad", "same", "--out", s.file("out")])
        XCTAssertEqual(try s.load("out/y.npy").shape, [2, 3, 5, 4])
    }

    func testIm2colFirstRowIsTheSeeds() throws {
        let s = try ComputeScratch()
        let x = try s.save("x.npy", [1, 1, 4, 4], ramp(16))
        try computeOK(["im2col", "--x", x, "--filter", "2,2", "--out", s.file("out")])
        let cols = try s.load("out/cols.npy")
        XCTAssertEqual(cols.shape, [4, 9])
        XCTAssertEqual(Array(cols.data[0..<9]), [1, 2, 3, 5, 6, 7, 9, 10, 11])
        XCTAssertEqual(Array(cols.data[27..<36]), [6, 7, 8, 10, 11, 12, 14, 15, 16])
        try computeOK(["im2col", "--x", x, "--filter", "2,2", "--layout", "rows", "--out", s.file("rows")])
        let rows = try s.load("rows/cols.npy")
        XCTAssertEqual(rows.shape, [9, 4])
        XCTAssertEqual(Array(rows.data[0..<4]), [1, 2, 5, 6], "one placement per row")
    }

    func testIm2colWithDilationAndStride() throws {
        let s = try ComputeScratch()
        let x = try s.save("x.npy", [1, 1, 5, 5], ramp(25))
        try computeOK(["im2col", "--x", x, "--filter", "2,2", "--dilation", "2", "--stride", "1,2", "--out", s.file("out")])
        let cols = try s.load("out/cols.npy")
        // The dilated filter spans 3×3: OH = 3, OW = (5 − 3) / 2 + 1 = 2.
        XCTAssertEqual(cols.shape, [4, 6])
        XCTAssertEqual(Array(cols.data[0..<6]), [1, 3, 6, 8, 11, 13])
        XCTAssertEqual(Array(cols.data[18..<24]), [13, 15, 18, 20, 23, 25])
    }

    /// col2im adds where windows overlap: folding a matrix of ones counts the windows
    /// covering each cell.
    func testCol2imAddsOverlaps() throws {
        let s = try ComputeScratch()
        let cols = try s.save("cols.npy", [4, 9], [Double](repeating: 1, count: 36))
        try computeOK(["col2im", "--cols", cols, "--shape", "1,1,4,4", "--filter", "2,2", "--out", s.file("out")])
        XCTAssertEqual(try s.load("out/x.npy"), Tensor(shape: [1, 1, 4, 4], data: [1, 2, 2, 1, 2, 4, 4, 2, 2, 4, 4, 2, 1, 2, 2, 1]))
        let rows = try s.save("rows.npy", [9, 4], [Double](repeating: 1, count: 36))
        try computeOK(["col2im", "--cols", rows, "--shape", "1,1,4,4", "--filter", "2,2", "--layout", "rows", "--out", s.file("rows")])
        XCTAssertEqual(try s.load("rows/x.npy"), try s.load("out/x.npy"))
    }

    func testMaxPoolWritesArgmaxAndRoutesTheGradient() throws {
        let s = try ComputeScratch()
        // Two windows; the second has a tie (7, 7), which goes to the first in row-major order.
        let x = try s.save("x.npy", [1, 1, 2, 4], [1, 9, 7, 3, 4, 2, 7, 5])
        let dy = try s.save("dy.npy", [1, 1, 1, 2], [10, 20])
        try computeOK(["maxpool", "--x", x, "--pool", "2", "--dy", dy, "--out", s.file("out")])
        XCTAssertEqual(try s.load("out/y.npy"), Tensor(shape: [1, 1, 1, 2], data: [9, 7]))
        XCTAssertEqual(try s.load("out/argmax.npy"), Tensor(shape: [1, 1, 1, 2], data: [1, 0]))
        XCTAssertEqual(try s.load("out/dx.npy"), Tensor(shape: [1, 1, 2, 4], data: [0, 10, 20, 0, 0, 0, 0, 0]))
    }

    func testOverlappingMaxPoolWindowsAddTheirGradients() throws {
        let s = try ComputeScratch()
        let x = try s.save("x.npy", [1, 1, 3, 3], [0, 0, 0, 0, 9, 0, 0, 0, 0])
        let dy = try s.save("dy.npy", [1, 1, 2, 2], [1, 2, 3, 4])
        try computeOK(["maxpool", "--x", x, "--pool", "2", "--stride", "1", "--dy", dy, "--out", s.file("out")])
        XCTAssertEqual(try s.load("out/y.npy").data, [9, 9, 9, 9])
        XCTAssertEqual(try s.load("out/argmax.npy").data, [3, 2, 1, 0])
        XCTAssertEqual(try s.load("out/dx.npy").data, [0, 0, 0, 0, 10, 0, 0, 0, 0])
    }

    func testAvgPool() throws {
        let s = try ComputeScratch()
        let x = try s.save("x.npy", [1, 1, 4, 4], ramp(16))
        let dy = try s.save("dy.npy", [1, 1, 2, 2], [4, 8, 12, 16])
        try computeOK(["avgpool", "--x", x, "--pool", "2,2", "--dy", dy, "--out", s.file("out")])
        XCTAssertEqual(try s.load("out/y.npy").data, [3.5, 5.5, 11.5, 13.5])
        XCTAssertFalse(s.exists("out/argmax.npy"))
        XCTAssertEqual(try s.load("out/dx.npy").data, [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4])
    }

    func testInputsOfEverySupportedTypeAreAccepted() throws {
        let s = try ComputeScratch()
        let int32 = NPYBytes.file(descr: "<i4", shape: "(1, 1, 4, 4)", data: (1...16).flatMap { NPYBytes.le(Int32($0)) })
        let x = try s.saveBytes("x.npy", int32)
        let w = try s.saveBytes("w.npy", NPYBytes.file(descr: "<f4", shape: "(1, 1, 2, 2)",
                                                       data: [1, 10, 100, 1000].flatMap { NPYBytes.le(Float($0).bitPattern) }))
        let b = try s.saveBytes("b.npy", NPYBytes.file(descr: "<i8", shape: "(1, 1)", data: NPYBytes.le(Int64(-6000))))
        try computeOK(["conv2d", "--x", x, "--w", w, "--b", b, "--out", s.file("out")])
        XCTAssertEqual(try s.load("out/y.npy").data[0], 521)
    }

    func testOutIsCreatedWithItsParents() throws {
        let s = try ComputeScratch()
        let x = try s.save("x.npy", [1, 1, 2, 2], [1, 2, 3, 4])
        try computeOK(["maxpool", "--x", x, "--pool", "2", "--out", s.file("a/b/c")])
        XCTAssertEqual(try s.load("a/b/c/y.npy").data, [4])
    }
}

/// Hand-made `.npy` bytes of types and shapes the writer never produces.
enum NPYBytes {
    static func file(descr: String, shape: String, fortran: Bool = false, data: [UInt8]) -> [UInt8] {
        var text = Array("{'descr': '\(descr)', 'fortran_order': \(fortran ? "True" : "False"), 'shape': \(shape), }".utf8)
        let total = (10 + text.count + 1 + 63) / 64 * 64
        text += [UInt8](repeating: 0x20, count: total - 10 - text.count - 1) + [0x0A]
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(text.count & 0xFF), UInt8(text.count >> 8)] + text + data
    }

    static func le<T: FixedWidthInteger>(_ v: T) -> [UInt8] {
        (0..<(T.bitWidth / 8)).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) }
    }
}

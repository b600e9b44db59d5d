import XCTest
@testable import Engine

final class ValidationTests: XCTestCase {
    let x = Tensor(zeros: [2, 3, 5, 5])

    func testConvolutionGeometryRefusals() {
        assertRefused(["(2, 3, 5, 5)", "(4, 2, 3, 3)", "3 channels", "expects 2"]) {
            _ = try ConvGeometry(input: [2, 3, 5, 5], filter: [4, 2, 3, 3])
        }
        assertRefused(["filter spans 7×3", "padded input of 5×5"]) {
            _ = try ConvGeometry(input: [2, 3, 5, 5], filter: [1, 3, 7, 3])
        }
        assertRefused(["spans 5×5", "dilation 2", "padded input of 4×4"]) {
            _ = try ConvGeometry(input: [1, 1, 4, 4], filter: [1, 1, 3, 3], dilation: Pair(2))
        }
        assertRefused(["input height H", "0"]) { _ = try ConvGeometry(input: [1, 1, 0, 4], filter: [1, 1, 1, 1]) }
        assertRefused(["batch size B", "-2"]) { _ = try ConvGeometry(input: [-2, 1, 4, 4], filter: [1, 1, 1, 1]) }
        assertRefused(["filter count M", "0"]) { _ = try ConvGeometry(input: [1, 1, 4, 4], filter: [0, 1, 1, 1]) }
        assertRefused(["stride", "at least 1"]) {
            _ = try ConvGeometry(input: [1, 1, 4, 4], filter: [1, 1, 2, 2], stride: Pair(1, 0))
        }
        assertRefused(["dilation", "at least 1"]) {
            _ = try ConvGeometry(input: [1, 1, 4, 4], filter: [1, 1, 2, 2], dilation: Pair(0))
        }
        assertRefused(["pad", "negative"]) {
            _ = try ConvGeometry(input: [1, 1, 4, 4], filter: [1, 1, 2, 2], pad: Pair(-1, 0))
        }
        assertRefused(["4 axes", "(5, 5)"]) { _ = try ConvGeometry(input: [5, 5], filter: [1, 1, 2, 2]) }
    }

    func testHugeSizesAreRefusedBeforeAllocating() {
        assertRefused(["input", "limit of \(Limits.maxElements)"]) {
            _ = try ConvGeometry(input: [1 << 20, 1 << 20, 1 << 20, 1 << 20], filter: [1, 1 << 20, 1, 1])
        }
        assertRefused(["im2col matrix", "limit"]) {
            _ = try ConvGeometry(input: [64, 64, 128, 128], filter: [1, 64, 7, 7], pad: Pair(3))
        }
        assertRefused(["too large"]) {
            _ = try ConvGeometry(input: [1, 1, 4, 4], filter: [1, 1, 2, 2], pad: Pair(Int.max / 2))
        }
        assertRefused(["too large"]) {
            _ = try ConvGeometry(input: [1, 1, 4, 4], filter: [1, 1, Int.max, 2], dilation: Pair(2))
        }
        assertRefused(["limit"]) { _ = try Tensor.make(shape: [Int.max, 2], data: []) }
        assertRefused(["holds 6 values", "5 were given"]) { _ = try Tensor.make(shape: [2, 3], data: [1, 2, 3, 4, 5]) }
    }

    func testPadSame() throws {
        XCTAssertEqual(try resolvePadding(.same, input: Pair(5, 6), filter: Pair(3, 5), stride: Pair(1), dilation: Pair(1)),
                       Pair(1, 2))
        // With dilation 2 a 3-cell filter spans 5 cells: pad 2 keeps a 7-wide input 7 wide.
        XCTAssertEqual(try resolvePadding(.same, input: Pair(7), filter: Pair(3), stride: Pair(1), dilation: Pair(2)),
                       Pair(2))
        assertRefused(["pad \"same\"", "(3·2 − 4 + 3)/2 = 2.5 rows", "not a whole number", "such as 2 or 3"]) {
            _ = try resolvePadding(.same, input: Pair(4), filter: Pair(3), stride: Pair(2), dilation: Pair(1))
        }
        assertRefused(["columns"]) {
            _ = try resolvePadding(.same, input: Pair(5, 4), filter: Pair(3, 2), stride: Pair(1), dilation: Pair(1))
        }
        let layer = try ConvLayer(w: Tensor(zeros: [2, 3, 3, 3]), b: Tensor(zeros: [2]), pad: .same)
        XCTAssertEqual(try layer.forward(x).shape, [2, 2, 5, 5])
    }

    func testLayerAndOperationRefusals() throws {
        assertRefused(["bias", "(2,)", "(3,)"]) { _ = try ConvLayer(w: Tensor(zeros: [2, 3, 3, 3]), b: Tensor(zeros: [3])) }
        assertRefused(["4 axes"]) { _ = try ConvLayer(w: Tensor(zeros: [2, 3, 3]), b: Tensor(zeros: [2])) }
        assertRefused(["stride"]) { _ = try ConvLayer(w: Tensor(zeros: [1, 1, 1, 1]), b: Tensor(zeros: [1]), stride: Pair(0)) }
        assertRefused(["dilation"]) { _ = try ConvLayer(w: Tensor(zeros: [1, 1, 1, 1]), b: Tensor(zeros: [1]), dilation: Pair(0)) }
        assertRefused(["pad", "negative"]) {
            _ = try ConvLayer(w: Tensor(zeros: [1, 1, 1, 1]), b: Tensor(zeros: [1]), pad: .pair(Pair(-1)))
        }
        let layer = try ConvLayer(w: Tensor(zeros: [2, 2, 3, 3]), b: Tensor(zeros: [2]))
        assertRefused(["3 channels", "expects 2"]) { _ = try layer.forward(x) }
        assertRefused(["forward pass first"]) { _ = try layer.backward(Tensor(zeros: [2, 2, 3, 3])) }
        let ok = try ConvLayer(w: Tensor(zeros: [2, 3, 3, 3]), b: Tensor(zeros: [2]))
        _ = try ok.forward(x)
        assertRefused(["gradient (2, 2, 4, 4)", "(2, 2, 3, 3)"]) { _ = try ok.backward(Tensor(zeros: [2, 2, 4, 4])) }

        assertRefused(["pool size", "at least 1"]) { _ = try PoolingLayer(pool: Pair(0, 2)) }
        assertRefused(["stride"]) { _ = try PoolingLayer(pool: Pair(2), stride: Pair(0)) }
        assertRefused(["pad", "negative"]) { _ = try PoolingLayer(pool: Pair(2), pad: Pair(-1)) }
        assertRefused(["spans 6×6", "5×5"]) { _ = try PoolingLayer(pool: Pair(6)).forward(x) }

        assertRefused(["col2im", "(27, 8)", "(27, 18)"]) {
            _ = try col2im(Tensor(zeros: [27, 8]), inputShape: [2, 3, 5, 5], filter: Pair(3))
        }
        assertRefused(["(2, 3)", "(4, 5)", "inner sizes"]) { _ = try matmul(Tensor(zeros: [2, 3]), Tensor(zeros: [4, 5])) }
        assertRefused(["cannot reshape", "(2, 3, 5, 5)", "(7, -1)"]) { _ = try x.reshaped([7, -1]) }
        assertRefused(["only one axis may be -1"]) { _ = try x.reshaped([-1, -1]) }
        assertRefused(["broadcast", "(2, 3)", "(4,)"]) { _ = try Tensor(zeros: [2, 3]).adding(Tensor(zeros: [4])) }
        assertRefused(["axis 4"]) { _ = try x.sum(axis: 4) }
        assertRefused(["not a permutation"]) { try Tensor.checkPermutation([0, 0, 1], rank: 3) }
    }
}

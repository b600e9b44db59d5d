/// A dense tensor of `Double` in C (row-major) order, the engine's only data type.
///
/// `traceID` is set when a recorder has seen this tensor, so that later operations can
/// say which tensor they read from without the caller threading ids by hand.
public struct Tensor: Sendable, Equatable {
    public var shape: [Int]
    public var data: [Double]
    public var traceID: TensorID?

    public init(shape: [Int], data: [Double]) {
        precondition(shape.reduce(1, *) == data.count, "shape \(shape) does not hold \(data.count) values")
        self.shape = shape
        self.data = data
        self.traceID = nil
    }

    public init(zeros shape: [Int]) {
        self.init(shape: shape, data: [Double](repeating: 0, count: shape.reduce(1, *)))
    }

    public var count: Int { data.count }
    public var rank: Int { shape.count }

    /// Row-major strides: how far one step along each axis moves in `data`.
    public var strides: [Int] { Tensor.strides(of: shape) }

    public static func strides(of shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var s = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[axis] = s
            s *= shape[axis]
        }
        return strides
    }

    /// The flat index of a multi-index.
    public func offset(_ index: [Int]) -> Int {
        var o = 0
        for (i, s) in zip(index, strides) { o += i * s }
        return o
    }

    /// The multi-index of a flat index.
    public static func unravel(_ flat: Int, shape: [Int]) -> [Int] {
        var rest = flat
        var index = [Int](repeating: 0, count: shape.count)
        for axis in stride(from: shape.count - 1, through: 0, by: -1) where shape[axis] > 0 {
            index[axis] = rest % shape[axis]
            rest /= shape[axis]
        }
        return index
    }

    public subscript(_ index: Int...) -> Double {
        get { data[offset(index)] }
        set { data[offset(index)] = newValue }
    }

    /// Tensors compare by shape and values; the trace tag is bookkeeping, not content.
    public static func == (lhs: Tensor, rhs: Tensor) -> Bool {
        lhs.shape == rhs.shape && lhs.data == rhs.data
    }
}

/// A (vertical, horizontal) pair, as the seed writes stride and pad: one integer means both.
public struct Pair: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    public var v: Int
    public var h: Int
    public init(_ v: Int, _ h: Int) {
        self.v = v
        self.h = h
    }
    public init(_ both: Int) { self.init(both, both) }
    public var description: String { v == h ? "\(v)" : "(\(v), \(h))" }
}

/// Padding as the seed's `ConvLayer` takes it: numbers, or `"same"`.
public enum Padding: Sendable, Equatable, Codable {
    case pair(Pair)
    /// The seed's formula: `pad = ((I - 1)·S - I + F) / 2`, refused when not whole.
    case same
}

/// Where im2col puts one filter placement.
public enum ColumnLayout: String, Sendable, Equatable, Codable, CaseIterable {
    /// The seed's layout: `(C·FH·FW, B·OH·OW)`, one column per placement.
    case seed
    /// "Deep Learning from Scratch": `(B·OH·OW, C·FH·FW)`, one row per placement.
    case rows
}

/// Which of the seed's two `ConvLayer` forms computes the product.
public enum ConvForm: String, Sendable, Equatable, Codable, CaseIterable {
    /// `u = w@x + b` with `w` `(M, C·FH·FW)` and `b` `(M, 1)`.
    case plain
    /// The `BaseLayer` form: `u = x.T@w.T + b` with `b` `(M,)`.
    case base
}

/// The activation functions of the seed's series.
public enum Activation: String, Sendable, Equatable, Codable, CaseIterable {
    case identity, relu, sigmoid, tanh
}

/// The optimizers, with their hyper-parameters.
public enum Optimizer: Sendable, Equatable, Codable {
    case sgd(lr: Double)
    case adam(lr: Double, beta1: Double, beta2: Double, eps: Double)

    public static let defaultSGD = Optimizer.sgd(lr: 0.01)
    public static let defaultAdam = Optimizer.adam(lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8)
}

/// Max or average pooling.
public enum PoolMode: String, Sendable, Equatable, Codable, CaseIterable {
    case max, average
}

/// How max pooling's backward pass writes the gradient into the zero matrix.
public enum Routing: String, Sendable, Equatable, Codable, CaseIterable {
    /// One gradient per row, at that row's argmax column.
    case correct
    /// The seed's line `grad_x[:, max_index] = grad`: every row's gradient in every argmax column.
    case seedBug = "seed-bug"
}

/// A sentence saying what is wrong with the input, for the user to read.
public struct EngineError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

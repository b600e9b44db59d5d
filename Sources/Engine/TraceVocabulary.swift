/// The words the engine uses to tell a recorder what it does.
///
/// Events are deliberately small and fixed-size (24 bytes): a full trace of a real layer has
/// millions of them. Everything of variable size — names, shapes, code lines — lives once in
/// side tables (`TensorInfo`, `PhaseInfo`) that events point into.

/// Which tensor an event speaks of: an index into the recorder's tensor table.
public struct TensorID: Hashable, Sendable, Codable, Comparable {
    public var rawValue: UInt16
    public init(_ rawValue: UInt16) { self.rawValue = rawValue }
    public static let none = TensorID(UInt16.max)
    public static func < (a: TensorID, b: TensorID) -> Bool { a.rawValue < b.rawValue }
}

/// The named phases of the seed article's layers, in the words the article's code uses.
public enum PhaseKind: String, Sendable, Codable, CaseIterable {
    case input, pad, slide, im2col, filterReshape = "filter-reshape", gemm, bias
    case reshape, transpose, activation
    case dactivation, gradW = "grad-w", gradWReshape = "grad-w-reshape", gradB = "grad-b"
    case gradCols = "grad-cols", col2im, crop
    case poolRows = "pool-rows", argmax, poolMean = "pool-mean"
    case route, routeSeedBug = "route-seed-bug"
    case update
}

/// What happened, with the two tensor slots and the value read according to the kind.
public enum EventKind: UInt8, Sendable, Codable {
    /// A phase begins. `srcIndex` indexes the recorder's phase table.
    case phase
    /// A user-visible step begins. `dst[dstIndex]` is the cell in focus (being computed
    /// or moved to); `src[srcIndex]` is the main cell it comes from, if any.
    case step
    /// `dst[dstIndex] = value`, copied or computed from `src[srcIndex]` (src may be `.none`).
    case write
    /// `dst[dstIndex] += value`, the contribution coming from `src[srcIndex]`.
    case accumulate
    /// One term of the value being computed in this step: `src[srcIndex] · dst[dstIndex]`
    /// (for example an input cell times a filter cell); `value` is the product.
    case term
    /// `src[srcIndex]` is the maximum of row `dstIndex` of `src`, written to `dst`.
    /// `value` is the maximum.
    case argmax
    /// `dst` is `src` reshaped or transposed (its table entry says how); no values change.
    case derive
}

/// One event of a trace.
public struct Event: Sendable, Equatable {
    public var kind: EventKind
    public var src: TensorID
    public var dst: TensorID
    public var srcIndex: Int32
    public var dstIndex: Int32
    public var value: Double

    @inlinable
    public init(_ kind: EventKind, src: TensorID = .none, _ srcIndex: Int = -1,
                dst: TensorID = .none, _ dstIndex: Int = -1, value: Double = 0) {
        self.kind = kind
        self.src = src
        self.dst = dst
        self.srcIndex = Int32(truncatingIfNeeded: srcIndex)
        self.dstIndex = Int32(truncatingIfNeeded: dstIndex)
        self.value = value
    }
}

/// How a tensor in the trace came to be, so that its contents can be rebuilt from the trace.
public enum TensorOrigin: Sendable, Equatable, Codable {
    /// Given values (an input, a filter, an incoming gradient): `TensorInfo.initial` holds them.
    case given
    /// Starts as zeros and is filled by `write`/`accumulate` events.
    case zeros
    /// The same values as `source` in the same order, under a new shape.
    case reshape(of: TensorID)
    /// `source.transpose(axes)`.
    case transpose(of: TensorID, axes: [Int])
}

/// What the trace keeps once per tensor.
public struct TensorInfo: Sendable, Equatable, Codable {
    public var name: String
    public var shape: [Int]
    public var origin: TensorOrigin
    /// The values for `.given` tensors; empty otherwise.
    public var initial: [Double]
    /// Optional symbolic names of the cells (`W`, `X`, …) for the symbols view.
    public var labels: [String]?

    public init(name: String, shape: [Int], origin: TensorOrigin, initial: [Double] = [], labels: [String]? = nil) {
        self.name = name
        self.shape = shape
        self.origin = origin
        self.initial = initial
        self.labels = labels
    }
}

/// What the trace keeps once per phase.
public struct PhaseInfo: Sendable, Equatable, Codable {
    public var kind: PhaseKind
    /// The seed-style numpy line this phase performs, shown in the code pane.
    public var code: String
    public init(kind: PhaseKind, code: String) {
        self.kind = kind
        self.code = code
    }
}

/// Receives what the engine does. The engine checks `isEnabled` once per operation, so an
/// attached but disabled recorder costs one branch per operation, and none costs nothing.
public protocol TraceRecorder: AnyObject {
    var isEnabled: Bool { get }
    /// Adds a tensor to the table and returns its id.
    func declare(_ info: TensorInfo) -> TensorID
    /// Starts a phase; following events belong to it.
    func begin(_ phase: PhaseInfo)
    func record(_ event: Event)
}

extension TraceRecorder {
    /// Declares `tensor` as given (if it has not been seen yet) and tags it with its id.
    public func declareGiven(_ tensor: inout Tensor, name: String, labels: [String]? = nil) -> TensorID {
        if let id = tensor.traceID { return id }
        let id = declare(TensorInfo(name: name, shape: tensor.shape, origin: .given,
                                    initial: tensor.data, labels: labels))
        tensor.traceID = id
        return id
    }

    /// Declares a tensor that starts as zeros and is filled by events.
    public func declareZeros(_ name: String, shape: [Int]) -> TensorID {
        declare(TensorInfo(name: name, shape: shape, origin: .zeros))
    }
}

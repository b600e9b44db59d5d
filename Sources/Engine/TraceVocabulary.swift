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
    /// The step reads every cell of `src` and writes every cell of `dst`.
    case derive
    /// The step reads `src[srcIndex]` without writing from it (a max compares a whole row).
    case read
    /// `dst[dstIndex]` stands for `src[srcIndex]` of an earlier tensor: pooling's row cell
    /// and the padded-input cell it was copied from, or the routed gradient and the input
    /// cell it belongs to. No value changes.
    case link
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
    /// Names repeat (`u` reshaped into a new `u`); the id is what is unique.
    public var name: String
    public var shape: [Int]
    public var origin: TensorOrigin
    /// The values for `.given` tensors; empty otherwise.
    public var initial: [Double]
    /// Optional symbolic names of the cells (`W`, `X`, …) for the symbols view.
    public var labels: [String]?
    /// What each dimension counts (see `Axes`).
    public var axes: [String]
    public var pass: Pass
    public var role: TensorRole
    /// Zero padding on each side of each axis, as `np.pad` takes it (`[[0, 0], [0, 0],
    /// [PH, PH], [PW, PW]]`), for a padded tensor; nil otherwise.
    public var pad: [[Int]]?

    public init(name: String, shape: [Int], origin: TensorOrigin, initial: [Double] = [], labels: [String]? = nil,
                axes: [String], pass: Pass, role: TensorRole, pad: [[Int]]? = nil) {
        self.name = name
        self.shape = shape
        self.origin = origin
        self.initial = initial
        self.labels = labels
        self.axes = axes
        self.pass = pass
        self.role = role
        self.pad = pad
    }

    /// Whether flat cell `i` lies in the zero padding.
    public func isPadding(_ i: Int) -> Bool {
        guard let pad, pad.count == shape.count else { return false }
        var rest = i
        for a in stride(from: shape.count - 1, through: 0, by: -1) {
            let n = shape[a]
            guard n > 0 else { return false }
            let k = rest % n
            rest /= n
            if k < pad[a][0] || k >= n - pad[a][1] { return true }
        }
        return false
    }
}

/// What the trace keeps once per phase.
public struct PhaseInfo: Sendable, Equatable, Codable {
    public var kind: PhaseKind
    /// The seed-style numpy line this phase performs, shown in the code pane, and where it comes from.
    public var code: CodeLine
    public var pass: Pass
    /// Which phase of this kind it is, from 1 (a recorder sets it).
    public var occurrence: Int

    public init(kind: PhaseKind, code: CodeLine, pass: Pass, occurrence: Int = 1) {
        self.kind = kind
        self.code = code
        self.pass = pass
        self.occurrence = occurrence
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
    /// The layer being recorded, said again when a later pass adds to it.
    func describe(_ layer: LayerInfo)
}

extension TraceRecorder {
    /// Declares `tensor` as given (if it has not been seen yet) and tags it with its id.
    public func declareGiven(_ tensor: inout Tensor, name: String, labels: [String]? = nil,
                             axes: [String], pass: Pass, role: TensorRole) -> TensorID {
        if let id = tensor.traceID { return id }
        let id = declare(TensorInfo(name: name, shape: tensor.shape, origin: .given, initial: tensor.data,
                                    labels: labels, axes: axes, pass: pass, role: role))
        tensor.traceID = id
        return id
    }

    /// Declares a layer's input `x` `(B, C, H, W)`, with symbolic names of its cells if any.
    public func declareInput(_ x: inout Tensor, labels: [String]? = nil) -> TensorID {
        declareGiven(&x, name: "x", labels: labels, axes: Axes.image, pass: .forward, role: .input)
    }

    /// Declares the gradient arriving from the next layer, shaped like the output
    /// `(B, M, OH, OW)` (pooling: `(B, C, OH, OW)`).
    public func declareIncomingGradient(_ grad: inout Tensor, pooling: Bool) -> TensorID {
        declareGiven(&grad, name: "grad", axes: ["b", pooling ? "c" : "m", "oh", "ow"], pass: .backward, role: .gradient)
    }
}

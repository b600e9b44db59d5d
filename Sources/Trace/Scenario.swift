import Engine

/// Everything needed to run one of the seed's layers with a recorder: what a lesson sets up,
/// or what free play builds from the command line. Pure data.
public struct Scenario: Sendable, Equatable {
    public enum Operation: String, Sendable, Equatable, CaseIterable {
        case conv, pool
    }

    /// How far to run: the forward pass only, forward then backward, or also the update.
    public enum Passes: String, Sendable, Equatable, CaseIterable {
        case forward, backward, update
    }

    public var operation: Operation
    public var passes: Passes
    /// Input `(B, C, H, W)`, with optional symbolic names of its cells.
    public var x: Tensor
    public var xLabels: [String]?
    /// Filter `(M, C, FH, FW)` and bias `(M,)`, convolution only.
    public var w: Tensor?
    public var wLabels: [String]?
    public var b: Tensor?
    /// The incoming gradient `(B, M, OH, OW)` (or `(B, C, OH, OW)` for pooling); ones when nil.
    public var grad: Tensor?
    public var stride: Pair
    public var pad: Padding
    public var dilation: Pair
    public var form: ConvForm
    public var layout: ColumnLayout
    public var activation: Activation
    public var optimizer: Optimizer
    /// Pooling window; the stride defaults to it, as in the seed.
    public var pool: Pair
    public var poolMode: PoolMode
    public var routing: Routing

    public init(operation: Operation, passes: Passes = .forward, x: Tensor, xLabels: [String]? = nil,
                w: Tensor? = nil, wLabels: [String]? = nil, b: Tensor? = nil, grad: Tensor? = nil,
                stride: Pair = Pair(1), pad: Padding = .pair(Pair(0)), dilation: Pair = Pair(1),
                form: ConvForm = .plain, layout: ColumnLayout = .seed, activation: Activation = .identity,
                optimizer: Optimizer = .defaultSGD, pool: Pair = Pair(2), poolMode: PoolMode = .max,
                routing: Routing = .correct) {
        self.operation = operation
        self.passes = passes
        self.x = x
        self.xLabels = xLabels
        self.w = w
        self.wLabels = wLabels
        self.b = b
        self.grad = grad
        self.stride = stride
        self.pad = pad
        self.dilation = dilation
        self.form = form
        self.layout = layout
        self.activation = activation
        self.optimizer = optimizer
        self.pool = pool
        self.poolMode = poolMode
        self.routing = routing
    }
}

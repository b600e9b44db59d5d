/// What the trace says about the things it names, so that a front end never has to guess:
/// which pass a tensor or phase belongs to, what each tensor is for, what each of its axes
/// counts, where a shown code line comes from, and the layer's settings.

/// The three passes of a layer, in the order they run.
public enum Pass: String, Sendable, Equatable, Codable, CaseIterable {
    case forward, backward, update
}

/// What a tensor is for in the layer.
public enum TensorRole: String, Sendable, Equatable, Codable, CaseIterable {
    /// The layer's input `x`.
    case input
    /// The filter, in any of its shapes.
    case weights
    /// The bias, in any of its shapes.
    case bias
    /// A gradient: the incoming one, or one the backward pass computes.
    case gradient
    /// A value computed on the way (padded input, im2col matrix, product, …).
    case intermediate
    /// What the pass hands on: `y` forward, `dx` backward, and the naive loop's `out`.
    case output
    /// The optimizer's moving averages.
    case optimizerState = "optimizer-state"
}

/// Where a line in the code pane comes from.
public enum Provenance: Sendable, Equatable, Codable {
    /// The article's own statement, verbatim (a statement the article breaks over several
    /// lines is joined with single spaces).
    case article
    /// The article's statement with one change, both given.
    case adapted(article: String, change: String)
    /// Not in the article; shown because the picture needs it.
    case added(why: String)

    /// `article`, `adapted` or `added`.
    public var name: String {
        switch self {
        case .article: return "article"
        case .adapted: return "adapted"
        case .added: return "added"
        }
    }
}

/// One line of the code pane with its provenance.
public struct CodeLine: Sendable, Equatable, Codable {
    public var text: String
    public var provenance: Provenance
    /// What a reader should know about the line beyond where it comes from: the article's naive
    /// loop, as written, has no `.sum()`.
    public var note: String?
    /// The provenance's `why` or `change` in Japanese (absent for an `article` line).
    public var reasonJa: String?
    /// `note` in Japanese.
    public var noteJa: String?

    public init(_ text: String, _ provenance: Provenance = .article, ja reasonJa: String? = nil,
                note: String? = nil, noteJa: String? = nil) {
        self.text = text
        self.provenance = provenance
        self.reasonJa = reasonJa
        self.note = note
        self.noteJa = noteJa
    }
}

/// The layer a trace records, as one object: everything a front end needs to label its
/// pictures and write its arithmetic, so that it never reads the lesson that set it up.
public struct LayerInfo: Sendable, Equatable, Codable {
    public enum Operation: String, Sendable, Equatable, Codable { case conv, pool }

    public var operation: Operation
    /// The article's ConvLayer form (convolution only).
    public var form: ConvForm?
    public var layout: ColumnLayout
    public var stride: Pair
    /// The pad actually used, `"same"` resolved.
    public var pad: Pair
    public var dilation: Pair
    /// The filter `(M, C, FH, FW)` (convolution) …
    public var filter: [Int]?
    /// … or the pooling window `(PH, PW)`.
    public var pool: Pair?
    public var poolMode: PoolMode?
    /// How max pooling routes its gradient; nil until a backward pass ran.
    public var routing: Routing?
    public var activation: Activation?
    public var optimizer: Optimizer?
    /// The length of every axis name the trace uses (`b c m h w oh ow fh fw`), for reading
    /// a dimension that flattens several of them. `h` and `w` are the unpadded input's.
    public var sizes: [String: Int]

    public init(operation: Operation, form: ConvForm? = nil, layout: ColumnLayout, stride: Pair, pad: Pair,
                dilation: Pair, filter: [Int]? = nil, pool: Pair? = nil, poolMode: PoolMode? = nil,
                routing: Routing? = nil, activation: Activation? = nil, optimizer: Optimizer? = nil,
                sizes: [String: Int]) {
        self.operation = operation
        self.form = form
        self.layout = layout
        self.stride = stride
        self.pad = pad
        self.dilation = dilation
        self.filter = filter
        self.pool = pool
        self.poolMode = poolMode
        self.routing = routing
        self.activation = activation
        self.optimizer = optimizer
        self.sizes = sizes
    }
}

/// Axis names, one per dimension, from `b c m h w oh ow fh fw`; a dimension that flattens
/// several axes joins their names with commas; a length-1 axis that counts nothing is `""`.
public enum Axes {
    public static let image = ["b", "c", "h", "w"]
    public static let filter = ["m", "c", "fh", "fw"]
    public static let patch = "c,fh,fw"
    public static let placement = "b,oh,ow"
    /// Pooling's rows: one window of one channel, as `x.T.reshape(B·O_h·O_w·C, -1)` orders them.
    public static let poolRow = "b,oh,ow,c"
    public static let window = "fh,fw"

    /// The im2col matrix in `layout`.
    public static func columns(_ layout: ColumnLayout) -> [String] {
        layout == .seed ? [patch, placement] : [placement, patch]
    }

    /// The single names a dimension's name stands for (`"c,fh,fw"` → c, fh, fw; `""` → none).
    public static func parts(_ name: String) -> [String] {
        name.split(separator: ",").map(String.init)
    }

    /// Names after `transpose(axes)`.
    public static func permuted(_ names: [String], _ axes: [Int]) -> [String] {
        axes.map { names.indices.contains($0) ? names[$0] : "" }
    }
}

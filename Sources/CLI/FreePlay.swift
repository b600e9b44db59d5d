import Foundation
import ArgumentParser
import Engine
import Trace
import Lessons
import NPY

/// `--op conv|pool …`: free play on a student's own arrays or shapes, with no lesson file.
/// Arrays come from `.npy` files or from a seeded generator of small integers (small integers
/// keep every cell's arithmetic readable on screen).
struct FreePlayArguments: ParsableArguments {
    @Option(help: "Free play without a lesson: a convolution or a pooling layer.")
    var op: Word<Scenario.Operation>?

    @Option(help: ArgumentHelp("The input x (B, C, H, W) as a .npy file.", valueName: "x.npy"))
    var x: String?

    @Option(help: ArgumentHelp("The filter w (M, C, FH, FW) as a .npy file (conv).", valueName: "w.npy"))
    var w: String?

    @Option(help: ArgumentHelp("The bias b (M,) as a .npy file (conv; zeros by default).", valueName: "b.npy"))
    var b: String?

    @Option(help: ArgumentHelp("The incoming gradient as a .npy file (backward; ones by default).", valueName: "dy.npy"))
    var dy: String?

    // Numbers are taken unconditionally, so that `--stride -1` reaches `validate()` and its
    // sentence instead of being taken for an option.
    @Option(parsing: .unconditional, help: ArgumentHelp("The input shape when no --x is given (default 1,1,6,6).", valueName: "B,C,H,W"))
    var shape: ShapeArgument?

    @Option(parsing: .unconditional, help: ArgumentHelp("The filter shape when no --w is given (conv; default 1,C,3,3).", valueName: "M,C,FH,FW"))
    var filter: ShapeArgument?

    @Option(parsing: .unconditional, help: ArgumentHelp("Stride (conv: default 1; pool: the window).", valueName: "S|SH,SW"))
    var stride: PairArgument?

    @Option(parsing: .unconditional, help: ArgumentHelp("Padding (default 0).", valueName: "P|PH,PW|same"))
    var pad: PaddingArgument?

    @Option(parsing: .unconditional, help: ArgumentHelp("Dilation (conv; default 1).", valueName: "D|DH,DW"))
    var dilation: PairArgument?

    @Option(parsing: .unconditional, help: ArgumentHelp("Pooling window (pool; default 2).", valueName: "P|PH,PW"))
    var pool: PairArgument?

    @Option(name: .customLong("pool-mode"), help: "How pooling sums up a window (pool; default max).")
    var poolMode: Word<PoolMode>?

    @Option(help: "How far to go (update: conv only; default forward).")
    var passes: Word<Scenario.Passes>?

    @Option(help: "The article's ConvLayer form: plain is w@x + b, base is x.T@w.T (conv; default plain).")
    var form: Word<ConvForm>?

    @Option(help: "The activation after the convolution (conv; default identity).")
    var activation: Word<Activation>?

    @Option(parsing: .unconditional, help: "Seed of the generator used for arrays not given as files (default 1).")
    var seed: Int?

    /// The settings typed, each checked on its own and against the others.
    struct Settings {
        var operation: Scenario.Operation
        var passes: Scenario.Passes = .forward
        var shape: [Int]?
        var filter: [Int]?
        var stride: Pair?
        var pad: Padding = .pair(Pair(0))
        var dilation = Pair(1)
        var pool = Pair(2)
        var poolMode = PoolMode.max
        var form = ConvForm.plain
        var activation = Activation.identity
    }

    /// The free-play options given, by name, for refusals.
    private var given: [(name: String, isGiven: Bool)] {
        [("--x", x != nil), ("--w", w != nil), ("--b", b != nil), ("--dy", dy != nil), ("--shape", shape != nil),
         ("--filter", filter != nil), ("--stride", stride != nil), ("--pad", pad != nil), ("--dilation", dilation != nil),
         ("--pool", pool != nil), ("--pool-mode", poolMode != nil), ("--passes", passes != nil), ("--form", form != nil),
         ("--activation", activation != nil), ("--seed", seed != nil)]
    }

    /// Why each option cannot apply to one operation: the other operation's options.
    private static let notForPooling: [String: String] = [
        "--w": "pooling has no weights; its window is --pool",
        "--b": "pooling has no bias",
        "--filter": "pooling has a window (--pool), not a filter",
        "--dilation": "pooling windows are not dilated",
        "--form": "the plain and base forms are the article's two ConvLayer forms",
        "--activation": "the article's PoolingLayer has no activation",
    ]
    private static let notForConvolution: [String: String] = [
        "--pool": "a convolution's window is its filter (--filter or --w)",
        "--pool-mode": "it chooses between max and average pooling",
    ]

    func validate() throws { _ = try settings() }

    /// The settings, or a sentence saying which option is wrong and why.
    func settings() throws -> Settings? {
        guard let op else {
            if let first = given.first(where: \.isGiven) {
                throw ValidationError("\(first.name) is for free play: add --op conv or --op pool")
            }
            return nil
        }
        let operation = try op.value("--op")
        let refusals = operation == .pool ? Self.notForPooling : Self.notForConvolution
        let kind = operation == .pool ? "pooling" : "a convolution"
        for (name, isGiven) in given where isGiven {
            if let why = refusals[name] { throw ValidationError("\(name) does not apply to \(kind): \(why)") }
        }
        var s = Settings(operation: operation)
        if let passes { s.passes = try passes.value("--passes") }
        if operation == .pool, s.passes == .update {
            throw ValidationError("--passes update does not apply to pooling: pooling has no parameters to learn, so there is no update step; use --passes backward")
        }
        if dy != nil, s.passes == .forward {
            throw ValidationError("--dy is the incoming gradient, used only by the backward pass: add --passes backward")
        }
        if x != nil, shape != nil { throw ValidationError("give either --x or --shape, not both") }
        if w != nil, filter != nil { throw ValidationError("give either --w or --filter, not both") }
        if seed != nil, x != nil, operation == .pool || w != nil {
            throw ValidationError("--seed does not apply here: every array is read from a file, none is generated")
        }
        s.shape = try shape?.value("--shape", axes: ShapeArgument.inputAxes)
        s.filter = try filter?.value("--filter", axes: ShapeArgument.filterAxes)
        s.stride = try stride?.value("--stride", atLeast: 1, example: "2 or 2,1")
        if let pad { s.pad = try pad.value() }
        if let dilation { s.dilation = try dilation.value("--dilation", atLeast: 1, example: "2 or 2,1") }
        if let pool { s.pool = try pool.value("--pool", atLeast: 1, example: "2 or 2,3") }
        if let poolMode { s.poolMode = try poolMode.value("--pool-mode") }
        if let form { s.form = try form.value("--form") }
        if let activation { s.activation = try activation.value("--activation") }
        return s
    }

    /// The free-play lesson, or nil without `--op`.
    func lesson() throws -> Lesson? {
        guard let s = try settings() else { return nil }
        var generator = SplitMix64(seed: UInt64(bitPattern: Int64(seed ?? 1)))
        let x = try array(self.x, shape: s.shape, option: "--shape", fallback: [1, 1, 6, 6], &generator)
        var scenario = Scenario(operation: s.operation, passes: s.passes, x: x)
        scenario.pad = s.pad
        switch s.operation {
        case .conv:
            let channels = x.shape.count == 4 ? x.shape[1] : 1
            scenario.w = try array(w, shape: s.filter, option: "--filter", fallback: [1, channels, 3, 3], &generator)
            if let b { scenario.b = try NPY.read(path: b) }
            scenario.stride = s.stride ?? Pair(1)
            scenario.dilation = s.dilation
            scenario.form = s.form
            scenario.activation = s.activation
        case .pool:
            scenario.pool = s.pool
            scenario.stride = s.stride ?? s.pool
            scenario.poolMode = s.poolMode
        }
        if let dy { scenario.grad = try NPY.read(path: dy) }
        try Self.refuseTraceOverLimit(scenario)
        // The header names the settings, which live keys change while playing.
        let settings = Self.settingsLine(scenario)
        let title = Localized(en: settings, ja: settings)
        let summary = s.operation == .conv
            ? Localized(en: "Free play: convolution", ja: "自由に試す: 畳み込み層")
            : Localized(en: "Free play: pooling", ja: "自由に試す: プーリング層")
        return Lesson(path: "free play", title: title, summary: summary, scenario: scenario)
    }

    /// `stride 1 · pad 0 · dil 1 · filter 3×3 · x 6×6`: the settings a free play's header shows,
    /// short enough for an 80-column header beside the pass.
    static func settingsLine(_ scenario: Scenario) -> String {
        func pair(_ p: Pair) -> String { p.v == p.h ? "\(p.v)" : "\(p.v),\(p.h)" }
        func size(_ shape: [Int]?) -> String {
            guard let shape, shape.count == 4 else { return "?" }
            return "\(shape[2])×\(shape[3])"
        }
        let pad: String
        switch scenario.pad {
        case .pair(let p): pad = pair(p)
        case .same: pad = "same"
        }
        switch scenario.operation {
        case .conv:
            return "stride \(pair(scenario.stride)) · pad \(pad) · dil \(pair(scenario.dilation)) · filter \(size(scenario.w?.shape)) · x \(size(scenario.x.shape))"
        case .pool:
            return "\(scenario.poolMode) pool \(scenario.pool.v)×\(scenario.pool.h) · stride \(pair(scenario.stride)) · pad \(pad) · x \(size(scenario.x.shape))"
        }
    }

    /// Refuses, from the shapes alone, a scenario whose trace cannot fit in `Trace.maxEvents`:
    /// otherwise the engine would run and record up to the limit (tens of seconds, close to a
    /// gigabyte) only to fail at the end. The bound counts only the events every such trace
    /// has: one per multiplication in the sliding window and again in the matrix product
    /// (twice more backward: the filter gradient and the column gradient), one per cell read
    /// by pooling.
    static func refuseTraceOverLimit(_ scenario: Scenario) throws {
        let x = scenario.x.shape
        guard x.count == 4 else { return }
        let geometry: ConvGeometry
        let perMultiplication: Int
        let formula: String
        switch scenario.operation {
        case .conv:
            guard let w = scenario.w?.shape, w.count == 4 else { return }
            let pad = try resolvePadding(scenario.pad, input: Pair(x[2], x[3]), filter: Pair(w[2], w[3]),
                                         stride: scenario.stride, dilation: scenario.dilation)
            geometry = try ConvGeometry(input: x, filter: w, stride: scenario.stride, pad: pad, dilation: scenario.dilation)
            perMultiplication = scenario.passes == .forward ? 2 : 4
            formula = "M·C·FH·FW·B·OH·OW"
        case .pool:
            let pad = try resolvePadding(scenario.pad, input: Pair(x[2], x[3]), filter: scenario.pool,
                                         stride: scenario.stride, dilation: Pair(1))
            geometry = try ConvGeometry(input: x, filters: x[1], window: scenario.pool, stride: scenario.stride, pad: pad)
            perMultiplication = 1
            formula = "B·C·OH·OW·PH·PW"
        }
        let g = geometry
        // Pooling keeps the channels: its geometry's filter count M is C, not a factor.
        let factors = scenario.operation == .conv ? [g.M, g.C, g.FH, g.FW, g.B, g.OH, g.OW] : [g.B, g.C, g.OH, g.OW, g.FH, g.FW]
        var multiplications = 1, overflowed = false
        for factor in factors {
            let (p, o) = multiplications.multipliedReportingOverflow(by: factor)
            multiplications = p
            overflowed = overflowed || o
        }
        let (events, o) = multiplications.multipliedReportingOverflow(by: perMultiplication)
        let overflow = overflowed || o
        guard overflow || events > Trace.maxEvents else { return }
        let shown = overflow ? "more than \(Int.max)" : "at least \(events)"
        throw Failure("this free play would record \(shown) trace events (\(multiplications) for \(formula)), more than the \(Trace.maxEvents) a trace can hold; use a smaller --shape or filter, or a larger --stride")
    }

    /// A tensor from a file, or generated with the given (or default) shape.
    private func array(_ path: String?, shape: [Int]?, option: String, fallback: [Int],
                       _ generator: inout SplitMix64) throws -> Tensor {
        if let path { return try NPY.read(path: path) }
        let shape = shape ?? fallback
        var count = 1
        for n in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: n)
            guard !overflow, product <= Limits.maxElements else {
                let typed = shape.map(String.init).joined(separator: ",")
                throw Failure("\(option) \(typed) asks for more than \(Limits.maxElements) elements, the most tatami holds")
            }
            count = product
        }
        // Small integers, −4 to 4, from the generator lessons' `random(seed=…)` use.
        return Tensor(shape: shape, data: (0..<count).map { _ in Double(generator.integer(-4, 4)) })
    }
}

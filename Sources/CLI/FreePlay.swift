import Foundation
import ArgumentParser
import Engine
import Trace
import Lessons
import NPY

/// `tatami play --op conv|pool …`: free play on a student's own arrays or shapes, with no
/// lesson file. Arrays come from `.npy` files or from a seeded generator of small integers
/// (small integers keep every cell's arithmetic readable on screen).
struct FreePlayArguments: ParsableArguments {
    @Option(help: "Free play without a lesson: conv or pool.")
    var op: String?

    @Option(help: "The input x (B, C, H, W) as a .npy file.")
    var x: String?

    @Option(help: "The filter w (M, C, FH, FW) as a .npy file (conv).")
    var w: String?

    @Option(help: "The bias b (M,) as a .npy file (conv; zeros by default).")
    var b: String?

    @Option(help: "The incoming gradient as a .npy file (ones by default).")
    var dy: String?

    @Option(help: "The input shape B,C,H,W when no --x is given.")
    var shape: String?

    @Option(help: "The filter shape M,C,FH,FW when no --w is given (conv).")
    var filter: String?

    @Option(help: "Stride: S or SH,SW (pool: defaults to the pool size).")
    var stride: String?

    @Option(help: "Padding: P, PH,PW or same.")
    var pad: String?

    @Option(help: "Dilation: D or DH,DW (conv).")
    var dilation: String?

    @Option(help: "Pool window: P or PH,PW.")
    var pool: String = "2"

    @Option(name: .customLong("pool-mode"), help: "max or average.")
    var poolMode: String = "max"

    @Option(help: "How far to go: forward, backward or update.")
    var passes: String = "forward"

    @Option(help: "The article's ConvLayer form: plain (w@x + b) or base (x.T@w.T).")
    var form: String = "plain"

    @Option(help: "Activation: identity, relu, sigmoid or tanh.")
    var activation: String = "identity"

    @Option(help: "Seed of the generator used for arrays not given as files.")
    var seed: Int = 1

    /// Whether any free-play option was given without `--op`, which would silently do nothing.
    var usedWithoutOp: Bool {
        op == nil && (x != nil || w != nil || b != nil || dy != nil || shape != nil || filter != nil
                      || stride != nil || pad != nil || dilation != nil)
    }

    func lesson() throws -> Lesson? {
        guard let op else {
            if usedWithoutOp { throw Failure("free play needs --op conv or --op pool with these options") }
            return nil
        }
        guard let operation = Scenario.Operation(rawValue: op) else {
            throw Failure("--op must be conv or pool, not \"\(op)\"")
        }
        var generator = SplitMix64(seed: UInt64(bitPattern: Int64(seed)))
        let x = try array(self.x, shape: shape, option: "--shape", fallback: [1, 1, 6, 6], &generator)
        guard let passes = Scenario.Passes(rawValue: passes) else {
            throw Failure("--passes must be forward, backward or update, not \"\(passes)\"")
        }
        var scenario = Scenario(operation: operation, passes: passes, x: x)
        if let pad { scenario.pad = try ComputeArguments.padding(pad) }
        switch operation {
        case .conv:
            let channels = x.shape.count == 4 ? x.shape[1] : 1
            let w = try array(self.w, shape: filter, option: "--filter", fallback: [1, channels, 3, 3], &generator)
            scenario.w = w
            if let b { scenario.b = try NPY.read(path: b) }
            if let stride { scenario.stride = try ComputeArguments.pair(stride, option: "--stride", example: "1 or 2,1") }
            if let dilation { scenario.dilation = try ComputeArguments.pair(dilation, option: "--dilation", example: "1 or 2,1") }
            guard let form = ConvForm(rawValue: form) else { throw Failure("--form must be plain or base, not \"\(form)\"") }
            guard let act = Activation(rawValue: activation) else {
                throw Failure("--activation must be identity, relu, sigmoid or tanh, not \"\(activation)\"")
            }
            scenario.form = form
            scenario.activation = act
        case .pool:
            scenario.pool = try ComputeArguments.pair(pool, option: "--pool", example: "2 or 2,3")
            guard scenario.pool.v >= 1, scenario.pool.h >= 1 else {
                throw Failure("the pool size is \(scenario.pool), but it must be at least 1")
            }
            scenario.stride = try stride.map { try ComputeArguments.pair($0, option: "--stride", example: "2 or 2,1") } ?? scenario.pool
            guard let mode = PoolMode(rawValue: poolMode) else { throw Failure("--pool-mode must be max or average, not \"\(poolMode)\"") }
            scenario.poolMode = mode
        }
        if let dy { scenario.grad = try NPY.read(path: dy) }
        try Self.refuseTraceOverLimit(scenario)
        let title = operation == .conv
            ? Localized(en: "Free play: convolution", ja: "自由に試す: 畳み込み層")
            : Localized(en: "Free play: pooling", ja: "自由に試す: プーリング層")
        return Lesson(path: "free play", title: title, summary: Localized(en: "", ja: ""), scenario: scenario)
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
    private func array(_ path: String?, shape text: String?, option: String, fallback: [Int],
                       _ generator: inout SplitMix64) throws -> Tensor {
        if let path {
            if text != nil { throw Failure("give either a .npy file or \(option), not both") }
            return try NPY.read(path: path)
        }
        let shape = try text.map { try ComputeArguments.shape($0, option: option) } ?? fallback
        guard shape.allSatisfy({ $0 >= 1 }) else {
            throw Failure("\(option) \(text ?? "") has a size below 1; every size must be at least 1")
        }
        var count = 1
        for n in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: n)
            guard !overflow, product <= Limits.maxElements else {
                throw Failure("\(option) \(text ?? "") asks for more than \(Limits.maxElements) elements, the most tatami holds")
            }
            count = product
        }
        // Small integers, −4 to 4, from the generator lessons' `random(seed=…)` use.
        return Tensor(shape: shape, data: (0..<count).map { _ in Double(generator.integer(-4, 4)) })
    }
}

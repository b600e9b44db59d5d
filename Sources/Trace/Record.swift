import Engine

extension Trace {
    /// Runs a scenario through the engine's layers with a recorder attached, in the order the
    /// seed article shows the steps, and returns what was recorded.
    public static func record(_ scenario: Scenario, eventLimit: Int = Trace.maxEvents) throws -> Trace {
        let recording = Recording(eventLimit: eventLimit)
        var x = scenario.x
        _ = recording.declareInput(&x, labels: scenario.xLabels)
        switch scenario.operation {
        case .conv:
            guard let w = scenario.w else {
                throw EngineError("a convolution needs a filter w of shape (M, C, FH, FW)")
            }
            let M = w.shape.first ?? 0
            let b = scenario.b ?? Tensor(zeros: [M])
            let layer = try ConvLayer(w: w, b: b, stride: scenario.stride, pad: scenario.pad,
                                      dilation: scenario.dilation, activation: scenario.activation,
                                      optimizer: scenario.optimizer, form: scenario.form,
                                      layout: scenario.layout)
            layer.wLabels = scenario.wLabels
            let y = try layer.forward(x, recorder: recording)
            try check(recording)
            if scenario.passes != .forward {
                var grad = try incomingGradient(scenario.grad, like: y)
                _ = recording.declareIncomingGradient(&grad, pooling: false)
                _ = try layer.backward(grad, recorder: recording)
                try check(recording)
            }
            if scenario.passes == .update {
                layer.update(recorder: recording)
            }
        case .pool:
            let layer = try PoolingLayer(pool: scenario.pool, stride: scenario.stride,
                                         pad: try padPair(scenario), mode: scenario.poolMode)
            let y = try layer.forward(x, recorder: recording)
            try check(recording)
            if scenario.passes != .forward {
                var grad = try incomingGradient(scenario.grad, like: y)
                _ = recording.declareIncomingGradient(&grad, pooling: true)
                _ = try layer.backward(grad, routing: scenario.routing, recorder: recording)
            }
        }
        return try recording.finish()
    }

    /// Stops early instead of running a backward pass on a trace that already overflowed.
    private static func check(_ recording: Recording) throws {
        if recording.overflowed { _ = try recording.finish() }
    }

    private static func padPair(_ scenario: Scenario) throws -> Pair {
        switch scenario.pad {
        case .pair(let p): return p
        case .same:
            let x = scenario.x.shape
            guard x.count == 4 else { throw EngineError("the input must have shape (B, C, H, W), not \(x)") }
            return try resolvePadding(.same, input: Pair(x[2], x[3]), filter: scenario.pool,
                                      stride: scenario.stride, dilation: Pair(1))
        }
    }

    /// The gradient arriving from the next layer; ones when the scenario gives none, which is
    /// the gradient of the sum of the outputs.
    private static func incomingGradient(_ given: Tensor?, like y: Tensor) throws -> Tensor {
        guard let given else {
            return Tensor(shape: y.shape, data: [Double](repeating: 1, count: y.count))
        }
        guard given.shape == y.shape else {
            throw EngineError("the incoming gradient has shape \(given.shape) but the output has shape \(y.shape); they must match")
        }
        var g = given
        g.traceID = nil
        return g
    }
}

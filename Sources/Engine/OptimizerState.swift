

/// One parameter's optimizer, with the state it carries from one update to the next
/// (Adam's moving averages `m`, `v` and its step count `t`).
public struct OptimizerState: Sendable, Equatable {
    public let optimizer: Optimizer
    public private(set) var m: [Double]
    public private(set) var v: [Double]
    public private(set) var t: Int

    public init(_ optimizer: Optimizer, count: Int) {
        self.optimizer = optimizer
        switch optimizer {
        case .sgd:
            (m, v) = ([], [])
        case .adam:
            (m, v) = ([Double](repeating: 0, count: count), [Double](repeating: 0, count: count))
        }
        t = 0
    }

    /// Whether the state has moving averages to show.
    public var hasMoments: Bool { !m.isEmpty }

    /// One update of `param` against `grad` (same length): `param -= step`.
    public mutating func step(_ param: inout [Double], grad: [Double]) {
        t += 1
        switch optimizer {
        case .sgd(let lr):
            for i in param.indices { param[i] -= lr * grad[i] }
        case .adam(let lr, let beta1, let beta2, let eps):
            // Bias-corrected moments, so that the first steps are not pulled towards zero.
            let c1 = 1 - mathPow(beta1, Double(t))
            let c2 = 1 - mathPow(beta2, Double(t))
            for i in param.indices {
                m[i] = beta1 * m[i] + (1 - beta1) * grad[i]
                v[i] = beta2 * v[i] + (1 - beta2) * grad[i] * grad[i]
                param[i] -= lr * (m[i] / c1) / ((v[i] / c2).squareRoot() + eps)
            }
        }
    }

    /// The seed-style line of this optimizer's update, for the code pane.
    public var code: String {
        switch optimizer {
        case .sgd: return "self.w -= self.eta*self.grad_w"
        case .adam: return "self.w -= alpha_t*self.mw/(np.sqrt(self.vw) + self.eps)"
        }
    }
}

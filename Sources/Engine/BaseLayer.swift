/// The seed's `BaseLayer`, a dense layer: `u = x@w + b`, `y = act(u)`.
///
/// Backward: `dact = grad*act.backward(u, y)`, `grad_w = x.T@dact`,
/// `grad_b = sum(dact, axis=0)`, `grad_x = dact@w.T`. The convolution's `.base` form is this
/// layer applied to `im2col(x).T`.
public final class BaseLayer {
    /// `(prev, n)` and `(n,)`.
    public private(set) var w: Tensor
    public private(set) var b: Tensor
    public let activation: Activation
    public private(set) var x = Tensor(zeros: [0, 0])
    public private(set) var u = Tensor(zeros: [0, 0])
    public private(set) var y = Tensor(zeros: [0, 0])
    public private(set) var gradW: Tensor
    public private(set) var gradB: Tensor
    private var optW: OptimizerState
    private var optB: OptimizerState

    public init(w: Tensor, b: Tensor, activation: Activation = .identity, optimizer: Optimizer = .defaultSGD) throws {
        guard w.rank == 2, b.shape == [w.shape[1]] else {
            throw EngineError("a dense layer needs w (prev, n) and b (n,), but got w \(shapeText(w.shape)) and b \(shapeText(b.shape))")
        }
        (self.w, self.b, self.activation) = (w, b, activation)
        (gradW, gradB) = (Tensor(zeros: w.shape), Tensor(zeros: b.shape))
        optW = OptimizerState(optimizer, count: w.count)
        optB = OptimizerState(optimizer, count: b.count)
    }

    /// `x` `(B, prev)` → `y` `(B, n)`.
    public func forward(_ x: Tensor) throws -> Tensor {
        self.x = x
        u = try matmul(x, w).adding(b)
        y = activation.forward(u)
        return y
    }

    /// `grad` `(B, n)` → `grad_x` `(B, prev)`; keeps `gradW` and `gradB` for `update`.
    public func backward(_ grad: Tensor) throws -> Tensor {
        let dact = try activation.backward(grad, u: u, y: y)
        gradW = try matmul(x.T, dact)
        gradB = try dact.sum(axis: 0)
        return try matmul(dact, w.T)
    }

    /// One optimizer step on `w` and `b`.
    public func update() {
        optW.step(&w.data, grad: gradW.data)
        optB.step(&b.data, grad: gradB.data)
    }
}

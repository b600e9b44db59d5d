/// The seed's `BaseLayer`, a dense layer: `u = x@w + b`, `y = act(u)`.
///
/// Backward: `dact = grad*act.backward(u, y)`, `grad_w = x.T@dact`,
/// `grad_b = sum(dact, axis=0)`, `grad_x = dact@w.T`. The article's `ConvLayer` inherits it
/// and runs it on `im2col(x).T`; the convolution's `.base` form does the same through
/// `ConvLayer`'s own instance of this layer.
public final class BaseLayer {
    /// `(prev, n)` and `(n,)`.
    public private(set) var w: Tensor
    public private(set) var b: Tensor
    public let activation: Activation
    public private(set) var x = Tensor(zeros: [0, 0])
    /// `x@w` before the bias: a trace shows the product and the bias as two phases.
    public private(set) var product = Tensor(zeros: [0, 0])
    public private(set) var u = Tensor(zeros: [0, 0])
    public private(set) var y = Tensor(zeros: [0, 0])
    /// `grad*act.backward(u, y)` of the last backward pass.
    public private(set) var dact = Tensor(zeros: [0, 0])
    public private(set) var gradW: Tensor
    public private(set) var gradB: Tensor
    /// The optimizer's state for `w` and for `b`, which a trace of the update shows.
    public private(set) var optW: OptimizerState
    public private(set) var optB: OptimizerState

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
        product = try matmul(x, w)
        u = try product.adding(b)
        y = activation.forward(u)
        return y
    }

    /// `grad` `(B, n)` → `grad_x` `(B, prev)`; keeps `gradW` and `gradB` for `update`.
    /// The transposes are read in place: the sums are the same as with `x.T` and `w.T` built.
    public func backward(_ grad: Tensor) throws -> Tensor {
        dact = try activation.backward(grad, u: u, y: y)
        gradW = try matmul(x, transposed: true, dact, transposed: false)
        gradB = try dact.sum(axis: 0)
        return try matmul(dact, transposed: false, w, transposed: true)
    }

    /// One optimizer step on `w` and `b`.
    public func update() {
        optW.step(&w.data, grad: gradW.data)
        optB.step(&b.data, grad: gradB.data)
    }
}

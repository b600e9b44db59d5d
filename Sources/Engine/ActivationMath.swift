

/// Each activation's forward and derivative side by side, as the seed's `act.forward(u)` and
/// `act.backward(u, y)`: the derivative may use the input `u`, the output `y`, or both.
extension Activation {
    /// `y = act(u)` for one value.
    public func forward(_ u: Double) -> Double {
        switch self {
        case .identity: return u
        case .relu: return u > 0 ? u : 0
        case .sigmoid: return 1 / (1 + mathExp(-u))
        case .tanh: return mathTanh(u)
        }
    }

    /// `dy/du` at `u`, given `y = forward(u)`.
    public func derivative(_ u: Double, _ y: Double) -> Double {
        switch self {
        case .identity: return 1
        case .relu: return u > 0 ? 1 : 0  // numpy's `np.where(u > 0, 1, 0)`: 0 at the kink
        case .sigmoid: return y * (1 - y)
        case .tanh: return 1 - y * y
        }
    }

    /// `act.forward(u)` on a tensor.
    public func forward(_ u: Tensor) -> Tensor {
        // The identity shares the storage: same values, no copy.
        self == .identity ? Tensor(shape: u.shape, data: u.data) : u.map(forward)
    }

    /// `grad * act.backward(u, y)`: the gradient through the activation.
    public func backward(_ grad: Tensor, u: Tensor, y: Tensor) throws -> Tensor {
        guard grad.shape == u.shape, u.shape == y.shape else {
            throw EngineError("the gradient \(shapeText(grad.shape)) does not match the layer's output \(shapeText(u.shape))")
        }
        // grad · 1 is grad, bit for bit.
        if self == .identity { return Tensor(shape: grad.shape, data: grad.data) }
        var out = grad.data
        for i in out.indices { out[i] = grad.data[i] * derivative(u.data[i], y.data[i]) }
        return Tensor(shape: grad.shape, data: out)
    }

    /// The seed-style name, as the code pane shows it.
    public var seedName: String {
        switch self {
        case .identity: return "identity"
        case .relu: return "ReLU"
        case .sigmoid: return "Sigmoid"
        case .tanh: return "tanh"
        }
    }
}

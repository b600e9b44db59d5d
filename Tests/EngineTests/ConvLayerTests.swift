import XCTest
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@testable import Engine

final class ConvLayerTests: XCTestCase {
    func testBothFormsAndLayoutsAgainstTheDefinition() throws {
        var r = Seeded(10)
        for n in 0..<200 {
            let c = Config.random(&r)
            let x = r.tensor([c.B, c.C, c.H, c.W])
            let w = r.tensor([c.M, c.C, c.FH, c.FW])
            let b = r.tensor([c.M])
            let activation = Activation.allCases[n % Activation.allCases.count]
            let u = referenceConv(c, x: x, w: w, b: b)
            let grad = r.tensor(u.shape)
            // Through the activation: the gradient on u is grad·act'(u).
            var gu = grad
            for i in u.data.indices {
                gu.data[i] *= activation.derivative(u.data[i], activation.forward(u.data[i]))
            }
            let expected = referenceConvBackward(c, x: x, w: w, gu: gu)
            var first: (y: Tensor, dx: Tensor)?
            for form in ConvForm.allCases {
                for layout in ColumnLayout.allCases {
                    let layer = try ConvLayer(w: w, b: b, stride: c.stride, pad: .pair(c.pad), dilation: c.dilation,
                                              activation: activation, form: form, layout: layout)
                    let y = try layer.forward(x)
                    let label = "\(c) \(form) \(layout) \(activation)"
                    assertClose(layer.u, u, label)
                    assertClose(y, u.map(activation.forward), label)
                    let dx = try layer.backward(grad)
                    assertClose(dx, expected.dx, label)
                    assertClose(layer.gradW, expected.dw, label)
                    assertClose(layer.gradB, expected.db, label)
                    // The seed's two forms give the same numbers.
                    if let first {
                        assertClose(y, first.y, tolerance: 1e-12, label)
                        assertClose(dx, first.dx, tolerance: 1e-12, label)
                    } else {
                        first = (y, dx)
                    }
                }
            }
        }
    }

    func testFiniteDifferencesForEveryActivation() throws {
        var r = Seeded(11)
        for activation in Activation.allCases {
            for form in ConvForm.allCases {
                let c = Config.random(&r)
                let x = r.tensor([c.B, c.C, c.H, c.W])
                let w = r.tensor([c.M, c.C, c.FH, c.FW])
                let b = r.tensor([c.M])
                let label = "\(c) \(activation) \(form)"
                func layer(_ w: Tensor, _ b: Tensor) throws -> ConvLayer {
                    try ConvLayer(w: w, b: b, stride: c.stride, pad: .pair(c.pad), dilation: c.dilation,
                                  activation: activation, form: form)
                }
                let l = try layer(w, b)
                let y = try l.forward(x)
                let probe = r.tensor(y.shape)  // loss = <y, probe>, so dL/dy = probe
                let dx = try l.backward(probe)
                func loss(_ x: Tensor, _ w: Tensor, _ b: Tensor) throws -> Double {
                    try layer(w, b).forward(x).dot(probe)
                }
                let h = 1e-6
                func check(_ t: Tensor, _ analytic: Tensor, _ f: (Tensor) throws -> Double) throws {
                    for i in Swift.stride(from: 0, to: t.count, by: max(1, t.count / 12)) {
                        var plus = t, minus = t
                        plus.data[i] += h
                        minus.data[i] -= h
                        let numeric = (try f(plus) - f(minus)) / (2 * h)
                        XCTAssertEqual(analytic.data[i], numeric, accuracy: 1e-5 * max(1, abs(numeric)), label)
                    }
                }
                try check(x, dx) { try loss($0, w, b) }
                try check(w, l.gradW) { try loss(x, $0, b) }
                try check(b, l.gradB) { try loss(x, w, $0) }
            }
        }
    }

    func testUpdateWithSGDAndAdam() throws {
        var r = Seeded(12)
        let x = r.tensor([2, 2, 5, 4]), w = r.tensor([3, 2, 2, 3]), b = r.tensor([3])
        for form in ConvForm.allCases {
            let sgd = try ConvLayer(w: w, b: b, optimizer: .sgd(lr: 0.1), form: form)
            let y = try sgd.forward(x)
            _ = try sgd.backward(y)
            sgd.update()
            assertClose(sgd.w, try w.subtracting(sgd.gradW.scaled(by: 0.1)))
            assertClose(sgd.b, try b.subtracting(sgd.gradB.scaled(by: 0.1)))

            // Adam's first step moves each weight by lr·g/(|g| + eps) against its gradient.
            let adam = try ConvLayer(w: w, b: b, optimizer: .adam(lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8), form: form)
            _ = try adam.backward(adam.forward(x))
            adam.update()
            let g = adam.gradW
            assertClose(adam.w, try w.subtracting(g.map { 0.01 * $0 / (abs($0) + 1e-8) }), tolerance: 1e-7)
            XCTAssertEqual(adam.w.shape, [3, 2, 2, 3])
        }
    }

    func testDenseBaseLayer() throws {
        var r = Seeded(13)
        let x = r.tensor([4, 3]), w = r.tensor([3, 2]), b = r.tensor([2])
        let layer = try BaseLayer(w: w, b: b, activation: .tanh)
        let y = try layer.forward(x)
        for i in 0..<4 { for j in 0..<2 {
            var u = b[j]
            for k in 0..<3 { u += x[i, k] * w[k, j] }
            XCTAssertEqual(y[i, j], tanh(u), accuracy: 1e-12)
        } }
        let grad = r.tensor([4, 2])
        let dx = try layer.backward(grad)
        let dact = try grad.multiplied(by: y.map { 1 - $0 * $0 })
        assertClose(dx, try matmul(dact, w.T))
        assertClose(layer.gradW, try matmul(x.T, dact))
        assertClose(layer.gradB, try dact.sum(axis: 0))
    }
}

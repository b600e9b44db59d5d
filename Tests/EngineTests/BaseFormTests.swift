import XCTest
@testable import Engine

/// The article's main `ConvLayer` inherits `BaseLayer` and lets it do the work on
/// `im2col(x).T`: `super().forward(x.T)`, `super().backward(grad)`, and `BaseLayer`'s update
/// unchanged. The base form is that, bit for bit: the same dense layer, fed by im2col and
/// read back through `reshape(B, O_h, O_w, M).transpose(0, 3, 1, 2)` and col2im.
final class BaseFormTests: XCTestCase {
    func assertSameBits(_ a: Tensor, _ b: Tensor, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.shape, b.shape, what, file: file, line: line)
        for (i, (u, v)) in zip(a.data, b.data).enumerated() where u.bitPattern != v.bitPattern {
            return XCTFail("\(what)[\(i)]: \(u) vs \(v)", file: file, line: line)
        }
    }

    func testTheBaseFormIsBaseLayerOnTheTransposedColumns() throws {
        var r = Seeded(40)
        let optimizers: [Optimizer] = [.sgd(lr: 0.1), .adam(lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8)]
        for n in 0..<120 {
            let c = Config.random(&r)
            let x = r.tensor([c.B, c.C, c.H, c.W]), w = r.tensor([c.M, c.C, c.FH, c.FW]), b = r.tensor([c.M])
            let activation = Activation.allCases[n % Activation.allCases.count]
            let optimizer = optimizers[(n / 4) % 2]
            let layout = ColumnLayout.allCases[(n / 8) % 2]
            let label = "\(c) \(activation) \(optimizer) \(layout)"
            let conv = try ConvLayer(w: w, b: b, stride: c.stride, pad: .pair(c.pad), dilation: c.dilation,
                                     activation: activation, optimizer: optimizer, form: .base, layout: layout)
            // The article's x.T: one placement per row, (B·OH·OW, C·FH·FW).
            let rows = try im2col(x, filter: Pair(c.FH, c.FW), stride: c.stride, pad: c.pad, dilation: c.dilation,
                                  layout: .rows)
            let dense = try BaseLayer(w: try w.reshaped([c.M, -1]).T, b: b, activation: activation, optimizer: optimizer)
            let toImage = { (t: Tensor) in try t.reshaped([c.B, c.OH, c.OW, c.M]).transposed([0, 3, 1, 2]) }

            assertSameBits(try conv.forward(x), try toImage(dense.forward(rows)), "y of \(label)")
            assertSameBits(conv.u, try toImage(dense.u), "u of \(label)")

            let grad = r.tensor([c.B, c.M, c.OH, c.OW])
            let gradX = try dense.backward(try grad.transposed([0, 2, 3, 1]).reshaped([-1, c.M]))
            let dx = try col2im(gradX, inputShape: x.shape, filter: Pair(c.FH, c.FW), stride: c.stride, pad: c.pad,
                                dilation: c.dilation, layout: .rows)
            assertSameBits(try conv.backward(grad), dx, "dx of \(label)")
            assertSameBits(conv.gradW, try dense.gradW.T.reshaped(w.shape), "grad_w of \(label)")
            assertSameBits(conv.gradB, dense.gradB, "grad_b of \(label)")

            for step in 1...2 {
                conv.update()
                dense.update()
                assertSameBits(conv.w, try dense.w.T.reshaped(w.shape), "w after update \(step) of \(label)")
                assertSameBits(conv.b, dense.b, "b after update \(step) of \(label)")
            }
        }
    }
}

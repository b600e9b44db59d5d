import XCTest
import Engine
import Trace

/// Pooling computes its gradient one way, with or without a recorder: `tatami compute`, the
/// player and a page built from the trace show the same bits, NaN and ties included.
final class PoolBackwardPathTests: XCTestCase {
    /// A random pooling whose inputs repeat values (ties), and hold NaN, ±inf and −0.
    struct Case: CustomStringConvertible {
        var x: Tensor, grad: Tensor
        var pool: Pair, stride: Pair, pad: Pair, mode: PoolMode, routing: Routing
        var description: String {
            "x \(x.shape) pool \(pool) stride \(stride) pad \(pad) \(mode) \(routing)"
        }

        static func random(_ r: inout SplitMix64, _ n: Int) throws -> Case {
            let pool = Pair(r.integer(1, 3), r.integer(1, 3))
            let pad = Pair(r.integer(0, pool.v / 2), r.integer(0, pool.h / 2))
            let shape = [r.integer(1, 2), r.integer(1, 3),
                         r.integer(max(1, pool.v - 2 * pad.v), 7), r.integer(max(1, pool.h - 2 * pad.h), 7)]
            // Few distinct values, so windows tie, and the odd NaN or infinity.
            let special: [Double] = [.nan, .infinity, -.infinity, -0.0]
            let x = Tensor(shape: shape, data: (0..<shape.reduce(1, *)).map { _ in
                r.integer(0, 9) == 0 ? special[r.integer(0, 3)] : Double(r.integer(-2, 2))
            })
            let stride = Pair(r.integer(1, 3), r.integer(1, 3))
            let g = try ConvGeometry(input: shape, filters: shape[1], window: pool, stride: stride, pad: pad)
            // Gradients of very different sizes: where windows overlap, a cell's sum then
            // depends on the order of its terms.
            let grad = Tensor(shape: [g.B, g.C, g.OH, g.OW], data: (0..<g.B * g.C * g.OH * g.OW).map { _ in
                r.integer(0, 19) == 0 ? -0.0 : Double(r.integer(-999, 999)) * pow(10, Double(r.integer(-8, 8))) / 7
            })
            let mode: PoolMode = n % 4 == 3 ? .average : .max
            return Case(x: x, grad: grad, pool: pool, stride: stride, pad: pad, mode: mode,
                        routing: n % 4 == 2 ? .seedBug : .correct)
        }
    }

    func assertSameBits(_ a: [Double], _ b: [Double], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, what, file: file, line: line)
        for (i, (u, v)) in zip(a, b).enumerated() where u.bitPattern != v.bitPattern {
            return XCTFail("\(what)[\(i)]: \(u) vs \(v)", file: file, line: line)
        }
    }

    /// The tensor named `name` declared last, at the end of the trace.
    func final(_ trace: Trace, _ name: String) throws -> (id: TensorID, values: [Double]) {
        let last = trace.stepCount - 1
        let id = try XCTUnwrap(trace.tensor(named: name, atStep: last), name)
        return (id, trace.state(after: last)[id])
    }

    func testComputeAndTheTraceGiveTheSameBitsForRandomPoolings() throws {
        var r = SplitMix64(seed: 41)
        for n in 0..<300 {
            let c = try Case.random(&r, n)
            let layer = try PoolingLayer(pool: c.pool, stride: c.stride, pad: c.pad, mode: c.mode)
            let y = try layer.forward(c.x)
            let dx = try layer.backward(c.grad, routing: c.routing)

            let trace = try Trace.record(Scenario(operation: .pool, passes: .backward, x: c.x, grad: c.grad,
                                                  stride: c.stride, pad: .pair(c.pad), pool: c.pool,
                                                  poolMode: c.mode, routing: c.routing))
            assertSameBits(try final(trace, "y").values, y.data, "y of \(c)")
            assertSameBits(try final(trace, "dx").values, dx.data, "dx of \(c)")
            // dx_pad as col2im's own accumulations left it, cropped by hand.
            let (padID, dxPad) = try final(trace, "dx_pad")
            let padded = trace.tensors[Int(padID.rawValue)].shape
            let (B, C, H, W) = (c.x.shape[0], c.x.shape[1], c.x.shape[2], c.x.shape[3])
            var cropped: [Double] = []
            for plane in 0..<B * C { for i in 0..<H { for j in 0..<W {
                cropped.append(dxPad[(plane * padded[2] + i + c.pad.v) * padded[3] + j + c.pad.h])
            } } }
            assertSameBits(cropped, dx.data, "dx_pad's accumulations of \(c)")
            if c.mode == .max {
                // max_index is in row order (b, oh, ow, c); the layer's argmax in (b, c, oh, ow).
                let rows = try layer.argmax.transposed([0, 2, 3, 1]).data
                XCTAssertEqual(try final(trace, "max_index").values, rows, "max_index of \(c)")
            }
        }
    }
}

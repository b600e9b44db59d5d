import XCTest
import Engine
@testable import Trace

/// The lineage read from the events against one derived here from the layer's geometry alone:
/// loops over windows written in this file, none of the engine's helpers.
final class LineageTests: XCTestCase {
    /// One random layer, with everything the expectations need.
    struct Layer {
        var scenario: Scenario
        var B, C, H, W, M, FH, FW, SH, SW, PH, PW, DH, DW, OH, OW: Int
        var pooling: Bool { scenario.operation == .pool }

        var summary: String {
            let s = scenario
            let what = pooling ? "\(s.poolMode) pool \(s.routing)" : "conv \(s.form) \(s.layout) \(s.activation)"
            return "\(what) \(s.passes), x (\(B),\(C),\(H),\(W)), window \(M)×\(FH)×\(FW), stride \(SH),\(SW), pad \(PH),\(PW), dilation \(DH),\(DW)"
        }

        /// The input cells (b, c, h, w) under window (oh, ow) at offset (fh, fw), inside the
        /// unpadded input only: a padding cell is no cell of x.
        func inputCell(_ oh: Int, _ ow: Int, _ fh: Int, _ fw: Int) -> (h: Int, w: Int)? {
            let h = oh * SH + fh * DH - PH, w = ow * SW + fw * DW - PW
            return h >= 0 && h < H && w >= 0 && w < W ? (h, w) : nil
        }
    }

    static func randomLayer(_ r: inout SplitMix64, _ n: Int) -> Layer {
        let pooling = n % 3 == 2
        let B = r.integer(1, 2), C = r.integer(1, 3), M = pooling ? C : r.integer(1, 3)
        let FH = r.integer(1, 3), FW = r.integer(1, 3)
        let SH = r.integer(1, 3), SW = r.integer(1, 3)
        let PH = pooling ? r.integer(0, FH / 2) : r.integer(0, 2), PW = pooling ? r.integer(0, FW / 2) : r.integer(0, 2)
        let DH = pooling ? 1 : r.integer(1, 2), DW = pooling ? 1 : r.integer(1, 2)
        let spanH = DH * (FH - 1) + 1, spanW = DW * (FW - 1) + 1
        let H = max(1, spanH - 2 * PH) + r.integer(0, 4), W = max(1, spanW - 2 * PW) + r.integer(0, 4)
        let OH = (H + 2 * PH - spanH) / SH + 1, OW = (W + 2 * PW - spanW) / SW + 1
        // Distinct, non-zero inputs: no tie decides a maximum, except between padding zeros.
        var values = Array(1...(B * C * H * W)).map { Double($0) }
        values.shuffle(using: &r)
        let half = Double(values.count / 2)
        let x = Tensor(shape: [B, C, H, W], data: values.map { $0 - half <= 0 ? $0 - half - 1 : $0 - half })
        func ints(_ count: Int) -> [Double] { (0..<count).map { _ in Double([-1, 1][r.integer(0, 1)] * r.integer(1, 9)) } }
        var s = Scenario(operation: pooling ? .pool : .conv, x: x, stride: Pair(SH, SW), pad: .pair(Pair(PH, PW)),
                         dilation: Pair(DH, DW))
        let grad = Tensor(shape: [B, M, OH, OW], data: ints(B * M * OH * OW))
        if pooling {
            s.passes = r.integer(0, 3) == 0 ? .forward : .backward
            s.pool = Pair(FH, FW)
            s.poolMode = r.integer(0, 2) == 0 ? .average : .max
            s.routing = s.poolMode == .max && r.integer(0, 3) == 0 ? .seedBug : .correct
        } else {
            s.passes = [.forward, .backward, .update][r.integer(0, 2)]
            s.w = Tensor(shape: [M, C, FH, FW], data: ints(M * C * FH * FW))
            if r.integer(0, 1) == 0 { s.b = Tensor(shape: [M], data: ints(M)) }
            s.form = r.integer(0, 1) == 0 ? .plain : .base
            s.layout = r.integer(0, 1) == 0 ? .seed : .rows
            s.activation = [.identity, .relu, .tanh][r.integer(0, 2)]
            s.optimizer = r.integer(0, 1) == 0 ? .defaultSGD : .adam(lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8)
        }
        if s.passes != .forward { s.grad = grad }
        return Layer(scenario: s, B: B, C: C, H: H, W: W, M: M, FH: FH, FW: FW, SH: SH, SW: SW, PH: PH, PW: PW,
                     DH: DH, DW: DW, OH: OH, OW: OW)
    }

    /// Cells as `name:flat`, so that the expectation needs no tensor ids.
    func named(_ cells: [CellRef], _ trace: Trace) -> Set<String> {
        Set(cells.map { trace.tensors[Int($0.tensor.rawValue)].name + ":\($0.index)" })
    }

    func last(_ name: String, _ trace: Trace) throws -> TensorID {
        TensorID(UInt16(try XCTUnwrap(trace.tensors.lastIndex { $0.name == name }, "no \(name)")))
    }

    func testSourcesAndUsesMatchTheGeometryOverRandomLayers() throws {
        var r = SplitMix64(seed: 20_240_611)
        var checked = (y: 0, dx: 0, x: 0)
        for n in 0..<300 {
            let layer = Self.randomLayer(&r, n)
            let trace = try Trace.record(layer.scenario)
            let lineage = Lineage(trace)
            let context = "layer \(n): \(layer.summary)"
            let y = try last("y", trace), x = try last("x", trace)
            for _ in 0..<3 {
                let (b, m) = (r.integer(0, layer.B - 1), r.integer(0, layer.M - 1))
                let (oh, ow) = (r.integer(0, layer.OH - 1), r.integer(0, layer.OW - 1))
                let flat = ((b * layer.M + m) * layer.OH + oh) * layer.OW + ow
                XCTAssertEqual(named(lineage.sources(of: CellRef(y, flat)), trace), expectedOutputSources(layer, b, m, oh, ow),
                               "y[\(b),\(m),\(oh),\(ow)], \(context)")
                checked.y += 1
            }
            for _ in 0..<3 {
                let (b, c, h, w) = (r.integer(0, layer.B - 1), r.integer(0, layer.C - 1), r.integer(0, layer.H - 1), r.integer(0, layer.W - 1))
                let flat = ((b * layer.C + c) * layer.H + h) * layer.W + w
                let usesInY = lineage.uses(of: CellRef(x, flat)).filter { $0.tensor == y }.map(\.index)
                XCTAssertEqual(Set(usesInY), expectedOutputsReading(layer, b, c, h, w), "uses of x[\(b),\(c),\(h),\(w)], \(context)")
                checked.x += 1
                guard layer.scenario.passes != .forward else { continue }
                let dx = try last("dx", trace)
                XCTAssertEqual(named(lineage.sources(of: CellRef(dx, flat)), trace), expectedGradientSources(layer, b, c, h, w),
                               "dx[\(b),\(c),\(h),\(w)], \(context)")
                checked.dx += 1
            }
        }
        print("lineage against geometry: \(checked.y) outputs, \(checked.dx) input gradients, \(checked.x) inputs' uses")
        XCTAssertGreaterThan(checked.dx, 300)
    }

    /// y[b, m, oh, ow]: its window's cells of x over every channel; for a convolution also
    /// every cell of filter m and the bias b[m].
    func expectedOutputSources(_ l: Layer, _ b: Int, _ m: Int, _ oh: Int, _ ow: Int) -> Set<String> {
        var cells = Set<String>()
        let channels = l.pooling ? [m] : Array(0..<l.C)
        for c in channels {
            for fh in 0..<l.FH {
                for fw in 0..<l.FW {
                    if let (h, w) = l.inputCell(oh, ow, fh, fw) { cells.insert("x:\(((b * l.C + c) * l.H + h) * l.W + w)") }
                    if !l.pooling { cells.insert("w:\(((m * l.C + c) * l.FH + fh) * l.FW + fw)") }
                }
            }
        }
        if !l.pooling { cells.insert("b:\(m)") }
        return cells
    }

    /// The flat indexes of the outputs whose window holds x[b, c, h, w].
    func expectedOutputsReading(_ l: Layer, _ b: Int, _ c: Int, _ h: Int, _ w: Int) -> Set<Int> {
        var found = Set<Int>()
        for oh in 0..<l.OH {
            for ow in 0..<l.OW {
                for fh in 0..<l.FH {
                    for fw in 0..<l.FW where l.inputCell(oh, ow, fh, fw).map({ $0 == (h, w) }) ?? false {
                        for m in l.pooling ? [c] : Array(0..<l.M) { found.insert(((b * l.M + m) * l.OH + oh) * l.OW + ow) }
                    }
                }
            }
        }
        return found
    }

    /// dx[b, c, h, w] by data flow. A convolution: the incoming gradient of every window that
    /// covers the cell, every filter, and the filter cells at the offsets where it is covered.
    /// Max pooling: only the gradients routed to it — of the windows whose maximum (the first in
    /// row-major order, padding zeros included) it is, or with the article's routing, of the
    /// windows where it sits at a column that is any window's maximum. Average pooling: every
    /// covering window's gradient.
    func expectedGradientSources(_ l: Layer, _ b: Int, _ c: Int, _ h: Int, _ w: Int) -> Set<String> {
        var cells = Set<String>()
        let x = l.scenario.x.data
        func padded(_ b: Int, _ c: Int, _ ph: Int, _ pw: Int) -> Double {
            let h = ph - l.PH, w = pw - l.PW
            return h >= 0 && h < l.H && w >= 0 && w < l.W ? x[((b * l.C + c) * l.H + h) * l.W + w] : 0
        }
        /// The first maximum's column (fh·FW + fw) of window (b, c, oh, ow).
        func argmax(_ b: Int, _ c: Int, _ oh: Int, _ ow: Int) -> Int {
            var best = 0, top = -Double.infinity
            for k in 0..<(l.FH * l.FW) {
                let v = padded(b, c, oh * l.SH + k / l.FW, ow * l.SW + k % l.FW)
                if v > top { (best, top) = (k, v) }
            }
            return best
        }
        var anyArgmax = Set<Int>()
        if l.pooling && l.scenario.routing == .seedBug {
            for bb in 0..<l.B { for cc in 0..<l.C { for oh in 0..<l.OH { for ow in 0..<l.OW {
                anyArgmax.insert(argmax(bb, cc, oh, ow))
            } } } }
        }
        for oh in 0..<l.OH {
            for ow in 0..<l.OW {
                for fh in 0..<l.FH {
                    for fw in 0..<l.FW where l.inputCell(oh, ow, fh, fw).map({ $0 == (h, w) }) ?? false {
                        if !l.pooling {
                            for m in 0..<l.M {
                                cells.insert("grad:\(((b * l.M + m) * l.OH + oh) * l.OW + ow)")
                                cells.insert("w:\(((m * l.C + c) * l.FH + fh) * l.FW + fw)")
                            }
                            continue
                        }
                        let column = fh * l.FW + fw
                        let routed: Bool
                        switch (l.scenario.poolMode, l.scenario.routing) {
                        case (.average, _): routed = true
                        case (.max, .correct): routed = argmax(b, c, oh, ow) == column
                        case (.max, .seedBug): routed = anyArgmax.contains(column)
                        }
                        if routed { cells.insert("grad:\(((b * l.C + c) * l.OH + oh) * l.OW + ow)") }
                    }
                }
            }
        }
        return cells
    }

    /// A chain through im2col and the product back to x: u's cell in the product, and the
    /// arithmetic shown for it, in the seed's worked example.
    func testTheWorkedExampleExplainsItsProductAndItsCopy() throws {
        let x = Tensor(shape: [1, 1, 4, 4], data: (1...16).map(Double.init))
        let w = Tensor(shape: [1, 1, 2, 2], data: [1, 2, 3, 4])
        let trace = try Trace.record(Scenario(operation: .conv, x: x, w: w))
        let lineage = Lineage(trace)
        let u = TensorID(UInt16(try XCTUnwrap(trace.tensors.firstIndex { $0.name == "u" })))
        let product = lineage.explain(CellRef(u, 4))
        XCTAssertEqual(product.value, 94)
        XCTAssertTrue(product.steps.contains { $0.text == "u[0, 4] = 1·6 + 2·7 + 3·10 + 4·11 = 94" }, "\(product.steps)")
        let cols = TensorID(UInt16(try XCTUnwrap(trace.tensors.firstIndex { $0.name == "cols" })))
        let copy = lineage.explain(CellRef(cols, 1 * 9 + 3))
        // Row 1 is (c, fh, fw) = (0, 0, 1), column 3 the placement (oh, ow) = (1, 0).
        XCTAssertEqual(copy.steps.map(\.text), ["x_pad[0, 0, 1, 1] = x[0, 0, 1, 1] = 6", "cols[1, 3] = x_pad[0, 0, 1, 1] = 6"])
        XCTAssertEqual(named(copy.sources, trace), ["x:5"])
        XCTAssertEqual(named(copy.uses, trace), ["y:3"], "the naive loop's out reads x_pad, not cols")
    }

    /// Before the update the filter is the given one; after it, it also depends on the gradient.
    func testAVersionDependsOnWhatTheCellHeldThen() throws {
        let x = Tensor(shape: [1, 1, 3, 3], data: (1...9).map(Double.init))
        let w = Tensor(shape: [1, 1, 2, 2], data: [1, 2, 3, 4])
        let trace = try Trace.record(Scenario(operation: .conv, passes: .update, x: x, w: w))
        let lineage = Lineage(trace)
        let wMat = TensorID(UInt16(try XCTUnwrap(trace.tensors.firstIndex { $0.name == "w_mat" })))
        let update = try XCTUnwrap(trace.phases.firstIndex { $0.kind == .update })
        let before = lineage.sources(of: CellRef(wMat, 1), after: trace.phaseFirstStep[update] - 1)
        XCTAssertEqual(named(before, trace), ["w:1"])
        let after = named(lineage.sources(of: CellRef(wMat, 1)), trace)
        XCTAssertTrue(after.contains("w:1") && after.contains { $0.hasPrefix("grad:") } && after.contains { $0.hasPrefix("x:") }, "\(after)")
    }
}

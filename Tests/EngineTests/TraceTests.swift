import XCTest
@testable import Engine

/// Keeps everything it is told, and rebuilds every tensor from the events alone.
final class Collector: TraceRecorder {
    var isEnabled = true
    var tensors: [TensorInfo] = []
    var phases: [PhaseInfo] = []
    var events: [Event] = []

    func declare(_ info: TensorInfo) -> TensorID {
        tensors.append(info)
        return TensorID(UInt16(tensors.count - 1))
    }
    func begin(_ phase: PhaseInfo) {
        phases.append(phase)
        events.append(Event(.phase, phases.count - 1))
    }
    func record(_ event: Event) { events.append(event) }
    var layer: LayerInfo?
    func describe(_ layer: LayerInfo) { self.layer = layer }

    /// Every tensor's values after all events, replayed as docs/trace.md defines them.
    func replay() -> [[Double]] {
        var values = tensors.map { info -> [Double] in
            info.origin == .given ? info.initial : [Double](repeating: 0, count: info.shape.reduce(1, *))
        }
        for e in events {
            let (d, s) = (Int(e.dst.rawValue), Int(e.src.rawValue))
            switch e.kind {
            case .write: values[d][Int(e.dstIndex)] = e.value
            case .accumulate: values[d][Int(e.dstIndex)] += e.value
            case .derive:
                switch tensors[d].origin {
                case .reshape(of: let src):
                    XCTAssertEqual(Int(src.rawValue), s)
                    values[d] = values[s]
                case .transpose(of: let src, axes: let axes):
                    XCTAssertEqual(Int(src.rawValue), s)
                    values[d] = Tensor(shape: tensors[s].shape, data: values[s]).transposed(axes).data
                default: XCTFail("derive into \(tensors[d].name), which is not derived")
                }
            case .phase, .step, .term, .argmax, .read, .link: break
            }
        }
        return values
    }

    /// The values of the last tensor called `name`.
    func last(_ name: String, in values: [[Double]]) -> Tensor? {
        guard let i = tensors.lastIndex(where: { $0.name == name }) else { return nil }
        return Tensor(shape: tensors[i].shape, data: values[i])
    }

    var phaseKinds: [PhaseKind] { phases.map(\.kind) }
}

final class TraceTests: XCTestCase {
    func testReplayingAConvTraceRebuildsEveryResultExactly() throws {
        var r = Seeded(30)
        for n in 0..<24 {
            let c = Config.random(&r)
            let form = ConvForm.allCases[n % 2], layout = ColumnLayout.allCases[(n / 2) % 2]
            let activation = Activation.allCases[(n / 4) % 4]
            let optimizer: Optimizer = n % 3 == 0 ? .defaultSGD : .defaultAdam
            let x = r.tensor([c.B, c.C, c.H, c.W]), w = r.tensor([c.M, c.C, c.FH, c.FW]), b = r.tensor([c.M])
            let layer = try ConvLayer(w: w, b: b, stride: c.stride, pad: .pair(c.pad), dilation: c.dilation,
                                      activation: activation, optimizer: optimizer, form: form, layout: layout)
            let rec = Collector()
            let y = try layer.forward(x, recorder: rec)
            let grad = r.tensor(y.shape)
            let dx = try layer.backward(grad, recorder: rec)
            let label = "\(c) \(form) \(layout) \(activation)"
            var values = rec.replay()
            XCTAssertEqual(rec.last("y", in: values), y, label)
            XCTAssertEqual(rec.last("dx", in: values), dx, label)
            XCTAssertEqual(rec.last("grad_w", in: values), layer.gradW, label)
            // The plain form's grad_b is the article's np.sum(dact, axis=1).reshape(M, 1).
            XCTAssertEqual(rec.last("grad_b", in: values), form == .plain ? try layer.gradB.reshaped([c.M, 1]) : layer.gradB, label)
            // The sums the trace accumulates itself (bias, col2im) agree to the last bit too.
            let u = try XCTUnwrap(rec.last("u", in: values))
            XCTAssertEqual(u, form == .plain ? layer.u : try layer.u.transposed([0, 2, 3, 1]).reshaped([-1, c.M]), label)
            XCTAssertEqual(try rec.last("dx_pad", in: values)?.cropped(c.pad), dx, label)
            // The seed's naive loop gives the same numbers as im2col (bias aside).
            if let out = rec.last("out", in: values) {
                assertClose(try out.adding(b.reshaped([c.M, 1, 1])), layer.u, label)
            } else {
                XCTFail("no slide phase: \(label)")
            }

            layer.update(recorder: rec)
            values = rec.replay()
            let wName = form == .plain ? "w_mat" : "w_T"
            let wMat = try XCTUnwrap(rec.last(wName, in: values))
            let w4 = form == .plain ? wMat : wMat.T
            XCTAssertEqual(try w4.reshaped(w.shape), layer.w, label)
            XCTAssertEqual(rec.last("b", in: values)?.data, layer.b.data, label)
        }
    }

    func testConvPhasesComeInTheDocumentedOrder() throws {
        let x = Tensor(shape: [1, 1, 4, 4], data: (1...16).map(Double.init))
        let w = Tensor(shape: [1, 1, 2, 2], data: [1, 10, 100, 1000])
        let forward: [ConvForm: [PhaseKind]] = [
            .plain: [.input, .pad, .slide, .im2col, .filterReshape, .gemm, .bias, .reshape, .transpose, .activation],
            .base: [.input, .pad, .slide, .im2col, .transpose, .filterReshape, .transpose, .gemm, .bias, .activation,
                    .reshape, .transpose],
        ]
        let backward: [ConvForm: [PhaseKind]] = [
            .plain: [.dactivation, .transpose, .reshape, .gradW, .gradWReshape, .gradB, .gradCols, .col2im, .crop],
            .base: [.transpose, .reshape, .dactivation, .gradW, .transpose, .gradWReshape, .gradB, .gradCols,
                    .transpose, .col2im, .crop],
        ]
        for form in ConvForm.allCases {
            let rec = Collector()
            var labelled = w
            _ = rec.declareGiven(&labelled, name: "w", labels: ["W", "X", "Y", "Z"], axes: Axes.filter, pass: .forward, role: .weights)
            let layer = try ConvLayer(w: labelled, b: Tensor(zeros: [1]), form: form)
            let y = try layer.forward(x, recorder: rec)
            XCTAssertEqual(rec.phaseKinds, forward[form])
            _ = try layer.backward(y, recorder: rec)
            XCTAssertEqual(Array(rec.phaseKinds.dropFirst(forward[form]?.count ?? 0)), backward[form])
            // The caller's declaration of the filter, with its labels, is the one the trace uses.
            XCTAssertEqual(rec.tensors.filter { $0.name == "w" }.count, 1)
            XCTAssertEqual(rec.tensors.first?.labels, ["W", "X", "Y", "Z"])
            XCTAssertEqual(rec.phases.first { $0.kind == .slide }?.code.text, "Output[h, w] = Image[h:h_lim, w:w_lim] * Filter")
            XCTAssertTrue(rec.phases.contains { $0.code.text.contains("im2col(x, self.F_shape") })
        }
    }

    func testReplayingAPoolingTraceRebuildsOutputAndGradient() throws {
        var r = Seeded(31)
        for n in 0..<30 {
            var c = Config.random(&r)
            c.FH = r.int(1...3); c.FW = r.int(1...3)
            c.pad = Pair(r.int(0...(c.FH / 2)), r.int(0...(c.FW / 2)))
            c.H = r.int(c.FH...(c.FH + 4)); c.W = r.int(c.FW...(c.FW + 4))
            let mode = PoolMode.allCases[n % 2]
            let routing = Routing.allCases[(n / 2) % 2]
            let layer = try PoolingLayer(pool: Pair(c.FH, c.FW), stride: c.stride, pad: c.pad, mode: mode)
            let rec = Collector()
            let y = try layer.forward(r.tensor([c.B, c.C, c.H, c.W]), recorder: rec)
            let dx = try layer.backward(r.tensor(y.shape), routing: routing, recorder: rec)
            let values = rec.replay()
            XCTAssertEqual(rec.last("y", in: values), y)
            XCTAssertEqual(rec.last("dx", in: values), dx)
            XCTAssertEqual(try rec.last("dx_pad", in: values)?.cropped(c.pad), dx)
            let route: PhaseKind = mode == .max && routing == .seedBug ? .routeSeedBug : .route
            XCTAssertEqual(rec.phaseKinds, [.input, .pad, .im2col, .transpose, .poolRows, mode == .max ? .argmax : .poolMean,
                                            .reshape, .transpose, .transpose, .reshape, route, .reshape, .transpose,
                                            .col2im, .crop])
            if mode == .max {
                let argmaxes = rec.events.filter { $0.kind == .argmax }
                XCTAssertEqual(argmaxes.count, y.count)
                XCTAssertEqual(rec.last("max_index", in: values)?.data,
                               try layer.argmax.transposed([0, 2, 3, 1]).reshaped([-1]).data)
            }
            if route == .routeSeedBug {
                XCTAssertEqual(rec.phases.first { $0.kind == .routeSeedBug }?.code.text, "self.grad_x[:, self.max_index] = grad")
            }
        }
    }

    func testNoRecorderOrADisabledOneRecordsNothing() throws {
        let rec = Collector()
        rec.isEnabled = false
        let layer = try ConvLayer(w: Tensor(zeros: [1, 1, 2, 2]), b: Tensor(zeros: [1]))
        let y = try layer.forward(Tensor(zeros: [1, 1, 3, 3]), recorder: rec)
        _ = try layer.backward(y, recorder: rec)
        layer.update(recorder: rec)
        XCTAssertTrue(rec.events.isEmpty && rec.tensors.isEmpty)
    }
}

import XCTest
import Foundation
import Engine
import Trace

final class TraceTests: XCTestCase {
    /// A deterministic generator (the engine's), so that failures reproduce.
    struct Generator {
        var generator: SplitMix64
        init(state: UInt64) { generator = SplitMix64(seed: state) }
        /// Multiples of 1/250 in −4..<4.
        mutating func next() -> Double {
            Double(generator.integer(-1000, 999)) / 250
        }
        mutating func tensor(_ shape: [Int]) -> Tensor {
            Tensor(shape: shape, data: (0..<shape.reduce(1, *)).map { _ in next() })
        }
    }

    func convScenario(passes: Scenario.Passes = .backward, form: ConvForm = .plain,
                      layout: ColumnLayout = .seed) -> Scenario {
        var g = Generator(state: 7)
        return Scenario(operation: .conv, passes: passes, x: g.tensor([2, 3, 5, 4]), w: g.tensor([2, 3, 3, 2]),
                        b: g.tensor([2]), grad: g.tensor([2, 2, 3, 3]), stride: Pair(2, 1), pad: .pair(Pair(1, 0)),
                        form: form, layout: layout, activation: .tanh)
    }

    /// The values of the tensor named `name` declared last, at the end of the trace.
    func final(_ trace: Trace, _ name: String) -> (shape: [Int], values: [Double])? {
        guard let id = trace.tensor(named: name, atStep: trace.stepCount - 1) else { return nil }
        return (trace.tensors[Int(id.rawValue)].shape, trace.state(after: trace.stepCount - 1)[id])
    }

    func assertClose(_ a: [Double], _ b: [Double], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, file: file, line: line)
        for (x, y) in zip(a, b) where abs(x - y) > 1e-9 * max(1, abs(x), abs(y)) {
            return XCTFail("\(x) != \(y)", file: file, line: line)
        }
    }

    func testTheTraceAloneRebuildsTheConvGradients() throws {
        for form in ConvForm.allCases {
            for layout in ColumnLayout.allCases {
                let s = convScenario(form: form, layout: layout)
                let trace = try Trace.record(s)
                let layer = try ConvLayer(w: s.w!, b: s.b!, stride: s.stride, pad: s.pad, activation: s.activation,
                                          form: form, layout: layout)
                _ = try layer.forward(s.x)
                let dx = try layer.backward(s.grad!)
                let rebuiltDx = try XCTUnwrap(final(trace, "dx"))
                XCTAssertEqual(rebuiltDx.shape, dx.shape)
                assertClose(rebuiltDx.values, dx.data)
                // grad_w is declared again by its reshape; the last one has the filter's order.
                assertClose(try XCTUnwrap(final(trace, "grad_w")).values, layer.gradW.data)
                assertClose(try XCTUnwrap(final(trace, "grad_b")).values, layer.gradB.data)
            }
        }
    }

    func testTheTraceAloneRebuildsThePoolingGradient() throws {
        var g = Generator(state: 11)
        for mode in PoolMode.allCases {
            let x = g.tensor([2, 2, 5, 5])
            let grad = g.tensor([2, 2, 4, 4])
            let s = Scenario(operation: .pool, passes: .backward, x: x, grad: grad, stride: Pair(1),
                             pool: Pair(2), poolMode: mode)
            let trace = try Trace.record(s)
            let layer = try PoolingLayer(pool: Pair(2), stride: Pair(1), mode: mode)
            _ = try layer.forward(x)
            let dx = try layer.backward(grad)
            assertClose(try XCTUnwrap(final(trace, "dx")).values, dx.data)
        }
    }

    /// Seeking by keyframes must land on exactly what a replay from the start gives.
    func testSeekingEqualsAReplayFromTheStart() throws {
        let trace = try Trace.record(convScenario(passes: .update))
        for step in 0..<trace.stepCount where step % 7 == 0 || step == trace.stepCount - 1 {
            XCTAssertEqual(trace.state(after: step).values, replay(trace, through: step), "step \(step)")
        }
    }

    /// Events are kept in chunks of 2^16: a trace several chunks long must read back the same
    /// across chunk boundaries, in steps and in seeks.
    func testATraceLongerThanSeveralChunksRebuildsTheGradients() throws {
        var g = Generator(state: 5)
        let s = Scenario(operation: .conv, passes: .backward, x: g.tensor([2, 3, 12, 12]), w: g.tensor([4, 3, 3, 3]),
                         b: g.tensor([4]), grad: g.tensor([2, 4, 12, 12]), pad: .pair(Pair(1)), activation: .relu)
        let trace = try Trace.record(s)
        XCTAssertGreaterThan(trace.events.count, 2 << 16)
        let layer = try ConvLayer(w: s.w!, b: s.b!, pad: s.pad, activation: s.activation)
        _ = try layer.forward(s.x)
        let dx = try layer.backward(s.grad!)
        assertClose(try XCTUnwrap(final(trace, "dx")).values, dx.data)
        // Each step's events start with its step event, wherever the chunks break.
        for step in stride(from: 0, to: trace.stepCount, by: 97) {
            XCTAssertEqual(trace.events(ofStep: step).first?.kind, .step)
        }
        // Seeks that start from keyframes in different chunks equal a replay from the start.
        for step in [trace.stepCount / 3, trace.stepCount / 2, trace.stepCount - 2] {
            XCTAssertEqual(trace.state(after: step).values, replay(trace, through: step), "step \(step)")
        }
    }

    /// Every tensor after `step`, by applying the events one by one from the start.
    func replay(_ trace: Trace, through step: Int) -> [[Double]] {
        var values = trace.tensors.map { $0.origin == .given ? $0.initial : [Double](repeating: 0, count: $0.shape.reduce(1, *)) }
        let end = step + 1 < trace.stepCount ? trace.stepStarts[step + 1] : trace.events.count
        for e in trace.events[0..<end] {
            let d = Int(e.dst.rawValue)
            switch e.kind {
            case .write: values[d][Int(e.dstIndex)] = e.value
            case .accumulate: values[d][Int(e.dstIndex)] += e.value
            case .derive:
                let src = values[Int(e.src.rawValue)]
                switch trace.tensors[d].origin {
                case .transpose(let of, let axes):
                    values[d] = Tensor(shape: trace.tensors[Int(of.rawValue)].shape, data: src).transposed(axes).data
                default: values[d] = src
                }
            default: break
            }
        }
        return values
    }

    func testARecordingOverItsLimitIsRefusedWithTheLimitNamed() {
        XCTAssertThrowsError(try Trace.record(convScenario(), eventLimit: 100)) { error in
            XCTAssertTrue("\(error)".contains("100 trace events"), "\(error)")
        }
    }

    /// A reader written only from the schema in docs/trace.md, with Foundation's JSON parser.
    func testJSONLinesCanBeReadBackIntoTheOutput() throws {
        let s = convScenario(passes: .forward)
        let trace = try Trace.record(s)
        var text = trace.jsonHeader(tatamiVersion: "test", lesson: "fixture") + "\n"
        for e in trace.events { text += Trace.jsonLine(e) + "\n" }
        let lines = text.split(separator: "\n").map { Data($0.utf8) }
        let header = try XCTUnwrap(JSONSerialization.jsonObject(with: lines[0]) as? [String: Any])
        XCTAssertEqual(header["format"] as? String, "tatami-trace")
        XCTAssertEqual(header["format_version"] as? Int, 2)
        let tensors = try XCTUnwrap(header["tensors"] as? [[String: Any]])
        var values: [[Double]] = tensors.map { t in
            let n = (t["shape"] as? [Int] ?? []).reduce(1, *)
            return (t["initial"] as? [Double]) ?? [Double](repeating: 0, count: n)
        }
        for line in lines.dropFirst() {
            let e = try XCTUnwrap(JSONSerialization.jsonObject(with: line) as? [String: Any])
            let kind = try XCTUnwrap(e["k"] as? String)
            let dst = e["dst"] as? Int ?? -1, di = e["di"] as? Int ?? -1
            switch kind {
            case "write": values[dst][di] = try XCTUnwrap(e["v"] as? Double)
            case "accumulate": values[dst][di] += try XCTUnwrap(e["v"] as? Double)
            case "derive":
                let src = try XCTUnwrap(e["src"] as? Int)
                let info = tensors[dst]
                if info["origin"] as? String == "transpose" {
                    let axes = try XCTUnwrap(info["perm"] as? [Int])
                    let shape = try XCTUnwrap(tensors[src]["shape"] as? [Int])
                    values[dst] = Tensor(shape: shape, data: values[src]).transposed(axes).data
                } else {
                    values[dst] = values[src]
                }
            default: break
            }
        }
        let yIndex = try XCTUnwrap(tensors.lastIndex { $0["name"] as? String == "y" })
        let layer = try ConvLayer(w: s.w!, b: s.b!, stride: s.stride, pad: s.pad, activation: s.activation)
        assertClose(values[yIndex], try layer.forward(s.x).data)
    }
}

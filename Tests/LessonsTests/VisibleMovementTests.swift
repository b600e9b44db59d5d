import XCTest
import Engine
import Trace
@testable import Lessons

/// Lesson 04 teaches where reshape and transpose put each value, and other lessons show them
/// too, so their values must make every block tell itself apart: a constant block, or two equal blocks, would hide the movement the
/// lesson is about. Everything here is read from the lesson's recorded trace, and the numbers
/// its narration quotes are checked against the same trace.
final class VisibleMovementTests: XCTestCase {

    func testEveryBlockOfTheReshapedAndTransposedTensorsIsDistinctAndNotConstant() throws {
        var checked: [String] = []
        for built in BuiltInLessons.all {
            let number = String(built.name.prefix { $0 != "-" })
            let (lesson, trace) = try recorded(number)
            // Every lesson that shows a forward reshape or transpose, where values move.
            let shown = Set(lesson.shownSteps(in: trace).map { trace.phases[trace.stepPhase[$0]] }
                .filter { $0.pass == .forward }.map(\.kind))
            guard !shown.isDisjoint(with: [.reshape, .transpose]) else { continue }
            checked.append(number)
            let tensors = movedTensors(trace)
            XCTAssertEqual(tensors.count, 2, "lesson \(number): the reshape's and the transpose's 4-D tensors")
            let end = try lastStep(of: [.reshape, .transpose], in: trace)
            for id in tensors {
                let info = trace.tensors[Int(id.rawValue)]
                let blocks = Self.blocks(trace.state(after: end).values[Int(id.rawValue)], shape: info.shape)
                XCTAssertEqual(blocks.count, info.shape[0] * info.shape[1])
                for (k, block) in blocks.enumerated() {
                    XCTAssertGreaterThan(Set(block).count, 1, "lesson \(number): \(info.name) \(info.axes) block \(k) is constant: \(block)")
                }
                XCTAssertEqual(Set(blocks).count, blocks.count, "lesson \(number): \(info.name) \(info.axes) has two equal blocks: \(blocks)")
            }
        }
        for number in ["01c", "04", "04b"] { XCTAssertTrue(checked.contains(number), "lesson \(number) shows a reshape or transpose") }
    }

    /// The check above must be able to fail: the course's old second filter (0 1 / -1 0) gives
    /// the same value on every window of the ramp.
    func testAFilterThatIsConstantOnTheRampIsCaught() throws {
        let (lesson, _) = try recorded("04")
        var scenario = lesson.scenario
        scenario.w = Tensor(shape: [2, 1, 2, 2], data: [1, 0, 0, 1, 0, 1, -1, 0])
        let trace = try Trace.record(scenario)
        let end = try lastStep(of: [.reshape, .transpose], in: trace)
        let id = try XCTUnwrap(movedTensors(trace).first)
        let blocks = Self.blocks(trace.state(after: end).values[Int(id.rawValue)], shape: trace.tensors[Int(id.rawValue)].shape)
        XCTAssertTrue(blocks.contains { Set($0).count == 1 }, "\(blocks)")
    }

    /// Every number lesson 04 says about its blocks is the number on its screen.
    func testTheNumbersLesson04QuotesAreThoseItsLayerComputes() throws {
        let (lesson, trace) = try recorded("04")
        let end = try lastStep(of: [.reshape, .transpose], in: trace)
        let ids = movedTensors(trace)
        let (mb, bm) = (ids[0], ids[1])
        XCTAssertEqual(trace.tensors[Int(mb.rawValue)].axes, ["m", "b", "oh", "ow"])
        XCTAssertEqual(trace.tensors[Int(bm.rawValue)].axes, ["b", "m", "oh", "ow"])
        let state = trace.state(after: end).values
        let before = state[Int(mb.rawValue)], after = state[Int(bm.rawValue)]
        /// The block [i, j] of a (2, 2, 2, 2) tensor as the narration writes it: `a b / c d`.
        func block(_ values: [Double], _ i: Int, _ j: Int) -> String {
            let start: Int = (i * 2 + j) * 4
            let v: [String] = values[start..<(start + 4)].map { String(Int($0)) }
            return "\(v[0]) \(v[1]) / \(v[2]) \(v[3])"
        }
        func sequence(_ values: [Double], _ count: Int) -> String {
            values.prefix(count).map { String(Int($0)) }.joined(separator: " ") + " …"
        }

        // gemm and bias: the first window of image 0 under each filter, before and after the bias.
        let x = lesson.scenario.x.data, w = try XCTUnwrap(lesson.scenario.w).data, b = try XCTUnwrap(lesson.scenario.b).data
        XCTAssertEqual(Array(w[0..<4]), [1, 0, 0, 1])
        XCTAssertEqual(Array(w[4..<8]), [1, 1, 1, 1])
        let window = [x[0], x[1], x[3], x[4]]
        let first0 = Int(window[0] + window[3]), first1 = Int(window.reduce(0, +))
        let gemm = try note(lesson, .gemm)
        XCTAssertTrue(gemm.en.contains("\(Int(x[0])) + \(Int(x[4])) = \(first0) and \(window.map { String(Int($0)) }.joined(separator: " + ")) = \(first1)"), gemm.en)
        XCTAssertTrue(gemm.ja.contains("\(Int(x[0])) + \(Int(x[4])) = \(first0) と"), gemm.ja)
        let bias = try note(lesson, .bias)
        XCTAssertEqual(Int(before[0]), first0 + Int(b[0]))
        XCTAssertEqual(Int(before[8]), first1 + Int(b[1]))
        XCTAssertTrue(bias.en.contains("\(first0) becomes \(Int(before[0])) and \(first1) becomes \(Int(before[8]))"), bias.en)
        XCTAssertTrue(bias.ja.contains("\(first0) は \(Int(before[0])) に、\(first1) は \(Int(before[8])) になります"), bias.ja)
        let row0: ArraySlice<Double> = before[0..<8], row1: ArraySlice<Double> = before[8..<16]
        XCTAssertTrue(row0.allSatisfy { $0 < 100 }, "a value under 100 comes from filter 0")
        XCTAssertTrue(row1.allSatisfy { $0 > 100 }, "a value over 100 comes from filter 1")

        // reshape: each (m, b) block, and the question's u[1, 0, 1, 1].
        let reshape = try note(lesson, .reshape)
        XCTAssertTrue(reshape.en.contains("Row 0 (filter 0) gives \(block(before, 0, 0)) for image 0 and \(block(before, 0, 1)) for image 1; row 1 (filter 1) gives \(block(before, 1, 0)) and \(block(before, 1, 1))."), reshape.en)
        XCTAssertTrue(reshape.ja.contains("画像 0 の \(block(before, 0, 0)) と画像 1 の \(block(before, 0, 1))、行 1 (フィルタ 1) からは \(block(before, 1, 0)) と \(block(before, 1, 1)) ができます"), reshape.ja)
        let asked = try XCTUnwrap(lesson.questions(for: PhaseRef(kind: .reshape, occurrence: 1), step: nil).first)
        XCTAssertTrue(asked.prompt.en.contains("u[1, 0, 1, 1]"), asked.prompt.en)
        let flat = 11
        XCTAssertEqual(Tensor.unravel(flat, shape: [2, 2, 2, 2]), [1, 0, 1, 1])
        let cell: Double = before[flat]
        XCTAssertEqual(asked.expected, .cellValue(CellName(tensor: "u", index: [1, 0, 1, 1]), stated: cell), "checked against the trace by `tatami check`")
        XCTAssertTrue(asked.answer.en.hasPrefix("\(Int(cell)): element [1, 3]"), asked.answer.en)
        guard case .reshape(let matrix) = trace.tensors[Int(mb.rawValue)].origin else { return XCTFail("u (M, B, OH, OW) is a reshape") }
        XCTAssertEqual(cell, state[Int(matrix.rawValue)][1 * 8 + 3], "element [1, 3] of the (2, 8) matrix")

        // transpose: 34 goes from [0, 1, 0, 0] to [1, 0, 0, 0]; the filter-1 block of image 0 the other way.
        let transpose = try note(lesson, .transpose)
        let v01 = Int(before[4]), v10 = Int(before[8])
        XCTAssertEqual(Int(after[8]), v01, "[1, 0, 0, 0] after")
        XCTAssertEqual(Int(after[4]), v10, "[0, 1, 0, 0] after")
        XCTAssertTrue(transpose.en.contains("\(v01), image 1's output for filter 0, was at [0, 1, 0, 0] (m=0, b=1) and is now at [1, 0, 0, 0] (b=1, m=0); \(v10), image 0's output for filter 1, goes the other way, from [1, 0, 0, 0] to [0, 1, 0, 0]."), transpose.en)
        XCTAssertTrue(transpose.ja.contains("画像 0 にフィルタ 1 を掛けた結果の \(v10) は逆に [1, 0, 0, 0] から [0, 1, 0, 0] に変わります"), transpose.ja)
        XCTAssertTrue(transpose.en.contains("a new sequence: \(sequence(after, 9)) instead of \(sequence(before, 9))."), transpose.en)
        XCTAssertTrue(transpose.ja.contains("\(sequence(before, 9)) から \(sequence(after, 9)) に変わります"), transpose.ja)

        let swap = try XCTUnwrap(lesson.questions(for: PhaseRef(kind: .transpose, occurrence: 1), step: nil).first)
        XCTAssertTrue(swap.answer.en.contains("stay: \(block(before, 0, 0)) and \(block(before, 1, 1))."), swap.answer.en)
        XCTAssertTrue(swap.answer.en.contains("\(block(before, 0, 1)) goes to [b=1, m=0] and \(block(before, 1, 0)) to [b=0, m=1]"), swap.answer.en)
        XCTAssertEqual(block(after, 1, 0), block(before, 0, 1))
        XCTAssertEqual(block(after, 0, 1), block(before, 1, 0))
        XCTAssertTrue(swap.answer.ja.contains("\(block(before, 0, 1)) は [b=1, m=0] へ、\(block(before, 1, 0)) は [b=0, m=1] へ移ります"), swap.answer.ja)
    }

    // MARK: - Reading the trace

    private func recorded(_ number: String) throws -> (Lesson, Trace) {
        let built = try XCTUnwrap(BuiltInLessons.all.first { $0.name.hasPrefix(number + "-") }, "no lesson \(number)")
        let lesson: Lesson
        switch parse(built.text) {
        case .success(let l): lesson = l
        case .failure(let p): XCTFail("\(built.name): \(p)"); throw NoFiles()
        }
        return (lesson, try Trace.record(lesson.scenario))
    }

    /// The 4-D tensors a forward reshape or transpose derives, in the order they are derived.
    private func movedTensors(_ trace: Trace) -> [TensorID] {
        var found: [TensorID] = []
        for s in 0..<trace.stepCount {
            let phase = trace.phases[trace.stepPhase[s]]
            guard phase.pass == .forward, [.reshape, .transpose].contains(phase.kind) else { continue }
            for e in trace.events(ofStep: s) where e.kind == .derive {
                if trace.tensors[Int(e.dst.rawValue)].shape.count == 4, !found.contains(e.dst) { found.append(e.dst) }
            }
        }
        return found
    }

    private func lastStep(of kinds: [PhaseKind], in trace: Trace) throws -> Int {
        try XCTUnwrap((0..<trace.stepCount).last { s in
            let phase = trace.phases[trace.stepPhase[s]]
            return phase.pass == .forward && kinds.contains(phase.kind)
        })
    }

    /// The blocks [i, j, :, :] of a 4-D tensor in index order.
    static func blocks(_ values: [Double], shape: [Int]) -> [[Double]] {
        let per = shape[2] * shape[3]
        return (0..<(shape[0] * shape[1])).map { Array(values[($0 * per)..<(($0 + 1) * per)]) }
    }
}

private func note(_ l: Lesson, _ kind: PhaseKind) throws -> Localized {
    try XCTUnwrap(l.note(for: PhaseRef(kind: kind, occurrence: 1), step: nil), "no narration for \(kind)").text
}

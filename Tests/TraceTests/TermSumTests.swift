import XCTest
import Engine
import Trace
import Lessons

/// A step that lists terms (the sliding window's products, a matrix product's `a·b` for each k)
/// writes their sum: the player shows the terms as the arithmetic of the cell in focus, so
/// they must add up to the number beside them.
///
/// The engine sums every such cell from 0 in the order its terms are listed
/// (`((0 + t0) + t1) + …`, multiplications never fused with the additions), so the check
/// below adds them in that order and compares bits, with no tolerance.
final class TermSumTests: XCTestCase {
    struct Tally {
        var steps = 0, terms = 0
    }

    /// Every step with terms writes exactly one value, the in-order sum of its terms.
    func checkTerms(_ trace: Trace, _ context: String, _ tally: inout Tally,
                    file: StaticString = #filePath, line: UInt = #line) {
        for step in 0..<trace.stepCount {
            var sum = 0.0, terms = 0
            var writes: [Double] = []
            for e in trace.events(ofStep: step) {
                switch e.kind {
                case .term: sum += e.value; terms += 1
                case .write: writes.append(e.value)
                default: break
                }
            }
            guard terms > 0 else { continue }
            tally.steps += 1
            tally.terms += terms
            guard writes.count == 1, let written = writes.first else {
                return XCTFail("\(context), step \(step): \(terms) terms but \(writes.count) writes", file: file, line: line)
            }
            if sum.bitPattern != written.bitPattern && !(sum.isNaN && written.isNaN) {
                return XCTFail("\(context), step \(step): the terms add up to \(sum), the step writes \(written)",
                               file: file, line: line)
            }
        }
    }

    func testTheTermsOfEveryShippedLessonAddUpToWhatEachStepWrites() throws {
        var tally = Tally()
        for lesson in BuiltInLessons.all {
            let scenario: Scenario
            switch LessonReader.parse(lesson.text, path: lesson.name, readNPY: { _ in throw EngineError("no files") }) {
            case .success(let l): scenario = l.scenario
            case .failure(let p): XCTFail("\(lesson.name): \(p)"); continue
            }
            let trace = try Trace.record(scenario)
            let before = tally.steps
            checkTerms(trace, lesson.name, &tally)
            // A lesson that plays a sliding window or a matrix product was checked, not skipped.
            if trace.phases.contains(where: { Self.summing.contains($0.kind) }) {
                XCTAssertGreaterThan(tally.steps, before, "\(lesson.name) shows no step with terms")
            }
        }
        print("term sums, shipped lessons: \(tally.steps) steps, \(tally.terms) terms")
    }

    /// The phases whose steps list terms.
    static let summing: Set<PhaseKind> = [.slide, .gemm, .gradW, .gradCols]

    func testTheTermsOfRandomLayersAddUpToWhatEachStepWrites() throws {
        var g = SplitMix64(seed: 0x7E_4D5)
        var tally = Tally()
        for n in 0..<300 {
            let s = Self.randomConv(n, &g)
            checkTerms(try Trace.record(s), "layer \(n): x \(s.x.shape) w \(s.w!.shape) stride \(s.stride) pad \(s.pad) "
                       + "dilation \(s.dilation) \(s.form) \(s.layout) \(s.activation)", &tally)
        }
        print("term sums, random layers: \(tally.steps) steps, \(tally.terms) terms")
        // Each layer has a sliding window and three products: at least four summed cells.
        XCTAssertGreaterThanOrEqual(tally.steps, 4 * 300)
    }

    /// A convolution as free play makes one, in every form, layout and activation, with values
    /// of very different sizes and no common denominator, so that the order of a sum shows in
    /// its last bits.
    static func randomConv(_ n: Int, _ g: inout SplitMix64) -> Scenario {
        func value() -> Double { Double(g.integer(-999, 999)) / 7 * [1e-3, 1, 1e3][g.integer(0, 2)] }
        func tensor(_ shape: [Int]) -> Tensor { Tensor(shape: shape, data: (0..<shape.reduce(1, *)).map { _ in value() }) }
        let (FH, FW) = (g.integer(1, 3), g.integer(1, 3))
        let stride = Pair(g.integer(1, 2), g.integer(1, 2)), pad = Pair(g.integer(0, 1), g.integer(0, 1))
        let dilation = Pair(g.integer(1, 2), g.integer(1, 2))
        let (B, C, M) = (g.integer(1, 2), g.integer(1, 3), g.integer(1, 3))
        let H = g.integer(max(1, dilation.v * (FH - 1) + 1 - 2 * pad.v), 6)
        let W = g.integer(max(1, dilation.h * (FW - 1) + 1 - 2 * pad.h), 6)
        let OH = (H + 2 * pad.v - dilation.v * (FH - 1) - 1) / stride.v + 1
        let OW = (W + 2 * pad.h - dilation.h * (FW - 1) - 1) / stride.h + 1
        return Scenario(operation: .conv, passes: n % 5 == 0 ? .update : .backward, x: tensor([B, C, H, W]),
                        w: tensor([M, C, FH, FW]), b: tensor([M]), grad: tensor([B, M, OH, OW]),
                        stride: stride, pad: .pair(pad), dilation: dilation,
                        form: ConvForm.allCases[n % 2], layout: ColumnLayout.allCases[(n / 2) % 2],
                        activation: Activation.allCases[(n / 4) % Activation.allCases.count])
    }
}

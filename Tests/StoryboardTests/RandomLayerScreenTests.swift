import Foundation
import XCTest
import Engine
import Trace
import Storyboard

/// Free play makes layers no lesson shows: random ones, a few hundred, each drawn at the
/// default terminal, a larger one and a projector's, in both languages, must keep every
/// property of `FrameChecks`.
final class RandomLayerScreenTests: XCTestCase {
    /// A layer as `tatami play --op …` builds one: shapes, stride, padding, dilation, both forms
    /// and layouts, max and average pooling, up to the update, with small whole numbers.
    static func freePlayLayer(_ r: inout SplitMix64, _ n: Int) -> Scenario {
        let pooling = n % 4 == 3
        let B = r.integer(1, 2), C = r.integer(1, 3)
        let H = r.integer(3, 9), W = r.integer(3, 9)
        func values(_ count: Int, _ spread: Int) -> [Double] { (0..<count).map { _ in Double(r.integer(-spread, spread)) } }
        let x = Tensor(shape: [B, C, H, W], data: values(B * C * H * W, 9))
        if pooling {
            let P = Pair(r.integer(1, min(3, H)), r.integer(1, min(3, W)))
            var s = Scenario(operation: .pool, passes: r.integer(0, 1) == 0 ? .forward : .backward, x: x, stride: P, pool: P)
            s.poolMode = r.integer(0, 3) == 0 ? .average : .max
            return s
        }
        let M = r.integer(1, 4)
        let dilation = Pair(r.integer(1, 2), r.integer(1, 2))
        let FH = r.integer(1, min(3, (H - 1) / dilation.v + 1)), FW = r.integer(1, min(3, (W - 1) / dilation.h + 1))
        var s = Scenario(operation: .conv, passes: [.forward, .backward, .update][n % 3], x: x,
                         stride: Pair(r.integer(1, 3), r.integer(1, 3)), pad: .pair(Pair(r.integer(0, 2), r.integer(0, 2))),
                         dilation: dilation)
        s.w = Tensor(shape: [M, C, FH, FW], data: values(M * C * FH * FW, 4))
        s.b = Tensor(shape: [M], data: values(M, 3))
        s.form = r.integer(0, 1) == 0 ? .plain : .base
        s.layout = r.integer(0, 1) == 0 ? .seed : .rows
        return s
    }

    static let sizes = [Size(width: 80, height: 24), Size(width: 100, height: 30), Size(width: 160, height: 48)]

    func testRandomLayersKeepEveryScreenProperty() throws {
        var r = SplitMix64(seed: 2026)
        var layers = 0, frames = 0, whole = 0
        var failures: [String] = []
        var languages = Set<Language>()
        for n in 0..<300 {
            let scenario = Self.freePlayLayer(&r, n)
            guard let trace = try? Trace.record(scenario) else { continue }
            layers += 1
            let board = Fixtures.board(scenario, trace: trace)
            for (k, size) in Self.sizes.enumerated() {
                // Both languages over the whole run, one per layer and size, and three steps of
                // each: one at the start of a phase, two anywhere.
                let language = Language.allCases[(n + k) % Language.allCases.count]
                languages.insert(language)
                let starts = board.phases.map(\.firstStep)
                let steps = [starts[r.integer(0, starts.count - 1)], r.integer(0, board.stepCount - 1), r.integer(0, board.stepCount - 1)]
                for step in Set(steps) {
                    let check = FrameChecks(board: board, step: step, size: size, options: ViewOptions(language: language))
                    frames += 1
                    let problems = check.problems
                    if problems.isEmpty, !check.leavesSomethingOut { whole += 1 }
                    if !problems.isEmpty, failures.count < 6 {
                        failures.append("layer \(n) \(LabelTruthTests.describe(scenario)) step \(step + 1) at \(size) \(language): "
                                        + problems.joined(separator: "; ") + "\n" + check.text)
                    }
                }
            }
        }
        // The frame goes to the log; the failure names the layer, the step and what is wrong.
        for failure in failures {
            print(failure + "\n")
            XCTFail(String(failure.prefix { $0 != "\n" }))
        }
        XCTAssertGreaterThanOrEqual(layers, 280, "layers that run")
        XCTAssertGreaterThan(frames, 2_000)
        XCTAssertEqual(languages.count, Language.allCases.count)
        print("random layers: \(layers), frames: \(frames), shown whole: \(whole)")
    }

    /// The checks can fail: a frame whose arithmetic lost its result, whose code line or
    /// narration was cut silently, or which left a grid out above blank rows, is caught.
    func testTheChecksCatchWhatTheyLookFor() throws {
        let board = Fixtures.seedExample
        let step = Fixtures.step(board, "slide")
        let check = FrameChecks(board: board, step: step, size: Size(width: 100, height: 30), options: ViewOptions())
        XCTAssertEqual(check.problems, [])
        func broken(_ edit: (inout [String]) -> Void) -> FrameChecks {
            var copy = check
            edit(&copy.lines)
            copy.text = copy.lines.joined(separator: "\n")
            return copy
        }
        let rule = try XCTUnwrap(check.arithmeticRule)
        let noResult = broken { lines in
            let line = lines[rule - 1]
            lines[rule - 1] = String(line[..<line.range(of: "=", options: .backwards)!.upperBound])
        }
        XCTAssertNotNil(noResult.arithmeticProblem)
        let code = try XCTUnwrap(check.lines.firstIndex { $0.hasPrefix("▶ ") })
        XCTAssertNotNil(broken { $0[code] = String($0[code].prefix(12)) }.codeProblem)
        XCTAssertNil(broken { $0[code] = String($0[code].prefix(12)) + "…" }.codeProblem)
        XCTAssertNotNil(broken { $0[$0.count - 1] = String($0[$0.count - 1].prefix(5)) }.narrationProblem)
        XCTAssertNotNil(broken { $0[1] = "Sli" + String(repeating: " ", count: 60) + "phase 3/9" }.titleProblem)
        // A heading that says a row is hidden, with the blank rows the frame has under its grids.
        let elided = broken { $0[3] += "  rows 1–2 of 9"; $0[4] += " …" }
        XCTAssertGreaterThanOrEqual(elided.blankRowsUnderGrids, 2)
        XCTAssertNotNil(elided.leavesOutWhileBlank())
        XCTAssertNotNil(elided.leavesOutWhileBlank(strict: true))
    }
}

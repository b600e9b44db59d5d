import XCTest
import Engine
import Trace
import Lessons
@testable import Storyboard

/// A reshape or a transpose as a class sees it: the whole movement in one frame, each block's
/// values in one colour before and after, then the elements one by one; blocks that do not
/// fit are paged. Expected indices are worked out here with numpy's rules, not read from the
/// engine's own helpers.
final class MovementTests: XCTestCase {
    /// numpy's `transpose(perm)`: element `d` of the result is element `s` of the source, where
    /// the result's index `i` has `i[k] = source index[perm[k]]`.
    static func transposedSource(_ d: Int, sourceShape: [Int], perm: [Int]) -> Int {
        let resultShape = perm.map { sourceShape[$0] }
        var rest = d
        var index = [Int](repeating: 0, count: resultShape.count)
        for k in stride(from: resultShape.count - 1, through: 0, by: -1) {
            index[k] = rest % resultShape[k]
            rest /= resultShape[k]
        }
        var sourceIndex = [Int](repeating: 0, count: sourceShape.count)
        for k in perm.indices { sourceIndex[perm[k]] = index[k] }
        return sourceIndex.indices.reduce(0) { $0 * sourceShape[$1] + sourceIndex[$1] }
    }

    /// Every derive phase of every lesson and of random layers: the first step links every cell
    /// of the result once, to the cell numpy takes it from; then one step per element, in the
    /// result's order, on the same pair of cells.
    func testAMovementLinksEveryCellThenFollowsEachElement() throws {
        var r = SplitMix64(seed: 7)
        var traces = try LabelTruthTests.shippedLessons().map { try Trace.record($0.scenario) }
        for n in 0..<60 { traces.append(try Trace.record(LabelTruthTests.coincidingScenario(&r, n))) }
        var phases = 0
        for trace in traces {
            for (p, phase) in trace.phases.enumerated() where phase.kind == .reshape || phase.kind == .transpose
                || phase.kind == .filterReshape || phase.kind == .gradWReshape {
                let first = trace.phaseFirstStep[p]
                let end = p + 1 < trace.phases.count ? trace.phaseFirstStep[p + 1] : trace.stepCount
                let events = Array(trace.events(ofStep: first))
                guard let derive = events.first(where: { $0.kind == .derive }) else { continue }
                let result = trace.tensors[Int(derive.dst.rawValue)], source = trace.tensors[Int(derive.src.rawValue)]
                let count = result.shape.reduce(1, *)
                XCTAssertEqual(source.shape.reduce(1, *), count)
                func expected(_ d: Int) -> Int {
                    if case .transpose(_, let perm) = result.origin {
                        return Self.transposedSource(d, sourceShape: source.shape, perm: perm)
                    }
                    return d
                }
                let links = events.filter { $0.kind == .link }
                XCTAssertEqual(links.map { Int($0.dstIndex) }, Array(0..<count), "\(result.name): one link per cell, in order")
                XCTAssertEqual(links.map { Int($0.srcIndex) }, (0..<count).map(expected), "\(result.name): links")
                XCTAssertTrue(links.allSatisfy { $0.src == derive.src && $0.dst == derive.dst })
                XCTAssertEqual(end - first, count + 1, "\(result.name): the whole, then each element")
                for d in 0..<min(count, end - first - 1) {
                    let step = trace.events(ofStep: first + 1 + d).first { $0.kind == .step }
                    XCTAssertEqual(step.map { Int($0.dstIndex) }, d)
                    XCTAssertEqual(step.map { Int($0.srcIndex) }, expected(d))
                }
                phases += 1
            }
        }
        XCTAssertGreaterThan(phases, 150)
    }

    /// The colours tell the movement: in the whole-movement frame, the values drawn in one tint
    /// are those of the source blocks that tint stands for, once before and once after.
    func testEachColourCarriesItsBlocksValuesToWhereTheyLand() throws {
        let lesson = try XCTUnwrap(LabelTruthTests.shippedLessons().first { $0.path.hasSuffix("04-bias-reshape-transpose.md") })
        let board = Storyboard(lesson: lesson, trace: try Trace.record(lesson.scenario))
        let trace = board.trace
        var checked = 0
        for position in 0..<board.stepCount {
            let s = board.visibleSteps[position]
            let events = Array(trace.events(ofStep: s))
            guard let derive = events.first(where: { $0.kind == .derive }),
                  case .transpose = trace.tensors[Int(derive.dst.rawValue)].origin else { continue }
            let source = trace.tensors[Int(derive.src.rawValue)]
            let values = trace.state(after: s).values[Int(derive.src.rawValue)]
            let per = source.shape[2] * source.shape[3]
            for size in [Size(width: 80, height: 24), Size(width: 160, height: 48)] {
                let frame = board.frame(at: position, size: size, options: ViewOptions())
                var drawn: [Role: [String]] = [:]
                for row in 0..<size.height {
                    var token = "", role: Role?
                    for column in 0...size.width {
                        let cell = column < size.width ? frame[row, column] : Cell()
                        let tint = Role.tints.contains(cell.role) ? cell.role : nil
                        if let tint, cell.character != " ", tint == role || token.isEmpty {
                            token.append(cell.character)
                            role = tint
                        } else {
                            if let role, !token.isEmpty { drawn[role, default: []].append(token) }
                            token = tint != nil && cell.character != " " ? String(cell.character) : ""
                            role = token.isEmpty ? nil : tint
                        }
                    }
                }
                for (k, tint) in Role.tints.enumerated() {
                    let blocks = stride(from: k, to: values.count / per, by: Role.tints.count)
                    let expected = blocks.flatMap { b in values[(b * per)..<((b + 1) * per)].map(NumberFormat.cell) }
                    XCTAssertEqual((drawn[tint] ?? []).sorted(), (expected + expected).sorted(), "\(tint) at \(size)")
                }
                checked += 1
            }
        }
        XCTAssertEqual(checked, 2)
    }

    /// A movement with more blocks than the screen holds names the blocks it shows and pages
    /// through all of them.
    func testBlocksThatDoNotFitArePagedUntilEveryBlockHasBeenShown() throws {
        var s = Scenario(operation: .conv, passes: .forward, x: Fixtures.ramp([2, 3, 6, 6]))
        s.w = Fixtures.ramp([4, 3, 3, 3])
        let board = Fixtures.board(s)
        let trace = board.trace
        let position = try XCTUnwrap((0..<board.stepCount).first { p in
            trace.phases[trace.stepPhase[board.visibleSteps[p]]].kind == .transpose
                && trace.events(ofStep: board.visibleSteps[p]).contains { $0.kind == .derive }
        })
        let size = Size(width: 80, height: 24)
        var seen = Set<String>()
        var page = 0
        let label = try NSRegularExpression(pattern: #"\[b=[0-9],m=[0-9]\]"#)
        while page < 10 {
            let frame = board.frame(at: position, size: size, options: ViewOptions(blockPage: page))
            let blocks = try XCTUnwrap(frame.blocks, "page \(page) names its blocks")
            XCTAssertEqual(blocks.total, 8)
            XCTAssertTrue(frame.text.contains("blocks \(blocks.first + 1)–\(blocks.first + blocks.shown) of 8"), frame.text)
            let text = frame.text as NSString
            for m in label.matches(in: frame.text, range: NSRange(location: 0, length: text.length)) {
                seen.insert(text.substring(with: m.range))
            }
            if blocks.first + blocks.shown >= blocks.total { break }
            page += 1
        }
        XCTAssertEqual(seen.count, 8, "every block of the result: \(seen.sorted())")
        XCTAssertGreaterThan(page, 0)
    }

    /// Each element step names the element, its index before and its index after.
    func testAnElementStepSaysWhereItsValueComesFromAndGoes() throws {
        let board = Fixtures.seedExample
        let trace = board.trace
        for position in 0..<board.stepCount {
            let s = board.visibleSteps[position]
            let phase = trace.stepPhase[s]
            guard trace.phases[phase].kind == .transpose, s > trace.phaseFirstStep[phase],
                  let step = trace.events(ofStep: s).first(where: { $0.kind == .step }) else { continue }
            let result = trace.tensors[Int(step.dst.rawValue)]
            let d = Int(step.dstIndex)
            func index(_ i: Int, _ shape: [Int]) -> String {
                var rest = i
                var out = [Int](repeating: 0, count: shape.count)
                for k in stride(from: shape.count - 1, through: 0, by: -1) { out[k] = rest % shape[k]; rest /= shape[k] }
                return "[" + out.map(String.init).joined(separator: ", ") + "]"
            }
            let source = trace.tensors[Int(step.src.rawValue)]
            let value = NumberFormat.cell(trace.state(after: s).values[Int(step.dst.rawValue)][d])
            let text = board.frame(at: position, size: Size(width: 160, height: 48), options: ViewOptions()).text
            XCTAssertTrue(text.contains("element \(value): \(index(Int(step.srcIndex), source.shape)) → \(index(d, result.shape))"),
                          text)
        }
    }
}

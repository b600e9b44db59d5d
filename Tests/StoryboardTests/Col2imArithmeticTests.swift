import Foundation
import XCTest
import Engine
import Trace
import Lessons
import Storyboard

/// col2im's line of arithmetic shows, for every cell a step adds to, the value before, the
/// entry added and the value after (`dx_pad[0, 0, 0, 1] = 2 + -1 = 1`). The cells and values
/// are derived here by direct loops over the placements — col2im as its definition says, not
/// as the engine does it — from `grad_cols` and the layer's stride, padding and dilation.
final class Col2imArithmeticTests: XCTestCase {
    /// One cell a col2im step adds to: its index in `dx_pad`, and its values.
    struct Added: Equatable, CustomStringConvertible {
        var index: [Int]
        var old: Double, added: Double, new: Double
        var description: String { "dx_pad\(index) = \(old) + \(added) = \(new)" }
    }

    /// col2im by definition: placements in (b, oh, ow) order, entries in (c, fh, fw) order, each
    /// added to the padded input cell it was copied from. One list of cells per placement.
    static func col2im(_ trace: Trace) throws -> [[Added]] {
        let final = trace.state(after: trace.stepCount - 1)
        let g = try XCTUnwrap(trace.tensors.lastIndex { $0.name.hasPrefix("grad_cols") }, "no grad_cols")
        let gInfo = trace.tensors[g], G = final.values[g]
        let pad = try XCTUnwrap(trace.tensors.first { $0.name == "dx_pad" }, "no dx_pad").shape
        let w = try XCTUnwrap(trace.tensors.first { $0.name == "w" }, "no w").shape
        let (B, C, HP, WP) = (pad[0], pad[1], pad[2], pad[3])
        let (FH, FW) = (w[2], w[3])
        let (s, d) = (trace.layer.stride, trace.layer.dilation)
        let OH = (HP - d.v * (FH - 1) - 1) / s.v + 1, OW = (WP - d.h * (FW - 1) - 1) / s.h + 1
        // grad_cols in the seed's layout, (C·FH·FW, B·OH·OW), or its transpose.
        let seedLayout = gInfo.axes.first == "c,fh,fw"
        XCTAssertEqual(gInfo.shape, seedLayout ? [C * FH * FW, B * OH * OW] : [B * OH * OW, C * FH * FW])
        var dx = [Double](repeating: 0, count: B * C * HP * WP)
        var steps: [[Added]] = []
        for b in 0..<B { for oh in 0..<OH { for ow in 0..<OW {
            let j = (b * OH + oh) * OW + ow
            var cells: [Added] = []
            for c in 0..<C { for fh in 0..<FH { for fw in 0..<FW {
                let k = (c * FH + fh) * FW + fw
                let value = seedLayout ? G[k * B * OH * OW + j] : G[j * C * FH * FW + k]
                let (h, x) = (oh * s.v + fh * d.v, ow * s.h + fw * d.h)
                let i = ((b * C + c) * HP + h) * WP + x
                cells.append(Added(index: [b, c, h, x], old: dx[i], added: value, new: dx[i] + value))
                dx[i] += value
            }}}
            steps.append(cells)
        }}}
        return steps
    }

    /// The cells a line of arithmetic names, read back: `dx_pad[b, c, h, w] = old + added = new`
    /// for each, separated by `; `.
    static func parse(_ line: String) -> [Added]? {
        var cells: [Added] = []
        for part in line.components(separatedBy: "; ") {
            guard let m = part.wholeMatch(of: /dx_pad\[([0-9, ]+)\] = (\S+) \+ (\S+) = (\S+)/),
                  let old = Double(m.2), let added = Double(m.3), let new = Double(m.4) else { return nil }
            let index = m.1.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            cells.append(Added(index: index, old: old, added: added, new: new))
        }
        return cells
    }

    static func close(_ a: [Added], _ b: [Added]) -> Bool {
        func near(_ x: Double, _ y: Double) -> Bool { abs(x - y) <= 0.0006 * max(1, abs(y)) }
        return a.count == b.count && zip(a, b).allSatisfy {
            $0.index == $1.index && near($0.old, $1.old) && near($0.added, $1.added) && near($0.new, $1.new)
        }
    }

    /// Every col2im step of `board`: its line names exactly the cells the loops add to, with
    /// the values before, added and after; its frames (of every step, or of the first two and
    /// the last with `framesOfSomeSteps`, the others in English only) show the line whole, or its first cells and a count of
    /// the others. Returns the number of steps checked.
    @discardableResult
    func checkCol2im(_ board: Storyboard, _ what: String, sizes: [Size], framesOfSomeSteps: Bool = false,
                     file: StaticString = #filePath, line: UInt = #line) throws -> Int {
        let trace = board.trace
        let expected = try Self.col2im(trace)
        let phase = try XCTUnwrap(trace.phases.firstIndex { $0.kind == .col2im }, "\(what): no col2im", file: file, line: line)
        let first = trace.phaseFirstStep[phase]
        XCTAssertEqual(expected.count, (phase + 1 < trace.phases.count ? trace.phaseFirstStep[phase + 1] : trace.stepCount) - first,
                       "\(what): one step per placement", file: file, line: line)
        var checked = 0
        for (n, cells) in expected.enumerated() {
            guard let position = board.visibleSteps.firstIndex(of: first + n) else { continue }
            let drawn = !framesOfSomeSteps || n < 2 || n == expected.count - 1
            for language in drawn ? Language.allCases : [.en] {
                let options = ViewOptions(language: language)
                let whole = try XCTUnwrap(board.account(ofStep: position, options: options)).arithmetic
                guard let shown = Self.parse(whole), Self.close(shown, cells) else {
                    XCTFail("\(what) col2im step \(n + 1): \(whole)\nexpected \(cells)", file: file, line: line)
                    return checked
                }
                for size in sizes where drawn {
                    let check = FrameChecks(board: board, step: position, size: size, options: options)
                    if let problem = check.arithmeticProblem { XCTFail("\(what): \(problem)", file: file, line: line) }
                    try checkShown(check, whole: whole, cells: cells.count, language: language, what: "\(what) at \(size)")
                }
            }
            checked += 1
        }
        return checked
    }

    /// The frame's lines of arithmetic: the whole line, or a prefix of it ending in a count of
    /// the cells left out that adds up to the step's cells.
    private func checkShown(_ check: FrameChecks, whole: String, cells: Int, language: Language, what: String) throws {
        let rule = try XCTUnwrap(check.arithmeticRule)
        var top = rule
        while top > 3, !check.lines[top - 1].trimmingCharacters(in: .whitespaces).isEmpty { top -= 1 }
        let shown = check.lines[top..<rule].joined(separator: " ")
        let squeezed = FrameChecks.squeezed
        if squeezed(shown) == squeezed(whole) { return }
        let cut = try XCTUnwrap(shown.range(of: "…"), "\(what): the line is cut without `…`: \(shown)")
        XCTAssertTrue(squeezed(whole).hasPrefix(squeezed(String(shown[..<cut.lowerBound]))), "\(what): \(shown)")
        let pattern = language == .ja ? /…\(他([0-9]+)項\)/ : /…\(([0-9]+) more\)/
        guard let left = shown.firstMatch(of: pattern).flatMap({ Int($0.1) }) else { return }
        let listed = shown[..<cut.lowerBound].components(separatedBy: "; ").filter { $0.contains("dx_pad[") }.count
        XCTAssertEqual(listed + left, cells, "\(what): \(shown)")
    }

    private func lesson(_ prefix: String) throws -> Storyboard {
        let text = try XCTUnwrap(BuiltInLessons.all.first { $0.name.hasPrefix(prefix) }).text
        let lesson = try LessonReader.parse(text, path: prefix + ".md", readNPY: { _ in throw CocoaError(.fileNoSuchFile) }).get()
        return Storyboard(lesson: lesson, trace: try Trace.record(lesson.scenario))
    }

    /// Lesson 07's second placement adds −1 onto the 2 the first left in dx_pad[0, 0, 0, 1]:
    /// the line the review asked for, and every col2im step of lessons 07 and 08.
    func testLessonsSevenAndEightShowOldPlusAddedForEveryCell() throws {
        let seven = try lesson("07-"), eight = try lesson("08-")
        let sizes = RandomLayerScreenTests.sizes
        XCTAssertEqual(try checkCol2im(seven, "lesson 07", sizes: sizes), 4)
        XCTAssertEqual(try checkCol2im(eight, "lesson 08", sizes: sizes), 4)
        let phase = try XCTUnwrap(seven.trace.phases.firstIndex { $0.kind == .col2im })
        let second = try XCTUnwrap(seven.visibleSteps.firstIndex(of: seven.trace.phaseFirstStep[phase] + 1))
        let line = try XCTUnwrap(seven.account(ofStep: second, options: ViewOptions())).arithmetic
        XCTAssertTrue(line.contains("dx_pad[0, 0, 0, 1] = 2 + -1 = 1"), line)
    }

    /// In the symbols view a cell holds the symbols of what earlier placements added to it,
    /// then this step's: grad_cols of lesson 07 is computed, its cells named by place a … p.
    func testTheSymbolsViewShowsWhatTheCellHeldAndWhatIsAdded() throws {
        let board = try lesson("07-")
        let trace = board.trace
        let phase = try XCTUnwrap(trace.phases.firstIndex { $0.kind == .col2im })
        let g = try XCTUnwrap(trace.tensors.lastIndex { $0.name.hasPrefix("grad_cols") })
        XCTAssertEqual(trace.tensors[g].shape, [4, 4])
        // Placement j adds grad_cols[k, j] to cell (fh + oh, fw + ow) of the 3×3 dx_pad.
        var held: [[String]] = Array(repeating: [], count: 9)
        for j in 0..<4 {
            let (oh, ow) = (j / 2, j % 2)
            var parts: [String] = []
            for k in 0..<4 {
                let (h, w) = (oh + k / 2, ow + k % 2)
                let letter = String(UnicodeScalar(UInt8(97 + k * 4 + j)))
                let before = held[h * 3 + w]
                let old = before.isEmpty ? "0" : before.count == 1 ? before[0] : "(" + before.joined(separator: " + ") + ")"
                parts.append("dx_pad[0, 0, \(h), \(w)] = \(old) + \(letter)")
                held[h * 3 + w].append(letter)
            }
            let position = try XCTUnwrap(board.visibleSteps.firstIndex(of: trace.phaseFirstStep[phase] + j))
            let line = try XCTUnwrap(board.account(ofStep: position, options: ViewOptions(symbols: true))).arithmetic
            XCTAssertEqual(line, parts.joined(separator: "; "))
        }
    }

    /// A hundred convolutions with random stride, padding and dilation, both forms and
    /// layouts, batch and channels: every col2im step's line against the loops.
    func testRandomGeometriesShowEveryCellTheStepAddsTo() throws {
        var r = SplitMix64(seed: 715)
        var layers = 0, steps = 0, n = 0
        while layers < 100, n < 2_000 {
            defer { n += 1 }
            let scenario = RandomLayerScreenTests.freePlayLayer(&r, n)
            guard scenario.operation == .conv, scenario.passes != .forward,
                  let trace = try? Trace.record(scenario) else { continue }
            let board = Fixtures.board(scenario, trace: trace)
            let size = RandomLayerScreenTests.sizes[layers % RandomLayerScreenTests.sizes.count]
            steps += try checkCol2im(board, "layer \(n) \(LabelTruthTests.describe(scenario))", sizes: [size], framesOfSomeSteps: true)
            layers += 1
        }
        XCTAssertEqual(layers, 100)
        XCTAssertGreaterThan(steps, 500)
    }
}

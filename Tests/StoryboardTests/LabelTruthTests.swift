import Foundation
import XCTest
import Engine
import Trace
import Lessons
import Storyboard

/// What the frames say about axes is checked against slicing done here, from the frame's text
/// alone: every tensor heading (`u  (2, 2, 2, 2)  m×b×oh×ow`), every slice label (`[m=1,b=0]`),
/// every row and column caption (`1,0,2`) names the cells whose values stand under it.
///
/// The reader below knows only the frame's text conventions; it finds the tensor in the
/// trace by name, shape and axis names, unravels indices itself and compares the values shown
/// with the trace's state. (That the trace's axis names are true is checked from outside, by
/// direct loops, in TraceTests.)
final class LabelTruthTests: XCTestCase {
    private let size = Size(width: 260, height: 90)

    func testEveryLabelOfEveryShippedLessonNamesTheCellsUnderIt() throws {
        var checked = Tally()
        for lesson in try Self.shippedLessons() {
            let board = Storyboard(lesson: lesson, trace: try Trace.record(lesson.scenario))
            for step in 0..<board.stepCount {
                check(board, step, context: lesson.path, &checked)
            }
        }
        XCTAssertGreaterThan(checked.slices, 250, "slice labels were read")
        XCTAssertGreaterThan(checked.captions, 1_000, "row and column captions were read")
        XCTAssertGreaterThan(checked.cells, 10_000, "cells were compared")
    }

    /// Layers whose sizes coincide (B = M, C = M, OH = B, …), where a label guessed from a
    /// shape would name the wrong axis; every input cell distinct.
    func testLabelsAreTrueWhereSizesCoincide() throws {
        var random = SplitMix64(seed: 2024)
        var checked = Tally()
        for n in 0..<200 {
            let scenario = Self.coincidingScenario(&random, n)
            let board = Fixtures.board(scenario)
            // Every phase's first and last step, and a few more: labels depend on the tensor
            // and on which slice holds the focus.
            var steps = Set(board.phases.map(\.firstStep))
            steps.insert(board.stepCount - 1)
            for _ in 0..<3 { steps.insert(random.integer(0, board.stepCount - 1)) }
            for step in steps.sorted() {
                check(board, step, context: "random layer \(n): \(Self.describe(scenario))", &checked)
            }
        }
        print("label truth, random layers: \(checked.slices) slices, \(checked.captions) captions, \(checked.cells) cells")
        XCTAssertGreaterThan(checked.slices, 2_000)
        XCTAssertGreaterThan(checked.captions, 5_000)
    }

    /// The label reader must be able to fail: a frame whose slice labels are swapped is caught.
    func testASwappedLabelIsCaught() throws {
        let x = Tensor(shape: [2, 1, 3, 3], data: (1...18).map(Double.init))
        let w = Tensor(shape: [2, 1, 2, 2], data: [1, 2, 3, 4, 5, 6, 7, 8])
        let board = Fixtures.board(Scenario(operation: .conv, x: x, w: w))
        let step = Fixtures.step(board, "reshape")
        var text = board.frame(at: step, size: size, options: ViewOptions()).text
        XCTAssertTrue(text.contains("[m=1,b=0]"), text)
        text = text.replacingOccurrences(of: "[m=1,b=0]", with: "[m=0,b=1]")
        var reader = FrameReader(text: text, trace: board.trace, step: board.visibleSteps[step])
        let problems = reader.problems()
        XCTAssertFalse(problems.isEmpty, "a swapped label must be reported")
    }

    func testRenderOfLesson04AfterTheReshapeNamesMThenB() throws {
        let lesson = try XCTUnwrap(Self.shippedLessons().first { $0.path.hasSuffix("04-bias-reshape-transpose.md") })
        let board = Storyboard(lesson: lesson, trace: try Trace.record(lesson.scenario))
        let step = Fixtures.step(board, "reshape")
        let text = board.frame(at: step, size: Size(width: 100, height: 32), options: ViewOptions()).text
        XCTAssertTrue(text.contains("m×b×oh×ow"), text)
        XCTAssertTrue(text.contains("[m=1,b=0]"), text)
        XCTAssertFalse(text.contains("[b=1,m=0]  [b="), "the reshaped u is (M, B, OH, OW), not (B, M, …)")
        var reader = FrameReader(text: text, trace: board.trace, step: board.visibleSteps[step])
        XCTAssertEqual(reader.problems(), [])
        XCTAssertGreaterThan(reader.slicesRead, 1)
    }

    // MARK: - Driving

    struct Tally {
        var slices = 0, captions = 0, cells = 0
    }

    private func check(_ board: Storyboard, _ step: Int, context: String, _ tally: inout Tally,
                       file: StaticString = #filePath, line: UInt = #line) {
        let text = board.frame(at: step, size: size, options: ViewOptions()).text
        var reader = FrameReader(text: text, trace: board.trace, step: board.visibleSteps[step])
        let problems = reader.problems()
        if !problems.isEmpty {
            XCTFail("\(context), step \(step + 1): " + problems.prefix(3).joined(separator: "; ") + "\n" + text,
                    file: file, line: line)
        }
        tally.slices += reader.slicesRead
        tally.captions += reader.captionsRead
        tally.cells += reader.cellsRead
    }

    static func shippedLessons() throws -> [Lesson] {
        let folder = repositoryRoot.appendingPathComponent("Lessons")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".md") && $0 != "README.md" }.sorted()
        return try names.map { name in
            switch LessonReader.load(path: folder.appendingPathComponent(name).path) {
            case .success(let lesson): return lesson
            case .failure(let problems): throw problems
            }
        }
    }

    static func describe(_ s: Scenario) -> String {
        "\(s.operation) x \(s.x.shape) w \(s.w?.shape ?? []) stride \(s.stride) pad \(s.pad) dilation \(s.dilation) "
            + "pool \(s.pool) \(s.poolMode) \(s.routing) form \(s.form) layout \(s.layout) passes \(s.passes)"
    }

    /// A small layer where several sizes are equal, with distinct input and filter values.
    static func coincidingScenario(_ r: inout SplitMix64, _ n: Int) -> Scenario {
        let k = r.integer(2, 3)
        func size(_ spread: Int) -> Int { r.integer(0, 2) == 0 ? r.integer(1, spread) : k }
        let pooling = n % 4 == 3
        let B = size(3), C = size(3), M = pooling ? C : size(3)
        let F = r.integer(1, 3), FW = r.integer(0, 1) == 0 ? F : r.integer(1, 3)
        let stride = Pair(r.integer(1, 2), r.integer(1, 2))
        let pad = pooling ? Pair(r.integer(0, F / 2), r.integer(0, FW / 2)) : Pair(r.integer(0, 2), r.integer(0, 1))
        let dilation = pooling ? Pair(1) : Pair(r.integer(1, 2), 1)
        // Choose H and W so that OH = B (or OW = C) where that fits.
        let spanH = dilation.v * (F - 1) + 1, spanW = dilation.h * (FW - 1) + 1
        let H = max(spanH, (B - 1) * stride.v + spanH - 2 * pad.v, 1)
        let W = max(spanW, (C - 1) * stride.h + spanW - 2 * pad.h, 1)
        let count = B * C * H * W
        var values = (1...count).map(Double.init)
        values.shuffle(using: &r)
        let x = Tensor(shape: [B, C, H, W], data: values.map { $0 - Double(count / 2) })
        var s = Scenario(operation: pooling ? .pool : .conv, passes: n % 3 == 0 ? .update : .backward, x: x,
                         stride: stride, pad: .pair(pad))
        if pooling {
            s.passes = .backward
            s.pool = Pair(F, FW)
            s.poolMode = r.integer(0, 3) == 0 ? .average : .max
            s.routing = r.integer(0, 3) == 0 ? .seedBug : .correct
        } else {
            let wCount = M * C * F * FW
            var w = (1...wCount).map { Double($0 % 2 == 0 ? $0 : -$0) }
            w.shuffle(using: &r)
            s.w = Tensor(shape: [M, C, F, FW], data: w)
            s.b = Tensor(shape: [M], data: (0..<M).map { Double($0 * 3 - 1) })
            s.dilation = dilation
            s.form = r.integer(0, 1) == 0 ? .plain : .base
            s.layout = r.integer(0, 1) == 0 ? .seed : .rows
        }
        return s
    }
}

/// Reads the grids of a frame's text and checks their labels against the trace.
struct FrameReader {
    let lines: [[Character]]
    let trace: Trace
    let state: TensorState
    let step: Int
    var slicesRead = 0, captionsRead = 0, cellsRead = 0

    /// The row after the grid area: the grids end at the blank line above the arithmetic,
    /// which stands right above the second rule.
    let gridEnd: Int

    init(text: String, trace: Trace, step: Int) {
        // A projector's grids are ruled tiles: a tile's sides read as the spaces between cells.
        let all = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0).map { $0 == "│" ? " " : $0 } }
        lines = all
        let rule = all.indices.dropFirst(3).first { all[$0].first == "─" || all[$0].first == "-" } ?? all.count
        var end = rule - 1
        while end > 3, !all[end].allSatisfy({ $0 == " " }) { end -= 1 }
        gridEnd = end
        self.trace = trace
        self.step = step
        state = trace.state(after: step)
    }

    /// A heading: a name, two spaces, the shape, two spaces, the axis names.
    struct Heading {
        var row: Int, column: Int, end: Int
        var name: String
        var shape: [Int]
        var axes: [String]
    }

    private static let heading = try! NSRegularExpression(
        pattern: #"([A-Za-z_][A-Za-z0-9_]*)  \(([0-9]+(?:, [0-9]+)*),?\)  ([a-z1(][a-z0-9,()×]*)"#)
    private static let sliceLabel = try! NSRegularExpression(pattern: #"\[([a-z0-9=,]+)\]"#)

    func string(_ row: Int, _ from: Int, _ to: Int) -> String {
        guard row < lines.count else { return "" }
        let l = lines[row]
        guard from < l.count else { return "" }
        return String(l[from..<min(to, l.count)])
    }

    /// Headings, with the columns each one's block spans (up to the next heading on its row).
    func headings() -> [Heading] {
        var out: [Heading] = []
        for (row, chars) in lines.enumerated() {
            let line = String(chars)
            let ns = line as NSString
            var found: [Heading] = []
            for m in Self.heading.matches(in: line, range: NSRange(location: 0, length: ns.length)) {
                // Character offsets equal UTF-16 offsets where every character before is one
                // unit (the header's wide 畳 is not).
                let prefix = ns.substring(to: m.range.location)
                guard prefix.count == m.range.location else { continue }
                let name = ns.substring(with: m.range(at: 1))
                let shape = ns.substring(with: m.range(at: 2)).split(separator: ",").compactMap {
                    Int($0.trimmingCharacters(in: .whitespaces))
                }
                let axes = ns.substring(with: m.range(at: 3)).components(separatedBy: "×").map { a -> String in
                    a == "1" ? "" : a.trimmingCharacters(in: CharacterSet(charactersIn: "()"))
                }
                found.append(Heading(row: row, column: m.range.location, end: Int.max, name: name, shape: shape, axes: axes))
            }
            // A block ends where the next begins: blocks in a band are three spaces apart, and
            // a panel's heading (`correct routing`) starts a block as much as a tensor's does.
            var starts: [Int] = []
            var run = 0
            for (x, ch) in chars.enumerated() {
                if ch == " " { run += 1; continue }
                if x == 0 || run >= 3 { starts.append(x) }
                run = 0
            }
            for i in found.indices { found[i].end = starts.first { $0 > found[i].column } ?? Int.max }
            out += found
        }
        return out
    }

    /// The trace tensor a heading names: declared by now, with that name, shape and axes.
    func tensor(for h: Heading) -> Int? {
        let limit = step + 1 < trace.stepStarts.count ? trace.stepStarts[step + 1] : trace.events.count
        return trace.tensors.indices.last { i in
            let t = trace.tensors[i]
            return t.name == h.name && t.shape == h.shape && t.axes == h.axes && trace.declaredAt[i] <= limit
        }
    }

    /// Lengths of a dimension's parts, from the layer's sizes.
    func partSizes(_ name: String) -> [Int] {
        Axes.parts(name).map { trace.layer.sizes[$0] ?? 1 }
    }

    static func unravel(_ i: Int, _ dims: [Int]) -> [Int] {
        var rest = i
        var out = [Int](repeating: 0, count: dims.count)
        for a in stride(from: dims.count - 1, through: 0, by: -1) {
            out[a] = rest % max(1, dims[a])
            rest /= max(1, dims[a])
        }
        return out
    }

    static func flat(_ index: [Int], _ shape: [Int]) -> Int {
        zip(index, shape).reduce(0) { $0 * $1.1 + $1.0 }
    }

    /// The values a grid row shows: numbers, `·` (not computed yet) or `…` (elided).
    static func cells(_ text: Substring) -> [String] {
        let markers: Set<Character> = [">", "<", "*", "^", "+"]
        return text.split(separator: " ").compactMap { token in
            var t = token
            while let f = t.first, markers.contains(f) { t = t.dropFirst() }
            return t.isEmpty ? nil : String(t)
        }
    }

    /// Whether a line holds only grid cells: numbers, captions, `·` and `…`.
    static func looksLikeRow(_ s: String) -> Bool {
        let tokens = cells(Substring(s))
        let allowed = CharacterSet(charactersIn: "0123456789.,-e")
        return !tokens.isEmpty && tokens.allSatisfy { t in
            t == "·" || t == "…" || ["nan", "inf", "-inf"].contains(t)
                || (t.unicodeScalars.allSatisfy { allowed.contains($0) } && t.contains(where: \.isNumber))
        }
    }

    /// Whether the shown text is the value (to the precision a cell shows).
    static func agrees(_ shown: String, _ value: Double) -> Bool {
        switch shown {
        case "nan": return value.isNaN
        case "inf": return value == .infinity
        case "-inf": return value == -.infinity
        default:
            guard let v = Double(shown) else { return false }
            let tolerance = shown.contains("e") ? 0.06 * abs(value) : 0.0006 * max(1, abs(value))
            return abs(v - value) <= tolerance
        }
    }

    /// Every disagreement between a label and the cells under it.
    mutating func problems() -> [String] {
        var out: [String] = []
        for h in headings() {
            guard let t = tensor(for: h) else {
                // A heading the trace does not know by name, shape and axes is a false caption,
                // unless it is not a tensor at all (the coverage panel).
                if trace.tensors.contains(where: { $0.name == h.name }) {
                    out.append("\(h.name) \(h.shape) \(h.axes.joined(separator: "×")) matches no tensor of the trace")
                }
                continue
            }
            switch h.shape.count {
            case 4: out += checkSlices(h, t)
            case 2: out += checkMatrix(h, t)
            case 1: out += checkColumn(h, t)
            default: break
            }
        }
        return out
    }

    /// Values of a block of rows under `top`, between two columns, until a blank stretch. A
    /// large screen leaves one blank line between rows: a blank line followed by more values
    /// (not a heading, which starts with a letter or `[`) continues the block. Ruled tiles
    /// stand between rule lines (`├──┼──┤`), with blank lines in a tile above and below its
    /// value; a stretch holding a rule continues the block as far as the next values.
    func rows(from top: Int, _ from: Int, _ to: Int) -> [[String]] {
        var out: [[String]] = []
        var r = top
        let rules = Set("─┌┐└┘├┤┬┴┼")
        func text(_ row: Int) -> String { string(row, from, to).trimmingCharacters(in: .whitespaces) }
        func skippable(_ row: Int) -> Bool { text(row).allSatisfy { rules.contains($0) } }
        while r < gridEnd {
            if skippable(r) {
                var next = r, ruled = false
                while next < gridEnd, next - r <= 6, skippable(next) {
                    // A bottom rule (`└──┘`) closes the grid.
                    if text(next).contains("└") { return out }
                    ruled = ruled || !text(next).isEmpty
                    next += 1
                }
                guard next < gridEnd, ruled || (!out.isEmpty && next == r + 1),
                      Self.looksLikeRow(string(next, from, to)) else { break }
                r = next
                continue
            }
            out.append(Self.cells(Substring(string(r, from, to))))
            r += 1
        }
        return out
    }

    private mutating func compare(_ t: Int, _ index: [Int], _ shown: String, _ what: String) -> String? {
        let info = trace.tensors[t]
        let f = Self.flat(index, info.shape)
        guard f >= 0, f < state.values[t].count else { return "\(what): index \(index) outside \(info.shape)" }
        if shown == "·" {
            return state.hits[t][f] == 0 || info.origin != .zeros ? nil : "\(what): \(index) shown as not computed"
        }
        cellsRead += 1
        let value = state.values[t][f]
        return Self.agrees(shown, value) ? nil : "\(what)\(index) shows \(shown) but holds \(NumberFormat.cell(value))"
    }

    mutating func checkSlices(_ h: Heading, _ t: Int) -> [String] {
        var out: [String] = []
        let labelLine = string(h.row + 1, h.column, h.end)
        let line = labelLine as NSString
        let matches = Self.sliceLabel.matches(in: labelLine, range: NSRange(location: 0, length: line.length))
        var slices: [(column: Int, end: Int, lead: [Int])] = []
        if matches.isEmpty {
            // One slice only: every leading axis has length 1.
            guard h.shape[0] == 1, h.shape[1] == 1 else { return ["\(h.name): several slices but no label"] }
            slices = [(h.column, h.end, [0, 0])]
        } else {
            for (i, m) in matches.enumerated() {
                let pairs = line.substring(with: m.range(at: 1)).split(separator: ",").map { $0.split(separator: "=") }
                var lead = [Int](repeating: -1, count: 2)
                for p in pairs where p.count == 2 {
                    guard let a = h.axes.firstIndex(of: String(p[0])), a < 2, let v = Int(p[1]) else {
                        out.append("\(h.name): slice label names \(p[0]), not a leading axis of \(h.axes)")
                        continue
                    }
                    lead[a] = v
                }
                for a in 0..<2 where lead[a] < 0 && h.shape[a] == 1 { lead[a] = 0 }
                guard !lead.contains(-1) else { out.append("\(h.name): label \(line.substring(with: m.range)) misses an axis"); continue }
                let start = h.column + m.range.location
                let end = i + 1 < matches.count ? h.column + matches[i + 1].range.location : h.end
                slices.append((start, end, lead))
            }
        }
        let top = matches.isEmpty ? h.row + 1 : h.row + 2
        for s in slices {
            let grid = rows(from: top, s.column, s.end)
            // Elided rows or columns hide which index a value has: only whole slices are read.
            guard !grid.isEmpty, !grid.joined().contains("…"), grid.count == h.shape[2],
                  grid.allSatisfy({ $0.count == h.shape[3] }) else { continue }
            slicesRead += 1
            for (r, row) in grid.enumerated() {
                for (c, shown) in row.enumerated() {
                    if let p = compare(t, s.lead + [r, c], shown, "\(h.name)[\(s.lead)]") { out.append(p) }
                }
            }
        }
        return out
    }

    mutating func checkMatrix(_ h: Heading, _ t: Int) -> [String] {
        var out: [String] = []
        let rowParts = partSizes(h.axes[0]), columnParts = partSizes(h.axes[1])
        var top = h.row + 1
        var columns: [Int]? = nil
        let firstLine = Self.cells(Substring(string(top, h.column, h.end)))
        let hasColumnCaptions = columnParts.count > 1 && firstLine.contains { $0.contains(",") }
            && firstLine.allSatisfy { $0.contains(",") || $0 == "…" }
        if hasColumnCaptions {
            var cs: [Int] = []
            for caption in firstLine where caption != "…" {
                let parts = caption.split(separator: ",").compactMap { Int($0) }
                guard parts.count == columnParts.count, zip(parts, columnParts).allSatisfy({ $0 < $1 }) else {
                    out.append("\(h.name): column caption \(caption) is not a \(h.axes[1]) index")
                    continue
                }
                captionsRead += 1
                cs.append(Self.flat(parts, columnParts))
            }
            columns = firstLine.contains("…") ? nil : cs
            top += 1
        }
        let grid = rows(from: top, h.column, h.end)
        guard !grid.isEmpty else { return out + ["\(h.name): no rows under the heading"] }
        var rowIndex = 0
        for row in grid {
            if row.allSatisfy({ $0 == "…" }) { rowIndex = -1; continue }
            var cells = row[...]
            var r = rowIndex
            if rowParts.count > 1, let first = cells.first, first.contains(",") {
                let parts = first.split(separator: ",").compactMap { Int($0) }
                guard parts.count == rowParts.count, zip(parts, rowParts).allSatisfy({ $0 < $1 }) else {
                    out.append("\(h.name): row caption \(first) is not a \(h.axes[0]) index")
                    continue
                }
                captionsRead += 1
                r = Self.flat(parts, rowParts)
                cells = cells.dropFirst()
            }
            rowIndex = rowIndex < 0 ? -1 : rowIndex + 1
            guard r >= 0 else { continue }
            let cs = columns ?? (cells.contains("…") || cells.count != h.shape[1] ? [] : Array(0..<h.shape[1]))
            guard cs.count == cells.count else { continue }
            for (c, shown) in zip(cs, cells) {
                if let p = compare(t, [r, c], shown, h.name) { out.append(p) }
            }
        }
        return out
    }

    mutating func checkColumn(_ h: Heading, _ t: Int) -> [String] {
        var out: [String] = []
        let grid = rows(from: h.row + 1, h.column, h.end)
        guard grid.count == h.shape[0], grid.allSatisfy({ $0.count == 1 && $0[0] != "…" }) else { return out }
        for (r, row) in grid.enumerated() {
            if let p = compare(t, [r], row[0], h.name) { out.append(p) }
        }
        return out
    }
}

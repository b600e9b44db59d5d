import Foundation
import XCTest
import Engine
import Trace
import Lessons
import Storyboard

/// What a class sees, checked over every frame of every lesson at the default terminal, a
/// larger one and a projector's, in both languages: every cell the step reads or writes is on
/// screen, the arithmetic ends with its result, a code line is never cut silently.
///
/// The cells a step touches are taken from the trace's events here; whether they are drawn is
/// read from the frame's text: each touched cell carries exactly one mark (`>` `<` `*` `^`), and
/// only touched cells carry those marks.
final class ScreenPropertyTests: XCTestCase {
    static let sizes = [Size(width: 80, height: 24), Size(width: 100, height: 30), Size(width: 160, height: 48)]

    func testEveryTouchedCellIsOnScreenAtEverySizeInBothLanguages() throws {
        var frames = 0, cells = 0
        var failures: [String] = []
        for lesson in try LabelTruthTests.shippedLessons() {
            let board = Storyboard(lesson: lesson, trace: try Trace.record(lesson.scenario))
            for size in Self.sizes {
                for language in Language.allCases {
                    for step in 0..<board.stepCount {
                        let frame = board.frame(at: step, size: size, options: ViewOptions(language: language))
                        let expected = Self.touched(board.trace, step: board.visibleSteps[step])
                        guard let expected else { continue }
                        let drawn = Self.marksInTensorBlocks(frame.text)
                        frames += 1
                        cells += expected
                        if drawn != expected, failures.count < 10 {
                            failures.append("\(lesson.path) step \(step + 1) at \(size) \(language): \(drawn) of \(expected) touched cells drawn\n\(frame.text)")
                        }
                    }
                }
            }
        }
        XCTAssertEqual(failures, [], failures.joined(separator: "\n\n"))
        XCTAssertGreaterThan(frames, 1_500)
        XCTAssertGreaterThan(cells, 10_000)
    }

    func testTheArithmeticEndsWithItsResultAndCodeIsNeverCutSilently() throws {
        var checked = 0
        var failures: [String] = []
        for lesson in try LabelTruthTests.shippedLessons() {
            let board = Storyboard(lesson: lesson, trace: try Trace.record(lesson.scenario))
            let trace = board.trace
            for size in Self.sizes {
                for step in 0..<board.stepCount {
                    let s = board.visibleSteps[step]
                    let lines = board.frame(at: step, size: size, options: ViewOptions()).text.split(separator: "\n").map(String.init)
                    // The code line of the phase, whole or ending in `…`.
                    let code = trace.phases[trace.stepPhase[s]].code.text
                    if let shown = lines.first(where: { $0.hasPrefix("▶ ") }) {
                        // The line's provenance tag (`[article]`, `[added]`, …) stands at its right end.
                        let text = String(shown.dropFirst(2)).replacing(/\ +\[[^\]]+\]$/, with: "")
                        if text != code, !(text.hasSuffix("…") && code.hasPrefix(String(text.dropLast()))) {
                            failures.append("\(lesson.path) step \(step + 1) at \(size): code line \(text)")
                        }
                    }
                    // A step that sums products ends its arithmetic with the value it wrote.
                    let events = Array(trace.events(ofStep: s))
                    guard events.contains(where: { $0.kind == .term }),
                          let result = events.last(where: { $0.kind == .write }) else { continue }
                    guard let rule = lines.indices.dropFirst(3).first(where: { lines[$0].hasPrefix("─") }),
                          let last = lines[..<rule].last(where: { !$0.isEmpty }),
                          let value = last.split(separator: " ").last.flatMap({ Double($0) }) else {
                        failures.append("\(lesson.path) step \(step + 1) at \(size): no arithmetic line ending in a number")
                        continue
                    }
                    checked += 1
                    if abs(value - result.value) > 0.0006 * max(1, abs(result.value)) {
                        failures.append("\(lesson.path) step \(step + 1) at \(size): arithmetic ends \(value), wrote \(result.value)")
                    }
                }
            }
        }
        XCTAssertEqual(failures, [], failures.prefix(10).joined(separator: "\n"))
        XCTAssertGreaterThan(checked, 300)
    }

    /// No frame leaves part of a grid out while two or more rows stand blank: the blank rows
    /// between the grids and the arithmetic, beyond the one that separates them.
    func testNothingIsLeftOutWhileRowsStandBlank() throws {
        var failures: [String] = []
        var elided = 0
        for lesson in try LabelTruthTests.shippedLessons() {
            let board = Storyboard(lesson: lesson, trace: try Trace.record(lesson.scenario))
            for size in Self.sizes {
                for language in Language.allCases {
                    for step in 0..<board.stepCount {
                        let text = board.frame(at: step, size: size, options: ViewOptions(language: language)).text
                        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                        guard let rule = lines.indices.dropFirst(3).first(where: { lines[$0].hasPrefix("─") }) else { continue }
                        var end = rule - 1
                        while end > 3, !lines[end].trimmingCharacters(in: .whitespaces).isEmpty { end -= 1 }
                        let grid = lines[3..<end]
                        let leftOut = grid.contains { $0.contains("…") || $0.contains("more)") || $0.contains("他") }
                        guard leftOut else { continue }
                        elided += 1
                        var blank = 0
                        for line in grid.reversed() {
                            if line.trimmingCharacters(in: .whitespaces).isEmpty { blank += 1 } else { break }
                        }
                        if blank + 1 >= 2, failures.count < 10 {
                            failures.append("\(lesson.path) step \(step + 1) at \(size) \(language): \(blank + 1) blank rows\n\(text)")
                        }
                    }
                }
            }
        }
        print("frames that leave something out: \(elided)")
        XCTAssertEqual(failures, [], failures.joined(separator: "\n\n"))
    }

    /// Nothing shifts sideways within a phase: where no grid leaves anything out, every line of
    /// the grid area keeps its cells' columns from step to step (a negative number appearing
    /// mid-phase does not widen its column).
    func testColumnsKeepTheirPlaceWithinAPhase() throws {
        var phasesChecked = 0
        var failures: [String] = []
        for lesson in try LabelTruthTests.shippedLessons() {
            let board = Storyboard(lesson: lesson, trace: try Trace.record(lesson.scenario))
            for (k, mark) in board.phases.enumerated() {
                let end = k + 1 < board.phases.count ? board.phases[k + 1].firstStep : board.stepCount
                guard end - mark.firstStep > 1 else { continue }
                for size in [Size(width: 100, height: 30), Size(width: 160, height: 48)] {
                var layouts = Set<[[Int]]>()
                for step in mark.firstStep..<end {
                    let text = board.frame(at: step, size: size, options: ViewOptions()).text
                    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                    guard let rule = lines.indices.dropFirst(3).first(where: { lines[$0].hasPrefix("─") }) else { continue }
                    // The grid area ends at the blank line above the arithmetic.
                    var end = rule - 1
                    while end > 3, !lines[end].trimmingCharacters(in: .whitespaces).isEmpty { end -= 1 }
                    let grid = lines[3..<end]
                    guard !grid.contains(where: { $0.contains("…") || $0.contains("more)") }) else { layouts = []; break }
                    // Where each run of characters ends, marks aside: numbers are right-aligned.
                    var ends = grid.map { line in
                        let chars = Array(line).map { ">*<^+│".contains($0) ? " " : $0 }
                        return chars.indices.filter { chars[$0] != " " && ($0 + 1 == chars.count || chars[$0 + 1] == " ") }
                    }
                    while ends.last?.isEmpty == true { ends.removeLast() }
                    layouts.insert(ends)
                }
                if layouts.count > 1 { failures.append("\(lesson.path) \(mark.title) at \(size): \(layouts.count) layouts") }
                if !layouts.isEmpty { phasesChecked += 1 }
                }
            }
        }
        XCTAssertEqual(failures, [])
        XCTAssertGreaterThan(phasesChecked, 60)
    }

    /// A projector's screen is used: at 160×48 the median frame of the course, in either
    /// language, has text on at least 60 % of its rows.
    func testAProjectorsScreenIsFilled() throws {
        let size = Size(width: 160, height: 48)
        var fractions: [Double] = []
        for lesson in try LabelTruthTests.shippedLessons() {
            let board = Storyboard(lesson: lesson, trace: try Trace.record(lesson.scenario))
            for language in Language.allCases {
                for step in 0..<board.stepCount {
                    let lines = board.frame(at: step, size: size, options: ViewOptions(language: language)).text
                        .split(separator: "\n", omittingEmptySubsequences: false)
                    let used = lines.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.count
                    fractions.append(Double(used) / Double(size.height))
                }
            }
        }
        let median = fractions.sorted()[fractions.count / 2]
        XCTAssertGreaterThanOrEqual(median, 0.6, "median share of rows in use at 160×48")
        XCTAssertGreaterThan(fractions.count, 1_000)
    }

    /// Random layers, as free play makes them, at every size and in both languages: every cell
    /// the step touches is drawn, or the frame says in words what it leaves out.
    func testRandomLayersShowWhatTheStepTouchesOrSayWhatIsHidden() throws {
        var r = SplitMix64(seed: 12)
        var frames = 0, whole = 0
        var failures: [String] = []
        let notes = ["rows ", "cols ", "more)", "blocks ", "行 ", "列 ", "他", "ブロック "]
        for n in 0..<50 {
            let scenario = LabelTruthTests.coincidingScenario(&r, n)
            let board = Fixtures.board(scenario)
            for size in Self.sizes {
                for language in Language.allCases {
                    // About a dozen steps of each layer, spread over its phases.
                    let every = max(1, board.stepCount / 12)
                    for step in stride(from: n % every, to: board.stepCount, by: every) {
                        guard let expected = Self.touched(board.trace, step: board.visibleSteps[step]) else { continue }
                        let text = board.frame(at: step, size: size, options: ViewOptions(language: language)).text
                        frames += 1
                        if Self.marksInTensorBlocks(text) == expected { whole += 1; continue }
                        if !notes.contains(where: text.contains), failures.count < 5 {
                            failures.append("layer \(n) \(LabelTruthTests.describe(scenario)) step \(step + 1) at \(size):\n\(text)")
                        }
                    }
                }
            }
        }
        XCTAssertEqual(failures, [], failures.joined(separator: "\n\n"))
        XCTAssertGreaterThan(frames, 2_000)
        XCTAssertGreaterThan(whole, frames / 2)
        print("random frames: \(frames), every touched cell drawn in \(whole)")
    }

    /// The check above can fail: a frame with a touched cell's mark removed is caught.
    func testAMissingMarkIsCounted() throws {
        let board = Fixtures.seedExample
        let step = Fixtures.step(board, "slide")
        let text = board.frame(at: step, size: Size(width: 100, height: 30), options: ViewOptions()).text
        let expected = try XCTUnwrap(Self.touched(board.trace, step: board.visibleSteps[step]))
        XCTAssertEqual(Self.marksInTensorBlocks(text), expected)
        let broken = text.replacingOccurrences(of: "*", with: " ")
        XCTAssertLessThan(Self.marksInTensorBlocks(broken), expected)
    }

    /// How many cells of the step's tensors its events touch, as the roles mark them; nil for a
    /// reshape or transpose, which reads and writes whole tensors.
    static func touched(_ trace: Trace, step: Int) -> Int? {
        var cells = Set<[Int]>()
        for e in trace.events(ofStep: step) {
            func add(_ t: TensorID, _ i: Int32) { if t != .none, i >= 0 { cells.insert([Int(t.rawValue), Int(i)]) } }
            switch e.kind {
            case .derive: return nil
            case .step, .write, .accumulate, .term:
                add(e.src, e.srcIndex)
                add(e.dst, e.dstIndex)
            case .read, .argmax:
                add(e.src, e.srcIndex)
            case .link:
                add(e.src, e.srcIndex)
            case .phase:
                break
            }
        }
        return cells.count
    }

    /// The marks `>` `<` `*` `^` inside the blocks of tensors (not of the panels beside them),
    /// between the header and the arithmetic.
    static func marksInTensorBlocks(_ text: String) -> Int {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0) }
        guard lines.count > 4 else { return 0 }
        let rule = lines.indices.dropFirst(3).first { lines[$0].first == "─" } ?? lines.count
        var end = rule - 1
        while end > 3, !lines[end].allSatisfy({ $0 == " " }) { end -= 1 }
        let marks: Set<Character> = [">", "<", "*", "^"]
        let heading = tensorHeading
        var count = 0
        // Each band starts with a line of headings; a block spans to the next block's start.
        var spans: [(from: Int, to: Int, tensor: Bool)] = []
        for r in 3..<max(3, end) {
            let line = lines[r]
            if isHeadingLine(line) {
                spans = []
                for (s, to) in headingSpans(line) {
                    let rest = String(line[s..<min(to, line.count)])
                    let isTensor = heading.firstMatch(in: rest, range: NSRange(location: 0, length: (rest as NSString).length)) != nil
                    spans.append((s, to, isTensor))
                }
                continue
            }
            for span in spans where span.tensor {
                guard span.from < line.count else { continue }
                count += line[span.from..<min(span.to, line.count)].filter { marks.contains($0) }.count
            }
        }
        return count
    }

    /// Where each heading of a band's heading line starts and where the next one does (the
    /// last runs to the line's end): headings stand three or more spaces apart.
    static func headingSpans(_ line: [Character]) -> [(from: Int, to: Int)] {
        var starts: [Int] = []
        var run = 0
        for (x, ch) in line.enumerated() {
            if ch == " " { run += 1; continue }
            if x == 0 || run >= 3 { starts.append(x) }
            run = 0
        }
        return starts.enumerated().map { k, s in (s, k + 1 < starts.count ? starts[k + 1] : Int.max) }
    }

    /// A tensor's heading: its name and shape, then its axis names on the same line or the next.
    static let tensorHeading = try! NSRegularExpression(pattern: #"^[A-Za-z_][A-Za-z0-9_]*  \([0-9, ]+\)(  [a-z1(]|\s*$)"#)

    /// A band's first line: it starts with a tensor's heading or a panel's title.
    static func isHeadingLine(_ line: [Character]) -> Bool {
        let text = String(line)
        let panels = ["broadcast", "ブロードキャスト", "windows per cell  (", "窓の重なり  (", "correct routing  (", "正しい配置  ("]
        if panels.contains(where: { text.hasPrefix($0) }) { return true }
        // The first block's heading: up to the three spaces that separate blocks.
        let end = line.indices.first { k in k + 2 < line.count && line[k] == " " && line[k + 1] == " " && line[k + 2] == " " }
        let first = String(line[0..<(end ?? line.count)])
        return tensorHeading.firstMatch(in: first, range: NSRange(location: 0, length: (first as NSString).length)) != nil
    }
}

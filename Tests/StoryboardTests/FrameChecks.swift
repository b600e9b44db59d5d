import Foundation
import Engine
import Trace
import Storyboard

/// The properties every frame must keep, read from its text: what the step touches is drawn,
/// nothing is left out while rows stand blank, the arithmetic ends with the value the trace
/// wrote, and no line — code, title, narration, arithmetic — is cut without a visible `…` or a
/// note saying what is hidden.
///
/// The cells a step touches and the value it wrote come from the trace's events; the texts a
/// line must show whole come from `Storyboard.account`, which a plain reader prints. Each check
/// returns a sentence describing what is wrong, or nil.
struct FrameChecks {
    let board: Storyboard
    /// The visible step (0-based) and the frame drawn for it.
    let step: Int
    var text: String
    var lines: [String]
    let account: StepAccount

    init(board: Storyboard, step: Int, size: Size, options: ViewOptions) {
        self.board = board
        self.step = step
        text = board.frame(at: step, size: size, options: options).text
        lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        account = board.account(ofStep: step, options: options)!
    }

    /// Words a heading uses to say that part of a tensor is not on screen.
    static let hiddenNotes = ["rows ", "cols ", "more)", "blocks ", "行 ", "列 ", "他", "ブロック "]

    /// The rule under the arithmetic: the first line after the header that is a rule.
    var arithmeticRule: Int? { lines.indices.dropFirst(3).first { lines[$0].hasPrefix("─") } }

    /// The grid area: from under the header to the blank line above the arithmetic.
    var gridLines: ArraySlice<String> {
        guard let rule = arithmeticRule else { return [] }
        var end = rule - 1
        while end > 3, !lines[end].trimmingCharacters(in: .whitespaces).isEmpty { end -= 1 }
        return lines[3..<max(3, end)]
    }

    /// Every cell the step reads or writes carries its mark; a frame may leave some out only
    /// where it says so and has no blank rows to spare (`leavesOutWhileBlank` checks that).
    var touchedProblem: String? {
        guard let expected = ScreenPropertyTests.touched(board.trace, step: board.visibleSteps[step]) else { return nil }
        let drawn = ScreenPropertyTests.marksInTensorBlocks(text)
        if drawn == expected { return nil }
        if drawn < expected, Self.hiddenNotes.contains(where: gridLines.joined(separator: "\n").contains) { return nil }
        return "\(drawn) of \(expected) touched cells drawn"
    }

    /// How many rows stand blank at the bottom of the grid area, the separating one included.
    var blankRowsUnderGrids: Int {
        var blank = 0
        for line in gridLines.reversed() {
            if line.trimmingCharacters(in: .whitespaces).isEmpty { blank += 1 } else { break }
        }
        return blank + 1
    }

    /// Whether a grid leaves part of a tensor out.
    var leavesSomethingOut: Bool {
        gridLines.contains { $0.contains("…") || $0.contains("more)") || $0.contains("他") || $0.contains("ブロック ") || $0.contains("blocks ") }
    }

    /// No grid leaves out more than the rows left blank under the grids could show: with `k`
    /// rows blank beyond the one that separates the arithmetic, no grid hides a row (one line),
    /// a row of blocks (its label and rows) or a band of columns (a heading and its rows) that
    /// `k` rows would hold. With `strict`, a frame that leaves anything out has no row to spare.
    func leavesOutWhileBlank(strict: Bool = false) -> String? {
        guard leavesSomethingOut else { return nil }
        let spare = blankRowsUnderGrids - 1
        guard spare > 0 else { return nil }
        if strict { return "leaves part of a grid out above \(spare + 1) blank rows" }
        for piece in hiddenPieces where piece.height <= spare {
            return "\(piece.what) could show in the \(spare) rows left blank"
        }
        return nil
    }

    /// What each grid's heading says it leaves out, and how many lines one more of it takes.
    var hiddenPieces: [(what: String, height: Int)] {
        let grid = Array(gridLines).map { Array($0) }
        var pieces: [(String, Int)] = []
        for (r, line) in grid.enumerated() where ScreenPropertyTests.isHeadingLine(line) {
            for (from, to) in ScreenPropertyTests.headingSpans(line) {
                let heading = String(line[from..<min(to, line.count)])
                // The lines of the block under its heading, to the blank line that ends it: one
                // followed by another blank line, the next band's headings or the grids' end (a
                // projector's grid leaves a blank line between its rows).
                func blank(_ k: Int) -> Bool {
                    guard k < grid.count else { return true }
                    return from >= grid[k].count || grid[k][from..<min(to, grid[k].count)].allSatisfy { $0 == " " }
                }
                var below = 0
                for k in (r + 1)..<max(r + 1, grid.count) {
                    if blank(k), blank(k + 1) || k + 1 >= grid.count || ScreenPropertyTests.isHeadingLine(grid[k + 1]) { break }
                    below += 1
                }
                func says(_ words: String...) -> Bool {
                    words.contains { heading.range(of: "  \($0) [0-9]", options: .regularExpression) != nil }
                }
                if says("rows", "行") { pieces.append(("a row of \(heading)", 1)) }
                if says("cols", "列") { pieces.append(("a band of columns of \(heading)", below + 1)) }
                if heading.contains("more)") || heading.contains("(他") || says("blocks", "ブロック") {
                    pieces.append(("a row of blocks of \(heading)", below))
                }
            }
        }
        return pieces
    }

    /// A step that sums products ends its arithmetic with the value it wrote; any arithmetic is
    /// shown whole or shortened with a visible `…`.
    var arithmeticProblem: String? {
        guard let rule = arithmeticRule else { return "no rule under the arithmetic" }
        var first = rule
        while first > 3, !lines[first - 1].trimmingCharacters(in: .whitespaces).isEmpty { first -= 1 }
        let shown = lines[first..<rule].joined(separator: " ")
        let whole = account.arithmetic
        if !whole.isEmpty, Self.squeezed(shown) != Self.squeezed(whole), !shown.contains("…") {
            return "arithmetic cut without `…`: \(shown) (whole: \(whole))"
        }
        let s = board.visibleSteps[step]
        let events = Array(board.trace.events(ofStep: s))
        guard events.contains(where: { $0.kind == .term }), let result = events.last(where: { $0.kind == .write }) else { return nil }
        guard let value = shown.split(separator: " ").last.flatMap({ Double($0) }) else {
            return "arithmetic does not end in a number: \(shown)"
        }
        if abs(value - result.value) > 0.0006 * max(1, abs(result.value)) { return "arithmetic ends \(value), wrote \(result.value)" }
        return nil
    }

    /// The code line of the phase, whole or ending in `…`.
    var codeProblem: String? {
        guard let shown = lines.first(where: { $0.hasPrefix("▶ ") }) else { return nil }
        // The line's provenance tag (`[article]`, `[added]`, …) stands at its right end.
        let line = String(shown.dropFirst(2)).replacing(/\ +\[[^\]]+\]$/, with: "").trimmingCharacters(in: .whitespaces)
        if line == account.code || (line.hasSuffix("…") && account.code.hasPrefix(String(line.dropLast()))) { return nil }
        return "code line cut without `…`: \(line)"
    }

    /// The phase's title, whole or ending in `…`, left of the position in the phase.
    var titleProblem: String? {
        guard lines.count > 1 else { return "no title line" }
        let title = account.phaseTitle
        let line = lines[1]
        if line.hasPrefix(title + " ") || line == title { return nil }
        let cut = line.components(separatedBy: "  ").first ?? line
        if cut.hasSuffix("…"), title.hasPrefix(String(cut.dropLast())) { return nil }
        return "title cut without `…`: \(line)"
    }

    /// The narration under the last rule, whole, or a note saying which of its lines are shown.
    var narrationProblem: String? {
        guard let lastRule = lines.lastIndex(where: { $0.hasPrefix("─") }) else { return "no rule above the narration" }
        let shown = lines[(lastRule + 1)...].joined(separator: "\n")
        if shown.contains("narration lines") || (shown.contains("説明") && shown.contains("行目")) { return nil }
        if Self.squeezed(shown).hasSuffix(Self.squeezed(account.narration)) { return nil }
        return "narration cut without a note: \(shown)"
    }

    /// Every problem of the frame, one sentence each.
    var problems: [String] {
        [touchedProblem, leavesOutWhileBlank(), arithmeticProblem, codeProblem, titleProblem, narrationProblem].compactMap { $0 }
    }

    /// The text without its spaces and line breaks, which wrapping adds or removes.
    static func squeezed(_ s: String) -> String { s.filter { !$0.isWhitespace } }
}

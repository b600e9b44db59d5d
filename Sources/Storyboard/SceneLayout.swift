import Foundation
import Engine
import Trace

/// Where everything goes on the frame: the header, the tensors packed in bands, the
/// arithmetic, the code pane and the narration, which takes the rows the grids leave.
extension Scene {
    func draw(into frame: inout Frame) {
        let W = frame.size.width, H = frame.size.height
        // Characters without UTF-8 fall back through Frame.asciiLookAlike when the frame is done;
        // only the forms that need more than one ASCII character are chosen here.
        let rule = String(repeating: "─", count: W)
        // Header.
        let lang = language.rawValue
        let left = (options.asciiOnly ? "Tatami" : "畳 Tatami") + " · " + board.script.title.text(lang)
        let right = board.passLabel(phase: phase, language: language)
        // Text that does not fit ends in a visible `…`, never cut silently.
        frame.put(DisplayWidth.truncate(left, to: max(0, W - DisplayWidth.of(right) - 2)), row: 0, column: 0,
                  role: .heading, bold: true)
        frame.put(right, row: 0, column: max(0, W - DisplayWidth.of(right)), role: .dim)
        let phaseIndex = board.phaseIndex(ofStep: position)
        let phaseTitle = PhaseText.title(kind, language)
        let count = board.trace.phaseFirstStep.indices.contains(phase + 1)
            ? trace.phaseFirstStep[phase + 1] - trace.phaseFirstStep[phase]
            : trace.stepCount - trace.phaseFirstStep[phase]
        let where_ = "\(Words.phase(language)) \(phaseIndex + 1)/\(board.phases.count) · \(Words.step(language)) \(within)/\(count)"
        frame.put(DisplayWidth.truncate(phaseTitle, to: max(0, W - DisplayWidth.of(where_) - 2)), row: 1, column: 0,
                  role: .heading, bold: true)
        frame.put(where_, row: 1, column: max(0, W - DisplayWidth.of(where_)), role: .dim)
        frame.put(rule, row: 2, column: 0, role: .dim)

        // The panes under the grids have fixed heights; the narration takes what the grids
        // leave, and the grids are planned first with room kept for a few narration lines.
        var said = board.narration(phase: phase, within: within, language: language)
        if let asking {
            said = asking + "\n" + said
        } else if let q = board.questionAnswered(at: position) {
            said = (language == .ja ? "答え: " : "Answer: ") + q.answer.text(lang) + "\n" + said
        }
        let narration = TextWrap.lines(said, width: W)
        let roomy = H >= 28
        let code = options.showCode ? board.codeWindow(current: trace.phases[phase].code, lines: roomy ? 3 : 1) : []
        // The arithmetic takes up to two lines, more on a tall screen; it always ends with its result.
        let arithmetic = StepText(scene: self).arithmetic().lines(width: W, maxLines: max(2, H / 10), language: language)
        let legend = options.showLegend ? 1 : 0
        let fixed = arithmetic.count + legend + 1 + (options.showCode ? code.count + 1 : 0)
        // A projector's grids are planned with room for the longest arithmetic and three lines
        // of narration, so that a step with a longer sum or note does not resize the tiles
        // of its phase.
        let large = W >= 150 && H >= 44
        let keep = large ? 3 : min(narration.count, roomy ? 3 : 2)
        let planned = large ? fixed - arithmetic.count + max(2, H / 10) : fixed
        let plan = planGrids(height: H - 3 - planned - keep - 1, width: W, large: large)
        let room = max(keep, H - 3 - fixed - (plan.height > 0 ? plan.height + 1 : 0))
        let (narrationLines, window) = Self.narrationWindow(narration, room: room, offset: options.narrationOffset,
                                                            width: W, language: language)
        frame.narration = window

        var bottom = H - narrationLines.count
        for (k, line) in narrationLines.enumerated() {
            frame.put(line, row: bottom + k, column: 0, role: .narration)
        }
        if options.showCode {
            bottom -= 1
            frame.put(rule, row: bottom, column: 0, role: .dim)
            bottom -= code.count
            for (k, line) in code.enumerated() {
                let marker = line.current ? "▶ " : "  "
                frame.put(DisplayWidth.truncate(marker + line.text, to: W), row: bottom + k, column: 0,
                          role: line.current ? .code : .dim, bold: line.current)
            }
        }
        bottom -= 1
        frame.put(rule, row: bottom, column: 0, role: .dim)
        bottom -= arithmetic.count
        for (k, line) in arithmetic.enumerated() {
            frame.put(line, row: bottom + k, column: 0, role: .plain, bold: true)
        }
        if options.showLegend {
            bottom -= 1
            // Each mark in its role's colour, as a grid draws it.
            let (text, marks) = RoleStyle.legend(language: language)
            frame.put(DisplayWidth.truncate(text, to: W), row: bottom, column: 0, role: .dim)
            for (column, role) in marks where column < W {
                if let mark = RoleStyle.mark(role) { frame.put(String(mark), row: bottom, column: column, role: role, bold: true) }
            }
        }
        drawGrids(plan, into: &frame, top: 3, bottom: bottom - 1)
        frame.blocks = plan.rows.joined().lazy.compactMap(\.page).first
    }

    /// The narration lines that fit in `room`, scrolled by `offset`. A narration longer than its
    /// room says so on its last line, with the keys that scroll it; never cut silently.
    static func narrationWindow(_ lines: [String], room: Int, offset: Int, width: Int,
                                language: Language) -> ([String], NarrationWindow) {
        guard lines.count > room, room > 0 else { return (lines, NarrationWindow(first: 0, shown: lines.count, total: lines.count)) }
        // One line is kept for saying what is hidden.
        let shown = max(1, room - 1)
        let start = min(max(0, offset), max(0, lines.count - shown))
        var out = Array(lines[start..<min(lines.count, start + shown)])
        let above = start, below = lines.count - start - out.count
        var note: String
        if language == .ja {
            note = "… 説明 \(start + 1)–\(start + out.count) 行目 / 全 \(lines.count) 行"
            note += below > 0 ? "(PgDn で続き" + (above > 0 ? "、PgUp で前" : "") + ")" : "(PgUp で前)"
        } else {
            note = "… narration lines \(start + 1)–\(start + out.count) of \(lines.count)"
            note += below > 0 ? " (PgDn for more" + (above > 0 ? ", PgUp back" : "") + ")" : " (PgUp back)"
        }
        if room == 1 { out = [] }
        let window = NarrationWindow(first: start, shown: out.count, total: lines.count)
        out.append(DisplayWidth.truncate(note, to: width))
        return (out, window)
    }

    /// Grids arranged in bands, and the height they take.
    struct GridPlan {
        var rows: [[Block]] = []
        var height = 0
        var gap = 3
    }

    private func drawGrids(_ plan: GridPlan, into frame: inout Frame, top: Int, bottom: Int) {
        var y = top
        for row in plan.rows where y < bottom {
            var x = 0
            for b in row {
                b.draw(into: &frame, row: y, column: x, maxRows: bottom - y, ellipsis: options.asciiOnly ? "..." : "…")
                x += b.width + plan.gap
            }
            y += (row.map(\.height).max() ?? 0) + 1
        }
    }

    /// Packs blocks left to right into bands `gap` apart; returns the bands and their height.
    private static func pack(_ blocks: [Block], width: Int, gap: Int) -> (rows: [[Block]], height: Int) {
        var rows: [[Block]] = [[]]
        var x = 0
        for b in blocks {
            if !rows[rows.count - 1].isEmpty, x + gap + b.width > width {
                rows.append([])
                x = 0
            }
            x += (rows[rows.count - 1].isEmpty ? 0 : gap) + b.width
            rows[rows.count - 1].append(b)
        }
        return (rows, rows.reduce(0) { $0 + ($1.map(\.height).max() ?? 0) } + rows.count - 1)
    }

    /// The tensors of the phase and its panels, arranged so that every cell the step reads or
    /// writes is on screen: the most generous `Detail` that fits wins. Where none fits, blocks
    /// give up rows — those the step does not touch first — and say what they leave out.
    private func planGrids(height: Int, width: Int, large: Bool) -> GridPlan {
        let tensors = board.phaseTensors[phase]
        guard height > 2, !tensors.isEmpty else { return GridPlan() }
        let panels = phasePanels()
        let touched = tensors.map { !(marks[$0] ?? [:]).isEmpty } + panels.map { _ in false }
        // A block depends only on the parts of the detail that apply to it: each is built once
        // per (detail that matters, height limit), however many levels are tried.
        struct Key: Hashable { var block: Int; var detail: Detail?; var limit: Int }
        var cache: [Key: Block] = [:]
        func build(_ detail: Detail, _ limits: [Int]) -> [Block] {
            tensors.indices.map { i in
                let info = trace.tensors[Int(tensors[i].rawValue)]
                var d = detail
                if info.shape.count < 3 || info.shape.dropLast(2).reduce(1, *) == 1 { (d.allSlices, d.wrapSlices, d.contextSlices) = (false, false, true) }
                if info.shape.count != 2 { (d.rowLabels, d.columnLabels) = (false, false) }
                let key = Key(block: i, detail: d, limit: limits[i])
                if let b = cache[key] { return b }
                let b = grid(for: tensors[i], maxWidth: width, maxHeight: limits[i], detail: d)
                cache[key] = b
                return b
            } + panels.indices.map { i in
                let key = Key(block: tensors.count + i, detail: nil, limit: limits[tensors.count + i])
                if let b = cache[key] { return b }
                let b = panels[i](width, limits[tensors.count + i])
                cache[key] = b
                return b
            }
        }
        let count = tensors.count + panels.count
        let full = [Int](repeating: height, count: count)
        // Levels that cannot draw anything differently for these tensors are tried once.
        let infos = tensors.map { trace.tensors[Int($0.rawValue)] }
        let manySlices = infos.contains { $0.shape.count >= 3 && $0.shape.dropLast(2).reduce(1, *) > 1 }
        let captions = infos.map { $0.shape.count == 2 ? $0.axes.map { Axes.parts($0).count > 1 } : [false, false] }
        let rowCaptions = captions.contains { $0.first == true }, columnCaptions = captions.contains { $0.last == true }
        var levels: [Detail] = []
        for var level in Detail.levels(large: large) {
            if !manySlices { (level.allSlices, level.wrapSlices, level.contextSlices) = (false, false, true) }
            if !rowCaptions { level.rowLabels = false }
            if !columnCaptions { level.columnLabels = false }
            if !levels.contains(level) { levels.append(level) }
        }
        // A phase is planned to keep one layout from step to step, so the level that showed
        // everything at one step is tried first at the next: the search runs once per phase.
        let key = PlanCache.Key(phase: phase, width: width, height: height, large: large, symbols: options.symbols,
                                language: language, asciiOnly: options.asciiOnly, blockPage: options.blockPage)
        if let known = board.planCache.level(key), levels.indices.contains(known) {
            let detail = levels[known]
            let gap = detail.spacing + 1
            let blocks = build(detail, full)
            let packed = Self.pack(blocks, width: width, gap: gap)
            if packed.height <= height, !blocks.contains(where: \.elided) {
                return GridPlan(rows: packed.rows, height: packed.height, gap: gap)
            }
        }
        // The most generous level that shows everything; failing that, the most generous that
        // leaves out only cells the step does not touch.
        for whole in [true, false] {
            for (index, detail) in levels.enumerated() {
                let gap = detail.spacing + 1
                let blocks = build(detail, full)
                let packed = Self.pack(blocks, width: width, gap: gap)
                if packed.height <= height, !blocks.contains(where: { whole ? $0.elided : $0.hidesTouched }) {
                    if whole { board.planCache.remember(index, for: key) }
                    return GridPlan(rows: packed.rows, height: packed.height, gap: gap)
                }
            }
        }
        // Nothing fits whole: at each detail without a projector's spacing, blocks give up rows
        // while the bands overflow — untouched ones first, then the tallest; the arrangement that
        // overflows least, then hides fewest touched blocks, wins.
        var best: (rows: [[Block]], height: Int, overflow: Int, hidden: Int)?
        for detail in levels where detail.spacing == 2 && !detail.boxed {
            let gap = detail.spacing + 1
            var limits = full
            for _ in 0..<(2 * count + 2) {
                let blocks = build(detail, limits)
                let packed = Self.pack(blocks, width: width, gap: gap)
                let overflow = max(0, packed.height - height)
                let hidden = blocks.filter(\.hidesTouched).count
                if best == nil || (overflow, hidden) < (best!.overflow, best!.hidden) {
                    best = (packed.rows, packed.height, overflow, hidden)
                }
                guard overflow > 0 else { break }
                let candidates = blocks.indices.filter { blocks[$0].height > 3 }
                let untouched = candidates.filter { !touched[$0] }
                guard let pick = (untouched.isEmpty ? candidates : untouched).max(by: { blocks[$0].height < blocks[$1].height })
                else { break }
                limits[pick] = max(3, blocks[pick].height - overflow)
            }
        }
        guard let best else { return GridPlan() }
        return GridPlan(rows: best.rows, height: min(height, best.height), gap: 3)
    }
}

/// The level of detail at which a phase showed every cell, per screen and view. A phase keeps
/// its layout from step to step — tiles are planned with room for the longest sum, columns take
/// the phase's widest value — so a level that shows everything at one step does at the next,
/// and the search through the levels runs once per phase instead of once per frame. The level
/// found is tried first and kept only where it still shows everything, so a stale entry costs
/// one try, never a wrong picture.
final class PlanCache: @unchecked Sendable {
    struct Key: Hashable {
        var phase: Int
        var width: Int
        var height: Int
        var large: Bool
        var symbols: Bool
        var language: Language
        var asciiOnly: Bool
        var blockPage: Int
    }

    private var levels: [Key: Int] = [:]
    // Frames of one board may be drawn from several threads (a recording, the player).
    private let lock = NSLock()

    func level(_ key: Key) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        return levels[key]
    }

    func remember(_ level: Int, for key: Key) {
        lock.lock()
        defer { lock.unlock() }
        levels[key] = level
    }
}

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
        // Header.
        let lang = language.rawValue
        let left = (options.asciiOnly ? "Tatami" : "畳 Tatami") + " · " + board.script.title.text(lang)
        let right = board.passLabel(phase: phase, language: language)
        // Text that does not fit ends in a visible `…`, never cut silently.
        frame.put(DisplayWidth.truncate(left, to: max(0, W - DisplayWidth.of(right) - 2)), row: 0, column: 0,
                  role: .heading, bold: true)
        frame.put(right, row: 0, column: max(0, W - DisplayWidth.of(right)), role: .dim)
        let phaseIndex = board.phaseIndex(ofStep: position)
        let phaseTitle = PhaseText.title(board.trace.phases[phase], layer: board.trace.layer, language)
        let count = board.trace.phaseFirstStep.indices.contains(phase + 1)
            ? trace.phaseFirstStep[phase + 1] - trace.phaseFirstStep[phase]
            : trace.stepCount - trace.phaseFirstStep[phase]
        let where_ = "\(Words.phase(language)) \(phaseIndex + 1)/\(board.phases.count) · \(Words.step(language)) \(within)/\(count)"
        frame.put(DisplayWidth.truncate(phaseTitle, to: max(0, W - DisplayWidth.of(where_) - 2)), row: 1, column: 0,
                  role: .heading, bold: true)
        frame.put(where_, row: 1, column: max(0, W - DisplayWidth.of(where_)), role: .dim)
        frame.fill("─", row: 2, column: 0, count: W, role: .dim)

        // The panes under the grids have fixed heights; the narration takes what the grids
        // leave, and the grids are planned first with room kept for a few narration lines.
        var said = board.narration(at: position, phase: phase, within: within, language: language)
        if let asking {
            said = asking + "\n" + said
        } else if let q = board.questionAnswered(at: position) {
            // The question is recalled with its answer: a frame shown on its own (`render
            // --step`, a projected slide) says what was asked, not only what the answer is.
            said = (language == .ja ? "出題: " : "Asked: ") + q.prompt.text(lang) + "\n"
                + (language == .ja ? "答え: " : "Answer: ") + q.answer.text(lang) + "\n" + said
        }
        // The inspected cell's lineage takes the narration's place (PgDn scrolls it the same way).
        if let inspected, let selectedAt = options.inspection?.selectedAt {
            said = board.inspectionPanel(inspected.cell, inspected.answer, at: selectedAt, language: language)
        }
        if let s = stepEvent, s.dst != .none, s.dstIndex >= 0 {
            frame.focusCell = CellID(tensor: Int(s.dst.rawValue), index: Int(s.dstIndex))
        }
        let narration = TextWrap.lines(said, width: W)
        let roomy = H >= 28
        let code = options.showCode ? board.codeWindow(current: trace.phases[phase].code, lines: roomy ? 3 : 1) : []
        // Where the line in focus comes from, when it is not simply the article's own.
        let provenance = options.showCode
            ? CodeProvenanceText.explanation(trace.phases[phase].code, language).map {
                Self.fitted(TextWrap.lines($0, width: W), lines: roomy ? 2 : 1, width: W)
            } ?? [] : []
        // The arithmetic takes up to two lines, more on a tall screen; it always ends with its result.
        let arithmetic = StepText(scene: self).arithmetic().lines(width: W, maxLines: max(2, H / 10), language: language)
        let legend = options.showLegend ? 1 : 0
        let fixed = arithmetic.count + legend + 1 + (options.showCode ? code.count + provenance.count + 1 : 0)
        // A projector's grids are planned with room for the longest arithmetic and three lines
        // of narration, so that a step with a longer sum or note does not resize the tiles
        // of its phase.
        let large = W >= 150 && H >= 44
        let keep = large ? 3 : min(narration.count, roomy ? 3 : 2)
        let planned = large ? fixed - arithmetic.count + max(2, H / 10) : fixed
        var plan = planGrids(height: H - 3 - planned - keep - 1, width: W, large: large)
        // The rows kept for a longer sum or note at another step go to the grids where they
        // cannot show everything: a hidden row is worse than a layout that grows.
        let actual = H - 3 - fixed - min(narration.count, keep) - 1
        if large, plan.hiddenCells > 0, actual > plan.height {
            plan = planGrids(height: actual, width: W, large: large)
        }
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
            frame.fill("─", row: bottom, column: 0, count: W, role: .dim)
            bottom -= provenance.count
            for (k, line) in provenance.enumerated() {
                frame.put(line, row: bottom + k, column: 0, role: .dim)
            }
            bottom -= code.count
            for (k, line) in code.enumerated() {
                let marker = line.current ? "▶ " : "  "
                let tag = CodeProvenanceText.tag(line.code, language)
                let room = max(0, W - DisplayWidth.of(tag) - 1)
                frame.put(DisplayWidth.truncate(marker + line.code.text, to: room), row: bottom + k, column: 0,
                          role: line.current ? .code : .dim, bold: line.current)
                if W > DisplayWidth.of(tag) + 8 {
                    frame.put(tag, row: bottom + k, column: W - DisplayWidth.of(tag), role: .dim)
                }
            }
        }
        bottom -= 1
        frame.fill("─", row: bottom, column: 0, count: W, role: .dim)
        bottom -= arithmetic.count
        for (k, line) in arithmetic.enumerated() {
            frame.put(line, row: bottom + k, column: 0, role: .plain, bold: true)
        }
        if options.showLegend {
            bottom -= 1
            // Each mark in its role's colour, as a grid draws it.
            let (text, marks) = RoleStyle.legend(language: language, withInspector: options.inspection != nil)
            frame.put(DisplayWidth.truncate(text, to: W), row: bottom, column: 0, role: .dim)
            for (column, role) in marks where column < W {
                if let mark = RoleStyle.mark(role) { frame.put(String(mark), row: bottom, column: column, role: role, bold: true) }
            }
        }
        drawGrids(plan, into: &frame, top: 3, bottom: bottom - 1)
        frame.blocks = plan.rows.joined().lazy.compactMap(\.page).first
    }

    /// At most `lines` of `wrapped`, the last ending in `…` when some are left out.
    static func fitted(_ wrapped: [String], lines: Int, width: Int) -> [String] {
        guard wrapped.count > lines else { return wrapped }
        var kept = Array(wrapped.prefix(lines))
        if let last = kept.popLast() { kept.append(DisplayWidth.truncate(last + " …", to: width)) }
        return kept
    }

    /// The narration lines that fit in `room`, scrolled by `offset`. A narration longer than its
    /// room says so on its last line, with the keys that scroll it; never cut silently.
    static func narrationWindow(_ lines: [String], room: Int, offset: Int, width: Int,
                                language: Language) -> ([String], NarrationWindow) {
        guard lines.count > room, room > 0 else { return (lines, NarrationWindow(first: 0, shown: lines.count, total: lines.count)) }
        // One line is kept for saying what is hidden.
        let shown = max(1, room - 1)
        // Pages follow one another without overlap, so the last may be short; an offset past
        // the end (after a resize) shows the last line.
        let start = min(max(0, offset), lines.count - 1)
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
        /// Cells of the phase's tensors that are not on screen.
        var hiddenCells: Int { rows.joined().reduce(0) { $0 + $1.hiddenCells } }
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
    private static func pack(_ blocks: [Block], width: Int, gap: Int) -> (rows: [[Block]], height: Int, bands: [[Int]]) {
        var bands: [[Int]] = [[]]
        var x = 0
        // A dropped panel is an empty block, which takes no place.
        for (i, b) in blocks.enumerated() where b.width > 0 {
            if !bands[bands.count - 1].isEmpty, x + gap + b.width > width {
                bands.append([])
                x = 0
            }
            x += (bands[bands.count - 1].isEmpty ? 0 : gap) + b.width
            bands[bands.count - 1].append(i)
        }
        let rows = bands.map { $0.map { blocks[$0] } }
        return (rows, rows.reduce(0) { $0 + ($1.map(\.height).max() ?? 0) } + rows.count - 1, bands)
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
        struct Key: Hashable { var block: Int; var detail: Detail?; var limit: Int; var width: Int }
        var cache: [Key: Block] = [:]
        func buildOne(_ i: Int, _ detail: Detail, _ limit: Int, width: Int = width) -> Block {
            guard i < tensors.count else {
                if limit == 0 { return Block(width: 0, height: 0) }
                let key = Key(block: i, detail: nil, limit: limit, width: width)
                if let b = cache[key] { return b }
                let b = panels[i - tensors.count](width, limit)
                cache[key] = b
                return b
            }
            let info = trace.tensors[Int(tensors[i].rawValue)]
            var d = detail
            if info.shape.count < 3 || info.shape.dropLast(2).reduce(1, *) == 1 { (d.allSlices, d.wrapSlices, d.contextSlices) = (false, false, true) }
            if info.shape.count != 2 { (d.rowLabels, d.columnLabels) = (false, false) }
            let key = Key(block: i, detail: d, limit: limit, width: width)
            if let b = cache[key] { return b }
            let b = grid(for: tensors[i], maxWidth: width, maxHeight: limit, detail: d)
            cache[key] = b
            return b
        }
        func build(_ detail: Detail, _ limits: [Int]) -> [Block] {
            limits.indices.map { buildOne($0, detail, limits[$0]) }
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
        if let known = board.planCache.level(key), known.levels.count == count, known.levels.allSatisfy(levels.indices.contains) {
            let gap = levels[known.levels[0]].spacing + 1
            let blocks = known.levels.indices.map { i in
                // A block grown into blank rows is built again as it was then: with its own
                // detail if that showed less, filled otherwise.
                let d = levels[known.levels[i]]
                guard known.fills[i] > 0 else { return buildOne(i, d, height) }
                var fill = d
                (fill.fillHeight, fill.tightRows) = (true, true)
                let plain = buildOne(i, d, known.fills[i], width: known.widths[i])
                let filled = buildOne(i, fill, known.fills[i], width: known.widths[i])
                return filled.hiddenCells < plain.hiddenCells ? filled : plain
            }
            let packed = Self.pack(blocks, width: width, gap: gap)
            if packed.height <= height, !blocks.contains(where: { known.whole ? $0.elided : $0.hidesTouched }) {
                return GridPlan(rows: packed.rows, height: packed.height, gap: gap)
            }
        }
        // The most generous level that shows everything; failing that, of the levels that keep
        // every cell the step touches, the one that leaves out fewest cells (the most generous
        // of those): a tensor that cannot show every column may still show every block.
        var partial: (index: Int, blocks: [Block], hidden: Int)?
        for (index, detail) in levels.enumerated() {
            let blocks = build(detail, full)
            guard Self.pack(blocks, width: width, gap: detail.spacing + 1).height <= height,
                  !blocks.contains(where: \.hidesTouched) else { continue }
            let hidden = blocks.reduce(0) { $0 + $1.hiddenCells }
            if hidden == 0, !blocks.contains(where: \.elided) {
                board.planCache.remember(.init(levels: Array(repeating: index, count: count),
                                               fills: Array(repeating: 0, count: count),
                                               widths: Array(repeating: width, count: count), whole: true), for: key)
                let packed = Self.pack(blocks, width: width, gap: detail.spacing + 1)
                return GridPlan(rows: packed.rows, height: packed.height, gap: detail.spacing + 1)
            }
            if partial == nil || hidden < partial!.hidden { partial = (index, blocks, hidden) }
        }
        if let partial {
            // Each block that still leaves something out then takes, on its own, the level of
            // the same spacing that leaves out least while everything still fits: one tensor
            // shown whole in rows of blocks beside another that cannot be.
            var blocks = partial.blocks
            var chosen = [Int](repeating: partial.index, count: count)
            let base = levels[partial.index], gap = base.spacing + 1
            for i in blocks.indices where blocks[i].elided && i < tensors.count {
                for (j, d) in levels.enumerated() where d.spacing == base.spacing && d.boxed == base.boxed
                    && d.cellHeight == base.cellHeight && d.padding == base.padding && j != chosen[i] {
                    let b = buildOne(i, d, height)
                    guard !b.hidesTouched, b.hiddenCells < blocks[i].hiddenCells else { continue }
                    var trial = blocks
                    trial[i] = b
                    guard Self.pack(trial, width: width, gap: gap).height <= height else { continue }
                    blocks = trial
                    chosen[i] = j
                }
            }
            let (fills, widths) = grow(&blocks, chosen.map { levels[$0] }, gap: gap)
            board.planCache.remember(.init(levels: chosen, fills: fills, widths: widths, whole: false), for: key)
            let packed = Self.pack(blocks, width: width, gap: gap)
            return GridPlan(rows: packed.rows, height: packed.height, gap: gap)
        }
        // Nothing fits whole: at each detail without a projector's spacing, blocks give up rows
        // while the bands overflow — untouched ones first, then the tallest; the arrangement that
        // overflows least, then hides fewest touched blocks, wins.
        var best: (blocks: [Block], detail: Detail, overflow: Int, hidden: Int)?
        // A panel beside the tensors (the windows per cell, the correct routing) is dropped
        // where keeping it would hide more of what the step touches.
        for dropPanels in panels.isEmpty ? [false] : [false, true] {
        for detail in levels where detail.spacing == 2 && !detail.boxed {
            let gap = detail.spacing + 1
            var limits = full
            if dropPanels { for i in tensors.count..<count { limits[i] = 0 } }
            // Blocks that cannot get as short as asked (a panel of fixed height).
            var stuck = Set<Int>()
            for _ in 0..<(2 * height + 2 * count) {
                let blocks = build(detail, limits)
                for i in blocks.indices where blocks[i].height > limits[i] { stuck.insert(i) }
                let packed = Self.pack(blocks, width: width, gap: gap)
                let overflow = max(0, packed.height - height)
                let hidden = blocks.reduce(0) { $0 + $1.hiddenTouched }
                if best == nil || (overflow, hidden) < (best!.overflow, best!.hidden) {
                    best = (blocks, detail, overflow, hidden)
                }
                guard overflow > 0 else { break }
                // The tallest gives up rows down to the next tallest, so that tensors share the cut.
                let candidates = blocks.indices.filter { blocks[$0].height > 3 && !stuck.contains($0) }
                let untouched = candidates.filter { !touched[$0] }
                let pool = untouched.isEmpty ? candidates : untouched
                guard let pick = pool.max(by: { blocks[$0].height < blocks[$1].height }) else { break }
                let next = pool.filter { $0 != pick }.map { blocks[$0].height }.max() ?? 3
                limits[pick] = blocks[pick].height - max(1, min(overflow, blocks[pick].height - max(3, next)))
            }
        }
        }
        guard var best else { return GridPlan() }
        if best.overflow == 0 { _ = grow(&best.blocks, Array(repeating: best.detail, count: count), gap: 3) }
        let packed = Self.pack(best.blocks, width: width, gap: 3)
        return GridPlan(rows: packed.rows, height: min(height, packed.height), gap: 3)

        /// Rows still blank under the bands go to blocks that leave something out: more of their
        /// rows, more rows of their blocks, or more bands of their columns, as many as fit.
        /// Returns the height and width each block was given (0 and the frame's width where
        /// it kept its own).
        func grow(_ blocks: inout [Block], _ details: [Detail], gap: Int) -> (fills: [Int], widths: [Int]) {
            var fills = [Int](repeating: 0, count: count), widths = [Int](repeating: width, count: count)
            for i in blocks.indices where blocks[i].elided && i < tensors.count {
                let packed = Self.pack(blocks, width: width, gap: gap)
                let spare = height - packed.height
                guard spare > 0 else { break }
                // The rows of its band, and the width its neighbours in the band leave.
                let band = packed.bands.first { $0.contains(i) } ?? [i]
                let room = width - band.filter { $0 != i }.reduce(0) { $0 + blocks[$1].width + gap }
                let tallest = band.map { blocks[$0].height }.max() ?? blocks[i].height
                var fill = details[i]
                (fill.fillHeight, fill.tightRows) = (true, true)
                for d in [details[i], fill] {
                    let b = buildOne(i, d, tallest + spare, width: room)
                    guard b.hiddenTouched <= blocks[i].hiddenTouched, b.hiddenCells < blocks[i].hiddenCells else { continue }
                    var trial = blocks
                    trial[i] = b
                    guard Self.pack(trial, width: width, gap: gap).height <= height else { continue }
                    blocks = trial
                    fills[i] = tallest + spare
                    widths[i] = room
                }
            }
            return (fills, widths)
        }
    }
}

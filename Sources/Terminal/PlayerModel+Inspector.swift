import Storyboard

/// The inspector: `i` puts a cursor on the frame, the arrows move it within a tensor, Tab and
/// Shift-Tab to the next and previous tensor on screen, Enter or a click selects the cell whose
/// lineage lights up, Esc (or `i` again) leaves. The cursor moves among the cells the frame says
/// it drew (`Frame.hits`), so it goes exactly where the eye sees cells, whatever the layout.
/// Keys the inspector has no use for keep their meaning: `l` and `h` still step, and the
/// selected cell stays explained as it stood where it was selected.
extension PlayerModel {
    /// Whether the inspector is on.
    public var inspecting: Bool { options.inspection != nil }

    /// The inspector's answer to `key`, or nil where the key is not the inspector's.
    mutating func handleInspector(key: Key) -> Effect? {
        if case .click(let row, let column) = key { return click(row: row, column: column) }
        guard var inspection = options.inspection else {
            guard key == .character("i") else { return nil }
            return startInspecting()
        }
        switch key {
        case .escape, .character("i"):
            options.inspection = nil
            return .redraw
        case .enter:
            inspection.selected = inspection.cursor
            inspection.selectedAt = step
            options.inspection = inspection
            return .redraw
        case .left, .right, .up, .down:
            return moveCursor(key)
        case .tab, .backTab:
            return nextTensor(forward: key == .tab)
        default:
            return nil
        }
    }

    /// The cells on screen now, in the order the frame drew them.
    private func hitsOnScreen() -> [CellHit] {
        frame()?.hits ?? []
    }

    private mutating func startInspecting() -> Effect {
        guard let frame = frame(), let first = frame.hits.first else { return refuse(.nothingToInspect) }
        // The step's own cell first: the one the narration speaks of.
        let start = frame.focusCell.flatMap { focus in frame.hits.first { $0.cell == focus } } ?? first
        playing = false
        options.inspection = Inspection(cursor: start.cell, selected: start.cell, selectedAt: step)
        return .redraw
    }

    /// A click selects the cell under it (turning the inspector on); elsewhere it says so.
    private mutating func click(row: Int, column: Int) -> Effect {
        guard let hit = hitsOnScreen().first(where: { $0.contains(row: row, column: column) }) else {
            return inspecting ? refuse(.noCellThere) : .none
        }
        playing = false
        options.inspection = Inspection(cursor: hit.cell, selected: hit.cell, selectedAt: step)
        return .redraw
    }

    /// Where the cursor is on screen; where its cell is not shown at this step, the step's own
    /// cell or the first cell drawn takes its place.
    private func cursorHit(_ hits: [CellHit], _ frame: Frame?) -> CellHit? {
        guard let cursor = options.inspection?.cursor else { return nil }
        return hits.first { $0.cell == cursor }
            ?? frame?.focusCell.flatMap { focus in hits.first { $0.cell == focus } }
            ?? hits.first
    }

    private mutating func moveCursor(_ key: Key) -> Effect {
        let frame = frame()
        let hits = frame?.hits ?? []
        guard let here = cursorHit(hits, frame) else { return refuse(.nothingToInspect) }
        if here.cell != options.inspection?.cursor {
            options.inspection?.cursor = here.cell
            return .redraw
        }
        let mine = hits.filter { $0.cell.tensor == here.cell.tensor && $0.cell != here.cell }
        let next: CellHit?
        switch key {
        case .left:
            next = mine.filter { $0.row == here.row && $0.column < here.column }.max { $0.column < $1.column }
        case .right:
            next = mine.filter { $0.row == here.row && $0.column > here.column }.min { $0.column < $1.column }
        default:
            // The nearest row above or below, and in it the cell nearest in column.
            let rows = mine.filter { key == .up ? $0.row < here.row : $0.row > here.row }
            let row = key == .up ? rows.map(\.row).max() : rows.map(\.row).min()
            next = rows.filter { $0.row == row }.min { abs($0.column - here.column) < abs($1.column - here.column) }
        }
        guard let next else { return refuse(.cursorAtEdge) }
        options.inspection?.cursor = next.cell
        return .redraw
    }

    private mutating func nextTensor(forward: Bool) -> Effect {
        let frame = frame()
        let hits = frame?.hits ?? []
        guard let here = cursorHit(hits, frame) else { return refuse(.nothingToInspect) }
        var tensors: [Int] = []
        for hit in hits where !tensors.contains(hit.cell.tensor) { tensors.append(hit.cell.tensor) }
        guard let at = tensors.firstIndex(of: here.cell.tensor) else { return refuse(.nothingToInspect) }
        let target = tensors[(at + (forward ? 1 : tensors.count - 1)) % tensors.count]
        guard let first = hits.first(where: { $0.cell.tensor == target }) else { return refuse(.nothingToInspect) }
        options.inspection?.cursor = first.cell
        return .redraw
    }

    /// A question that asks for cells: its box steps aside and the cursor goes on the frame.
    mutating func startPicking(_ session: QuestionSession) -> Effect {
        overlay = .none
        picking = session
        let effect = startInspecting()
        guard options.inspection != nil else {
            overlay = .question(session)
            picking = nil
            return effect
        }
        notice = .picking(session.typed)
        return effect
    }

    /// While picking: Enter (or a click) adds the cell under the cursor to the answer, or takes
    /// it out; Esc goes back to the box with the cells typed in.
    mutating func handlePicking(key: Key) -> Effect {
        guard var session = picking else { return .none }
        func back() -> Effect {
            options.inspection = nil
            picking = nil
            overlay = .question(session)
            return .redraw
        }
        switch key {
        case .escape:
            return back()
        case .enter, .click:
            if case .click(let row, let column) = key {
                guard let hit = hitsOnScreen().first(where: { $0.contains(row: row, column: column) }) else { return refuse(.noCellThere) }
                options.inspection?.cursor = hit.cell
            }
            guard let cursor = options.inspection?.cursor, let name = source.cellName(cursor) else { return refuse(.noCellThere) }
            session.toggle(cell: name.replacingOccurrences(of: " ", with: ""))
            picking = session
            notice = .picking(session.typed)
            return .redraw
        case .left, .right, .up, .down, .tab, .backTab:
            let effect = handleInspector(key: key) ?? .none
            notice = .picking(session.typed)
            return effect
        default:
            notice = .picking(session.typed)
            return .bell
        }
    }
}

import Engine
/// A rectangle of cells drawn on its own and then placed on the frame by the layout.
struct Block {
    var width: Int
    var height: Int
    /// Row after row, `width` cells each.
    var cells: [Cell]
    /// Whether rows or columns were left out to fit (a `…` marks where).
    var elided = false
    /// How many of the cells the step touches are among those left out.
    var hiddenTouched = 0
    var hidesTouched: Bool { hiddenTouched > 0 }
    /// How many cells were left out: of two layouts that both keep what the step touches, the
    /// one that leaves out less is the better picture.
    var hiddenCells = 0
    /// The page of blocks shown, where a whole movement cannot show every block.
    var page: BlockPage?
    /// Where the block drew tensor cells, relative to its corner; a grid leaves the tensor
    /// unnamed (-1) and the scene names it.
    var hits: [CellHit] = []

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
        cells = Array(repeating: Cell(), count: width * height)
    }

    subscript(row: Int, column: Int) -> Cell {
        get { cells[row * width + column] }
        set { cells[row * width + column] = newValue }
    }

    /// Copies `other`'s cells to (`row`, `column`), its columns beyond `columns` dropped, and
    /// its hits with them.
    mutating func paste(_ other: Block, row: Int, column: Int, columns: Int = .max) {
        let n = min(other.width, columns, width - column)
        if n > 0 {
            for r in 0..<min(other.height, height - row) {
                let to = (row + r) * width + column, from = r * other.width
                cells.replaceSubrange(to..<(to + n), with: other.cells[from..<(from + n)])
            }
        }
        addHits(of: other, row: row, column: column, width: columns)
    }

    mutating func put(_ text: String, row: Int, column: Int, role: Role = .plain, bold: Bool = false) {
        guard row >= 0, row < height else { return }
        _ = DisplayWidth.place(text, from: column, limit: width, role: role, bold: bold) { x, cell in self[row, x] = cell }
    }

    /// `count` copies of one narrow character from `column`: rules and tiles, cell by cell
    /// rather than through a string, since a projector's frame draws thousands of them.
    mutating func fill(_ character: Character, row: Int, column: Int, count: Int, role: Role = .plain, bold: Bool = false) {
        guard row >= 0, row < height, count > 0 else { return }
        let cell = Cell(character, role: role, bold: bold)
        for x in max(0, column)..<max(max(0, column), min(width, column + count)) { self[row, x] = cell }
    }

    /// Hits of `other` placed at (`row`, `column`) in this block, those beyond `width` dropped.
    mutating func addHits(of other: Block, row: Int, column: Int, width: Int = .max) {
        for var hit in other.hits where hit.column + hit.width <= width {
            hit.row += row
            hit.column += column
            hits.append(hit)
        }
    }

    /// Blocks placed left to right, top-aligned.
    static func beside(_ blocks: [Block], gap: Int) -> Block {
        guard let first = blocks.first else { return Block(width: 1, height: 1) }
        if blocks.count == 1 { return first }
        let width = blocks.reduce(0) { $0 + $1.width } + gap * (blocks.count - 1)
        var out = Block(width: width, height: blocks.map(\.height).max() ?? 1)
        out.elided = blocks.contains { $0.elided }
        out.hiddenTouched = blocks.reduce(0) { $0 + $1.hiddenTouched }
        out.hiddenCells = blocks.reduce(0) { $0 + $1.hiddenCells }
        out.page = blocks.lazy.compactMap(\.page).first
        var x = 0
        for b in blocks {
            out.paste(b, row: 0, column: x)
            x += b.width + gap
        }
        return out
    }

    /// Draws the block; when it must be cut to `maxRows`, its last visible row says so with a
    /// `…` marker instead of ending silently.
    func draw(into frame: inout Frame, row: Int, column: Int, maxRows: Int = .max, ellipsis: String = "…") {
        let rows = min(height, maxRows)
        for r in 0..<rows { frame.copy(cells[(r * width)..<((r + 1) * width)], row: row + r, column: column) }
        // A row given to the `…` marker shows no cell.
        let shownRows = rows < height ? rows - 1 : rows
        for var hit in hits where hit.row < shownRows && column + hit.column + hit.width <= frame.size.width {
            hit.row += row
            hit.column += column
            frame.hits.append(hit)
        }
        if rows < height, rows > 0 {
            for c in 0..<width where column + c < frame.size.width { frame[row + rows - 1, column + c] = Cell() }
            frame.put(ellipsis, row: row + rows - 1, column: column, role: .dim)
        }
    }
}

/// One tensor drawn as a matrix: a title, optional axis labels, and cells with roles.
/// Rank-4 and rank-3 tensors show one 2-D slice (the one holding the focus) with its index in
/// the title; rank 1 shows as a column, as the seed writes the bias `(M, 1)`.
struct GridSpec {
    var title: String
    /// What the row and column labels count, e.g. `rows (c,fh,fw) × cols (b,oh,ow)`.
    var legend = ""
    var shape: [Int]
    /// Text of a cell by flat index.
    var text: (Int) -> String
    /// Role and boldness of a cell by flat index; nil means plain.
    var mark: (Int) -> (Role, Bool)?
    /// The cell the slice and the visible window must include.
    var focus: Int?
    /// Cells the step touches: the visible window keeps as many of them as it can.
    var touched: [Int] = []
    var rowLabel: ((Int) -> String)? = nil
    var columnLabel: ((Int) -> String)? = nil
    /// What each axis counts (`b`, `c`, `m`, `oh`, …), for naming the slice shown.
    var axisNames: [String] = []
    /// Columns from one cell's start to the next one's, beyond the cell's own width.
    var spacing = 2
    /// Blank lines between rows (a projector's screen has rows to spare).
    var rowGap = 0
    /// The narrowest a cell may be: the widest value the tensor takes in the phase, so that
    /// columns keep their place from step to step.
    var minimumCellWidth = 1
    var language: Language = .en
    /// The axis names on a line of their own under the name and shape, so that a narrow grid
    /// need not be as wide as its heading.
    var splitHeading = false
    /// Cells drawn as tiles in ruled boxes, `cellHeight` lines tall with `padding` columns
    /// each side: a projected picture is read from the back of a room, and a coloured tile
    /// shows a role where a coloured digit would not.
    var boxed = false
    var cellHeight = 1
    var padding = 1
    /// These columns only, without `…` markers: one band of a matrix folded onto several.
    var columnRange: Range<Int>? = nil

    /// Rows and columns of the 2-D view, and the flat offset of the shown slice.
    private var matrix: (rows: Int, columns: Int, sliceOffset: Int, slice: [Int]) {
        switch shape.count {
        case 0: return (1, 1, 0, [])
        case 1: return (shape[0], 1, 0, [])
        case 2: return (shape[0], shape[1], 0, [])
        default:
            let rows = shape[shape.count - 2], columns = shape[shape.count - 1]
            let per = rows * columns
            let sliceIndex = per > 0 ? (focus ?? 0) / per : 0
            let lead = Array(shape.dropLast(2))
            var idx = [Int](repeating: 0, count: lead.count)
            var rest = sliceIndex
            for a in stride(from: lead.count - 1, through: 0, by: -1) where lead[a] > 0 {
                idx[a] = rest % lead[a]
                rest /= lead[a]
            }
            return (rows, columns, sliceIndex * per, idx)
        }
    }

    /// Draws the grid within `maxWidth`×`maxHeight`. Axis labels go first when room is short
    /// (they are wider than the numbers); then rows and columns away from the focus are
    /// elided with a visible `…` marker rather than cut silently.
    func block(maxWidth: Int, maxHeight: Int) -> Block {
        var spec = self
        let full = spec.layout(maxWidth: maxWidth, maxHeight: maxHeight)
        if !full.elided { return full.block }
        spec.columnLabel = nil
        let noColumnLabels = spec.layout(maxWidth: maxWidth, maxHeight: maxHeight)
        if !noColumnLabels.elided || spec.rowLabel == nil { return noColumnLabels.block }
        spec.rowLabel = nil
        return spec.layout(maxWidth: maxWidth, maxHeight: maxHeight).block
    }

    /// A matrix too wide for `maxWidth` folded into bands of columns one under another — the
    /// bands with the cells the step touches, and as many more as `maxHeight` holds — where
    /// that shows more than one band does; nil otherwise.
    func folded(maxWidth: Int, maxHeight: Int) -> Block? {
        let m = matrix
        let one = block(maxWidth: maxWidth, maxHeight: maxHeight)
        guard one.hiddenCells > 0, one.hiddenCells % max(1, m.rows) == 0 else { return nil }
        // As many columns as one band showed, which then needs no `…` markers.
        let perBand = m.columns - one.hiddenCells / m.rows
        guard perBand > 0, perBand < m.columns else { return nil }
        var spec = self
        spec.columnLabel = nil
        func band(_ k: Int) -> Block {
            var b = spec
            b.columnRange = (k * perBand)..<min(m.columns, (k + 1) * perBand)
            if k > 0 { (b.title, b.legend) = ("", "") }
            return b.layout(maxWidth: maxWidth, maxHeight: maxHeight).block
        }
        let count = (m.columns + perBand - 1) / perBand
        let bands = (0..<count).map(band)
        // The bands the step touches must all be shown; then as many around them as fit.
        let touchedBands = Set(touched.map { (($0 - m.sliceOffset) % max(1, m.columns)) / perBand })
        var first = touchedBands.min() ?? 0, last = touchedBands.max() ?? 0
        func height(_ r: ClosedRange<Int>) -> Int { bands[r].reduce(0) { $0 + $1.height } }
        guard height(first...last) <= maxHeight else { return nil }
        while true {
            if last + 1 < count, height(first...(last + 1)) <= maxHeight { last += 1 } else if first > 0, height((first - 1)...last) <= maxHeight { first -= 1 } else { break }
        }
        guard last > first else { return nil }
        var out = Block(width: bands[first...last].map(\.width).max() ?? 1, height: height(first...last))
        var y = 0
        for b in bands[first...last] {
            out.paste(b, row: y, column: 0)
            y += b.height
        }
        let shownColumns = min(m.columns, (last + 1) * perBand) - first * perBand
        out.hiddenCells = (m.columns - shownColumns) * m.rows
        out.elided = out.hiddenCells > 0
        out.hiddenTouched = 0
        return out
    }

    private func layout(maxWidth: Int, maxHeight: Int) -> (block: Block, elided: Bool) {
        let m = matrix
        let focusRow = focus.map { (($0 - m.sliceOffset) / max(1, m.columns)) } ?? 0
        let focusColumn = focus.map { (($0 - m.sliceOffset) % max(1, m.columns)) } ?? 0
        // Without UTF-8 the frame falls back through Frame.asciiLookAlike (`…` → `.`).
        let ell = "…"

        var heading = title.isEmpty ? "" : title + "  " + shapeText(shape)
        var headingAbove: String?
        if !legend.isEmpty, !heading.isEmpty {
            if splitHeading { headingAbove = heading; heading = legend } else { heading += "  " + legend }
        }
        // Name the slice only where there is more than one to choose from.
        if !m.slice.isEmpty, shape.dropLast(2).contains(where: { $0 > 1 }) {
            let names = axisNames.count == shape.count ? axisNames : (0..<shape.count).map { "i\($0)" }
            heading += (heading.isEmpty ? "[" : "  [") + zip(names, m.slice).map { "\($0)=\($1)" }.joined(separator: ",") + "]"
        }

        let hasColumnLabels = columnLabel != nil
        func cellWidth(_ cols: [Int], _ rows: [Int]) -> Int {
            var w = max(1, minimumCellWidth)
            for r in rows { for c in cols { w = max(w, DisplayWidth.of(text(m.sliceOffset + r * m.columns + c))) } }
            if let cl = columnLabel { for c in cols { w = max(w, DisplayWidth.of(cl(c))) } }
            return w
        }
        // A plain cell is its mark and its text, `spacing` columns from the last; a boxed one
        // is a tile with a rule on each side and a rule line under it.
        func pitch(_ cw: Int) -> Int { boxed ? cw + 2 * padding + 1 : cw + spacing }
        let rule = boxed ? 1 : 0
        let pitchY = boxed ? cellHeight + 1 : 1 + max(0, rowGap)

        // Rows: the header takes one line (two with column labels, one more for a split heading).
        let headingRows = headingAbove == nil ? 1 : 2
        let headerRows = headingRows + (hasColumnLabels ? 1 : 0)
        // The rows and columns of this slice's touched cells.
        let inSlice = touched.filter { $0 >= m.sliceOffset && $0 < m.sliceOffset + m.rows * m.columns }.map { $0 - m.sliceOffset }
        let rowSpan = inSlice.isEmpty ? nil : (inSlice.map { $0 / max(1, m.columns) }.min()!)...(inSlice.map { $0 / max(1, m.columns) }.max()!)
        let columnSpan = inSlice.isEmpty ? nil : (inSlice.map { $0 % max(1, m.columns) }.min()!)...(inSlice.map { $0 % max(1, m.columns) }.max()!)
        let rowRoom = boxed ? (maxHeight - headerRows - 1) / pitchY : (maxHeight - headerRows + pitchY - 1) / pitchY
        let rowWindow = Self.window(count: m.rows, focus: focusRow, room: max(1, rowRoom), span: rowSpan)
        let rowLabelWidth = rowLabel.map { f in rowWindow.indices.map { DisplayWidth.of(f($0)) }.max() ?? 0 } ?? 0
        let labelGap = rowLabel == nil ? 0 : 1
        // Columns: guess how many fit from the narrowest possible cell, measure the cells that
        // guess shows, and narrow the window until the measured width fits. Only visible cells
        // are ever formatted, so a frame costs the same for a 10-column matrix as for 10,000.
        let usable = max(1, maxWidth - rowLabelWidth - labelGap - rule)
        var room = min(m.columns, max(1, usable / pitch(1)))
        var columnWindow = Self.window(count: m.columns, focus: focusColumn, room: room, span: columnSpan)
        var cw = cellWidth(columnWindow.indices, rowWindow.indices)
        if let range = columnRange {
            columnWindow = (Array(range), false, false)
            cw = cellWidth(columnWindow.indices, rowWindow.indices)
        }
        for _ in 0..<8 where columnRange == nil {
            let fit = max(1, usable / pitch(cw))
            if fit >= room { break }
            room = fit
            columnWindow = Self.window(count: m.columns, focus: focusColumn, room: room, span: columnSpan)
            cw = cellWidth(columnWindow.indices, rowWindow.indices)
        }
        let markers = (columnWindow.before ? 1 : 0) + (columnWindow.after ? 1 : 0)
        let gridWidth = rowLabelWidth + labelGap + (columnWindow.indices.count + markers) * pitch(cw) + rule
        // What is left out is said in words as well as by the `…` markers.
        if rowWindow.indices.count < m.rows, let first = rowWindow.indices.first, let last = rowWindow.indices.last {
            heading += language == .ja ? "  行 \(first + 1)–\(last + 1) / \(m.rows)" : "  rows \(first + 1)–\(last + 1) of \(m.rows)"
        }
        if columnWindow.indices.count < m.columns, let first = columnWindow.indices.first, let last = columnWindow.indices.last {
            heading += language == .ja ? "  列 \(first + 1)–\(last + 1) / \(m.columns)" : "  cols \(first + 1)–\(last + 1) of \(m.columns)"
        }
        let width = min(maxWidth, max(gridWidth, DisplayWidth.of(heading), headingAbove.map(DisplayWidth.of) ?? 0))
        let rowMarkers = (rowWindow.before ? 1 : 0) + (rowWindow.after ? 1 : 0)
        let rowCount = rowWindow.indices.count + rowMarkers
        var block = Block(width: max(1, width), height: headerRows + rowCount * pitchY - (boxed ? -1 : pitchY - 1))
        if let headingAbove { block.put(DisplayWidth.truncate(headingAbove, to: width), row: 0, column: 0, role: .heading) }
        block.put(DisplayWidth.truncate(heading, to: width), row: headingRows - 1, column: 0, role: .heading)

        // Column positions, with a marker column where columns are elided.
        var slots: [Int?] = []
        if columnWindow.before { slots.append(nil) }
        slots += columnWindow.indices.map { Optional($0) }
        if columnWindow.after { slots.append(nil) }
        let x0 = rowLabelWidth + labelGap
        // Where a slot's mark stands; its text follows, right-aligned in `cw` columns.
        func markColumn(_ k: Int) -> Int { x0 + k * pitch(cw) + (boxed ? padding : spacing - 2) }
        if let cl = columnLabel {
            for (k, c) in slots.enumerated() {
                block.put(pad(c.map(cl) ?? ell, cw), row: headingRows, column: markColumn(k) + 1, role: .dim)
            }
        }
        var rowSlots: [Int?] = []
        if rowWindow.before { rowSlots.append(nil) }
        rowSlots += rowWindow.indices.map { Optional($0) }
        if rowWindow.after { rowSlots.append(nil) }
        if boxed { drawRules(into: &block, top: headerRows, left: x0, columns: slots.count, rows: rowCount, pitch: pitch(cw)) }
        for (i, r) in rowSlots.enumerated() {
            let top = headerRows + i * pitchY + rule
            let y = top + (boxed ? (cellHeight - 1) / 2 : 0)
            if let r, let rl = rowLabel {
                block.put(pad(rl(r), rowLabelWidth), row: y, column: 0, role: .dim)
            }
            for (k, c) in slots.enumerated() {
                let x = markColumn(k)
                guard let r, let c else {
                    block.put(pad(ell, cw), row: y, column: x + 1, role: .dim)
                    continue
                }
                let flat = m.sliceOffset + r * m.columns + c
                let (role, bold) = mark(flat) ?? (.plain, false)
                // The whole tile takes the role's colour.
                if boxed, role != .plain {
                    for line in top..<(top + cellHeight) {
                        block.fill(" ", row: line, column: x0 + k * pitch(cw) + 1, count: pitch(cw) - 1, role: role, bold: bold)
                    }
                }
                // A mark before the cell says what its colour says, for plain text and monochrome
                // terminals; in a tile it stands right before the number, which is right-aligned
                // as in a plain grid, so that its column keeps its place from step to step.
                let shown = boxed ? text(flat) : pad(text(flat), cw)
                let at = boxed ? x + cw - DisplayWidth.of(shown) : x
                if let marker = RoleStyle.mark(role) { block.put(String(marker), row: y, column: at, role: role, bold: bold) }
                block.put(shown, row: y, column: at + 1, role: role, bold: bold)
                let id = CellID(tensor: -1, index: flat)
                if boxed {
                    for line in top..<(top + cellHeight) {
                        block.hits.append(CellHit(row: line, column: x0 + k * pitch(cw) + 1, width: pitch(cw) - 1, cell: id))
                    }
                } else {
                    block.hits.append(CellHit(row: y, column: at, width: 1 + DisplayWidth.of(shown), cell: id))
                }
            }
        }
        block.elided = columnWindow.indices.count < m.columns || rowWindow.indices.count < m.rows
        block.hiddenCells = m.rows * m.columns - rowWindow.indices.count * columnWindow.indices.count
        let shownRows = Set(rowWindow.indices), shownColumns = Set(columnWindow.indices)
        block.hiddenTouched = !block.elided ? 0 : inSlice.count(where: {
            !shownRows.contains($0 / max(1, m.columns)) || !shownColumns.contains($0 % max(1, m.columns))
        })
        return (block, block.elided)
    }

    /// The ruled lines of a boxed grid: `columns`×`rows` tiles `pitch` columns and
    /// `cellHeight + 1` lines apart, from (`top`, `left`).
    private func drawRules(into block: inout Block, top: Int, left: Int, columns: Int, rows: Int, pitch: Int) {
        let pitchY = cellHeight + 1
        for j in 0...rows {
            let y = top + j * pitchY
            let (l, mid, r): (Character, Character, Character) = j == 0 ? ("┌", "┬", "┐") : j == rows ? ("└", "┴", "┘") : ("├", "┼", "┤")
            block.fill("─", row: y, column: left, count: columns * pitch + 1, role: .dim)
            for k in 0...columns {
                block.fill(k == 0 ? l : k == columns ? r : mid, row: y, column: left + k * pitch, count: 1, role: .dim)
            }
            guard j < rows else { break }
            for dy in 1...cellHeight {
                for k in 0...columns { block.fill("│", row: y + dy, column: left + k * pitch, count: 1, role: .dim) }
            }
        }
    }

    private func pad(_ s: String, _ width: Int) -> String {
        let w = DisplayWidth.of(s)
        return w >= width ? s : String(repeating: " ", count: width - w) + s
    }

    /// A window of at most `room` indices out of `count` that contains `focus`, and whether
    /// indices were left out before or after it (each marker takes one of the slots).
    /// `span`, the range of indices the step touches, is kept whole where it fits.
    static func window(count: Int, focus: Int, room: Int, span: ClosedRange<Int>? = nil) -> (indices: [Int], before: Bool, after: Bool) {
        if count <= room { return (Array(0..<count), false, false) }
        func start(_ size: Int) -> Int {
            var s = focus - size / 2
            if let span, span.count <= size {
                // Slide the window the least that brings the whole span into it.
                s = min(max(s, span.upperBound - size + 1), span.lowerBound)
            }
            return min(max(0, s), count - size)
        }
        // A window at an edge needs only one `…` marker: it may take one more index.
        var size = max(1, room - 1)
        var first = start(size)
        if first != 0, first + size != count {
            size = max(1, room - 2)
            first = start(size)
        }
        let start = first
        return (Array(start..<(start + size)), start > 0, start + size < count)
    }
}

import Engine
import Trace

/// What a tensor's axes count, read from its trace entry: the legend `(c,fh,fw)×(b,oh,ow)`,
/// labels for the rows and columns of a matrix, and the slice labels `[m=1,b=0]` of a
/// rank-4 tensor. A dimension that flattens several axes is read with the layer's sizes.
struct AxisLabels {
    let axes: [String]
    let sizes: [String: Int]

    init(_ info: TensorInfo, layer: LayerInfo) {
        axes = info.axes.count == info.shape.count ? info.axes : (0..<info.shape.count).map { "i\($0)" }
        sizes = layer.sizes
    }

    /// `m×b×oh×ow`, `(c,fh,fw)×(b,oh,ow)`; a length-1 axis that counts nothing is `1`.
    var legend: String {
        axes.map { name in
            let parts = Axes.parts(name)
            return parts.isEmpty ? "1" : parts.count == 1 ? name : "(" + name + ")"
        }.joined(separator: "×")
    }

    /// Labels for the indices of axis `a` when it flattens several axes: `1,0,2` is `(c, fh, fw) = (1, 0, 2)`.
    func labeller(_ a: Int) -> ((Int) -> String)? {
        guard axes.indices.contains(a) else { return nil }
        let parts = Axes.parts(axes[a])
        guard parts.count > 1 else { return nil }
        let dims = parts.map { max(1, sizes[$0] ?? 1) }
        return { Tensor.unravel($0, shape: dims).map(String.init).joined(separator: ",") }
    }
}

/// How much a grid shows. The layout asks for less, step by step, until the frame holds every
/// cell the step reads and writes: first the spacing of a large screen goes, then (at each level
/// of captions) blocks in one row, in rows, or only those the step touches; column captions go
/// before row captions.
struct Detail: Hashable {
    var spacing = 2
    var rowGap = 0
    var allSlices = true
    var columnLabels = true
    var rowLabels = true
    var splitHeading = false
    /// Every block of a 4-D tensor, in rows of blocks rather than one row.
    var wrapSlices = false
    /// Rows of blocks without a blank line between them: each row still starts with its blocks'
    /// `[b=…,c=…]` labels, and the line saved can keep a whole tensor on a small screen.
    var tightRows = false
    /// Blocks in as many rows as the height given holds: for a tensor that cannot show every
    /// block, given the rows its neighbours leave (never a level of its own).
    var fillHeight = false
    /// Where one cell is touched, the blocks beside its own for context.
    var contextSlices = true
    /// Cells as tiles in ruled boxes, `cellHeight` lines tall (see `GridSpec.boxed`).
    var boxed = false
    var cellHeight = 1
    var padding = 1

    /// The levels to try, most generous first; a large screen (a projector) spaces cells wider.
    static func levels(large: Bool) -> [Detail] {
        var out: [Detail] = []
        // A projector's screen first tries tiles, tall and then short: they grow the picture
        // and its colours where a class reads it from afar.
        if large {
            for (cellHeight, padding) in [(7, 3), (5, 2), (3, 2), (3, 1), (1, 1)] {
                for (columns, rows) in [(true, true), (false, true)] {
                    out += [Detail(spacing: 4, columnLabels: columns, rowLabels: rows, boxed: true, cellHeight: cellHeight, padding: padding),
                            Detail(spacing: 4, columnLabels: columns, rowLabels: rows, wrapSlices: true, boxed: true,
                                   cellHeight: cellHeight, padding: padding)]
                }
            }
        }
        for (spacing, rowGap) in large ? [(4, 1), (4, 0), (2, 0)] : [(2, 0)] {
            // Captions give way before blocks: every block in one row, in rows, then only those
            // the step touches, at each level of captions.
            for (columns, rows) in [(true, true), (false, true), (false, false)] {
                out += [Detail(spacing: spacing, rowGap: rowGap, columnLabels: columns, rowLabels: rows),
                        Detail(spacing: spacing, rowGap: rowGap, columnLabels: columns, rowLabels: rows, wrapSlices: true)]
                if !large {
                    out.append(Detail(columnLabels: columns, rowLabels: rows, wrapSlices: true, tightRows: true))
                }
                out.append(Detail(spacing: spacing, rowGap: rowGap, allSlices: false, columnLabels: columns, rowLabels: rows))
            }
        }
        // Last, headings on two lines, so that narrow grids can stand side by side.
        for rows in [true, false] {
            out += [Detail(columnLabels: false, rowLabels: rows, splitHeading: true),
                    Detail(columnLabels: false, rowLabels: rows, splitHeading: true, wrapSlices: true),
                    Detail(allSlices: false, columnLabels: false, rowLabels: rows, splitHeading: true)]
        }
        // Last of all, only the blocks the step touches, so that tensors fit side by side.
        out += [Detail(allSlices: false, columnLabels: false, rowLabels: false, contextSlices: false),
                Detail(allSlices: false, columnLabels: false, rowLabels: false, splitHeading: true, contextSlices: false)]
        return out
    }
}

extension Scene {
    /// In the symbols view, the article's figure: an axis of filter cells `(c,fh,fw)` is
    /// labelled by the filter's symbols (W X Y Z) and an axis of placements `(b,oh,ow)` by the
    /// names of the outputs they make (a … i). Only with one filter, where each index has one
    /// such name; the filter's symbols are read from the trace.
    func symbolLabeller(_ axis: String) -> ((Int) -> String)? {
        guard options.symbols, trace.layer.operation == .conv, trace.layer.filter?.first == 1 else { return nil }
        switch axis {
        case "c,fh,fw":
            guard let names = trace.tensors.first(where: { $0.role == .weights && $0.labels != nil })?.labels else { return nil }
            return { names.indices.contains($0) ? names[$0] : "" }
        case "b,oh,ow":
            return { NumberFormat.letters($0) }
        default:
            return nil
        }
    }

    func grid(for t: TensorID, maxWidth: Int, maxHeight: Int, detail: Detail = Detail()) -> Block {
        let ti = Int(t.rawValue)
        let info = trace.tensors[ti]
        let labels = AxisLabels(info, layer: trace.layer)
        let m = marks[t] ?? [:]
        let hitsNow = state.hits[ti], hitsBefore = before.hits[ti]
        let accumulating = kind == .col2im || kind == .gradB || kind == .bias
        let matrix = info.shape.count == 2
        let spec = GridSpec(
            title: info.name, legend: labels.legend,
            shape: info.shape,
            text: { cellText(t, $0) },
            mark: { i in
                if let r = inspectorRole(t, i) { return (r, true) }
                if let r = m[i] { return r }
                if let tint = movement?.tint(t, i) { return (tint, false) }
                let fresh = Int(hitsNow[i]) - Int(hitsBefore[i])
                if accumulating, fresh > 1 { return (.accumulated, false) }
                if fresh > 0 { return (.done, false) }
                if info.isPadding(i) { return (.padding, false) }
                return nil
            },
            focus: focus[t], touched: Array(m.keys),
            rowLabel: matrix && detail.rowLabels ? symbolLabeller(info.axes[0]) ?? labels.labeller(0) : nil,
            columnLabel: matrix && detail.columnLabels ? symbolLabeller(info.axes[1]) ?? labels.labeller(1) : nil,
            axisNames: labels.axes, spacing: detail.spacing, rowGap: detail.rowGap,
            minimumCellWidth: options.symbols ? 1 : board.cellWidth(phase: phase, tensor: ti), language: language,
            splitHeading: detail.splitHeading, boxed: detail.boxed, cellHeight: detail.cellHeight, padding: detail.padding)
        var block = slices(of: spec, marked: Array(m.keys), maxWidth: maxWidth, maxHeight: maxHeight, allSlices: detail.allSlices,
                           context: detail.contextSlices, wrap: detail.wrapSlices, rowsApart: detail.tightRows ? 0 : 1,
                           fill: detail.fillHeight)
        for k in block.hits.indices { block.hits[k].cell.tensor = ti }
        return block
    }

    /// A rank-4 tensor shows one 2-D slice per (batch item, channel). Several channels are
    /// read together by a filter window, so every slice this step touches is drawn side by
    /// side (the focus first), as many as fit; the rest are named in a `+N` note.
    func slices(of spec: GridSpec, marked: [Int], maxWidth: Int, maxHeight: Int, allSlices: Bool, context: Bool = true, wrap: Bool = false,
                rowsApart: Int = 1, fill: Bool = false) -> Block {
        let shape = spec.shape
        let per = shape.count >= 3 ? max(1, shape[shape.count - 2] * shape[shape.count - 1]) : 1
        let total = shape.count >= 3 ? shape.reduce(1, *) / per : 1
        guard total > 1 else {
            // Given rows to fill, a matrix too wide for one band of columns folds onto several.
            if fill, let folded = spec.folded(maxWidth: maxWidth, maxHeight: maxHeight) { return folded }
            return spec.block(maxWidth: maxWidth, maxHeight: maxHeight)
        }
        var wanted: [Int] = []
        if let f = spec.focus { wanted.append(f / per) }
        for i in marked.sorted() where !wanted.contains(i / per) { wanted.append(i / per) }
        // Where at most one cell is marked (an input shown whole, one output cell), the
        // neighbouring slices give context.
        if marked.count <= 1, context {
            let start = wanted.first ?? 0
            for k in start..<min(total, start + 4) where !wanted.contains(k) { wanted.append(k) }
        }
        if wanted.isEmpty { wanted = [0] }
        let gap = spec.spacing
        // One heading for the tensor (two lines when split), then each slice under its own
        // `[b=…,c=…]` label.
        let headingRows = spec.splitHeading ? 2 : 1
        func sliceSpec(_ slice: Int) -> GridSpec {
            var one = spec
            one.title = ""
            one.legend = ""
            one.focus = spec.focus.flatMap { $0 / per == slice ? $0 : nil }
                ?? marked.filter { $0 / per == slice }.min() ?? slice * per
            return one
        }
        // Side by side; a slice that would be squeezed narrower than the first is left out.
        func place(_ order: [Int]) -> [Block] {
            var blocks: [Block] = []
            var used = 0
            for slice in order {
                let b = sliceSpec(slice).block(maxWidth: maxWidth - used - (blocks.isEmpty ? 0 : gap), maxHeight: maxHeight - headingRows)
                if !blocks.isEmpty, used + gap + b.width > maxWidth || b.width < blocks[0].width { break }
                used += (blocks.isEmpty ? 0 : gap) + b.width
                blocks.append(b)
            }
            return blocks
        }
        // In rows of slices, when one row cannot hold them all: nil unless every slice is whole
        // and the rows fit the height — or, with `cut`, as many whole rows of slices as fit.
        func wrapped(_ order: [Int], perLine: Int = .max, cut: Bool = false) -> (body: Block, shown: [Int])? {
            let natural = order.map { sliceSpec($0).block(maxWidth: maxWidth, maxHeight: maxHeight - headingRows) }
            guard !natural.contains(where: \.elided) else { return nil }
            var lines: [[Block]] = [[]]
            var x = 0
            for b in natural {
                let line = lines[lines.count - 1]
                if !line.isEmpty, x + gap + b.width > maxWidth || line.count >= perLine { lines.append([]); x = 0 }
                x += (lines[lines.count - 1].isEmpty ? 0 : gap) + b.width
                lines[lines.count - 1].append(b)
            }
            var rows = lines.map { Block.beside($0, gap: gap) }
            func height() -> Int { rows.reduce(0) { $0 + $1.height } + (rows.count - 1) * rowsApart }
            while cut, rows.count > 1, height() + headingRows > maxHeight { rows.removeLast() }
            guard height() + headingRows <= maxHeight else { return nil }
            var body = Block(width: rows.map(\.width).max() ?? 1, height: max(1, height()))
            var y = 0
            for r in rows {
                body.paste(r, row: y, column: 0)
                y += r.height + rowsApart
            }
            return (body, Array(order.prefix(lines.prefix(rows.count).reduce(0) { $0 + $1.count })))
        }
        // Every slice in order, where they all fit side by side unclipped (a reshape or a
        // transpose is read whole). Otherwise the focus's slice first, then those the step touches.
        // Two rows of blocks (or more where they are wide), where one row would be too wide for
        // what stands beside it.
        if wrap, allSlices, total <= 64, let rows = wrapped(Array(0..<total), perLine: (total + 1) / 2) {
            return headed(rows.body, shown: Set(0..<total))
        }
        // A whole movement (no cell in focus) that cannot show every block pages through them.
        if marked.isEmpty, spec.focus == nil, options.blockPage > 0 {
            let perPage = max(1, place(Array(0..<total)).count)
            let first = (options.blockPage * perPage) % total
            let blocks = place(Array(first..<total))
            return headed(Block.beside(blocks, gap: gap), shown: Set(first..<(first + blocks.count)))
        }
        var blocks: [Block] = []
        var order = wanted
        if allSlices, total <= 64 {
            let all = place(Array(0..<total))
            let natural = place([0]).first?.width ?? 0
            if all.count == total, all.allSatisfy({ $0.width >= natural }) { (blocks, order) = (all, Array(0..<total)) }
        }
        if blocks.isEmpty { blocks = place(wanted) }
        var shownSlices = Set(order.prefix(blocks.count))
        var body = Block.beside(blocks, gap: gap)
        // Touched slices left out of one row: several rows of slices, where they fit.
        if marked.contains(where: { !shownSlices.contains($0 / per) }) || (allSlices && shownSlices.count < total && total <= 64) {
            let candidates = (allSlices && total <= 64 ? [Array(0..<total)] : []) + [wanted]
            for candidate in candidates {
                if let rows = wrapped(candidate) { (body, shownSlices) = (rows.body, Set(candidate)); break }
            }
        }
        // Asked to fill the height it is given: the slices the step touches, then the rest in
        // order, in as many rows as fit, where that shows more than one row does.
        if fill, shownSlices.count < total {
            let order = wanted + (0..<total).filter { !wanted.contains($0) }
            if let rows = wrapped(order, cut: true), rows.shown.count > shownSlices.count,
               marked.allSatisfy({ rows.shown.contains($0 / per) }) {
                (body, shownSlices) = (rows.body, Set(rows.shown))
            }
        }
        return headed(body, shown: shownSlices)

        /// The tensor's heading over its blocks.
        func headed(_ body: Block, shown shownSlices: Set<Int>) -> Block {
            let hidden = total - shownSlices.count
            let name = spec.title + "  " + shapeText(shape)
            var heading = spec.splitHeading ? spec.legend : name + (spec.legend.isEmpty ? "" : "  " + spec.legend)
            let first = shownSlices.min() ?? 0
            let paged = hidden > 0 && marked.isEmpty && spec.focus == nil && shownSlices.max() == first + shownSlices.count - 1
            if paged {
                heading += language == .ja ? "  ブロック \(first + 1)–\(first + shownSlices.count) / \(total)"
                                           : "  blocks \(first + 1)–\(first + shownSlices.count) of \(total)"
            } else if hidden > 0 {
                heading += language == .ja ? "  (他\(hidden)枚)" : "  (+\(hidden) more)"
            }
            let width = min(maxWidth, max(body.width, DisplayWidth.of(heading), spec.splitHeading ? DisplayWidth.of(name) : 0))
            var out = Block(width: max(1, width), height: body.height + headingRows)
            // Hidden blocks count as left out only where the step touches a cell in them.
            out.elided = body.elided || hidden > 0
            out.hiddenTouched = body.hiddenTouched + marked.count(where: { !shownSlices.contains($0 / per) })
            out.hiddenCells = body.hiddenCells + hidden * per
            if paged { out.page = BlockPage(first: first, shown: shownSlices.count, total: total) }
            if spec.splitHeading { out.put(DisplayWidth.truncate(name, to: width), row: 0, column: 0, role: .heading) }
            out.put(DisplayWidth.truncate(heading, to: width), row: headingRows - 1, column: 0, role: .heading)
            out.paste(body, row: headingRows, column: 0, columns: width)
            return out
        }
    }
}

/// Frames as SVG and HTML, for slides and handouts: other encodings of the same cells that the
/// plain and ANSI renderers write, coloured from `RoleStyle`'s one table.
public enum MarkupRenderer {
    /// The SVG's grid: one cell is `cellWidth` by `lineHeight` units, text `fontSize` high.
    /// Whole numbers, so that no coordinate depends on how a number is formatted; a monospace
    /// font's advance is 0.6 em, which makes 9 units at 15.
    public static let cellWidth = 9
    public static let lineHeight = 20
    public static let fontSize = 15
    /// The fonts of every encoding that names one: monospace, with Japanese as a fallback.
    public static let fontFamily = "'DejaVu Sans Mono', Menlo, Consolas, 'Noto Sans Mono CJK JP', monospace"

    /// How a cell looks once the role's colours and attributes are resolved to named colours.
    struct Look: Equatable {
        var foreground: String
        var background: String?
        var bold: Bool
        var dim: Bool
        var underline: Bool

        init(_ cell: Cell) {
            let style = RoleStyle.of(cell.role)
            foreground = style.foreground?.hex ?? Colour.text
            background = style.background?.hex
            if style.attributes.contains(.reverse) {
                (foreground, background) = (background ?? Colour.page, foreground)
            }
            bold = cell.bold || style.attributes.contains(.bold)
            dim = style.attributes.contains(.dim)
            underline = style.attributes.contains(.underline)
        }

        var isPlain: Bool { self == Look(Cell()) }
    }

    /// The looks of a row, a wide character's right half taking the look of its left half (its
    /// own cell carries no role), so that a highlight covers the whole character.
    private static func looks(_ frame: Frame, row: Int) -> [Look] {
        var out: [Look] = []
        out.reserveCapacity(frame.size.width)
        for x in 0..<frame.size.width {
            let c = frame[row, x]
            out.append(c.isContinuation && !out.isEmpty ? out[out.count - 1] : Look(c))
        }
        return out
    }

    /// `text` safe inside XML and HTML text and attribute values.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(ch)
            }
        }
        return out
    }

    // MARK: SVG

    /// The frame as a standalone SVG document: a page, a rectangle per run of cells with a
    /// background colour, and one `<text>` per row whose text is the row as plain text shows it.
    /// Each run of ASCII starts at its column, and each other character is placed at its own
    /// column, so that a font whose box drawing or Japanese is not exactly one or two columns
    /// wide cannot push the rest of the row out of its grid.
    public static func svg(_ frame: Frame) -> String {
        let width = frame.size.width * cellWidth, height = frame.size.height * lineHeight
        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" \
            font-family="\(fontFamily)" font-size="\(fontSize)" xml:space="preserve">
            <rect width="\(width)" height="\(height)" fill="\(Colour.page)"/>

            """
        var text = ""
        for row in 0..<frame.size.height {
            let looks = looks(frame, row: row)
            let y = row * lineHeight
            var x = 0
            while x < looks.count {
                guard let background = looks[x].background else { x += 1; continue }
                var end = x + 1
                while end < looks.count, looks[end].background == background { end += 1 }
                out += "<rect x=\"\(x * cellWidth)\" y=\"\(y)\" width=\"\((end - x) * cellWidth)\" height=\"\(lineHeight)\" fill=\"\(background)\"/>\n"
                x = end
            }
            text += "<text y=\"\(y + fontSize)\">" + svgRuns(frame, row: row, looks: looks) + "</text>\n"
        }
        return out + text + "</svg>\n"
    }

    /// The `<tspan>`s of a row up to its last character that is not a space (as `Frame.line`
    /// trims), one per run of equal look, a new one at each character that is not ASCII.
    private static func svgRuns(_ frame: Frame, row: Int, looks: [Look]) -> String {
        var last = frame.size.width - 1
        while last >= 0, frame[row, last].isSpace { last -= 1 }
        var out = ""
        var x = 0
        while x <= last {
            let first = frame[row, x]
            if first.isContinuation { x += 1; continue }
            var run = String(first.character)
            var end = x + 1
            if first.character.isASCII {
                while end <= last, looks[end] == looks[x], !frame[row, end].isContinuation,
                      frame[row, end].character.isASCII {
                    run.append(frame[row, end].character)
                    end += 1
                }
            }
            out += "<tspan x=\"\(x * cellWidth)\"" + svgAttributes(looks[x]) + ">" + escape(run) + "</tspan>"
            x = end
        }
        return out
    }

    private static func svgAttributes(_ look: Look) -> String {
        var a = " fill=\"\(look.foreground)\""
        if look.bold { a += " font-weight=\"bold\"" }
        if look.dim { a += " fill-opacity=\"0.6\"" }
        if look.underline { a += " text-decoration=\"underline\"" }
        return a
    }

    // MARK: HTML

    /// The frame as an HTML fragment: a `<pre>` in the terminal's own colours, with a `<span>`
    /// carrying inline colours for each run of cells in a role's look. Rows end where the ANSI
    /// renderer ends them, after the last cell with a character or a colour.
    public static func html(_ frame: Frame) -> String {
        var out = "<pre class=\"tatami-frame\" style=\"background:\(Colour.page);color:\(Colour.text);"
            + "font-family:\(fontFamily);line-height:1.3;padding:0.5em 1em\">"
        for row in 0..<frame.size.height {
            let looks = looks(frame, row: row)
            var last = frame.size.width - 1
            while last >= 0, frame[row, last].isSpace, looks[last].isPlain { last -= 1 }
            var x = 0
            while x <= last {
                var run = ""
                var end = x
                while end <= last, looks[end] == looks[x] {
                    if !frame[row, end].isContinuation { run.append(frame[row, end].character) }
                    end += 1
                }
                out += looks[x].isPlain ? escape(run) : "<span style=\"\(htmlStyle(looks[x]))\">" + escape(run) + "</span>"
                x = end
            }
            if row + 1 < frame.size.height { out += "\n" }
        }
        return out + "</pre>\n"
    }

    /// The inline CSS of a cell's look (its role's colours, bold, dim, underline), as the HTML
    /// fragment colours a run of such cells: for pages that style cells by class instead.
    public static func htmlStyle(of cell: Cell) -> String { htmlStyle(Look(cell)) }

    private static func htmlStyle(_ look: Look) -> String {
        var s = "color:\(look.foreground)"
        if let background = look.background { s += ";background:\(background)" }
        if look.bold { s += ";font-weight:bold" }
        if look.dim { s += ";opacity:0.6" }
        if look.underline { s += ";text-decoration:underline" }
        return s
    }
}

/// Frames as text for pipes, tests, screen readers (plain) and slides (ANSI colours).
public enum TextRenderer {
    /// The frame's characters only, trailing spaces trimmed.
    public static func plain(_ frame: Frame) -> String {
        frame.text
    }

    /// SGR parameters of a role on a colour terminal, emphasised with bold where `bold`:
    /// computed from `RoleStyle`'s table, which the curses player reads too.
    public static func sgr(_ role: Role, bold: Bool = false) -> String {
        RoleStyle.sgr(role, bold: bold)
    }

    /// The frame with ANSI colour escapes; only changes of style are written, and every line
    /// ends with a reset so that a cut-off line never leaks colour.
    public static func ansi(_ frame: Frame) -> String {
        var out = ""
        for row in 0..<frame.size.height {
            var current = ""
            var line = ""
            var lastNonBlank = -1
            for x in 0..<frame.size.width where !frame[row, x].isSpace || frame[row, x].role != .plain {
                lastNonBlank = x
            }
            if lastNonBlank >= 0 {
                for x in 0...lastNonBlank {
                    let c = frame[row, x]
                    if c.isContinuation { continue }
                    let style = sgr(c.role, bold: c.bold)
                    if style != current {
                        line += "\u{1B}[0m" + (style.isEmpty ? "" : "\u{1B}[\(style)m")
                        current = style
                    }
                    line.append(c.character)
                }
                if !current.isEmpty { line += "\u{1B}[0m" }
            }
            out += line
            if row + 1 < frame.size.height { out += "\n" }
        }
        return out
    }

    /// The line that separates frames in `render --all`: it names the step and the phase. Without
    /// UTF-8 its characters are `Frame.asciiLookAlike`'s, as the frames' are.
    public static func separator(step: Int, of count: Int, phase: String, width: Int, asciiOnly: Bool = false,
                                 question: Bool = false) -> String {
        // A question's frame is not a step: its line says which step it comes before.
        var label = (question ? "── question before step " : "── step ") + "\(step + 1)/\(count) · \(phase) "
        var line: Character = "─"
        if asciiOnly {
            label = String(label.map(Frame.asciiLookAlike))
            line = Frame.asciiLookAlike(line)
        }
        return label + String(repeating: line, count: max(0, width - DisplayWidth.of(label)))
    }
}

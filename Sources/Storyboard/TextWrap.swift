/// The one rule for breaking text into lines, for every front end.
public enum TextWrap {
    /// Breaks text into lines of at most `width` columns: at spaces where there are any, anywhere
    /// in Japanese (which has no spaces between words), never starting a line with closing
    /// punctuation. Each `\n` starts a new paragraph. The one wrapping rule of every front end.
    public static func lines(_ text: String, width: Int) -> [String] {
        guard width > 1 else { return [] }
        let closing: Set<Character> = ["。", "、", "，", "．", "）", "」", "』", "】", "！", "？", "：", "；", "ー", ")", ",", "."]
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            var w = 0
            for ch in paragraph {
                let cw = DisplayWidth.of(ch)
                if w + cw > width {
                    if let space = line.lastIndex(of: " "), cw == 1, ch != " " {
                        let rest = String(line[line.index(after: space)...])
                        lines.append(String(line[..<space]))
                        line = rest
                        w = DisplayWidth.of(rest)
                    } else if closing.contains(ch), let last = line.popLast() {
                        // Japanese never starts a line with closing punctuation: carry the
                        // character before it over as well.
                        lines.append(line)
                        line = String(last)
                        w = DisplayWidth.of(last)
                    } else {
                        lines.append(line)
                        line = ""
                        w = 0
                    }
                    if ch == " " { continue }
                }
                line.append(ch)
                w += cw
            }
            lines.append(line)
        }
        return lines
    }
}

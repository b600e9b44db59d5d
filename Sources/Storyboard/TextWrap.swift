/// The one rule for breaking text into lines, for every front end.
public enum TextWrap {
    /// Breaks text into lines of at most `width` columns: at spaces where there are any, anywhere
    /// in Japanese (which has no spaces between words), never starting a line with closing
    /// punctuation. Each `\n` starts a new paragraph. The one wrapping rule of every front end.
    public static func lines(_ text: String, width: Int) -> [String] {
        guard width > 1 else { return [] }
        var lines: [String] = []
        // The line being filled: the bytes from `start` to `end` (a line is never empty in the
        // middle, so it is one run of the text), `w` columns wide.
        var start = 0, end = 0, w = 0
        // The last space in the line (its byte offset) and the line's width up to and with it.
        var space: Int?, widthThroughSpace = 0
        // The last glyphs added to the line (a few): a closing mark that does not fit carries
        // them to the next line.
        var recent: [DisplayWidth.Glyph] = []
        DisplayWidth.forEachGlyph(text) { g, bytes in
            func emit(_ upTo: Int) {
                lines.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<max(start, upTo)]), as: UTF8.self))
            }
            if g.scalar == 0x0A {
                emit(end)
                (start, end, w, space) = (g.end, g.end, 0, nil)
                recent.removeAll(keepingCapacity: true)
                return true
            }
            let isSpace = g.scalar == 0x20 && g.isBare
            if w + g.width > width {
                if let s = space, g.width == 1, !isSpace {
                    emit(s)
                    (start, w, space) = (s + 1, w - widthThroughSpace, nil)
                } else if let l = recent.last, l.start >= start, closing.contains(g.scalar), g.isBare {
                    // Japanese never starts a line with closing punctuation: carry the
                    // character before it over as well, and the one before that while the
                    // carried one closes too (`)。`), keeping something on the line.
                    var k = recent.count - 1
                    while k > 0, recent[k].isClosing, recent[k - 1].start > start { k -= 1 }
                    let carried = recent[k...]
                    emit(carried.first!.start)
                    start = carried.first!.start
                    w = carried.reduce(0) { $0 + $1.width }
                    space = nil
                    for c in carried where c.scalar == 0x20 && c.isBare {
                        space = c.start
                        widthThroughSpace = carried.prefix { $0.start <= c.start }.reduce(0) { $0 + $1.width }
                    }
                } else {
                    emit(end)
                    (start, end, w, space) = (end, end, 0, nil)
                    recent.removeAll(keepingCapacity: true)
                    // A space where the line breaks is dropped.
                    if isSpace {
                        (start, end) = (g.end, g.end)
                        return true
                    }
                }
            }
            end = g.end
            w += g.width
            if isSpace { (space, widthThroughSpace) = (g.start, w) }
            if recent.count == 4 { recent.removeFirst() }
            recent.append(g)
            return true
        }
        let bytes = Array(text.utf8)
        lines.append(String(decoding: bytes[min(start, bytes.count)..<max(min(start, bytes.count), end)], as: UTF8.self))
        return lines
    }

    /// Marks that close a phrase or a sentence.
    static let closing: Set<UInt32> = Set("。、，．）」』】！？：；ー),.".unicodeScalars.map(\.value))
}
